import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterHandle } from "../cluster/handle";
import { IrsaRole } from "../iam/irsa";
import { fluentBitPolicy } from "./fluentBitPolicy";
import { FLUENT_BIT_NAMESPACE, FLUENT_BIT_SERVICE_ACCOUNT, fluentBitValues } from "./fluentBitValues";
import { containerInsightsLogGroup, S3_LOG_PREFIX, s3ClusterPrefix, SHIPPED_LOG_GROUPS, ShippedLogGroup } from "./layout";
import { LogBucket } from "./logBucket";
import type { LoggingSettings } from "./settings";
import { HELM_CHARTS, managedAddonVersion } from "../versions";

/** Namespace and service account the amazon-cloudwatch-observability add-on runs its CloudWatch agent as. */
const CLOUDWATCH_AGENT_NAMESPACE = "amazon-cloudwatch";
const CLOUDWATCH_AGENT_SERVICE_ACCOUNT = "cloudwatch-agent";

export interface LoggingArgs {
    /** The cluster to ship logs from. */
    cluster: ClusterHandle;
    /** Cluster name as a plain string: it names log groups and S3 keys at plan time. */
    clusterName: string;
    /** Validated logging settings (defaults in ./settings.ts). */
    settings: LoggingSettings;
    region: string;
    partition: string;
    /** Log bucket name (validated); required when settings.s3.enabled. */
    bucketName?: string;
    /** The platform key: encrypts the log groups and the bucket. */
    kmsKeyArn: pulumi.Input<string>;
    /**
     * The namespace Fluent Bit runs in, named FLUENT_BIT_NAMESPACE. The cluster creates it, with Pod
     * Security Admission "privileged" because the DaemonSet mounts host paths (see cluster/namespaces.ts).
     */
    fluentBitNamespace: k8s.core.v1.Namespace;
    /** protect + retainOnDelete on log groups and the bucket. */
    protect: boolean;
    /**
     * Resources after which nodes exist. The Container Insights add-on waits for ACTIVE, which its
     * operator Deployment reaches only once a node runs it. Default none.
     */
    nodesReady?: pulumi.Resource[];
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
    readonly fluentBitRoleArn?: pulumi.Output<string>;
    readonly containerInsightsRoleArn?: pulumi.Output<string>;

    constructor(name: string, args: LoggingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:logging:Logging", name, {}, opts);
        const { clusterName, settings, protect } = args;
        const fluentBitOn = settings.fluentBit.enabled;
        const insightsOn = settings.containerInsights.enabled;

        const logGroup = (group: ShippedLogGroup | "performance") =>
            new aws.cloudwatch.LogGroup(
                `${name}-${group}`,
                {
                    name: containerInsightsLogGroup(clusterName, group),
                    retentionInDays: settings.fluentBit.retentionDays,
                    kmsKeyId: args.kmsKeyArn,
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
            this.bucketName = settings.s3.enabled ? args.bucketName : undefined;
            this.fluentBitRoleArn = this.createFluentBit(
                name,
                args,
                SHIPPED_LOG_GROUPS.map((role) => groups.get(role)!),
            );
        }
        const performanceGroup = groups.get("performance");
        if (performanceGroup) {
            this.containerInsightsRoleArn = this.createContainerInsights(name, args, performanceGroup);
        }

        this.registerOutputs({
            logGroupNames: this.logGroupNames,
            bucketName: this.bucketName,
            fluentBitRoleArn: this.fluentBitRoleArn,
            containerInsightsRoleArn: this.containerInsightsRoleArn,
        });
    }

    private createFluentBit(name: string, args: LoggingArgs, groups: aws.cloudwatch.LogGroup[]): pulumi.Output<string> {
        const { cluster, clusterName, settings } = args;
        if (settings.s3.enabled && !args.bucketName) {
            throw new Error("Logging: settings.s3.enabled needs args.bucketName");
        }
        const bucket = settings.s3.enabled
            ? new LogBucket(
                  `${name}-archive`,
                  { bucketName: args.bucketName!, kmsKeyArn: args.kmsKeyArn, lifecycle: settings.s3, logPrefix: `${S3_LOG_PREFIX}/`, protect: args.protect },
                  { parent: this },
              )
            : undefined;

        const policy = pulumi.all([pulumi.all(groups.map((g) => g.arn)), bucket?.arn, args.kmsKeyArn]).apply(([logGroupArns, bucketArn, kmsKeyArn]) =>
            fluentBitPolicy({
                logGroupArns,
                s3: bucketArn ? { bucketArn, keyPrefix: s3ClusterPrefix(clusterName), kmsKeyArn, region: args.region } : undefined,
            }),
        );
        const role = new IrsaRole(
            `${name}-fluent-bit`,
            {
                cluster,
                namespace: FLUENT_BIT_NAMESPACE,
                serviceAccount: FLUENT_BIT_SERVICE_ACCOUNT,
                policy,
                description: `aws-for-fluent-bit on ${clusterName}: write its own log groups${bucket ? " and S3 prefix" : ""}`,
            },
            { parent: this },
        );

        new k8s.helm.v4.Chart(
            `${name}-fluent-bit`,
            {
                name: HELM_CHARTS.fluentBit.chart,
                chart: HELM_CHARTS.fluentBit.chart,
                version: HELM_CHARTS.fluentBit.version,
                repositoryOpts: { repo: HELM_CHARTS.fluentBit.repo },
                namespace: args.fluentBitNamespace.metadata.name,
                values: fluentBitValues({ clusterName, region: args.region, settings, roleArn: role.arn, bucketName: bucket ? args.bucketName : undefined }),
            },
            // Groups, grants and bucket first: with auto_create_group off, a pod that starts earlier
            // fails its first PutLogEvents and retries until they exist.
            { parent: this, provider: cluster.kubeProvider, dependsOn: [args.fluentBitNamespace, role, ...groups, ...(bucket?.ready ?? [])] },
        );
        return role.arn;
    }

    private createContainerInsights(name: string, args: LoggingArgs, performanceGroup: aws.cloudwatch.LogGroup): pulumi.Output<string> {
        const { cluster, clusterName, settings } = args;
        const role = new IrsaRole(
            `${name}-cloudwatch-agent`,
            {
                cluster,
                namespace: CLOUDWATCH_AGENT_NAMESPACE,
                serviceAccount: CLOUDWATCH_AGENT_SERVICE_ACCOUNT,
                // The policy the add-on documents; its agent writes metrics and EMF performance logs.
                managedPolicyArns: [`arn:${args.partition}:iam::aws:policy/CloudWatchAgentServerPolicy`],
                description: `CloudWatch agent (Container Insights add-on) on ${clusterName}`,
            },
            { parent: this },
        );
        new aws.eks.Addon(
            `${name}-container-insights`,
            {
                clusterName: cluster.name,
                addonName: "amazon-cloudwatch-observability",
                addonVersion: settings.containerInsights.addonVersion ?? managedAddonVersion("amazon-cloudwatch-observability", cluster.kubernetesVersion),
                serviceAccountRoleArn: role.arn,
                // One log shipper per node: with our Fluent Bit running, the add-on's own Fluent Bit
                // (which would write the same application/host/dataplane groups) is switched off.
                // Key from the add-on's chart values (aws-observability/helm-charts 6.4.0: containerLogs.enabled).
                configurationValues: JSON.stringify({ containerLogs: { enabled: !settings.fluentBit.enabled } }),
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
            },
            { parent: this, dependsOn: [role, performanceGroup, ...(args.nodesReady ?? [])] },
        );
        return role.arn;
    }
}
