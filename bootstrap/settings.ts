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

const githubSettingsSchema = z
    .strictObject({
        owner: z
            .string()
            .regex(GITHUB_LOGIN, "must be a GitHub user or organisation login (letters, digits, single hyphens, at most 39)")
            .describe("The GitHub user or organisation that owns the repository."),
        repository: z
            .string()
            .regex(GITHUB_REPOSITORY, "must be a GitHub repository name (letters, digits, '.', '_', '-', at most 100)")
            .describe("The repository that holds this platform."),
        defaultBranch: z
            .string()
            .min(1)
            .default("main")
            .describe("The branch that deploys: pushes to it run `pulumi up`, pull requests into it are previewed."),
        manageRepository: z
            .boolean()
            .default(true)
            .describe(
                "Whether this stack manages the repository-wide settings (branch protection, Actions permissions, the OIDC subject template). Exactly one bootstrap stack per repository does.",
            ),
        requiredApprovals: z
            .int()
            .min(1, "must be at least 1: the default branch deploys, so every change is reviewed")
            .max(6)
            .optional()
            .describe("Approving reviews a pull request into the default branch needs, with `manageRepository`. Unset: 1."),
    })
    .describe("The GitHub repository whose workflows deploy the platform, and how this stack governs it.");

const backendSettingsSchema = z
    .discriminatedUnion(
        "kind",
        [
            z.strictObject({
                kind: z.literal("s3").describe("A self-managed backend: an S3 state bucket and a KMS key for the `awskms` secrets provider, created here."),
                stateBucketName: z.string().describe("Globally unique name of the state bucket."),
                noncurrentVersionDays: z
                    .int()
                    .min(1)
                    .max(3650)
                    .default(90)
                    .describe("Days S3 keeps a state file version after a newer one replaces it (each `up` writes one)."),
            }),
            z.strictObject({
                kind: z.literal("pulumiCloud").describe("Pulumi Cloud: state and secrets live in the service; no bucket or key is created."),
                organization: z
                    .string()
                    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, "must be a Pulumi Cloud organisation name")
                    .describe("The Pulumi Cloud organisation that owns the stacks."),
            }),
        ],
        { error: 'must set kind to "s3" (a self-managed state bucket) or "pulumiCloud"' },
    )
    .describe("Where the platform stacks keep their state and encrypt their secrets.");

const CODEBUILD_COMPUTE_TYPES = [
    "BUILD_GENERAL1_SMALL",
    "BUILD_GENERAL1_MEDIUM",
    "BUILD_GENERAL1_LARGE",
    "BUILD_GENERAL1_XLARGE",
    "BUILD_GENERAL1_2XLARGE",
] as const;

const runnerSettingsSchema = z
    .strictObject({
        computeType: z
            .enum(CODEBUILD_COMPUTE_TYPES)
            .default("BUILD_GENERAL1_MEDIUM")
            .describe("CodeBuild compute type of each runner (`BUILD_GENERAL1_MEDIUM`: 4 vCPUs, 7 GB of memory)."),
        image: z
            .string()
            .regex(/^aws\/codebuild\/[a-z0-9-]+:[0-9.]+$/, "must be a CodeBuild-managed image such as aws/codebuild/amazonlinux-x86_64-standard:5.0")
            .default("aws/codebuild/amazonlinux-x86_64-standard:5.0")
            .describe("CodeBuild-managed Linux image the runner runs in (the default is Amazon Linux 2023 standard 5.0)."),
        buildTimeoutMinutes: z.int().min(5).max(2160).default(120).describe("Minutes a job may run before CodeBuild stops it."),
        concurrentBuildLimit: z
            .int()
            .min(1)
            .max(100)
            .default(2)
            .describe("Runners this environment may run at once (the default allows a preview and an `up`)."),
    })
    .describe("A CodeBuild-hosted runner inside the tooling VPC, for stacks whose API endpoint is private. Unset: GitHub-hosted runners.");

const transitGatewayPathSchema = z.strictObject({
    kind: z.literal("transitGateway").describe("Through a Transit Gateway: the tooling VPC's runner subnets attach to it."),
    transitGatewayId: z
        .string()
        .regex(/^tgw-[0-9a-f]{8,17}$/, "must be a Transit Gateway ID (tgw-...)")
        .optional()
        .describe("An existing Transit Gateway (`tgw-...`). Unset: this stack creates one."),
    amazonSideAsn: z.int().optional().describe("Private ASN of a Transit Gateway created here: 64512-65534 or 4200000000-4294967294. Unset: 64512."),
    shareWith: z
        .array(z.string())
        .default([])
        .describe("Accounts, the organisation or OU ARNs a Transit Gateway created here is shared with through RAM. Empty: this account only."),
    platformAttachmentIds: z
        .array(z.string().regex(/^tgw-attach-[0-9a-f]{8,17}$/, "must be a Transit Gateway attachment ID"))
        .default([])
        .describe(
            "Platform VPC attachments (`tgw-attach-...`) to route to the runners: associated with the platform route table, propagated to the tooling one.",
        ),
    platformCidrs: z
        .array(z.string())
        .min(1, "must list the VPC CIDR of every platform stack the runners deploy")
        .describe("CIDRs of the platform VPCs the runners deploy to; each gets a route through the Transit Gateway."),
});

const peeringPathSchema = z.strictObject({
    kind: z
        .literal("peering")
        .describe(
            "VPC peering: each platform stack requests a connection to the tooling VPC; this stack accepts it and routes the platform VPC's CIDR through it.",
        ),
    peers: z
        .array(
            z.strictObject({
                peeringConnectionId: z
                    .string()
                    .regex(/^pcx-[0-9a-f]{8,17}$/, "must be a VPC peering connection ID (pcx-...)")
                    .describe("The connection a platform stack requested (`pcx-...`)."),
                cidr: z.string().describe("The platform VPC's CIDR, routed through the connection."),
            }),
        )
        .min(1, "must list at least one platform VPC's peering connection")
        .describe("The peering connection of each platform VPC."),
});

const existingPathSchema = z.strictObject({
    kind: z
        .literal("existing")
        .describe(
            "A path managed elsewhere (the network team's Transit Gateway routes): this stack creates no routes, and only records the CIDRs it must reach.",
        ),
    platformCidrs: z
        .array(z.string())
        .min(1, "must list the VPC CIDR of every platform stack the runners deploy")
        .describe("CIDRs of the platform VPCs the runners deploy to."),
});

const toolingNetworkSettingsSchema = z
    .strictObject({
        vpcCidr: z.string().describe("CIDR of the tooling VPC; every private platform stack lists it (or a range holding it) in `cluster.privateAccessCidrs`."),
        azCount: z
            .int()
            .min(2, "must be at least 2, so one zone's outage does not stop deployments")
            .default(2)
            .describe("Availability Zones of the runner subnets."),
        privateSubnetPrefix: z
            .int()
            .min(16)
            .max(28)
            .default(26)
            .describe("Prefix length of each private (runner) subnet (26: 59 usable addresses, one per concurrent runner)."),
        publicSubnetPrefix: z.int().min(16).max(28).default(28).describe("Prefix length of each public (NAT) subnet."),
        natGateways: z
            .enum(["single", "perAz"])
            .default("single")
            .describe("NAT gateways for the runners' way to GitHub and the AWS APIs: one shared, or one per zone."),
        platformPath: z
            .discriminatedUnion("kind", [transitGatewayPathSchema, peeringPathSchema, existingPathSchema], {
                error: 'must set kind to "transitGateway", "peering" or "existing"',
            })
            .describe("How the runners reach the platform VPCs' private API endpoints."),
    })
    .describe("The tooling VPC of the runners; required when an environment has a `runner`.");

const environmentSettingsSchema = z.strictObject({
    name: z
        .string()
        .regex(ENVIRONMENT_NAME, "must be lower-case letters and digits in hyphen-separated words, e.g. prod or dev-eu")
        .max(ENVIRONMENT_NAME_MAX, `must be at most ${ENVIRONMENT_NAME_MAX} characters (it is part of IAM role and CodeBuild project names)`)
        .describe("The platform stack and its GitHub environment: `stacks/Pulumi.<name>.yaml` deploys in GitHub environment `<name>`."),
    reviewers: z
        .strictObject({
            teams: z.array(z.string().min(1)).max(6).default([]).describe("GitHub team slugs whose members may approve a deployment."),
            users: z
                .array(z.string().regex(GITHUB_LOGIN, "must be a GitHub user login"))
                .max(6)
                .default([])
                .describe("GitHub user logins who may approve a deployment."),
        })
        .prefault({})
        .describe("Who approves a deployment, at most 6 teams and 6 users. None: deployments need no approval."),
    preventSelfReview: z.boolean().default(true).describe("Whether the person who triggered a deployment may not approve it."),
    waitTimerMinutes: z.int().min(0).max(43200).default(0).describe("Minutes a deployment waits after approval."),
    runner: runnerSettingsSchema.optional(),
});

export const bootstrapSettingsSchema = z.strictObject({
    platformProject: z
        .string()
        .regex(/^[a-z][a-z0-9-]{0,20}$/, "must be lower-case letters, digits and hyphens, at most 21 characters")
        .default("eks-platform")
        .describe("The platform's Pulumi project name (the `name` in its Pulumi.yaml), the prefix of every name here."),
    github: githubSettingsSchema,
    backend: backendSettingsSchema,
    environments: z
        .array(environmentSettingsSchema)
        .min(1, "must list at least one environment")
        .meta(uniqueBy(["name"], "each environment is one platform stack, with its own deploy role and GitHub environment"))
        .describe("The platform stacks this account hosts, each with its deploy role and GitHub environment."),
    network: toolingNetworkSettingsSchema.optional(),
    logs: z
        .strictObject({
            bucketName: z
                .string()
                .optional()
                .describe("Bucket for S3 access logs and tooling VPC flow logs. Unset: `<platformProject>-delivery-logs-<account>`."),
            retentionDays: z.int().min(1).max(3650).default(365).describe("Days access and flow logs are kept in the logs bucket."),
            runnerLogRetentionDays: retentionDays(365, "How long CloudWatch keeps the runners' build logs"),
        })
        .prefault({})
        .describe("The delivery foundation's own logs: S3 access logs, flow logs and the runners' build logs."),
    protection: z
        .strictObject({
            protectStatefulResources: z.boolean().default(true).describe("`protect` and `retainOnDelete` on the keys, buckets and log groups."),
            kmsDeletionWindowDays: z.int().min(7).max(30).default(30).describe("Days a deleted KMS key waits before AWS destroys it."),
        })
        .prefault({})
        .describe("How the foundation's stateful resources are kept from deletion."),
    tags: awsTagsSchema().default({}).describe("Tags on every AWS resource of this stack, key to value."),
});

export type BootstrapSettings = z.output<typeof bootstrapSettingsSchema>;
export type EnvironmentSettings = z.output<typeof environmentSettingsSchema>;
export type ToolingNetworkSettings = z.output<typeof toolingNetworkSettingsSchema>;
export type RunnerSettings = z.output<typeof runnerSettingsSchema>;
