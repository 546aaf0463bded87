import * as aws from "@pulumi/aws";
import type { InstanceTypeFacts } from "../../config";
import { INSTANCE_TYPE_PATTERN } from "./settings";

/**
 * The instance types the raw (not yet validated) stack settings list under compute.nodePools, each
 * with the setting that lists it, so their facts can be read before validation. Anything malformed
 * is skipped: the schema reports it.
 */
export function instanceTypeSettings(rawSettings: Record<string, unknown>): { path: string; type: string }[] {
    const compute = rawSettings.compute as { nodePools?: unknown } | undefined;
    const pools = Array.isArray(compute?.nodePools) ? compute.nodePools : [];
    return pools.flatMap((pool, poolIndex) => {
        const listed = (pool as { instanceTypes?: unknown } | null)?.instanceTypes;
        return (Array.isArray(listed) ? listed : []).flatMap((type: unknown, typeIndex) =>
            typeof type === "string" && INSTANCE_TYPE_PATTERN.test(type) ? [{ path: `compute.nodePools[${poolIndex}].instanceTypes[${typeIndex}]`, type }] : [],
        );
    });
}

/** The distinct instance types of instanceTypeSettings, sorted. */
export function instanceTypesNamedIn(rawSettings: Record<string, unknown>): string[] {
    return [...new Set(instanceTypeSettings(rawSettings).map(({ type }) => type))].sort();
}

/** EC2 answers InvalidInstanceType for a type that does not exist (or is not offered in the region). */
export function isUnknownInstanceType(error: unknown): boolean {
    return /InvalidInstanceType|instance types? (does|do) not exist/i.test(String((error as Error)?.message ?? error));
}

/** The part of aws.ec2.getInstanceType's result the platform reads (the real result has more). */
export interface InstanceTypeDescription {
    defaultVcpus: number;
    memorySize: number;
    supportedArchitectures: string[];
    maximumIpv4AddressesPerInterface: number;
    /** ENIs across all network cards. */
    maximumNetworkInterfaces: number;
    defaultNetworkCardIndex: number;
    networkCards: Pick<aws.types.output.ec2.GetInstanceTypeNetworkCard, "index" | "maximumInterfaces">[];
    hypervisor: string;
    bareMetal: boolean;
    gpuses: aws.types.output.ec2.GetInstanceTypeGpus[];
}

/** How Karpenter labels GPU makers and models (and so the offline table): "NVIDIA" -> "nvidia", "Radeon Pro V520" -> "radeon-pro-v520". */
function gpuLabel(name: string): string {
    return name.toLowerCase().replace(/ /g, "-");
}

/** The facts the platform uses, from what DescribeInstanceTypes says about a type. */
export function instanceTypeFactsFrom(description: InstanceTypeDescription): InstanceTypeFacts {
    // The VPC CNI attaches ENIs to the default network card only, so on multi-card types (p4d, p5,
    // c6in.32xlarge) its ENI limit is that card's, not the type's total; the CNI's own limits table
    // is computed the same way.
    const defaultCard = description.networkCards.find((card) => card.index === description.defaultNetworkCardIndex);
    const cniEnis = description.networkCards.length > 1 && defaultCard ? defaultCard.maximumInterfaces : description.maximumNetworkInterfaces;
    return {
        vcpus: description.defaultVcpus,
        memoryMiB: description.memorySize,
        maxNetworkInterfaces: cniEnis,
        ipv4PerInterface: description.maximumIpv4AddressesPerInterface,
        architectures: description.supportedArchitectures,
        networkCards: Math.max(1, description.networkCards.length),
        hypervisor: description.hypervisor ?? "",
        bareMetal: description.bareMetal,
        prefixDelegationSupported: description.hypervisor === "nitro" || description.bareMetal,
        gpus: (description.gpuses ?? []).map((gpu) => ({
            count: gpu.count,
            manufacturer: gpuLabel(gpu.manufacturer),
            name: gpuLabel(gpu.name),
            memoryMiB: gpu.memorySize,
        })),
    };
}

/**
 * Reads each type's facts from EC2 (DescribeInstanceTypes via aws.ec2.getInstanceType). Unknown
 * types are returned, not thrown, so validation can name the setting that lists them; any other
 * failure (credentials, throttling) propagates.
 */
export async function lookUpInstanceTypes(types: string[]): Promise<{ instanceTypes: Record<string, InstanceTypeFacts>; unknownInstanceTypes: string[] }> {
    const answers = await Promise.all(
        types.map(async (type) => {
            try {
                return { type, facts: instanceTypeFactsFrom(await aws.ec2.getInstanceType({ instanceType: type })) };
            } catch (error) {
                if (isUnknownInstanceType(error)) {
                    return { type, facts: undefined };
                }
                throw error;
            }
        }),
    );
    return {
        instanceTypes: Object.fromEntries(answers.filter((a) => a.facts).map((a) => [a.type, a.facts as InstanceTypeFacts])),
        unknownInstanceTypes: answers.filter((a) => !a.facts).map((a) => a.type),
    };
}
