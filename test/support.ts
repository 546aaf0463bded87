import type { RegionFacts } from "../config";
import { settingsFromPulumiConfig, stackSettingsSchema, type StackSettings } from "../config";
import { instanceTypeTable } from "../policy-pack/lib/instance-types";
import { offlineInstanceTypeFacts } from "../tools/harness/awsFacts";
import * as fs from "fs";
import * as path from "path";
import {
    listStacks,
    PlannedResource,
    projectDirOf,
    readStack,
    readStackFile,
    RenderedResources,
    RenderedStack,
    renderOtherProject,
    renderStack,
    ROOT,
    StackSource,
    STACKS_DIR,
} from "../tools/harness/render";

const cache = new Map<string, Promise<RenderedResources>>();

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
    }
    return rendered;
}

/** Renders a stack of stacks/ once per test run. */
export function renderNamedStack(stack: string): Promise<RenderedStack> {
    readStack(stack); // refuses an unknown stack by name
    return renderStackFile(path.join(STACKS_DIR, `Pulumi.${stack}.yaml`)) as Promise<RenderedStack>;
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

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Deep-merges overrides into a stack's config (arrays replace); `undefined` deletes a key. */
export function withOverrides(source: StackSource, overrides: Overrides): StackSource {
    const merge = (base: unknown, patch: unknown): unknown => {
        if (!isObject(base) || !isObject(patch)) {
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

/** Renders a stack file with config overrides, keyed "eks-platform:network" etc. */
export function renderStackWith(stack: string, overrides: Overrides): Promise<RenderedStack> {
    return renderStack(withOverrides(readStack(stack), overrides));
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

/** Renders a stack expecting validation to fail, and returns the error message. */
export async function configErrorOf(stack: string, overrides: Overrides): Promise<string> {
    try {
        await renderStackWith(stack, overrides);
    } catch (error) {
        return (error as Error).message;
    }
    throw new Error("expected the configuration to be rejected, but the stack rendered");
}

/** Every stack file in stacks/: tests iterate these, never a list of their own. */
export const STACKS = listStacks();

/** A stack file's config as Pulumi hands it to a program: strings, structured values JSON-encoded. */
export function asPulumiConfig(config: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
}

/** A stack file's settings with their defaults, as the program reads them (no validation against the region). */
export function settingsOfStack(stack: string): StackSettings {
    return stackSettingsSchema.parse(settingsFromPulumiConfig(asPulumiConfig(readStack(stack).config)));
}

/**
 * The facts the program reads before validating, as the offline plan gives them for the shipped
 * stacks' region: its zones and every instance type of the table; `unknownInstanceTypes` stands
 * for EC2's InvalidInstanceType answers at `pulumi up`.
 */
export function offlineRegionFacts(unknownInstanceTypes: string[] = []): RegionFacts {
    return {
        region: "eu-west-1",
        availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
        instanceTypes: Object.fromEntries(Object.keys(instanceTypeTable().instanceTypes).map((type) => [type, offlineInstanceTypeFacts(type)!])),
        unknownInstanceTypes,
        deployerPrincipalArn: "arn:aws:iam::111122223333:role/eks-platform-deploy-dev",
    };
}
