import type { RegionFacts } from "../config";
import { instanceTypeTable } from "../policy-pack/lib/instance-types";
import { offlineInstanceTypeFacts } from "../tools/harness/awsFacts";
import { PlannedResource, readStack, RenderedStack, renderStack, StackSource } from "../tools/harness/render";

const cache = new Map<string, Promise<RenderedStack>>();
const waiting = new Map<string, Array<(rendered: Promise<RenderedStack>) => void>>();

/** Renders a stack file once per test run; stacks are immutable inputs, so sharing is safe. */
export function renderNamedStack(stack: string): Promise<RenderedStack> {
    let rendered = cache.get(stack);
    if (!rendered) {
        rendered = renderStack(readStack(stack));
        cache.set(stack, rendered);
        waiting.get(stack)?.forEach((resolve) => resolve(rendered!));
        waiting.delete(stack);
    }
    return rendered;
}

/**
 * The stack's rendering once some test has asked for it, without rendering it here: renders share
 * Pulumi's global mock runtime, so they must happen inside tests, one at a time. Lets a suite start
 * slow work on a rendering (in other processes) as soon as it exists.
 */
export function whenRendered(stack: string): Promise<RenderedStack> {
    const rendered = cache.get(stack);
    if (rendered) {
        return rendered;
    }
    return new Promise<Promise<RenderedStack>>((resolve) => waiting.set(stack, [...(waiting.get(stack) ?? []), resolve])).then((later) => later);
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

export const STACKS = ["dev", "staging", "prod"] as const;

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
        deployerPrincipalArn: "arn:aws:iam::111122223333:role/platform-deployer",
    };
}
