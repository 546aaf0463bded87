import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { settingsFromPulumiConfig } from "../../config";
import { ProgramResult, runProgram } from "../../components/program";
import { instanceTypeSettings } from "../../components/compute/instanceTypeFacts";
import type { RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
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

export class StackFileError extends Error {}

/** Reads a Pulumi.<stack>.yaml file; the stack name comes from the file name. */
export function readStackFile(file: string): StackSource {
    if (!fs.existsSync(file)) {
        throw new StackFileError(`stack file ${file} does not exist`);
    }
    const match = /Pulumi\.(.+)\.ya?ml$/.exec(path.basename(file));
    const document = parseYaml(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    if (!document || typeof document.config !== "object" || document.config === null) {
        throw new StackFileError(`${file} has no "config:" map`);
    }
    return { stack: match?.[1] ?? path.basename(file).replace(/\.ya?ml$/, ""), config: document.config, origin: path.relative(ROOT, file), file };
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

/**
 * Runs `program` under Pulumi's mock runtime for one stack and records every registration exactly
 * as the engine would receive it: inputs, parent, dependencies, provider and resource options.
 */
async function captureRegistrations<T>(source: StackSource, project: string, program: (config: Record<string, string>) => Promise<T>) {
    const config = asPulumiConfig(source.config);
    const region = config["aws:region"];
    requireKnownRegion(region, source.origin);
    await pulumi.runtime.setMocks(new PlatformMocks(region), project, source.stack, false);
    pulumi.runtime.setAllConfig(config);

    const resources: PlannedResource[] = [];
    const monitor = settings.getMonitor();
    const registerResource = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) =>
        registerResource(request, (err, response) => {
            if (!err) {
                resources.push({
                    urn: response.getUrn(),
                    type: request.getType(),
                    name: request.getName(),
                    id: response.getId(),
                    custom: request.getCustom(),
                    parent: request.getParent() || null,
                    dependsOn: request.getDependenciesList(),
                    provider: splitProviderReference(request.getProvider()),
                    options: {
                        protect: request.getProtect() ?? false,
                        retainOnDelete: request.getRetainondelete() ?? false,
                        ignoreChanges: request.getIgnorechangesList(),
                        deleteBeforeReplace: request.getDeletebeforereplace(),
                        replaceOnChanges: request.getReplaceonchangesList(),
                    },
                    props: rpc.deserializeProperties(request.getObject()),
                });
            }
            callback(err, response);
        });

    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
        const result = await program(config);
        await settings.waitForRPCs();
        if (failures.length > 0) {
            throw failures[0];
        }
        resources.sort((a, b) => a.urn.localeCompare(b.urn));
        return { stack: source.stack, project, resources, result };
    } finally {
        process.off("unhandledRejection", onRejection);
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
