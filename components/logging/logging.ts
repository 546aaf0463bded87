import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "../capability";
import { fluentBitPolicy } from "./fluentBitPolicy";
import { FLUENT_BIT_NAMESPACE, FLUENT_BIT_SERVICE_ACCOUNT, fluentBitValues } from "./fluentBitValues";
import { LogArchiveQueries } from "./archiveQueries";
import {
    ATHENA_RESULTS_PREFIX,
    containerInsightsLogGroup,
    defaultLogBucketName,
    S3_LOG_PREFIX,
    s3ClusterPrefix,
    SHIPPED_LOG_GROUPS,
    ShippedLogGroup,
} from "./layout";
import { LogBucket } from "./logBucket";
import type { LoggingSettings } from "./settings";
import { irsaChart } from "../common/irsaChart";
import { managedAddon } from "../common/managedAddon";
import { HELM_CHARTS } from "../versions";

/** Namespace and service account the amazon-cloudwatch-observability add-on runs its CloudWatch agent as. */
const CLOUDWATCH_AGENT_NAMESPACE = "amazon-cloudwatch";
const CLOUDWATCH_AGENT_SERVICE_ACCOUNT = "cloudwatch-agent";

export interface LoggingArgs {
    /**
     * The platform: the cluster to ship logs from (and the namespace it creates for Fluent Bit), the
     * key that encrypts the log groups and the bucket, protect for both, and the nodes the Container
     * Insights add-on needs before EKS reports it ACTIVE.
     */
    context: PlatformContext;
    /** Validated logging settings (defaults in ./settings.ts). */
    settings: LoggingSettings;
}

/** Everything the log shippers need, resolved once. */
interface LoggingParts extends LoggingArgs {
    /** The namespace Fluent Bit runs in; the cluster creates it with Pod Security "privileged" (see cluster/namespaces.ts). */
    fluentBitNamespace: k8s.core.v1.Namespace;
    /** The archive bucket's name, configured or "<cluster>-logs-<account>". */
    bucketName: string;
}

/** The Pulumi names of the log shippers' IRSA roles (auto-named from them), from the component's name. */
export function loggingRoleNames(name: string): { fluentBit: string; cloudWatchAgent: string } {
    return { fluentBit: `${name}-fluent-bit`, cloudWatchAgent: `${name}-cloudwatch-agent` };
}

/**
 * Cluster logging: aws-for-fluent-bit on every node shipping container, host and data-plane logs to
 * program-owned CloudWatch log groups (retention + KMS) and optionally to an S3 archive laid out
 * for Athena; and the CloudWatch Observability add-on for Container Insights metrics.
 */
export class Logging extends pulumi.ComponentResource {
    /** Log group names by role (application, host, dataplane, and performance with Container Insights). */
    readonly logGroupNames: Record<string, string>;
    readonly bucketName?: string;
    /** How to query the archive (with the S3 archive on): the Glue database, the Athena workgroup, the reader policy. */
    readonly archiveQueries?: LogArchiveQueries;
    readonly fluentBitRoleArn?: pulumi.Output<string>;
    readonly containerInsightsRoleArn?: pulumi.Output<string>;

    constructor(name: string, args: LoggingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:logging:Logging", name, {}, opts);
        const { context, settings } = args;
        const { clusterName, protect } = context;
        const fluentBitNamespace = context.cluster.namespaces[FLUENT_BIT_NAMESPACE];
        if (!fluentBitNamespace) {
            throw new Error(`the cluster creates no "${FLUENT_BIT_NAMESPACE}" namespace for Fluent Bit (see components/cluster/namespaces.ts)`);
        }
        const parts: LoggingParts = {
            ...args,
            fluentBitNamespace,
            bucketName: settings.s3.bucketName ?? defaultLogBucketName(clusterName, context.scope.accountId),
        };
        const fluentBitOn = settings.fluentBit.enabled;
        const insightsOn = settings.containerInsights.enabled;

        const logGroup = (group: ShippedLogGroup | "performance") =>
            new aws.cloudwatch.LogGroup(
                `${name}-${group}`,
                {
                    name: containerInsightsLogGroup(clusterName, group),
                    retentionInDays: settings.fluentBit.retentionDays,
                    kmsKeyId: context.key.arn,
                    deletionProtectionEnabled: protect,
                },
                { parent: this, protect, retainOnDelete: protect },
            );
        // Whichever shipper runs (ours, or the add-on's when ours is off) finds its groups already made.
        const roles: (ShippedLogGroup | "performance")[] = [
            ...(fluentBitOn || insightsOn ? SHIPPED_LOG_GROUPS : []),
            ...(insightsOn ? (["performance"] as const) : []),
        ];
        const groups = new Map(roles.map((role) => [role, logGroup(role)]));
        this.logGroupNames = Object.fromEntries(roles.map((role) => [role, containerInsightsLogGroup(clusterName, role)]));

        if (fluentBitOn) {
            const bucket = settings.s3.enabled ? this.createArchive(name, parts) : undefined;
            if (bucket) {
                this.bucketName = parts.bucketName;
                this.archiveQueries = new LogArchiveQueries(
                    `${name}-archive-queries`,
                    { context, bucket, bucketName: parts.bucketName, settings: settings.s3 },
                    { parent: this },
                );
            }
            this.fluentBitRoleArn = this.createFluentBit(
                name,
                parts,
                SHIPPED_LOG_GROUPS.map((role) => groups.get(role)!),
                bucket,
            );
        }
        const performanceGroup = groups.get("performance");
        if (performanceGroup) {
            this.containerInsightsRoleArn = this.createContainerInsights(name, parts, performanceGroup);
        }

        this.registerOutputs({
            logGroupNames: this.logGroupNames,
            bucketName: this.bucketName,
            archiveDatabase: this.archiveQueries?.databaseName,
            archiveWorkgroup: this.archiveQueries?.workgroupName,
            fluentBitRoleArn: this.fluentBitRoleArn,
            containerInsightsRoleArn: this.containerInsightsRoleArn,
        });
    }

    /** The S3 archive: private, encrypted with the platform key, tiered, and holding Athena's results under their own prefix. */
    private createArchive(name: string, { context, settings, bucketName }: LoggingParts): LogBucket {
        return new LogBucket(
            `${name}-archive`,
            {
                bucketName,
                kmsKeyArn: context.key.arn,
                lifecycle: settings.s3,
                logPrefix: `${S3_LOG_PREFIX}/`,
                resultsPrefix: `${ATHENA_RESULTS_PREFIX}/`,
                protect: context.protect,
            },
            { parent: this },
        );
    }

    private createFluentBit(name: string, args: LoggingParts, groups: aws.cloudwatch.LogGroup[], bucket: LogBucket | undefined): pulumi.Output<string> {
        const { context, settings } = args;
        const { clusterName, scope } = context;

        const policy = pulumi.all([pulumi.all(groups.map((g) => g.arn)), bucket?.arn, context.key.arn]).apply(([logGroupArns, bucketArn, kmsKeyArn]) =>
            fluentBitPolicy({
                logGroupArns,
                s3: bucketArn ? { bucketArn, keyPrefix: s3ClusterPrefix(clusterName), kmsKeyArn, region: scope.region } : undefined,
            }),
        );
        const { role } = irsaChart(
            loggingRoleNames(name).fluentBit,
            context,
            {
                chart: HELM_CHARTS.fluentBit,
                releaseName: HELM_CHARTS.fluentBit.chart,
                namespace: { name: FLUENT_BIT_NAMESPACE, resource: args.fluentBitNamespace },
                serviceAccount: FLUENT_BIT_SERVICE_ACCOUNT,
                role: { policy, description: `aws-for-fluent-bit on ${clusterName}: write its own log groups${bucket ? " and S3 prefix" : ""}` },
                values: (serviceAccount) =>
                    fluentBitValues({ clusterName, region: scope.region, settings, serviceAccount, bucketName: bucket ? args.bucketName : undefined }),
                // A DaemonSet: ready with no node, so it need not wait for them.
                waitForNodes: false,
                // Groups and bucket first: with auto_create_group off, a pod that starts earlier fails
                // its first PutLogEvents and retries until they exist.
                dependsOn: [...groups, ...(bucket?.ready ?? [])],
            },
            this,
        );
        return role!.arn;
    }

    private createContainerInsights(name: string, args: LoggingParts, performanceGroup: aws.cloudwatch.LogGroup): pulumi.Output<string> {
        const { context, settings } = args;
        const { role } = managedAddon(
            `${name}-container-insights`,
            context,
            {
                addon: "amazon-cloudwatch-observability",
                version: settings.containerInsights.addonVersion,
                role: {
                    name: loggingRoleNames(name).cloudWatchAgent,
                    namespace: CLOUDWATCH_AGENT_NAMESPACE,
                    serviceAccount: CLOUDWATCH_AGENT_SERVICE_ACCOUNT,
                    // The policy the add-on documents; its agent writes metrics and EMF performance logs.
                    managedPolicyArns: [`arn:${context.scope.partition}:iam::aws:policy/CloudWatchAgentServerPolicy`],
                    description: `CloudWatch agent (Container Insights add-on) on ${context.clusterName}`,
                },
                // One log shipper per node: with our Fluent Bit running, the add-on's own Fluent Bit
                // (which would write the same application/host/dataplane groups) is switched off.
                // Key from the add-on's chart values (aws-observability/helm-charts 6.4.0: containerLogs.enabled).
                configurationValues: { containerLogs: { enabled: !settings.fluentBit.enabled } },
                // EKS reports it ACTIVE only once its operator Deployment runs on a node.
                waitForNodes: true,
                dependsOn: [performanceGroup],
            },
            this,
        );
        return role!.arn;
    }
}
