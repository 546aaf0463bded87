import { z } from "zod";
import { SECTIONS } from "../components/capabilities";
import {
    type AwsServiceUse,
    clusterNameOrigin,
    type DeclarationFacts,
    ENVIRONMENTS,
    type ImageUse,
    platformTags,
    type ValidationFacts,
} from "../components/capability";
import { platformKeyAlias } from "../components/kms/platformKey";
import type { CidrPlan } from "../components/network/cidrPlan";
import type { NetworkSettings } from "../components/network/settings";
import type { ClusterSettings } from "../components/cluster/settings";
import type { ComputeSettings } from "../components/compute/settings";
import type { LoggingSettings } from "../components/logging/settings";
import { validateNetwork } from "../components/network/validate";
import type { InstanceTypeFacts, RegionFacts } from ".";
import { formatPath, objectShape } from "./schemaTree";
import { KMS_ALIAS, nameProblems, type NameUse, TAG_KEY, TAG_VALUE } from "./names";
import { namespaceProblems } from "./namespaces";
import { ConfigError, type ConfigProblem, parseSettings, withRedactions } from "./problems";
import { disabledFeatureProblems, duplicateProblems } from "./schemaRules";
import { awsTagsSchema } from "../components/common/awsTags";

/** The platform's own settings, beside the capabilities' sections. */
const PLATFORM_SETTINGS = {
    environment: z
        .enum(ENVIRONMENTS)
        .describe("Environment tier: tags every resource, selects the policy pack's configuration, and tightens validation towards prod."),
    tags: awsTagsSchema()
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
    names?(settings: never, facts: ValidationFacts): NameUse[];
    awsServices?(settings: never, facts: DeclarationFacts): AwsServiceUse[];
    images?(settings: never, facts: DeclarationFacts): ImageUse[];
}

/** Which stack of which project is being validated: resource names that must be unique in an account derive from them. */
export interface StackIdentity {
    project: string;
    stack: string;
}

/**
 * The cluster name when cluster.name is unset: from the project and the stack (not the environment
 * tier), so two stacks of one tier in one account and region never share a name. For the shipped
 * stacks the stack name is the environment's, so their names are what they were.
 */
function defaultClusterName({ project, stack }: StackIdentity): string {
    return `${project}-${stack}`;
}

/** How the parser is told where the settings come from. */
export interface ParseOptions {
    /** Where the settings were read, for the message: "stacks/Pulumi.prod.yaml". */
    source?: string;
    /**
     * The stack's whole Pulumi config ("namespace:key" to value), when the settings came from one:
     * its keys outside the platform's namespace are checked too (see ./namespaces.ts).
     */
    pulumiConfig?: Record<string, unknown>;
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
    stack: string;
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

/** The names of what the platform builds itself from its own settings: the key's alias and the stack's tags. */
function platformNames(tags: Record<string, string>, facts: ValidationFacts): NameUse[] {
    return [
        { ...clusterNameOrigin(facts), name: platformKeyAlias(facts.clusterName), rule: KMS_ALIAS, composedAs: "the platform key's alias" },
        ...Object.entries(tags).flatMap(([key, value]): NameUse[] => {
            const path = formatPath(["tags", key]);
            return [
                { path, value: key, name: key, rule: TAG_KEY },
                { path, value, name: value, rule: TAG_VALUE },
            ];
        }),
    ];
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
    const sectionKeys = Object.keys(objectShape(schema) ?? {});
    return (raw: Record<string, unknown>, region: RegionFacts, identity: StackIdentity, options: ParseOptions = {}): PlatformConfigOf<L> => {
        const { source } = options;
        const outside = options.pulumiConfig ? namespaceProblems(options.pulumiConfig, sectionKeys) : [];
        const parsed = parseSettings(schema, raw);
        if (!parsed.success) {
            throw new ConfigError([...outside, ...parsed.problems], source);
        }
        const settings = parsed.data;
        const bySection = settings as unknown as Record<string, unknown>;
        const { network, cluster, compute, logging } = bySection as {
            network: NetworkSettings;
            cluster: ClusterSettings;
            compute: ComputeSettings;
            logging?: LoggingSettings;
        };
        const clusterName = cluster.name ?? defaultClusterName(identity);
        // Every other check reads the layout, so the network comes first.
        const layout = validateNetwork(network, region.availabilityZones);
        const own = (section: Section) => (section.settings ? bySection[section.key] : undefined) as never;
        const known: DeclarationFacts = {
            ...region,
            environment: settings.environment,
            tags: platformTags(settings.environment, clusterName, settings.tags),
            clusterName,
            cidrPlan: layout.cidrPlan,
            network,
            cluster,
            compute,
            logging,
        };
        // What the sections will call and run follows from the settings alone; validation checks it against the network.
        const facts: ValidationFacts = {
            ...known,
            awsServices: sections.flatMap((section) => section.awsServices?.(own(section), known) ?? []),
            images: sections.flatMap((section) => section.images?.(own(section), known) ?? []),
        };
        const problems = [
            ...outside,
            ...disabledFeatureProblems(schema, raw, settings),
            ...duplicateProblems(schema, settings),
            ...layout.problems,
            ...sections.flatMap((section) => section.validate?.(own(section), facts) ?? []),
            ...nameProblems([...platformNames(settings.tags, facts), ...sections.flatMap((section) => section.names?.(own(section), facts) ?? [])]),
        ];
        if (problems.length > 0 || !layout.cidrPlan || !layout.availabilityZones) {
            throw new ConfigError(withRedactions(problems), source);
        }
        return {
            ...settings,
            project: identity.project,
            stack: identity.stack,
            region: region.region,
            clusterName,
            availabilityZones: layout.availabilityZones,
            cidrPlan: layout.cidrPlan,
            instanceTypes: region.instanceTypes,
            awsServices: facts.awsServices,
            images: facts.images,
        };
    };
}

/** The stack file's schema, composed from the capability list. */
export const stackSettingsSchema = stackSchemaOf(SECTIONS);

/** Validates a stack's settings (see stackParserOf) with the platform's sections. */
export const parseStackConfig = stackParserOf(SECTIONS);
