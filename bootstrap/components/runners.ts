import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument } from "../../components/iam/policyDocument";
import { WORLD_EGRESS_REASON_TAG } from "../../policy-pack/policies/network/security-groups";
import { runnerBoundaryName } from "../delivery";
import type { RunnerSettings } from "../settings";

export interface RunnersArgs {
    /** Runner settings by CodeBuild project name. */
    projects: Record<string, RunnerSettings>;
    owner: string;
    repository: string;
    /** Name of the CodeConnections connection to GitHub (at most 32 characters). */
    connectionName: string;
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<string>[];
    /** Key of the runners' build logs and of CodeBuild's own encryption. */
    keyArn: pulumi.Input<string>;
    logRetentionDays: number;
    partition: string;
    region: string;
    accountId: string;
    tags: Record<string, string>;
    /** protect + retainOnDelete on the log groups. */
    protect: boolean;
}

/** Log group of a CodeBuild project's builds. */
export function runnerLogGroupName(project: string): string {
    return `/aws/codebuild/${project}`;
}

/**
 * What a runner's CodeBuild service role needs and nothing more: its own log group, network
 * interfaces in the runner subnets, the GitHub connection, and the project's key. The jobs it runs
 * assume the deploy or preview role through OIDC; the runner itself holds no deployment rights.
 */
function runnerPolicy(args: {
    partition: string;
    region: string;
    accountId: string;
    project: string;
    connectionArn: string;
    keyArn: string;
    subnetIds: string[];
    securityGroupId: string;
}): PolicyDocument {
    const ec2 = (resource: string) => `arn:${args.partition}:ec2:${args.region}:${args.accountId}:${resource}`;
    const logGroup = `arn:${args.partition}:logs:${args.region}:${args.accountId}:log-group:${runnerLogGroupName(args.project)}`;
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "WriteOwnBuildLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroup}:log-stream:*` },
            {
                Sid: "DescribeNetworkForVpcBuilds",
                Effect: "Allow",
                Action: ["ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"],
                Resource: "*",
            },
            {
                Sid: "NetworkInterfacesInRunnerSubnets",
                Effect: "Allow",
                Action: "ec2:CreateNetworkInterface",
                Resource: [ec2("network-interface/*"), ...args.subnetIds.map((id) => ec2(`subnet/${id}`)), ec2(`security-group/${args.securityGroupId}`)],
            },
            { Sid: "RemoveNetworkInterfaces", Effect: "Allow", Action: "ec2:DeleteNetworkInterface", Resource: ec2("network-interface/*") },
            {
                Sid: "AttachInterfacesForCodeBuildOnly",
                Effect: "Allow",
                Action: "ec2:CreateNetworkInterfacePermission",
                Resource: ec2("network-interface/*"),
                Condition: {
                    StringEquals: { "ec2:AuthorizedService": "codebuild.amazonaws.com" },
                    ArnEquals: { "ec2:Subnet": args.subnetIds.map((id) => ec2(`subnet/${id}`)) },
                },
            },
            {
                Sid: "UseGitHubConnection",
                Effect: "Allow",
                Action: ["codeconnections:GetConnectionToken", "codeconnections:GetConnection"],
                Resource: args.connectionArn,
            },
            { Sid: "UseProjectKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: args.keyArn },
        ],
    };
}

/**
 * GitHub Actions runners hosted by CodeBuild, one project per private environment, inside the
 * tooling VPC. GitHub's workflow_job webhook starts a fresh build for each queued job labelled
 * `codebuild-<project>-<run id>-<attempt>`; the build registers itself as an ephemeral runner,
 * runs that one job and ends, so nothing survives from one job to the next.
 */
export class Runners extends pulumi.ComponentResource {
    readonly connectionArn: pulumi.Output<string>;
    readonly projectNames: string[];
    readonly securityGroupIds: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: RunnersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:bootstrap:Runners", name, {}, opts);
        // Created PENDING: an administrator completes the GitHub handshake once in the console (docs/bootstrap.md).
        const connection = new aws.codeconnections.Connection(name, { name: args.connectionName, providerType: "GitHub", tags: args.tags }, { parent: this });
        this.connectionArn = connection.arn;
        this.projectNames = Object.keys(args.projects);
        this.securityGroupIds = {};

        for (const [project, settings] of Object.entries(args.projects)) {
            const securityGroup = new aws.ec2.SecurityGroup(
                project,
                { vpcId: args.vpcId, description: `GitHub Actions runners of ${project}: outbound HTTPS only`, tags: { ...args.tags, Name: project } },
                { parent: this },
            );
            this.securityGroupIds[project] = securityGroup.id;
            // GitHub, the AWS APIs, the platform's private API endpoints and package registries: all HTTPS.
            new aws.vpc.SecurityGroupEgressRule(
                `${project}-https`,
                {
                    securityGroupId: securityGroup.id,
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    cidrIpv4: "0.0.0.0/0",
                    description: "HTTPS to GitHub, AWS and the platform",
                    tags: { [WORLD_EGRESS_REASON_TAG]: "jobs reach GitHub and AWS APIs and package registries over HTTPS through NAT: their addresses change" },
                },
                { parent: this },
            );
            const logGroup = new aws.cloudwatch.LogGroup(
                project,
                { name: runnerLogGroupName(project), retentionInDays: args.logRetentionDays, kmsKeyId: args.keyArn, tags: args.tags },
                { parent: this, protect: args.protect, retainOnDelete: args.protect },
            );
            const document = pulumi
                .all([connection.arn, pulumi.output(args.keyArn), pulumi.all(args.subnetIds), securityGroup.id])
                .apply(([connectionArn, keyArn, subnetIds, securityGroupId]) =>
                    JSON.stringify(
                        runnerPolicy({
                            partition: args.partition,
                            region: args.region,
                            accountId: args.accountId,
                            project,
                            connectionArn,
                            keyArn,
                            subnetIds,
                            securityGroupId,
                        }),
                    ),
                );
            // Its own policy as its boundary: whatever is attached to the role later by hand, it can do no more.
            const boundary = new aws.iam.Policy(
                `${project}-boundary`,
                { name: runnerBoundaryName(project), description: `Permissions boundary of the ${project} runners`, policy: document, tags: args.tags },
                { parent: this },
            );
            const role = new aws.iam.Role(
                project,
                {
                    name: project,
                    description: `CodeBuild service role of the ${project} runners`,
                    permissionsBoundary: boundary.arn,
                    assumeRolePolicy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { Service: "codebuild.amazonaws.com" },
                                Action: "sts:AssumeRole",
                                // Confused-deputy guard: only this project's builds, in this account.
                                Condition: {
                                    StringEquals: { "aws:SourceAccount": args.accountId },
                                    ArnLike: { "aws:SourceArn": `arn:${args.partition}:codebuild:${args.region}:${args.accountId}:project/${project}` },
                                },
                            },
                        ],
                    }),
                    tags: args.tags,
                },
                { parent: this },
            );
            const policy = new aws.iam.RolePolicy(
                project,
                {
                    role: role.name,
                    policy: document,
                },
                { parent: this },
            );
            const codebuild = new aws.codebuild.Project(
                project,
                {
                    name: project,
                    description: `GitHub Actions runners for ${args.owner}/${args.repository} (${project})`,
                    serviceRole: role.arn,
                    source: {
                        type: "GITHUB",
                        location: `https://github.com/${args.owner}/${args.repository}.git`,
                        auth: { type: "CODECONNECTIONS", resource: connection.arn },
                    },
                    environment: {
                        type: "LINUX_CONTAINER",
                        computeType: settings.computeType,
                        image: settings.image,
                        imagePullCredentialsType: "CODEBUILD",
                        // No Docker daemon: the jobs run Node.js and the Pulumi CLI, never containers.
                        privilegedMode: false,
                    },
                    artifacts: { type: "NO_ARTIFACTS" },
                    vpcConfig: { vpcId: args.vpcId, subnets: args.subnetIds, securityGroupIds: [securityGroup.id] },
                    logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name }, s3Logs: { status: "DISABLED" } },
                    encryptionKey: args.keyArn,
                    buildTimeout: settings.buildTimeoutMinutes,
                    queuedTimeout: 60,
                    concurrentBuildLimit: settings.concurrentBuildLimit,
                    tags: args.tags,
                },
                // The role must be able to create network interfaces before CodeBuild validates the VPC.
                { parent: this, dependsOn: [policy] },
            );
            new aws.codebuild.Webhook(
                project,
                {
                    projectName: codebuild.name,
                    buildType: "BUILD",
                    filterGroups: [{ filters: [{ type: "EVENT", pattern: "WORKFLOW_JOB_QUEUED" }] }],
                    // A fork's pull request starts no runner until a maintainer approves it with a comment.
                    pullRequestBuildPolicy: { requiresCommentApproval: "FORK_PULL_REQUESTS", approverRoles: ["GITHUB_MAINTAIN", "GITHUB_ADMIN"] },
                },
                { parent: this },
            );
        }
        this.registerOutputs({ connectionArn: this.connectionArn });
    }
}
