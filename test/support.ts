import { type RegionFacts, settingsFromPulumiConfig } from "../config";
import { ConfigError } from "../config/problems";
import { parseStackConfig, type PlatformConfig } from "../config/stack";
import { instanceTypesNamedIn } from "../components/compute/instanceTypeFacts";
import { INSTANCE_TYPES, MOCK_ACCOUNT_ID, REGION_ZONES } from "../tools/harness/awsFacts";
import { PlannedResource, readStack, RenderedStack, renderStack, StackSource } from "../tools/harness/render";

const cache = new Map<string, Promise<RenderedStack>>();

/** Renders a stack file once per test run; stacks are immutable inputs, so sharing is safe. */
export function renderNamedStack(stack: string): Promise<RenderedStack> {
    let rendered = cache.get(stack);
    if (!rendered) {
        rendered = renderStack(readStack(stack));
        cache.set(stack, rendered);
    }
    return rendered;
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

export function byUrn(resources: PlannedResource[]): Map<string, PlannedResource> {
    return new Map(resources.map((r) => [r.urn, r]));
}

/**
 * What runProgram reads through the mocks before it validates, built directly: the region's zones,
 * EC2's facts of the instance types the settings name (unknown to the mocks means unknown to EC2),
 * and the deploying role the mocks' caller identity assumes.
 */
export function mockRegionFacts(settings: Record<string, unknown>, region: string): RegionFacts {
    const named = instanceTypesNamedIn(settings);
    return {
        region,
        availabilityZones: REGION_ZONES[region] ?? [],
        instanceTypes: Object.fromEntries(
            named
                .filter((type) => INSTANCE_TYPES[type])
                .map((type) => {
                    const facts = INSTANCE_TYPES[type];
                    return [
                        type,
                        {
                            vcpus: facts.defaultVcpus,
                            memoryMiB: facts.memorySize,
                            maxNetworkInterfaces: facts.maximumNetworkInterfaces,
                            ipv4PerInterface: facts.maximumIpv4AddressesPerInterface,
                            architectures: facts.supportedArchitectures,
                        },
                    ];
                }),
        ),
        unknownInstanceTypes: named.filter((type) => !INSTANCE_TYPES[type]),
        deployerPrincipalArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/platform-deployer`,
    };
}

/** The "eks-platform:" settings of a stack file with config overrides, as the program receives them. */
export function stackSettingsOf(stack: string, overrides: Overrides = {}): { settings: Record<string, unknown>; region: string; origin: string } {
    const source = withOverrides(readStack(stack), overrides);
    const config = Object.fromEntries(Object.entries(source.config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
    return { settings: settingsFromPulumiConfig(config), region: config["aws:region"], origin: source.origin };
}

/** Validates a stack file with config overrides through the parser alone (no render). */
export function parseStackWith(stack: string, overrides: Overrides = {}): PlatformConfig {
    const { settings, region, origin } = stackSettingsOf(stack, overrides);
    return parseStackConfig(settings, mockRegionFacts(settings, region), "eks-platform", origin);
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

export const STACKS = ["dev", "staging", "prod"] as const;
