import { z } from "zod";
import { SECTIONS } from "../components/capabilities";
import { type AwsServiceUse, ENVIRONMENTS, type ImageUse, type ValidationFacts } from "../components/capability";
import type { CidrPlan } from "../components/network/cidrPlan";
import type { NetworkSettings } from "../components/network/settings";
import type { ClusterSettings } from "../components/cluster/settings";
import type { ComputeSettings } from "../components/compute/settings";
import type { LoggingSettings } from "../components/logging/settings";
import { validateNetwork } from "../components/network/validate";
import type { InstanceTypeFacts, RegionFacts } from ".";
import { ConfigError, type ConfigProblem, schemaProblems } from "./problems";
import { TAG_CHARACTERS, TAG_CHARACTERS_TEXT, TAG_KEY_MAX, TAG_VALUE_MAX } from "../components/shared/awsTags";

/** The platform's own settings, beside the capabilities' sections. */
const PLATFORM_SETTINGS = {
    environment: z
        .enum(ENVIRONMENTS)
        .describe("Environment tier: tags every resource, selects the policy pack's configuration, and tightens validation towards prod."),
    tags: z
        .record(
            z
                .string()
                .min(1)
                .max(TAG_KEY_MAX)
                .regex(TAG_CHARACTERS, TAG_CHARACTERS_TEXT)
                .refine((key) => !key.toLowerCase().startsWith("aws:"), "must not start with aws: (reserved for AWS)"),
            z.string().max(TAG_VALUE_MAX).regex(TAG_CHARACTERS, TAG_CHARACTERS_TEXT),
        )
        .default({})
        .describe(
            "Tags on every AWS resource, as the platform AWS provider's default tags, beside the platform's own " +
                "(`eks-platform:environment`, `eks-platform:cluster`, `managed-by`); a key set here wins.",
        ),
};

const protectionSettingsSchema = z
    .strictObject({
        protectStatefulResources: z
            .boolean()
            .default(true)
            .describe(
                "`protect` and `retainOnDelete` on the KMS key, file systems, buckets, log groups and the cluster (plus EKS and " +
                    "CloudWatch deletion protection where AWS offers it), so no `up` or `destroy` deletes their data.",
            ),
        kmsDeletionWindowDays: z
            .int()
            .min(7)
            .max(30)
            .default(30)
            .describe("Days a deleted KMS key waits before AWS destroys it; it can be recovered until then."),
    })
    .prefault({})
    .describe("Protection of stateful resources against deletion.");

/** What a section of the stack file brings to the schema and to validation. */
interface Section {
    readonly key: string;
    readonly settings?: z.ZodType;
    validate?(settings: never, facts: ValidationFacts): ConfigProblem[];
    awsServices?(settings: never, facts: ValidationFacts): AwsServiceUse[];
    images?(settings: never, facts: ValidationFacts): ImageUse[];
}

/** The settings of every section of a list that has some, by its key. */
type SectionSettings<L extends readonly Section[]> = {
    [C in L[number] as C extends { settings: z.ZodType } ? C["key"] : never]: C extends { settings: z.ZodType<infer S> } ? S : never;
};

/** Everything a stack file with these sections sets, under the "eks-platform:" namespace. */
export type StackSettingsOf<L extends readonly Section[]> = {
    environment: (typeof ENVIRONMENTS)[number];
    tags: Record<string, string>;
    protection: z.output<typeof protectionSettingsSchema>;
} & SectionSettings<L>;

/** What validation derives from the settings and the region: the names, zones and layout every capability builds on. */
interface Derived {
    project: string;
    region: string;
    clusterName: string;
    availabilityZones: string[];
    cidrPlan: CidrPlan;
    /** Facts of the node pools' instance types (validated: every listed type is here). */
    instanceTypes: Record<string, InstanceTypeFacts>;
    /** The AWS APIs the sections call from inside the VPC with these settings, in section order (a service may repeat). */
    awsServices: AwsServiceUse[];
    /** The container images the sections run with these settings, in section order. */
    images: ImageUse[];
}

/** The validated configuration with everything derived from it. */
export type PlatformConfigOf<L extends readonly Section[]> = StackSettingsOf<L> & Derived;

export type PlatformConfig = PlatformConfigOf<typeof SECTIONS>;

/**
 * The stack file's schema: the platform's own settings, then each section of the list under its
 * key, then protection. Unknown keys are errors at every level.
 */
export function stackSchemaOf<const L extends readonly Section[]>(sections: L): z.ZodType<StackSettingsOf<L>> {
    const shape: Record<string, z.ZodType> = { ...PLATFORM_SETTINGS };
    for (const section of sections) {
        if (!section.settings) {
            continue;
        }
        if (section.key in shape || section.key === "protection") {
            throw new Error(`two sections of the stack file are named "${section.key}"`);
        }
        shape[section.key] = section.settings;
    }
    shape.protection = protectionSettingsSchema;
    return z.strictObject(shape) as unknown as z.ZodType<StackSettingsOf<L>>;
}

/**
 * The parser of a stack file made of these sections (which must include the network, cluster and compute
 * foundations): it validates the settings against the composed schema, lays out the network, then
 * runs each section's checks with only its own settings and the facts, and derives the names and
 * layout the platform builds on. Throws ConfigError listing every problem; nothing should be
 * registered before it returns.
 */
export function stackParserOf<const L extends readonly Section[]>(sections: L) {
    const schema = stackSchemaOf(sections);
    return (raw: Record<string, unknown>, region: RegionFacts, project: string, source?: string): PlatformConfigOf<L> => {
        const parsed = schema.safeParse(raw);
        if (!parsed.success) {
            throw new ConfigError(schemaProblems(schema, parsed.error, raw), source);
        }
        const settings = parsed.data;
        const bySection = settings as unknown as Record<string, unknown>;
        const { network, cluster, compute, logging } = bySection as {
            network: NetworkSettings;
            cluster: ClusterSettings;
            compute: ComputeSettings;
            logging?: LoggingSettings;
        };
        const clusterName = cluster.name ?? `${project}-${settings.environment}`;
        // Every other check reads the layout, so the network comes first.
        const layout = validateNetwork(network, region.availabilityZones);
        const facts: ValidationFacts = {
            ...region,
            environment: settings.environment,
            clusterName,
            cidrPlan: layout.cidrPlan,
            network,
            cluster,
            compute,
            logging,
        };
        const own = (section: Section) => (section.settings ? bySection[section.key] : undefined) as never;
        const problems = [...layout.problems, ...sections.flatMap((section) => section.validate?.(own(section), facts) ?? [])];
        if (problems.length > 0 || !layout.cidrPlan || !layout.availabilityZones) {
            throw new ConfigError(problems, source);
        }
        return {
            ...settings,
            project,
            region: region.region,
            clusterName,
            availabilityZones: layout.availabilityZones,
            cidrPlan: layout.cidrPlan,
            instanceTypes: region.instanceTypes,
            awsServices: sections.flatMap((section) => section.awsServices?.(own(section), facts) ?? []),
            images: sections.flatMap((section) => section.images?.(own(section), facts) ?? []),
        };
    };
}

/** The stack file's schema, composed from the capability list. */
export const stackSettingsSchema = stackSchemaOf(SECTIONS);

/** Validates a stack's settings (see stackParserOf) with the platform's sections. */
export const parseStackConfig = stackParserOf(SECTIONS);
