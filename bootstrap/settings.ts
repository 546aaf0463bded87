import { z } from "zod";
import { retentionDays } from "../components/logging/retention";
import { awsTagsSchema } from "../components/common/awsTags";
import { uniqueBy } from "../config/schemaRules";
import { ENVIRONMENT_NAME, ENVIRONMENT_NAME_MAX } from "./delivery";

/** The Pulumi config namespace of the bootstrap project: stack files set "eks-platform-bootstrap:<key>". */
export const BOOTSTRAP_NAMESPACE = "eks-platform-bootstrap";

/** GitHub's rules for a user or organisation login. */
const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** GitHub's rules for a repository name. */
const GITHUB_REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;

const githubSettingsSchema = z.strictObject({
    /** The user or organisation that owns the repository. Required. */
    owner: z.string().regex(GITHUB_LOGIN, "must be a GitHub user or organisation login (letters, digits, single hyphens, at most 39)"),
    /** The repository holding this platform. Required. */
    repository: z.string().regex(GITHUB_REPOSITORY, "must be a GitHub repository name (letters, digits, '.', '_', '-', at most 100)"),
    /** The branch that deploys. Default main. */
    defaultBranch: z.string().min(1).default("main"),
    /**
     * Whether this stack manages the repository-wide settings (branch protection, Actions
     * permissions, the OIDC subject template). Exactly one bootstrap stack per repository does. Default true.
     */
    manageRepository: z.boolean().default(true),
    /** Approving reviews a pull request into the default branch needs (1-6), with manageRepository. Default 1. */
    requiredApprovals: z.int().min(1, "must be at least 1: the default branch deploys, so every change is reviewed").max(6).optional(),
});

const backendSettingsSchema = z.discriminatedUnion(
    "kind",
    [
        z.strictObject({
            /** A self-managed backend: an S3 bucket and a KMS key for the awskms secrets provider, created here. */
            kind: z.literal("s3"),
            /** Globally unique name of the state bucket. Required. */
            stateBucketName: z.string(),
            /** Days S3 keeps a state file version after a newer one replaces it (each `up` writes one). Default 90. */
            noncurrentVersionDays: z.int().min(1).max(3650).default(90),
        }),
        z.strictObject({
            /** Pulumi Cloud: state and secrets live in the service; no bucket or key is created. */
            kind: z.literal("pulumiCloud"),
            /** The Pulumi Cloud organisation that owns the stacks. Required. */
            organization: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, "must be a Pulumi Cloud organisation name"),
        }),
    ],
    { error: 'must set kind to "s3" (a self-managed state bucket) or "pulumiCloud"' },
);

const CODEBUILD_COMPUTE_TYPES = [
    "BUILD_GENERAL1_SMALL",
    "BUILD_GENERAL1_MEDIUM",
    "BUILD_GENERAL1_LARGE",
    "BUILD_GENERAL1_XLARGE",
    "BUILD_GENERAL1_2XLARGE",
] as const;

const runnerSettingsSchema = z.strictObject({
    /** CodeBuild compute type of each runner (MEDIUM: 4 vCPUs, 7 GB). Default BUILD_GENERAL1_MEDIUM. */
    computeType: z.enum(CODEBUILD_COMPUTE_TYPES).default("BUILD_GENERAL1_MEDIUM"),
    /** CodeBuild-managed Linux image the runner runs in. Default aws/codebuild/amazonlinux-x86_64-standard:5.0 (Amazon Linux 2023). */
    image: z
        .string()
        .regex(/^aws\/codebuild\/[a-z0-9-]+:[0-9.]+$/, "must be a CodeBuild-managed image such as aws/codebuild/amazonlinux-x86_64-standard:5.0")
        .default("aws/codebuild/amazonlinux-x86_64-standard:5.0"),
    /** Minutes a job may run before CodeBuild stops it (5-2160). Default 120. */
    buildTimeoutMinutes: z.int().min(5).max(2160).default(120),
    /** Runners this environment may run at once. Default 2 (a preview and an up). */
    concurrentBuildLimit: z.int().min(1).max(100).default(2),
});

const transitGatewayPathSchema = z.strictObject({
    /** Through a Transit Gateway: the tooling VPC's runner subnets attach to it. */
    kind: z.literal("transitGateway"),
    /** An existing Transit Gateway (tgw-...); without it, this stack creates one. */
    transitGatewayId: z
        .string()
        .regex(/^tgw-[0-9a-f]{8,17}$/, "must be a Transit Gateway ID (tgw-...)")
        .optional(),
    /** Private ASN of a Transit Gateway created here (64512-65534 or 4200000000-4294967294). Default 64512. */
    amazonSideAsn: z.int().optional(),
    /** Accounts, organisation or OU ARNs a Transit Gateway created here is shared with through RAM. Default none (one account). */
    shareWith: z.array(z.string()).default([]),
    /** Platform VPC attachments (tgw-attach-...) to route to the runners: associated with the platform route table, propagated to the tooling one. Default none. */
    platformAttachmentIds: z.array(z.string().regex(/^tgw-attach-[0-9a-f]{8,17}$/, "must be a Transit Gateway attachment ID")).default([]),
    /** CIDRs of the platform VPCs the runners deploy to; each gets a route through the Transit Gateway. Required. */
    platformCidrs: z.array(z.string()).min(1, "must list the VPC CIDR of every platform stack the runners deploy"),
});

const peeringPathSchema = z.strictObject({
    /**
     * VPC peering: each platform stack requests a connection to the tooling VPC; this stack accepts
     * it and routes the platform VPC's CIDR through it.
     */
    kind: z.literal("peering"),
    peers: z
        .array(
            z.strictObject({
                /** The connection a platform stack requested (pcx-...). Required. */
                peeringConnectionId: z.string().regex(/^pcx-[0-9a-f]{8,17}$/, "must be a VPC peering connection ID (pcx-...)"),
                /** The platform VPC's CIDR, routed through the connection. Required. */
                cidr: z.string(),
            }),
        )
        .min(1, "must list at least one platform VPC's peering connection"),
});

const existingPathSchema = z.strictObject({
    /** A path managed elsewhere (the network team's TGW routes): this stack creates no routes, and only records the CIDRs it must reach. */
    kind: z.literal("existing"),
    platformCidrs: z.array(z.string()).min(1, "must list the VPC CIDR of every platform stack the runners deploy"),
});

const toolingNetworkSettingsSchema = z.strictObject({
    /** CIDR of the tooling VPC; every private platform stack lists it (or a range holding it) in cluster.privateAccessCidrs. Required. */
    vpcCidr: z.string(),
    /** Availability Zones of the runner subnets, at least 2. Default 2. */
    azCount: z.int().min(2, "must be at least 2, so one zone's outage does not stop deployments").default(2),
    /** Prefix length of each private (runner) subnet. Default 26 (59 usable IPs: one per concurrent runner). */
    privateSubnetPrefix: z.int().min(16).max(28).default(26),
    /** Prefix length of each public (NAT) subnet. Default 28. */
    publicSubnetPrefix: z.int().min(16).max(28).default(28),
    /** NAT gateways for the runners' way to GitHub and AWS APIs: one shared, or one per AZ. Default single. */
    natGateways: z.enum(["single", "perAz"]).default("single"),
    /** How the runners reach the platform VPCs' private API endpoints. Required. */
    platformPath: z.discriminatedUnion("kind", [transitGatewayPathSchema, peeringPathSchema, existingPathSchema], {
        error: 'must set kind to "transitGateway", "peering" or "existing"',
    }),
});

const environmentSettingsSchema = z.strictObject({
    /** The platform stack and GitHub environment: stacks/Pulumi.<name>.yaml deploys in GitHub environment <name>. Required. */
    name: z
        .string()
        .regex(ENVIRONMENT_NAME, "must be lower-case letters and digits in hyphen-separated words, e.g. prod or dev-eu")
        .max(ENVIRONMENT_NAME_MAX, `must be at most ${ENVIRONMENT_NAME_MAX} characters (it is part of IAM role and CodeBuild project names)`),
    /** Who approves a deployment: GitHub team slugs and user logins, at most 6 of each. Default none (no approval). */
    reviewers: z
        .strictObject({
            teams: z.array(z.string().min(1)).max(6).default([]),
            users: z.array(z.string().regex(GITHUB_LOGIN, "must be a GitHub user login")).max(6).default([]),
        })
        .prefault({}),
    /** Whether the person who triggered a deployment may not approve it. Default true. */
    preventSelfReview: z.boolean().default(true),
    /** Minutes a deployment waits after approval (0-43200). Default 0. */
    waitTimerMinutes: z.int().min(0).max(43200).default(0),
    /** A CodeBuild-hosted runner inside the tooling VPC, for stacks whose API endpoint is private. Default none (GitHub-hosted). */
    runner: runnerSettingsSchema.optional(),
});

export const bootstrapSettingsSchema = z.strictObject({
    /** The platform's Pulumi project name (its Pulumi.yaml `name`), the prefix of every name here. Default eks-platform. */
    platformProject: z
        .string()
        .regex(/^[a-z][a-z0-9-]{0,20}$/, "must be lower-case letters, digits and hyphens, at most 21 characters")
        .default("eks-platform"),
    github: githubSettingsSchema,
    backend: backendSettingsSchema,
    /** The platform stacks this account hosts, each with its deploy role and GitHub environment. */
    environments: z
        .array(environmentSettingsSchema)
        .min(1, "must list at least one environment")
        .meta(uniqueBy(["name"], "each environment is one platform stack, with its own deploy role and GitHub environment")),
    /** The tooling VPC of the runners; required when an environment has a runner. */
    network: toolingNetworkSettingsSchema.optional(),
    logs: z
        .strictObject({
            /** Bucket for S3 access logs and tooling VPC flow logs. Default <platformProject>-delivery-logs-<account>. */
            bucketName: z.string().optional(),
            /** Days access and flow logs are kept. Default 365. */
            retentionDays: z.int().min(1).max(3650).default(365),
            runnerLogRetentionDays: retentionDays(365, "Days CloudWatch keeps the runners' build logs"),
        })
        .prefault({}),
    protection: z
        .strictObject({
            /** protect + retainOnDelete on the keys, buckets and log groups. Default true. */
            protectStatefulResources: z.boolean().default(true),
            /** Days a deleted KMS key waits before it is destroyed (7-30). Default 30. */
            kmsDeletionWindowDays: z.int().min(7).max(30).default(30),
        })
        .prefault({}),
    /** Tags on every AWS resource. Default none. */
    tags: awsTagsSchema().default({}),
});

export type BootstrapSettings = z.output<typeof bootstrapSettingsSchema>;
export type EnvironmentSettings = z.output<typeof environmentSettingsSchema>;
export type ToolingNetworkSettings = z.output<typeof toolingNetworkSettingsSchema>;
export type RunnerSettings = z.output<typeof runnerSettingsSchema>;
