import * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "../../components/iam/policyDocument";
import { ACCESS_LOGS_EXEMPT_TAG, CUSTOMER_KEY_EXEMPT_TAG } from "../../policy-pack/policies/storage/s3";
import type { BootstrapConfig } from "../config";
import { runnerProjects } from "../config";
import { ENVIRONMENT_VARIABLES, FOUNDATION_TAG, qualifiedStackName, type PreviewTarget } from "../delivery";
import type { DeliveryScope } from "../iam";
import { DeliveryIdentities, deliveryIamArns } from "./deliveryIdentities";
import { DeliveryKey } from "./deliveryKey";
import { PrivateBucket } from "./privateBucket";
import { RepositorySettings, type DeliveryEnvironment } from "./repository";
import { Runners, runnerLogGroupName } from "./runners";
import { StateBackend } from "./stateBackend";
import { ToolingNetwork } from "./toolingNetwork";

/** Approving reviews a pull request needs when github.requiredApprovals is not set. */
const DEFAULT_REQUIRED_APPROVALS = 1;

/** Pulumi Cloud's API, the backend URL of stacks that keep their state there. */
const PULUMI_CLOUD_URL = "https://api.pulumi.com";

/**
 * Who may write into the delivery logs bucket: S3 access logging for the state bucket, and VPC
 * flow log delivery for this account, each only for its own source.
 */
function logDeliveryStatements(
    bucketArn: string,
    account: { partition: string; accountId: string; region: string },
    accessLogSourceArns: string[],
): PolicyStatement[] {
    const { partition, accountId, region } = account;
    const flowLogSource = { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": `arn:${partition}:logs:${region}:${accountId}:*` } };
    const statements: PolicyStatement[] = [
        {
            Sid: "VpcFlowLogDelivery",
            Effect: "Allow",
            Principal: { Service: "delivery.logs.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${bucketArn}/vpc-flow-logs/AWSLogs/${accountId}/*`,
            Condition: { ...flowLogSource, StringEquals: { ...flowLogSource.StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
        {
            Sid: "VpcFlowLogDeliveryChecksBucket",
            Effect: "Allow",
            Principal: { Service: "delivery.logs.amazonaws.com" },
            Action: ["s3:GetBucketAcl", "s3:ListBucket"],
            Resource: bucketArn,
            Condition: flowLogSource,
        },
    ];
    if (accessLogSourceArns.length > 0) {
        statements.push({
            Sid: "S3ServerAccessLogDelivery",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${bucketArn}/s3-access/*`,
            Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": accessLogSourceArns } },
        });
    }
    return statements;
}

export interface BootstrapArgs {
    config: BootstrapConfig;
}

/**
 * The delivery foundation of one AWS account: the state backend (self-managed), GitHub's OIDC
 * provider with the deploy and preview roles, the runners of the private environments in their
 * tooling VPC, and the GitHub repository settings that tie the workflows to all of it.
 */
export class Bootstrap extends pulumi.ComponentResource {
    readonly backendUrl: pulumi.Output<string>;
    readonly secretsProvider?: string;
    readonly identities: DeliveryIdentities;
    readonly network?: ToolingNetwork;
    readonly runners?: Runners;

    constructor(name: string, args: BootstrapArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:bootstrap:Bootstrap", name, {}, opts);
        const { config } = args;
        const { partition, accountId, region } = config.account;
        const project = config.platformProject;
        const tags = { ...config.tags, [FOUNDATION_TAG.key]: FOUNDATION_TAG.value };
        const protect = config.protection.protectStatefulResources;
        const deletionWindowDays = config.protection.kmsDeletionWindowDays;
        const stateBucketArn = config.backend.kind === "s3" ? `arn:${partition}:s3:::${config.backend.stateBucketName}` : undefined;

        const logsBucket = new PrivateBucket(
            `${name}-logs`,
            {
                bucketName: config.logsBucketName,
                // S3 delivers access logs only to a bucket encrypted with S3-managed keys.
                policyStatements: (arn) => logDeliveryStatements(arn, config.account, stateBucketArn ? [stateBucketArn] : []),
                lifecycle: { noncurrentVersionDays: 30, expirationDays: config.logs.retentionDays },
                tags: {
                    ...tags,
                    [CUSTOMER_KEY_EXEMPT_TAG]: "receives S3 server access logs of the state bucket: S3 delivers them only to buckets with SSE-S3",
                    [ACCESS_LOGS_EXEMPT_TAG]: "the access log bucket itself: logging it into itself would log its own log deliveries",
                },
                protect,
            },
            { parent: this },
        );

        const backend =
            config.backend.kind === "s3"
                ? new StateBackend(
                      `${name}-state`,
                      {
                          bucketName: config.backend.stateBucketName,
                          noncurrentVersionDays: config.backend.noncurrentVersionDays,
                          accessLogsBucket: logsBucket,
                          aliasPrefix: project,
                          partition,
                          accountId,
                          region,
                          deletionWindowDays,
                          tags,
                          protect,
                      },
                      { parent: this },
                  )
                : undefined;
        this.backendUrl = backend ? backend.url : pulumi.output(PULUMI_CLOUD_URL);
        this.secretsProvider = backend?.secretsProvider;

        const projects = runnerProjects(config);
        const runnerKey =
            config.network && config.toolingSubnets
                ? new DeliveryKey(
                      `${name}-runners`,
                      {
                          aliasName: `${project}-runners`,
                          description: "Build logs of the GitHub Actions runners",
                          partition,
                          accountId,
                          logsRegion: region,
                          deletionWindowDays,
                          tags,
                          protect,
                      },
                      { parent: this },
                  )
                : undefined;
        if (config.network && config.toolingSubnets && runnerKey) {
            this.network = new ToolingNetwork(
                `${name}-tooling`,
                {
                    namePrefix: `${project}-tooling`,
                    settings: config.network,
                    subnets: config.toolingSubnets,
                    flowLogDestination: pulumi.interpolate`${logsBucket.arn}/vpc-flow-logs/`,
                    tags,
                },
                { parent: this, dependsOn: logsBucket.ready },
            );
            this.runners = new Runners(
                `${name}-runners`,
                {
                    projects: Object.fromEntries(config.environments.filter((e) => e.runner).map((e) => [projects[e.name], e.runner!])),
                    owner: config.github.owner,
                    repository: config.github.repository,
                    connectionName: `${project}-github`,
                    vpcId: this.network.vpcId,
                    subnetIds: this.network.privateSubnetIds,
                    keyArn: runnerKey.arn,
                    logRetentionDays: config.logs.runnerLogRetentionDays,
                    partition,
                    region,
                    accountId,
                    tags,
                    protect,
                },
                { parent: this },
            );
        }

        const keys = [backend?.bucketKey, backend?.secretsKey, runnerKey].filter((key): key is DeliveryKey => key !== undefined);
        const scope: pulumi.Output<Omit<DeliveryScope, "oidcProviderArn">> = pulumi
            .all([
                pulumi.all(keys.map((key) => key.arn)),
                pulumi.all(keys.map((key) => key.aliasArn)),
                backend ? pulumi.all([backend.bucket.arn, backend.bucketKey.arn, backend.secretsKey.arn]) : pulumi.output(undefined),
            ])
            .apply(([keyArns, aliasArns, state]) => ({
                partition,
                region,
                accountId,
                project,
                state: state ? { bucketArn: state[0], bucketKeyArn: state[1], secretsKeyArn: state[2] } : undefined,
                foundation: {
                    bucketArns: [`arn:${partition}:s3:::${config.logsBucketName}`, ...(stateBucketArn ? [stateBucketArn] : [])],
                    keyArns,
                    aliasArns,
                    iamArns: deliveryIamArns(partition, accountId, project),
                    logGroupArns: Object.values(projects).map(
                        (runner) => `arn:${partition}:logs:${region}:${accountId}:log-group:${runnerLogGroupName(runner)}`,
                    ),
                },
            }));
        this.identities = new DeliveryIdentities(
            name,
            { project, owner: config.github.owner, repository: config.github.repository, environments: config.environments.map((e) => e.name), scope, tags },
            { parent: this },
        );

        const environments: DeliveryEnvironment[] = config.environments.map((settings) => {
            const stack = qualifiedStackName(config.backend, project, settings.name);
            const preview: pulumi.Output<PreviewTarget> = pulumi
                .all([this.identities.previewRoleArn, this.backendUrl])
                .apply(([roleArn, backendUrl]) => ({ roleArn, region, accountId, backendUrl, stack }));
            return {
                settings,
                variables: {
                    [ENVIRONMENT_VARIABLES.deployRoleArn]: this.identities.deployRoleArns[settings.name],
                    [ENVIRONMENT_VARIABLES.region]: region,
                    [ENVIRONMENT_VARIABLES.accountId]: accountId,
                    [ENVIRONMENT_VARIABLES.backendUrl]: this.backendUrl,
                    [ENVIRONMENT_VARIABLES.stack]: stack,
                },
                preview,
            };
        });
        new RepositorySettings(
            `${name}-github`,
            {
                owner: config.github.owner,
                repository: config.github.repository,
                defaultBranch: config.github.defaultBranch,
                manageRepository: config.github.manageRepository,
                requiredApprovals: config.github.requiredApprovals ?? DEFAULT_REQUIRED_APPROVALS,
                environments,
            },
            { parent: this },
        );
        this.registerOutputs({ backendUrl: this.backendUrl });
    }
}
