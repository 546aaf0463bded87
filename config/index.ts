import { z } from "zod";
import { clusterSettingsSchema } from "../components/cluster/settings";
import { computeSettingsSchema } from "../components/compute/settings";
import { costSettingsSchema } from "../components/cost/settings";
import { loggingSettingsSchema } from "../components/logging/settings";
import { meshSettingsSchema } from "../components/mesh/settings";
import { validateMesh } from "../components/mesh/validate";
import { networkSettingsSchema } from "../components/network/settings";
import { validateNetwork } from "../components/network/validate";
import { storageSettingsSchema } from "../components/storage/settings";
import { CidrPlan } from "../components/network/cidrPlan";
import { validateCluster } from "../components/cluster/validate";
import { validateCompute } from "../components/compute/validate";
import { validateLogging } from "../components/logging/validate";
import { validateStorage } from "../components/storage/validate";
import { ConfigError, ConfigProblem, formatPath, valueAt } from "./problems";

export { ConfigError } from "./problems";
export type { ConfigProblem } from "./problems";

/** The Pulumi config namespace of this project: stack files set "eks-platform:<key>". */
export const CONFIG_NAMESPACE = "eks-platform";

export const protectionSettingsSchema = z
    .strictObject({
        /** protect + retainOnDelete on KMS keys, file systems, buckets, log groups and the cluster. Default true. */
        protectStatefulResources: z.boolean().default(true),
        /** Days a deleted KMS key waits before it is destroyed (7-30). Default 30. */
        kmsDeletionWindowDays: z.int().min(7).max(30).default(30),
    })
    .prefault({});

/** Everything a stack file can set, under the "eks-platform:" namespace. */
export const stackSettingsSchema = z.strictObject({
    /** Environment tier; tags resources and selects stricter validation for prod. */
    environment: z.enum(["dev", "staging", "prod"]),
    /** Tags on every AWS resource (merged over the platform's own). */
    tags: z.record(z.string().min(1).max(128), z.string().max(256)).default({}),
    network: networkSettingsSchema,
    cluster: clusterSettingsSchema,
    compute: computeSettingsSchema,
    storage: storageSettingsSchema,
    logging: loggingSettingsSchema,
    mesh: meshSettingsSchema,
    protection: protectionSettingsSchema,
    /** Assumptions of the plan's cost estimate and an optional budget (components/cost/settings.ts). */
    cost: costSettingsSchema,
});

export type StackSettings = z.output<typeof stackSettingsSchema>;

/**
 * What EC2 DescribeInstanceTypes says about one instance type (through aws.ec2.getInstanceType at
 * `pulumi up`; from the generated table offline, docs/facts.md).
 */
export interface InstanceTypeFacts {
    vcpus: number;
    memoryMiB: number;
    /** Most ENIs the VPC CNI can attach: those of the default network card (all of them on a single-card type). */
    maxNetworkInterfaces: number;
    /** Most private IPv4 addresses per ENI, the primary one included. */
    ipv4PerInterface: number;
    /** CPU architectures the type runs: "x86_64", "arm64" (and "i386" for some x86 types). */
    architectures: string[];
    /** Physical network cards; the VPC CNI uses the default one only. */
    networkCards: number;
    /** "nitro", "xen", or "" where EC2 reports none (bare metal). */
    hypervisor: string;
    bareMetal: boolean;
    /** VPC CNI prefix delegation works on the type: Nitro or bare metal, as the CNI itself decides. */
    prefixDelegationSupported: boolean;
    /** GPUs by kind (empty without); names lower-case with hyphens (nvidia, a10g), memory per GPU in MiB. */
    gpus: { count: number; manufacturer: string; name: string; memoryMiB: number }[];
}

/** What the region and AWS say, read by invokes before any resource is registered. */
export interface RegionFacts {
    region: string;
    /** Available zone names, in the order AWS lists them. */
    availabilityZones: string[];
    /** Facts of every instance type the node pools list that EC2 knows in this region. */
    instanceTypes: Record<string, InstanceTypeFacts>;
    /** Instance types the node pools list that EC2 rejected as unknown. */
    unknownInstanceTypes: string[];
    /**
     * IAM role or user ARN of the identity running the program (the issuer of its session), when
     * known: cluster access checks compare it with cluster.adminPrincipals.
     */
    deployerPrincipalArn?: string;
}

/** The validated configuration with everything derived from it. */
export interface PlatformConfig extends StackSettings {
    project: string;
    region: string;
    clusterName: string;
    availabilityZones: string[];
    cidrPlan: CidrPlan;
    /** Facts of the node pools' instance types (validated: every listed type is here). */
    instanceTypes: Record<string, InstanceTypeFacts>;
}

/**
 * Turns the "eks-platform:*" keys of a stack (values as Pulumi hands them: strings, with
 * structured values JSON-encoded) into the object the schema reads.
 */
export function settingsFromPulumiConfig(all: Record<string, string>): Record<string, unknown> {
    const settings: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(all)) {
        const [namespace, name] = key.split(":");
        if (namespace !== CONFIG_NAMESPACE || !name) {
            continue;
        }
        try {
            settings[name] = JSON.parse(value);
        } catch {
            settings[name] = value;
        }
    }
    return settings;
}

function allowedKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
    let current: z.ZodType | undefined = schema;
    const unwrap = (s: z.ZodType): z.ZodType => {
        let inner = s;
        while (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault || inner instanceof z.ZodOptional) {
            inner = inner.unwrap() as z.ZodType;
        }
        return inner;
    };
    for (const key of path) {
        if (!current) {
            return [];
        }
        const inner = unwrap(current);
        if (inner instanceof z.ZodObject) {
            current = inner.shape[String(key)];
        } else if (inner instanceof z.ZodArray) {
            current = inner.element as z.ZodType;
        } else {
            return [];
        }
    }
    const target = current ? unwrap(current) : undefined;
    return target instanceof z.ZodObject ? Object.keys(target.shape) : [];
}

function schemaProblems(error: z.ZodError, raw: unknown): ConfigProblem[] {
    return error.issues.flatMap((issue): ConfigProblem[] => {
        if (issue.code === "unrecognized_keys") {
            const allowed = allowedKeysAt(stackSettingsSchema, issue.path);
            return issue.keys.map((key) => ({
                path: formatPath([...issue.path, key]),
                value: valueAt(raw, [...(issue.path as (string | number)[]), key]),
                message: `is not a known setting; allowed here: ${allowed.join(", ")}`,
            }));
        }
        const path = issue.path as (string | number)[];
        return [{ path: formatPath(path) || "(stack)", value: valueAt(raw, path), message: issue.message }];
    });
}

/**
 * Validates a stack's settings against the schema and the region, and derives the CIDR plan.
 * Throws ConfigError listing every problem; nothing should be registered before this returns.
 */
export function parseStackConfig(raw: Record<string, unknown>, facts: RegionFacts, project: string, source?: string): PlatformConfig {
    const parsed = stackSettingsSchema.safeParse(raw);
    if (!parsed.success) {
        throw new ConfigError(schemaProblems(parsed.error, raw), source);
    }
    const settings = parsed.data;
    const clusterName = settings.cluster.name ?? `${project}-${settings.environment}`;
    const network = validateNetwork(settings.network, facts.availabilityZones);
    const problems = [
        ...network.problems,
        ...validateCluster(settings, network.cidrPlan, facts.deployerPrincipalArn),
        ...validateCompute(settings, network.cidrPlan, facts),
        ...validateLogging(settings, clusterName),
        ...validateStorage(settings, network.cidrPlan),
        ...validateMesh(settings.mesh, settings.cluster.applicationNamespaces),
    ];
    if (problems.length > 0 || !network.cidrPlan || !network.availabilityZones) {
        throw new ConfigError(problems, source);
    }
    return {
        ...settings,
        project,
        region: facts.region,
        clusterName,
        availabilityZones: network.availabilityZones,
        cidrPlan: network.cidrPlan,
        instanceTypes: facts.instanceTypes,
    };
}
