import * as aws from "@pulumi/aws";
import type { InstanceTypeFacts } from "../../config";
import { INSTANCE_TYPE_PATTERN } from "./settings";

/**
 * The instance types the raw (not yet validated) stack settings list under compute.nodePools, so
 * their facts can be read before validation. Anything malformed is skipped: the schema reports it.
 */
export function instanceTypesNamedIn(rawSettings: Record<string, unknown>): string[] {
    const compute = rawSettings.compute as { nodePools?: unknown } | undefined;
    const pools = Array.isArray(compute?.nodePools) ? compute.nodePools : [];
    const types = pools.flatMap((pool) => {
        const listed = (pool as { instanceTypes?: unknown } | null)?.instanceTypes;
        return Array.isArray(listed) ? listed.filter((type): type is string => typeof type === "string" && INSTANCE_TYPE_PATTERN.test(type)) : [];
    });
    return [...new Set(types)].sort();
}

/** EC2 answers InvalidInstanceType for a type that does not exist (or is not offered in the region). */
export function isUnknownInstanceType(error: unknown): boolean {
    return /InvalidInstanceType|instance types? (does|do) not exist/i.test(String((error as Error)?.message ?? error));
}

/**
 * Reads vCPU, memory, ENI limits and architectures of each type from EC2 (DescribeInstanceTypes via
 * aws.ec2.getInstanceType). Unknown types are returned, not thrown, so validation can name the
 * setting that lists them; any other failure (credentials, throttling) propagates.
 */
export async function lookUpInstanceTypes(types: string[]): Promise<{ instanceTypes: Record<string, InstanceTypeFacts>; unknownInstanceTypes: string[] }> {
    const answers = await Promise.all(
        types.map(async (type) => {
            try {
                const found = await aws.ec2.getInstanceType({ instanceType: type });
                const facts: InstanceTypeFacts = {
                    vcpus: found.defaultVcpus,
                    memoryMiB: found.memorySize,
                    maxNetworkInterfaces: found.maximumNetworkInterfaces,
                    ipv4PerInterface: found.maximumIpv4AddressesPerInterface,
                    architectures: found.supportedArchitectures,
                };
                return { type, facts };
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
