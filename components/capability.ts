import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { RegionFacts } from "../config";
import type { NameUse } from "../config/names";
import type { ConfigProblem } from "../config/problems";
import type { ClusterHandle } from "./cluster/handle";
import type { ClusterSettings } from "./cluster/settings";
import type { ComputeSettings } from "./compute/settings";
import type { LoggingSettings } from "./logging/settings";
import type { CidrPlan } from "./network/cidrPlan";
import type { NetworkHandle } from "./network/handle";
import type { NetworkSettings } from "./network/settings";

/** Environment tiers, least to most strict: validation and guardrails tighten towards prod. */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
type Environment = (typeof ENVIRONMENTS)[number];

/**
 * The tags every AWS resource of the stack carries (the platform provider's default tags, and
 * copied by hand where those do not reach): the platform's own, then the stack's, which win.
 */
export function platformTags(environment: Environment, clusterName: string, tags: Record<string, string>): Record<string, string> {
    return { "eks-platform:environment": environment, "eks-platform:cluster": clusterName, "managed-by": "pulumi", ...tags };
}

/** Where the stack deploys: what every ARN, endpoint and service principal is built from. */
export interface AwsScope {
    region: string;
    accountId: string;
    /** "aws", "aws-cn" or "aws-us-gov". */
    partition: string;
    /** The permissions boundary every IAM role the platform creates carries (`iam.permissionsBoundaryArn`); undefined: none. */
    permissionsBoundaryArn: string | undefined;
}

/**
 * An AWS API that nodes or pods call from inside the VPC. The network gives every service the
 * stack's sections declare an endpoint: an interface endpoint with private DNS, or, for "s3", the
 * gateway endpoint on the private route tables.
 */
export interface AwsServiceUse {
    /** The endpoint service's name after `com.amazonaws.<region>.`, as AWS spells it: "ecr.api", "sqs", "eks-auth", "s3". */
    service: string;
    /** Who calls it and what for, e.g. "AWS Node Termination Handler: reads the interruption queue". */
    reason: string;
}

/**
 * A container image the platform runs, as its publisher names it. Without NAT, nodes pull it
 * through the account's pull-through cache instead (docs/registry.md).
 */
export interface ImageUse {
    /** Registry host and repository path, without tag: "registry.k8s.io/autoscaling/cluster-autoscaler". */
    repository: string;
    /** What runs it, e.g. "Cluster Autoscaler". */
    reason: string;
    /**
     * Where the image is set: the pinned chart (its HELM_CHARTS key in components/versions.ts) and
     * the dotted values key holding the repository. Absent for an image the program writes into a
     * manifest itself.
     */
    chart?: { key: string; valuesPath: string };
}

/** Where nodes pull an image from: the image itself or its pull-through cache path, and what must exist first. */
export interface ImageSource {
    /** The repository nodes pull `upstream` (registry host and path, no tag) from. */
    repository(upstream: string): string;
    /** What a pull through the cache needs first (the cache rules, the nodes' grant); empty when nothing is cached. */
    ready: pulumi.Resource[];
    /**
     * The policy every role that pulls through the cache needs besides its own (the first pull of an
     * image creates its cached repository): the nodes' role and Fargate's pod execution role. Absent when nothing is cached.
     */
    pullPolicyArn?: pulumi.Output<string>;
}

/** A namespace the platform's controllers run in, and the resource that creates it. */
export interface ControllerNamespace {
    name: string;
    resource: pulumi.Resource;
}

/**
 * What every capability receives: built once by the platform from the foundations (key, network,
 * cluster, node pools), never threaded through by hand.
 */
export interface PlatformContext {
    scope: AwsScope;
    environment: Environment;
    /** EKS cluster name as configured (names, tags and log groups are derived from it at plan time). */
    clusterName: string;
    /** Tags every AWS resource carries (the provider's default tags); for what those do not reach. */
    tags: Record<string, string>;
    /** The platform's customer-managed KMS key: secrets, volumes, file systems, log groups, buckets. */
    key: { arn: pulumi.Output<string> };
    network: NetworkHandle;
    cluster: ClusterHandle;
    /**
     * Every node-launching resource. Anything whose readiness needs a running pod (a managed add-on
     * EKS reports ACTIVE only once its pods run, a chart whose Deployment must become ready) depends
     * on all of these; children do not inherit a component's dependsOn, so each resource names them.
     */
    nodesReady: pulumi.Resource[];
    /** The restricted namespace, created by the cluster, that platform controllers run in. */
    controllerNamespace: ControllerNamespace;
    /** protect + retainOnDelete on stateful resources (protection.protectStatefulResources). */
    protect: boolean;
    /** Where nodes pull each image from: set chart image values and manifest images through it. */
    images: ImageSource;
}

/**
 * What validation knows besides a capability's own settings: the region's facts, the stack's
 * identity, and what the foundations publish to the capabilities built on them.
 */
export interface ValidationFacts extends RegionFacts {
    environment: Environment;
    /** The tags every AWS resource carries (platformTags). */
    tags: Record<string, string>;
    /** The effective cluster name (configured, or derived from project and environment). */
    clusterName: string;
    /** The subnet layout, when the network settings fit the region. */
    cidrPlan?: CidrPlan;
    /** What the network publishes: its address ranges, layout and egress. */
    network: Pick<
        NetworkSettings,
        "vpcCidr" | "podCidr" | "azCount" | "natGateways" | "vpcEndpoints" | "privateSubnetPrefix" | "podSubnetPrefix" | "runnerAccess"
    >;
    /** What the cluster publishes: its configured name, its minor, its CNI mode, its endpoint and the namespaces applications may use. */
    cluster: Pick<ClusterSettings, "name" | "kubernetesVersion" | "prefixDelegation" | "applicationNamespaces" | "endpointAccess">;
    /** What compute publishes: whether the sample workload, which the traffic add-ons expose and scale, is on. */
    compute: Pick<ComputeSettings, "sampleWorkload">;
    /** Where container logs go (the log layout every shipper writes to); absent from a stack without logging. */
    logging?: Pick<LoggingSettings, "fluentBit" | "containerInsights">;
    /** What every section declares it calls from inside the VPC (their `awsServices`), in section order. */
    awsServices: AwsServiceUse[];
    /** What every section declares it runs (their `images`), in section order. */
    images: ImageUse[];
}

/** What a section's declarations (`awsServices`, `images`) may read: the facts, short of the declarations themselves. */
export type DeclarationFacts = Omit<ValidationFacts, "awsServices" | "images">;

/**
 * Where a name built from the cluster name comes from, for a NameUse: the cluster.name setting, or
 * (when it is unset) the default from the project and stack names, with what to do about it.
 */
export function clusterNameOrigin(facts: Pick<ValidationFacts, "clusterName" | "cluster">): Pick<NameUse, "path" | "value" | "remedy"> {
    return facts.cluster.name !== undefined
        ? { path: "cluster.name", value: facts.cluster.name, remedy: "shorten cluster.name" }
        : {
              path: "cluster.name",
              value: undefined,
              remedy: `the cluster name defaults to <project>-<stack> ("${facts.clusterName}"); set cluster.name to a shorter one`,
          };
}

/** A section of the stack file, `eks-platform:<key>`: its schema (defaults and documentation) and its checks. */
export interface SettingsSection<K extends string = string, S = unknown> {
    readonly key: K;
    readonly settings: z.ZodType<S>;
    /** Pure: the section's settings and the facts in, every problem out; unit-tested without Pulumi. */
    validate?(settings: S, facts: ValidationFacts): ConfigProblem[];
    /**
     * Every name the section's resources get from its settings or the cluster name, built by the
     * same functions its components use, with where each lands: the parser checks them against the
     * rules of each place (config/names.ts) and reports the setting each comes from.
     */
    names?(settings: S, facts: ValidationFacts): NameUse[];
    /** Pure: the AWS APIs its resources call from inside the VPC with these settings. */
    awsServices?(settings: S, facts: DeclarationFacts): AwsServiceUse[];
    /** Pure: the container images it runs with these settings. */
    images?(settings: S, facts: DeclarationFacts): ImageUse[];
}

/**
 * An add-on capability: optionally a section of the stack file, and what it deploys once the full
 * context exists. Its component is a child of the platform, named after it.
 */
export interface Capability<K extends string = string, S = unknown, O = unknown> {
    readonly key: K;
    /** Absent for a capability with nothing to configure; it then has no stack-file section. */
    readonly settings?: z.ZodType<S>;
    validate?(settings: S, facts: ValidationFacts): ConfigProblem[];
    /** The names its resources get, as for a section (SettingsSection.names). */
    names?(settings: S, facts: ValidationFacts): NameUse[];
    /** Pure: the AWS APIs its pods call from inside the VPC with these settings; the network gives each an endpoint. */
    awsServices?(settings: S, facts: DeclarationFacts): AwsServiceUse[];
    /** Pure: the container images it runs with these settings; without NAT they are pulled through the cache. */
    images?(settings: S, facts: DeclarationFacts): ImageUse[];
    /** Creates the capability's component with `opts` (the platform as parent, its AWS provider). */
    deploy(name: string, context: PlatformContext, settings: S, opts: pulumi.ComponentResourceOptions): O;
}

/** A section of the stack file, typed from its schema. */
export function defineSection<const K extends string, S>(section: SettingsSection<K, S>): SettingsSection<K, S> {
    return section;
}

/** A capability with a section of the stack file; `settings` types `validate` and `deploy`. */
export function defineCapability<const K extends string, S, O>(
    capability: Capability<K, S, O> & { settings: z.ZodType<S> },
): Capability<K, S, O> & { settings: z.ZodType<S> };
/** A capability with nothing to configure. */
export function defineCapability<const K extends string, O>(
    capability: Capability<K, undefined, O> & { settings?: undefined },
): Capability<K, undefined, O> & { settings?: undefined };
export function defineCapability(capability: Capability): Capability {
    return capability;
}
