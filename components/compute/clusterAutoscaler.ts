import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IrsaRole } from "../iam/irsa";
import { irsaChart } from "../common/irsaChart";
import type { PolicyDocument } from "../iam/policyDocument";
import { LIFECYCLE_LABEL, ON_DEMAND_LIFECYCLE } from "./labels";
import { autoscalerDiscoveryTagKey } from "./nodePool";
import type { NodeControllerContext } from "./controllers";
import type { ComputeSettings } from "./settings";
import { clusterAutoscalerImageTag, HELM_CHARTS } from "../versions";

const AUTOSCALER_SERVICE_ACCOUNT = "cluster-autoscaler";

/**
 * The autoscaler's AWS policy (cloudprovider/aws/README.md, "Full Cluster Autoscaler Features Policy")
 * with the two mutating actions limited to this cluster's groups by ARN and by the discovery tag.
 * eks:DescribeNodegroup is left out: it serves managed node groups, and these are self-managed.
 */
export function clusterAutoscalerPolicy({
    scope,
    clusterName,
    groupNamePrefix,
}: Pick<NodeControllerContext, "scope" | "clusterName" | "groupNamePrefix">): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DiscoverGroupsAndInstanceTypes",
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                ],
                Resource: "*",
            },
            {
                Sid: "ScaleOnlyThisClustersGroups",
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: `arn:${scope.partition}:autoscaling:${scope.region}:${scope.accountId}:autoScalingGroup:*:autoScalingGroupName/${groupNamePrefix}*`,
                Condition: {
                    StringEquals: {
                        [`aws:ResourceTag/${autoscalerDiscoveryTagKey(clusterName)}`]: "owned",
                        "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true",
                    },
                },
            },
        ],
    };
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Priority-expander tiers (higher wins): groups with Spot first, everything else after, so a scale-up
 * reaches for Spot and falls back to On-Demand when Spot cannot be had.
 */
export function expanderPriorities(spotGroupNames: string[], otherGroupNames: string[]): Record<number, string[]> {
    const tiers: Record<number, string[]> = {};
    for (const [priority, names] of [
        [50, spotGroupNames],
        [10, otherGroupNames],
    ] as const) {
        if (names.length > 0) {
            tiers[priority] = names.map((name) => `^${escapeRegex(name)}$`);
        }
    }
    return tiers;
}

export interface ClusterAutoscalerArgs extends NodeControllerContext {
    settings: ComputeSettings["clusterAutoscaler"];
    /** Use the instance types compiled into the autoscaler instead of fetching them at run time, which a network without NAT cannot. */
    staticInstanceList: boolean;
    /** Names of groups with Spot capacity and of the others, for the priority expander. */
    spotGroupNames: string[];
    otherGroupNames: string[];
}

/** The Pulumi name of the autoscaler's IRSA role (auto-named from it). */
export function autoscalerRoleName(name: string): string {
    return `${name}-irsa`;
}

/** Cluster Autoscaler: grows and shrinks the node pools' groups, found by their discovery tags. */
export class ClusterAutoscaler extends pulumi.ComponentResource {
    readonly role: IrsaRole;
    readonly chart: k8s.helm.v4.Chart;

    constructor(name: string, args: ClusterAutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:compute:ClusterAutoscaler", name, {}, opts);
        const { cluster, settings } = args;
        const priority = settings.expander === "priority";
        const { chart, role } = irsaChart(
            name,
            args,
            {
                chart: HELM_CHARTS.clusterAutoscaler,
                namespace: args.controllerNamespace,
                serviceAccount: AUTOSCALER_SERVICE_ACCOUNT,
                role: {
                    name: autoscalerRoleName(name),
                    description: `Cluster Autoscaler of ${args.clusterName}: scale this cluster's Auto Scaling groups`,
                    policy: clusterAutoscalerPolicy(args),
                },
                values: (serviceAccount) => ({
                    fullnameOverride: "cluster-autoscaler",
                    cloudProvider: "aws",
                    awsRegion: args.scope.region,
                    autoDiscovery: { clusterName: args.clusterName },
                    image: { tag: clusterAutoscalerImageTag(cluster.kubernetesVersion) },
                    rbac: { create: true, serviceAccount },
                    extraArgs: {
                        // Ties inside a priority tier go to the group wasting least, not to chance.
                        expander: priority ? "priority,least-waste" : settings.expander,
                        // The pools span every zone; keep zones even when several groups fit.
                        "balance-similar-node-groups": true,
                        // The AWS provider's README ("Use Static Instance List") for networks that cannot fetch the list.
                        ...(args.staticInstanceList ? { "aws-use-static-instance-list": true } : {}),
                    },
                    ...(priority ? { expanderPriorities: expanderPriorities(args.spotGroupNames, args.otherGroupNames) } : {}),
                    // The autoscaler itself belongs on On-Demand capacity: a reclaimed node would pause all scaling.
                    affinity: {
                        nodeAffinity: {
                            preferredDuringSchedulingIgnoredDuringExecution: [
                                { weight: 100, preference: { matchExpressions: [{ key: LIFECYCLE_LABEL, operator: "In", values: [ON_DEMAND_LIFECYCLE] }] } },
                            ],
                        },
                    },
                    securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
                    containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                    resources: { requests: { cpu: "100m", memory: "300Mi" }, limits: { memory: "600Mi" } },
                }),
                // A Deployment: ready only once it runs on a node.
                waitForNodes: true,
            },
            this,
        );
        this.chart = chart;
        this.role = role!;
        this.registerOutputs({ roleArn: this.role.arn });
    }
}
