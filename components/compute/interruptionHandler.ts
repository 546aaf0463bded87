import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NodeControllerContext } from "./controllers";
import type { IrsaRole, ServiceAccountRole } from "../iam/irsa";
import { irsaChart, type ServiceAccountValues } from "../common/irsaChart";
import type { PolicyDocument } from "../iam/policyDocument";
import { clusterOwnershipTagKey } from "../cluster/names";
import { NTH_MANAGED_TAG } from "./nodePool";
import { HELM_CHARTS } from "../versions";

/**
 * IMDS mode runs a DaemonSet on the host network (to reach instance metadata at hop limit 1), which
 * every Pod Security level but privileged forbids, so it lives in kube-system, which EKS leaves
 * unenforced. Queue mode is an ordinary Deployment and runs in the restricted controller namespace.
 */
const NTH_IMDS_NAMESPACE = "kube-system";
const NTH_SERVICE_ACCOUNT = "aws-node-termination-handler";
/** Events older than this are stale: the instance is gone or drained (the project's CloudFormation template uses 300). */
const QUEUE_RETENTION_SECONDS = 300;

/** The events the handler acts on, as EventBridge patterns (the project's README and cfn-template.yaml). */
export function interruptionEventPatterns(groupNames: string[]): Record<string, object> {
    return {
        "spot-interruption": { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] },
        rebalance: { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
        "instance-state": { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
        "scheduled-change": {
            source: ["aws.health"],
            "detail-type": ["AWS Health Event"],
            detail: { service: ["EC2"], eventTypeCategory: ["scheduledChange"] },
        },
        // Only this cluster's groups: other groups' hooks are not ours to complete.
        "asg-lifecycle": {
            source: ["aws.autoscaling"],
            "detail-type": ["EC2 Instance-terminate Lifecycle Action"],
            detail: { AutoScalingGroupName: groupNames },
        },
    };
}

/**
 * What the queue processor calls (the project's README, "IAM Policy for aws-node-termination-handler
 * Deployment"): lifecycle completion only on this cluster's groups, SQS only on this queue; the
 * Describe calls support no resource scoping.
 */
export function interruptionHandlerPolicy(
    queueArn: string,
    { scope, clusterName, groupNamePrefix }: Pick<NodeControllerContext, "scope" | "clusterName" | "groupNamePrefix">,
): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "CompleteLifecycleActionsOfThisClustersGroups",
                Effect: "Allow",
                Action: "autoscaling:CompleteLifecycleAction",
                Resource: `arn:${scope.partition}:autoscaling:${scope.region}:${scope.accountId}:autoScalingGroup:*:autoScalingGroupName/${groupNamePrefix}*`,
                Condition: { StringEquals: { [`aws:ResourceTag/${clusterOwnershipTagKey(clusterName)}`]: "owned" } },
            },
            {
                Sid: "DescribeInstancesAndGroups",
                Effect: "Allow",
                Action: ["autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeTags", "ec2:DescribeInstances"],
                Resource: "*",
            },
            { Sid: "ConsumeInterruptionQueue", Effect: "Allow", Action: ["sqs:DeleteMessage", "sqs:ReceiveMessage"], Resource: queueArn },
        ],
    };
}

/** Queue policy: only this stack's EventBridge rules may send, and only over TLS. */
export function interruptionQueuePolicy(queueArn: string, ruleArns: string[]): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "EventBridgeRulesOfThisCluster",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sqs:SendMessage",
                Resource: queueArn,
                Condition: { ArnEquals: { "aws:SourceArn": ruleArns } },
            },
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "sqs:*",
                Resource: queueArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

/** The Pulumi names of the handler's queue, EventBridge rules and IRSA role (all auto-named from them). */
export function interruptionHandlerNames(name: string) {
    return {
        queue: `${name}-queue`,
        rule: (event: string) => `${name}-${event}`,
        role: `${name}-irsa`,
        events: Object.keys(interruptionEventPatterns([])),
    };
}

export interface InterruptionHandlerArgs extends NodeControllerContext {
    /** queue: SQS + EventBridge (ASG lifecycle hooks, rebalance, health events); imds: a DaemonSet polling instance metadata. */
    mode: "queue" | "imds";
    /** Names of the node pools' Auto Scaling groups, which all start with groupNamePrefix. */
    groupNames: string[];
}

/**
 * AWS Node Termination Handler: cordons and drains a node before EC2 takes it away (Spot reclaim,
 * rebalance, scale-in, instance refresh, scheduled maintenance), so PodDisruptionBudgets hold.
 */
export class InterruptionHandler extends pulumi.ComponentResource {
    readonly queue?: aws.sqs.Queue;
    readonly role?: IrsaRole;
    readonly chart: k8s.helm.v4.Chart;

    constructor(name: string, args: InterruptionHandlerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:compute:InterruptionHandler", name, {}, opts);
        const queueMode = args.mode === "queue";
        const names = interruptionHandlerNames(name);
        const common = {
            // Tolerate every taint: a node that cannot run the handler is a node that is never drained.
            tolerations: [{ operator: "Exists" }],
            checkTagBeforeDraining: true,
            managedTag: NTH_MANAGED_TAG,
            // PodSecurityPolicy no longer exists in Kubernetes >= 1.25.
            rbac: { create: true, pspEnabled: false },
            resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
        };

        let role: ServiceAccountRole | undefined;
        let values: (serviceAccount: ServiceAccountValues) => Record<string, unknown>;
        if (queueMode) {
            // SSE-SQS, not the platform key: a customer key would need events.amazonaws.com in its policy
            // (kms:GenerateDataKey/Decrypt) on the key that also guards Kubernetes secrets, and the queue
            // holds only five minutes of instance ids and event types.
            const queue = new aws.sqs.Queue(
                names.queue,
                // Auto-named: the provider truncates to SQS's 80 characters, which a long cluster name would exceed.
                { messageRetentionSeconds: QUEUE_RETENTION_SECONDS, sqsManagedSseEnabled: true },
                { parent: this },
            );
            this.queue = queue;
            const rules = Object.entries(interruptionEventPatterns(args.groupNames)).map(([event, pattern]) => {
                const rule = new aws.cloudwatch.EventRule(
                    names.rule(event),
                    // Auto-named (64 characters at most), like the queue.
                    { description: `Node termination handler of ${args.clusterName}: ${event} events`, eventPattern: JSON.stringify(pattern) },
                    { parent: this },
                );
                new aws.cloudwatch.EventTarget(names.rule(event), { rule: rule.name, arn: queue.arn }, { parent: this });
                return rule;
            });
            new aws.sqs.QueuePolicy(
                names.queue,
                {
                    queueUrl: queue.url,
                    policy: pulumi
                        .all([queue.arn, ...rules.map((r) => r.arn)])
                        .apply(([queueArn, ...ruleArns]) => JSON.stringify(interruptionQueuePolicy(queueArn, ruleArns))),
                },
                { parent: this },
            );
            role = {
                name: names.role,
                description: `AWS Node Termination Handler of ${args.clusterName}: read the interruption queue, complete lifecycle hooks`,
                policy: queue.arn.apply((queueArn) => interruptionHandlerPolicy(queueArn, args)),
            };
            values = (serviceAccount) => ({
                ...common,
                enableSqsTerminationDraining: true,
                queueURL: queue.url,
                awsRegion: args.scope.region,
                serviceAccount,
                // Two replicas so draining the node the handler runs on is handled by the other one.
                replicas: 2,
                podDisruptionBudget: { maxUnavailable: 1 },
                // The chart's defaults plus what the restricted Pod Security level also asks for.
                podSecurityContext: { fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
                securityContext: {
                    readOnlyRootFilesystem: true,
                    runAsNonRoot: true,
                    allowPrivilegeEscalation: false,
                    runAsUser: 1000,
                    runAsGroup: 1000,
                    capabilities: { drop: ["ALL"] },
                },
            });
        } else {
            values = (serviceAccount) => ({
                ...common,
                enableSqsTerminationDraining: false,
                serviceAccount,
                daemonsetTolerations: [{ operator: "Exists" }],
                enableSpotInterruptionDraining: true,
                enableScheduledEventDraining: true,
                enableASGLifecycleDraining: true,
                enableRebalanceMonitoring: true,
            });
        }

        const handler = irsaChart(
            name,
            args,
            {
                chart: HELM_CHARTS.nodeTerminationHandler,
                // kube-system exists before the program does; the controller namespace is the cluster's.
                namespace: queueMode ? args.controllerNamespace : { name: NTH_IMDS_NAMESPACE },
                serviceAccount: NTH_SERVICE_ACCOUNT,
                role,
                values,
                // Queue mode is a Deployment, ready only once it runs on a node; IMDS mode a DaemonSet, ready with none.
                waitForNodes: queueMode,
            },
            this,
        );
        this.chart = handler.chart;
        this.role = handler.role;
        this.registerOutputs({ queueUrl: this.queue?.url, roleArn: this.role?.arn });
    }
}
