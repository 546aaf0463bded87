import { spawnSync, type SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { deployRoleName } from "../bootstrap/delivery";
import { isRecord } from "../policy-pack/lib/values";
import type { RegionFacts } from "../config";
import { ConfigError } from "../config/problems";
import { parseStackConfig, type PlatformConfig, type StackIdentity } from "../config/stack";
import { instanceTypesNamedIn } from "../components/compute/instanceTypeFacts";
import { MOCK_ACCOUNT_ID, offlineInstanceTypeFacts, regionRecord } from "../tools/harness/awsFacts";
import { planCommand } from "../tools/plan";
import { validateKubernetesObjects } from "../tools/schemas/validate";
import type { KubeObject } from "../components/mesh/kube";
import {
    listStacks,
    PlannedResource,
    projectDirOf,
    projectName,
    readStack,
    readStackFile,
    RenderedResources,
    RenderedStack,
    renderOtherProject,
    renderStack,
    ROOT,
    stackSettings,
    StackSource,
    STACKS_DIR,
} from "../tools/harness/render";

const cache = new Map<string, Promise<RenderedResources>>();
const waiting = new Map<string, Array<(rendered: Promise<RenderedResources>) => void>>();

/**
 * Renders a stack file with the project it belongs to (the nearest Pulumi.yaml above it), once per
 * test run; stack files are immutable inputs, so sharing is safe.
 */
export function renderStackFile(file: string): Promise<RenderedResources> {
    const key = path.resolve(file);
    let rendered = cache.get(key);
    if (!rendered) {
        const projectDir = projectDirOf(key);
        rendered = projectDir === ROOT ? renderStack(readStackFile(key)) : renderOtherProject(readStackFile(key), projectDir);
        cache.set(key, rendered);
        waiting.get(key)?.forEach((resolve) => resolve(rendered!));
        waiting.delete(key);
    }
    return rendered;
}

/**
 * A stack file's rendering once some test has asked for it, without rendering it here: renders share
 * Pulumi's global mock runtime, so they must happen inside tests, one at a time. Lets a suite start
 * slow work on a rendering (in other processes) as soon as it exists.
 */
export function whenRendered(file: string): Promise<RenderedResources> {
    const key = path.resolve(file);
    const rendered = cache.get(key);
    if (rendered) {
        return rendered;
    }
    return new Promise<Promise<RenderedResources>>((resolve) => waiting.set(key, [...(waiting.get(key) ?? []), resolve])).then((later) => later);
}

/** Renders a stack file of this platform (a stack of stacks/, an example under examples/) once per test run, with what the program returned. */
export function renderPlatformStackFile(file: string): Promise<RenderedStack> {
    if (projectDirOf(path.resolve(file)) !== ROOT) {
        throw new Error(`${file} is not a stack file of this platform`);
    }
    return renderStackFile(file) as Promise<RenderedStack>;
}

/** Renders a stack of stacks/ once per test run. */
export function renderNamedStack(stack: string): Promise<RenderedStack> {
    readStack(stack); // refuses an unknown stack by name
    return renderPlatformStackFile(path.join(STACKS_DIR, `Pulumi.${stack}.yaml`));
}

/**
 * Every stack file of every Pulumi project in the repository (the platform's stacks and examples,
 * the bootstrap project's, examples/insecure), found by walking the directories. test/ is left
 * out: its fixtures are programs the plan must refuse.
 */
export function projectStackFiles(dir: string = ROOT): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((entry) => {
            const file = path.join(dir, entry.name);
            if (entry.isDirectory()) {
                return ["node_modules", "test"].includes(entry.name) || entry.name.startsWith(".") ? [] : projectStackFiles(file);
            }
            return /^Pulumi\..+\.ya?ml$/.test(entry.name) ? [file] : [];
        })
        .sort();
}

type Overrides = Record<string, unknown>;

/** Deep-merges overrides into a stack's config (arrays replace); `undefined` deletes a key. */
export function withOverrides(source: StackSource, overrides: Overrides): StackSource {
    const merge = (base: unknown, patch: unknown): unknown => {
        if (!isRecord(base) || !isRecord(patch)) {
            return patch;
        }
        const result: Record<string, unknown> = { ...base };
        for (const [key, value] of Object.entries(patch)) {
            if (value === undefined) {
                delete result[key];
            } else {
                result[key] = merge(base[key], value);
            }
        }
        return result;
    };
    return { ...source, config: merge(source.config, overrides) as Record<string, unknown>, origin: `${source.origin} (with test overrides)` };
}

let appMeshVariant: Promise<RenderedStack> | undefined;

/** dev with the App Mesh backend, which no stack file enables: rendered once per test run for every suite that needs it. */
export function renderAppMeshVariant(): Promise<RenderedStack> {
    appMeshVariant ??= renderStackWith("dev", { "eks-platform:mesh": { backend: "appmesh" } });
    return appMeshVariant;
}

/** Renders a stack file with config overrides, keyed "eks-platform:network" etc. */
export function renderStackWith(stack: string, overrides: Overrides): Promise<RenderedStack> {
    return renderStack(withOverrides(readStack(stack), overrides));
}

/**
 * A resource's name in AWS: its `name` input as the plan records it (for an auto-named resource,
 * the `<logical name>-<7 hex digits>` the provider generates), else its logical name.
 */
export function physicalName(resource: PlannedResource): string {
    return typeof resource.props.name === "string" ? resource.props.name : resource.name;
}

export function ofType(resources: PlannedResource[], type: string): PlannedResource[] {
    return resources.filter((r) => r.type === type);
}

export function oneOfType(resources: PlannedResource[], type: string, namePart?: string): PlannedResource {
    const found = ofType(resources, type).filter((r) => namePart === undefined || r.name.includes(namePart));
    if (found.length !== 1) {
        throw new Error(`expected exactly one ${type}${namePart ? ` named *${namePart}*` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
    }
    return found[0];
}

/** The decoded user data (nodeadm NodeConfig) of a launch template. */
export function userDataOf(template: PlannedResource): string {
    return Buffer.from(String(template.props.userData), "base64").toString("utf8");
}

/** The kubelet maxPods a launch template's user data sets. */
export const maxPodsIn = (template: PlannedResource) => Number(/maxPods: (\d+)/.exec(userDataOf(template))?.[1]);

export function byUrn(resources: PlannedResource[]): Map<string, PlannedResource> {
    return new Map(resources.map((r) => [r.urn, r]));
}

/**
 * What runProgram reads through the mocks before it validates, built directly: the region's zones
 * and the facts of the instance types the settings name, from the offline tables, and the stack's
 * deploy role, which the mocks' caller identity assumes. A type the table lacks stands for EC2's
 * InvalidInstanceType answer at `pulumi up` (the offline render refuses it before validating).
 */
export function mockRegionFacts(settings: Record<string, unknown>, region: string, stack: string): RegionFacts {
    const named = instanceTypesNamedIn(settings).map((type) => ({ type, facts: offlineInstanceTypeFacts(type) }));
    return {
        region,
        availabilityZones: regionRecord(region)?.availabilityZones ?? [],
        instanceTypes: Object.fromEntries(named.flatMap(({ type, facts }) => (facts ? [[type, facts]] : []))),
        unknownInstanceTypes: named.filter(({ facts }) => !facts).map(({ type }) => type),
        deployerPrincipalArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${deployRoleName(projectName(), stack)}`,
    };
}

/** The "eks-platform:" settings of a stack file with config overrides, as the program receives them. */
export function stackSettingsOf(stack: string, overrides: Overrides = {}): { settings: Record<string, unknown>; region: string; origin: string } {
    const source = withOverrides(readStack(stack), overrides);
    return { settings: stackSettings(source), region: String(source.config["aws:region"]), origin: source.origin };
}

/** Validates a stack file with config overrides through the parser alone (no render). */
export function parseStackWith(stack: string, overrides: Overrides = {}): PlatformConfig {
    const source = withOverrides(readStack(stack), overrides);
    const settings = stackSettings(source);
    return parseStackConfig(settings, mockRegionFacts(settings, String(source.config["aws:region"]), stack), identityOf(stack), {
        source: source.origin,
        pulumiConfig: source.config,
    });
}

/** Validates a stack file with config overrides expecting it to be rejected, and returns the error message. */
export function configErrorOf(stack: string, overrides: Overrides): Promise<string> {
    try {
        parseStackWith(stack, overrides);
    } catch (error) {
        if (error instanceof ConfigError) {
            return Promise.resolve(error.message);
        }
        throw error;
    }
    return Promise.reject(new Error("expected the configuration to be rejected, but it validated"));
}

/** The project and stack a stack file of this platform is validated as. */
export function identityOf(stack: string): StackIdentity {
    return { project: projectName(), stack };
}

/** Every stack file in stacks/: tests iterate these, never a list of their own. */
export const STACKS = listStacks();

/**
 * Runs the plan as `npm run -s plan` does, in a process of its own (the compiled-module runner that
 * `npm ci` fills): for the few tests whose subject is the command itself (its exit status, what it
 * prints). Everything else calls the same command in this process (`planInProcess`).
 */
export function planProcess(...args: string[]): SpawnSyncReturns<string> {
    return spawnSync(process.execPath, [path.join(ROOT, "tools", "compiled", "run.cjs"), path.join("tools", "plan.ts"), ...args], {
        cwd: ROOT,
        encoding: "utf8",
    });
}

/** Runs the plan command in this process, as the CLI would, capturing what it writes. */
export async function planInProcess(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const status = await planCommand(args, {
        stdout: { write: (text: string) => ((stdout += text), true) },
        stderr: { write: (text: string) => ((stderr += text), true), isTTY: false },
    });
    return { status, stdout, stderr };
}

/** A line of a stack trace, which bad input must never print. */
export const STACK_TRACE_LINE = /^\s+at /m;

/** Rendered Kubernetes objects checked strictly against the schemas the plan uses (tools/schemas): each finding as `<kind> <namespace>/<name><path>: <message>`. */
export async function schemaFindingsOf(objects: KubeObject[]): Promise<string[]> {
    const planned = objects.map((object) => {
        const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["core", object.apiVersion];
        const type = `kubernetes:${group}/${version}:${object.kind}`;
        const urn = `urn:pulumi:test::eks-platform::${type}::${object.metadata.namespace ?? ""}/${object.metadata.name}`;
        return {
            urn,
            type,
            name: object.metadata.name,
            id: "",
            custom: true,
            parent: null,
            dependsOn: [],
            provider: null,
            options: { protect: false, retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false },
            props: { ...object },
        };
    });
    const findings = await validateKubernetesObjects(planned, "1.35");
    return findings.map((f) => `${f.kind} ${f.urn.split("::").pop()}${f.path}: ${f.message}`);
}
