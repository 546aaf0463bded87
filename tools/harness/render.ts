import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml, parseDocument, YAMLError } from "yaml";
import { settingsFromPulumiConfig } from "../../config";
import { ProgramResult, runProgram } from "../../components/program";
import { instanceTypeSettings } from "../../components/compute/instanceTypeFacts";
import { autoNamedInput } from "../forcenew/table";
import type { RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import { AliasSpec, resolveAliases } from "./aliases";
import { requireKnownInstanceTypes, requireKnownRegion } from "./awsFacts";
import { PlatformMocks } from "./mocks";

/** The mock monitor's registration call, which the capture wraps. */
interface ResourceMonitor {
    registerResource(request: RegisterResourceRequest, callback: (err: unknown, response: RegisterResourceResponse) => void): unknown;
}

// Internal runtime modules: the mock monitor and the RPC queue are not part of the public API, so
// their types (what this file calls of them) are declared here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { getMonitor(): ResourceMonitor; waitForRPCs(): Promise<void> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as { deserializeProperties(object: unknown): Record<string, unknown> };
/**
 * The SDK's record of registrations still being prepared (resource → its type and name), and the
 * function it calls, through this module's exports, when one cannot be prepared.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkState = require("@pulumi/pulumi/runtime/state") as {
    getPendingResourceRegistrations(this: void): Map<unknown, { type: string; name: string }>;
    failPendingRegistration(this: void, resource: unknown, error: unknown): void;
};

export const ROOT = path.resolve(__dirname, "..", "..");
export const STACKS_DIR = path.join(ROOT, "stacks");

/** One resource as the plan JSON records it (see docs/plan.md). */
export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    /** Provider ID (a mock ID offline); other resources' props refer to it. Empty for components. */
    id: string;
    custom: boolean;
    parent: string | null;
    dependsOn: string[];
    provider: string | null;
    options: {
        protect: boolean;
        retainOnDelete: boolean;
        ignoreChanges: string[];
        deleteBeforeReplace: boolean;
        /** Always recorded by this harness; absent in plan JSON written before it was. */
        replaceOnChanges?: string[];
        /** Earlier URNs the resource takes over (the `aliases` option, resolved as the engine does); only when it has some. */
        aliases?: string[];
    };
    props: Record<string, unknown>;
}

export interface RenderedStack extends RenderedResources {
    program: ProgramResult;
}

export interface StackSource {
    /** Stack name, e.g. "dev". */
    stack: string;
    /** The stack's Pulumi config: "namespace:key" → value, as in a Pulumi.<stack>.yaml file. */
    config: Record<string, unknown>;
    /** Where the config came from, for error messages. */
    origin: string;
    /** The stack file, when the config came from one. */
    file?: string;
}

export function projectName(): string {
    const project = parseYaml(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { name: string };
    return project.name;
}

/** Names of the stacks that have a file in stacks/. */
export function listStacks(): string[] {
    return fs
        .readdirSync(STACKS_DIR)
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((name): name is string => name !== undefined)
        .sort();
}

/** A stack file the plan cannot read: missing, not YAML, or without a `config:` map. */
export class StackFileError extends Error {}

/** Two registrations with one URN: the engine refuses the second, so the plan refuses the stack (exit 2). */
export class DuplicateUrnError extends Error {}

/** A file as messages name it: relative to the repository when inside it. */
function displayPath(file: string): string {
    const relative = path.relative(ROOT, path.resolve(file));
    return relative.startsWith("..") || path.isAbsolute(relative) ? path.resolve(file) : relative;
}

/** `file:line:column: reason`, then the lines YAML quotes around the spot (never a stack trace). */
function yamlProblem(where: string, error: YAMLError): string {
    const [first, ...context] = error.message.split("\n");
    const reason = first.replace(/ at line \d+, column \d+:?$/, "");
    const at = error.linePos?.[0];
    const quoted = context.filter((line, i) => line.trim() !== "" || (i > 0 && i < context.length - 1));
    return [`${where}${at ? `:${at.line}:${at.col}` : ""}: ${reason}`, ...quoted.map((line) => `  | ${line}`)].join("\n").trimEnd();
}

/** The YAML document of a stack file, every syntax error and warning refused with its position. */
function parseStackYaml(text: string, where: string): unknown {
    const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    const problems = [...document.errors, ...document.warnings];
    if (problems.length > 0) {
        throw new StackFileError(
            `${where} is not valid YAML (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => yamlProblem(where, p)).join("\n")}`,
        );
    }
    try {
        return document.toJS();
    } catch (error) {
        // Aliases resolve only here (an alias to an unknown anchor, or too many of them).
        throw new StackFileError(`${where} is not valid YAML: ${(error as Error).message}`);
    }
}

/** Reads a Pulumi.<stack>.yaml file; the stack name comes from the file name. */
export function readStackFile(file: string): StackSource {
    const where = displayPath(file);
    if (!fs.existsSync(file)) {
        throw new StackFileError(`stack file ${where} does not exist`);
    }
    if (!fs.statSync(file).isFile()) {
        throw new StackFileError(`${where} is not a file: give a stack file such as stacks/Pulumi.dev.yaml`);
    }
    const match = /Pulumi\.(.+)\.ya?ml$/.exec(path.basename(file));
    const document = parseStackYaml(fs.readFileSync(file, "utf8"), where);
    const config = typeof document === "object" && document !== null ? (document as { config?: unknown }).config : undefined;
    if (config === undefined || config === null) {
        throw new StackFileError(`${where} has no "config:" map: a stack file holds its settings under a top-level config: key (see stacks/Pulumi.dev.yaml)`);
    }
    if (typeof config !== "object" || Array.isArray(config)) {
        throw new StackFileError(
            `${where}: "config:" must be a map of "namespace:key: value" settings, not ${Array.isArray(config) ? "a list" : `the ${typeof config} ${JSON.stringify(config)}`}`,
        );
    }
    return { stack: match?.[1] ?? path.basename(file).replace(/\.ya?ml$/, ""), config: config as Record<string, unknown>, origin: where, file };
}

export function readStack(stack: string): StackSource {
    const file = path.join(STACKS_DIR, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new StackFileError(`unknown stack "${stack}": no ${path.relative(ROOT, file)}; known stacks: ${listStacks().join(", ")}`);
    }
    return readStackFile(file);
}

/** Pulumi hands programs config values as strings, structured ones JSON-encoded. */
export function asPulumiConfig(config: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
}

/** A stack's "eks-platform:*" settings as the program receives them. */
export function stackSettings(source: StackSource): Record<string, unknown> {
    return settingsFromPulumiConfig(asPulumiConfig(source.config));
}

function splitProviderReference(reference: string): string | null {
    // A provider reference is "<urn>::<id>"; the plan records the URN.
    return reference ? reference.slice(0, reference.lastIndexOf("::")) : null;
}

/**
 * Stack files belong to the project of the nearest Pulumi.yaml above them (stacks/ and examples/
 * belong to this platform); a loose stack file with no project above it is rendered as this platform's.
 */
export function projectDirOf(stackFile: string): string {
    let dir = path.dirname(path.resolve(stackFile));
    while (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
        const parent = path.dirname(dir);
        if (parent === dir) {
            return ROOT;
        }
        dir = parent;
    }
    return dir;
}

/** What every render yields: the registrations, as the plan records them. */
export interface RenderedResources {
    stack: string;
    project: string;
    resources: PlannedResource[];
}

/** The signature key and value that mark a resource reference in a serialized property (the SDK's rpc.ts). */
const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const RESOURCE_SIGNATURE = "5cf8f73096256a8f31e491e813e4eb8e";

/**
 * The deserialized inputs with every resource reference as its URN, as the engine records it. The SDK
 * rehydrates a reference into a live Resource object, whose outputs are not data: a plan could neither
 * show, diff nor clone it (an input such as eks.Cluster's `serviceRole`).
 */
function resourceReferencesAsUrns(serialized: unknown, deserialized: unknown): unknown {
    if (typeof serialized !== "object" || serialized === null || typeof deserialized !== "object" || deserialized === null) {
        return deserialized;
    }
    const record = serialized as Record<string, unknown>;
    if (record[SIGNATURE_KEY] === RESOURCE_SIGNATURE) {
        return record.urn;
    }
    if (Array.isArray(deserialized)) {
        return deserialized.map((item, index) => resourceReferencesAsUrns((serialized as unknown[])[index], item));
    }
    const value = deserialized as Record<string, unknown>;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resourceReferencesAsUrns(record[key], item)]));
}

/** The request's aliases as the SDK sends them to a monitor that takes alias specs (as the engine and the mock monitor do). */
function aliasSpecs(request: RegisterResourceRequest): AliasSpec[] {
    return request.getAliasesList().map((alias) => {
        const spec = alias.getSpec();
        return spec
            ? {
                  name: spec.getName(),
                  type: spec.getType(),
                  stack: spec.getStack(),
                  project: spec.getProject(),
                  parentUrn: spec.getParenturn(),
                  noParent: spec.getNoparent(),
              }
            : { urn: alias.getUrn() };
    });
}

/**
 * One registration as the plan records it: the request as the engine receives it, plus what the
 * provider's Check adds. `aliasesOf` answers with the resolved aliases of resources registered before.
 */
function plannedResource(request: RegisterResourceRequest, response: RegisterResourceResponse, aliasesOf: (urn: string) => readonly string[]): PlannedResource {
    const type = request.getType();
    const props = resourceReferencesAsUrns(request.getObject()?.toJavaScript(), rpc.deserializeProperties(request.getObject())) as Record<string, unknown>;
    const autoNamed = request.getCustom() ? autoNamedInput(type) : undefined;
    if (autoNamed && props[autoNamed] === undefined) {
        // The provider's Check fills an unset auto-named input before the engine diffs or records it.
        props[autoNamed] = rpc.deserializeProperties(response.getObject())[autoNamed];
    }
    const resource = { urn: response.getUrn(), type, name: request.getName(), parent: request.getParent() || null };
    const aliases = resolveAliases(resource, aliasSpecs(request), aliasesOf);
    return {
        urn: resource.urn,
        type,
        name: resource.name,
        id: response.getId(),
        custom: request.getCustom(),
        parent: resource.parent,
        dependsOn: request.getDependenciesList(),
        provider: splitProviderReference(request.getProvider()),
        options: {
            protect: request.getProtect() ?? false,
            retainOnDelete: request.getRetainondelete() ?? false,
            ignoreChanges: request.getIgnorechangesList(),
            deleteBeforeReplace: request.getDeletebeforereplace(),
            replaceOnChanges: request.getReplaceonchangesList(),
            ...(aliases.length ? { aliases } : {}),
        },
        props,
    };
}

function describeRegistration(resource: PlannedResource, index: number, first: PlannedResource): string {
    const [parentType, parentName] = resource.parent ? resource.parent.split("::").slice(-2) : [];
    const parent = parentType ? `${parentType.split("$").pop()} "${parentName}"` : "the stack";
    const inputs = JSON.stringify(resource.props);
    const shown = inputs.length > 300 ? `${inputs.slice(0, 299)}…` : inputs;
    const same = index > 0 && inputs === JSON.stringify(first.props) ? " (the same inputs as the first)" : ` with inputs ${shown}`;
    return `    ${index + 1}. ${resource.type} "${resource.name}" under ${parent}${same}`;
}

/**
 * The engine refuses a second registration of a URN ("Duplicate resource URN"), partway through
 * `pulumi up`; the mock runtime does not, so the plan checks it here.
 */
function requireUniqueUrns(resources: PlannedResource[], origin: string): void {
    const byUrn = new Map<string, PlannedResource[]>();
    resources.forEach((r) => byUrn.set(r.urn, [...(byUrn.get(r.urn) ?? []), r]));
    const duplicates = [...byUrn].filter(([, registrations]) => registrations.length > 1);
    if (duplicates.length === 0) {
        return;
    }
    throw new DuplicateUrnError(
        [
            `${origin}: ${duplicates.length} URN${duplicates.length === 1 ? " is" : "s are"} registered more than once, which the Pulumi engine refuses ("Duplicate resource URN") partway through \`pulumi up\`:`,
            ...duplicates.flatMap(([urn, registrations]) => [`  ${urn}`, ...registrations.map((r, i) => describeRegistration(r, i, registrations[0]))]),
            "  Two resources get one name when the configuration names one thing twice (a principal, node pool, service or route listed twice): remove the duplicate.",
        ].join("\n"),
    );
}

/** One registration that failed, and why: `message` is the cause's message when it failed (the SDK rewrites it as it propagates). */
export interface RefusedRegistration {
    type: string;
    name: string;
    cause: unknown;
    message: string;
}

/**
 * Registrations that failed: refused by the monitor (a mock that throws), or never sent because
 * their inputs or a resource they wait for failed. The SDK resolves such a resource's outputs as
 * failed and carries on, so a program that never awaits them finishes normally without the
 * resource: the render fails instead, rather than plan fewer resources than the program declares.
 */
export class RegistrationError extends Error {
    constructor(readonly refused: RefusedRegistration[]) {
        const lines = refused.map(({ type, name, cause, message }, index) => {
            // One error fails every registration that waits for it: name where it came from.
            const first = refused.findIndex((other) => other.cause === cause);
            return `  ${type} "${name}": ${first < index ? `failed with ${refused[first].type} "${refused[first].name}" (the same error)` : message}`;
        });
        super(
            `${refused.length} resource registration${refused.length === 1 ? "" : "s"} failed, so the plan would miss ${refused.length === 1 ? "it" : "them"}:\n${lines.join("\n")}`,
        );
    }
}

/**
 * Calls `onFailure` for every registration the SDK fails before it reaches the monitor (an input,
 * a dependency or the parent failed), with the registration's own type, name and error, at the
 * moment it fails; returns the function that stops watching. The error itself is no guide: one
 * error object fails every registration that waits for it, and the SDK relabels it at each.
 */
function watchUnpreparedRegistrations(onFailure: (registration: { type: string; name: string } | undefined, cause: unknown) => void): () => void {
    const original = sdkState.failPendingRegistration;
    if (typeof original !== "function" || typeof sdkState.getPendingResourceRegistrations !== "function") {
        throw new Error("@pulumi/pulumi/runtime/state has no failPendingRegistration: the render cannot see failed registrations with this SDK version");
    }
    sdkState.failPendingRegistration = (resource, error) => {
        // Still pending while being prepared; a registration the monitor refused is no longer (the monitor hook names it).
        onFailure(sdkState.getPendingResourceRegistrations().get(resource), error);
        original(resource, error);
    };
    return () => {
        sdkState.failPendingRegistration = original;
    };
}

/**
 * Runs `program` under Pulumi's mock runtime for one stack and records every registration exactly
 * as the engine would receive it: inputs, parent, dependencies, provider and resource options.
 * A registration the monitor refuses fails the render (RegistrationError).
 */
async function captureRegistrations<T>(source: StackSource, project: string, program: (config: Record<string, string>) => Promise<T>) {
    untracedRenders.enter();
    try {
        return await captureUntraced(source, project, program);
    } finally {
        untracedRenders.leave();
    }
}

/**
 * Pulumi's runtime formats a stack trace into every promise it makes (debuggablePromise) and every
 * resource's callsites into its registration; no render reads them, and they cost about two thirds
 * of a render's CPU. V8's limit is the switch: 0 while any render runs (renders may overlap, so the
 * first to start saves the caller's limit and the last to end restores it), so the caller's own
 * errors keep their traces. PLAN_STACK_TRACES=1 keeps them, to debug a render that crashes.
 */
const untracedRenders = (() => {
    let active = 0;
    let callersLimit = Error.stackTraceLimit;
    return {
        enter() {
            if (active++ === 0 && !process.env.PLAN_STACK_TRACES) {
                callersLimit = Error.stackTraceLimit;
                Error.stackTraceLimit = 0;
            }
        },
        leave() {
            if (--active === 0 && !process.env.PLAN_STACK_TRACES) {
                Error.stackTraceLimit = callersLimit;
            }
        },
    };
})();

async function captureUntraced<T>(source: StackSource, project: string, program: (config: Record<string, string>) => Promise<T>) {
    const config = asPulumiConfig(source.config);
    const region = config["aws:region"];
    requireKnownRegion(region, source.origin);
    await pulumi.runtime.setMocks(new PlatformMocks(region), project, source.stack, false);
    pulumi.runtime.setAllConfig(config);

    const resources: PlannedResource[] = [];
    // Parents register before their children, whose aliases they pass on.
    const aliasesByUrn = new Map<string, readonly string[]>();
    const aliasesOf = (urn: string) => aliasesByUrn.get(urn) ?? [];
    // In the order they failed, so the root cause comes before the registrations that waited for it.
    const refused = new Map<string, RefusedRegistration>();
    // The errors that failed registrations: the SDK rethrows each as an unhandled rejection too.
    const causes = new Set<unknown>();
    const refuse = (type: string, name: string, cause: unknown) => {
        causes.add(cause);
        if (!refused.has(`${type}::${name}`)) {
            refused.set(`${type}::${name}`, { type, name, cause, message: cause instanceof Error ? cause.message : String(cause) });
        }
    };
    const monitor = settings.getMonitor();
    const registerResource = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) =>
        registerResource(request, (err, response) => {
            if (err) {
                refuse(request.getType(), request.getName(), err);
            } else {
                const resource = plannedResource(request, response, aliasesOf);
                aliasesByUrn.set(resource.urn, resource.options.aliases ?? []);
                resources.push(resource);
            }
            callback(err, response);
        });

    const stopWatching = watchUnpreparedRegistrations((registration, cause) =>
        registration ? refuse(registration.type, registration.name, cause) : causes.add(cause),
    );
    // Anything else the program let fail without awaiting it (an apply that threw outside any
    // registration's inputs) is a failure of the program.
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => {
        if (!causes.has(reason)) {
            failures.push(reason);
        }
    };
    process.on("unhandledRejection", onRejection);
    try {
        let result: T | undefined;
        let programFailed = false;
        let programError: unknown;
        try {
            result = await program(config);
            await settings.waitForRPCs();
            // Node reports unhandled rejections after the microtasks that raised them: let it.
            await new Promise((resolve) => setImmediate(resolve));
        } catch (error) {
            programFailed = true;
            programError = error;
        }
        // A refused registration is the root cause of whatever failed after it (a program awaiting
        // the resource's outputs, dependents that could not be prepared): report it first.
        if (refused.size > 0) {
            throw new RegistrationError([...refused.values()]);
        }
        if (programFailed) {
            throw programError;
        }
        if (failures.length > 0) {
            throw failures[0];
        }
        resources.sort((a, b) => a.urn.localeCompare(b.urn));
        requireUniqueUrns(resources, source.origin);
        return { stack: source.stack, project, resources, result: result as T };
    } finally {
        process.off("unhandledRejection", onRejection);
        stopWatching();
    }
}

/** Renders a stack of this project (the EKS platform) through the same runProgram index.ts runs. */
export async function renderStack(source: StackSource): Promise<RenderedStack> {
    requireKnownInstanceTypes(instanceTypeSettings(stackSettings(source)), source.origin);
    const { stack, project, resources, result } = await captureRegistrations(source, projectName(), (config) => runProgram(config, source.origin));
    return { stack, project, resources, program: result };
}

/**
 * Renders a stack of another Pulumi project (e.g. under examples/) by loading that project's main
 * module, as the Node.js language host does; an exported promise is awaited.
 */
export async function renderOtherProject(source: StackSource, projectDir: string): Promise<RenderedResources> {
    const manifest = parseYaml(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { name: string; main?: string };
    const { stack, project, resources } = await captureRegistrations(source, manifest.name, async () => {
        const main = require.resolve(path.join(projectDir, manifest.main ?? "index.ts"));
        // A fresh load per render: the module's top level is the program.
        delete require.cache[main];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return (await require(main)) as unknown;
    });
    return { stack, project, resources };
}
