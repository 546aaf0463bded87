import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { InstanceTypeFacts } from "../../config";
import type { ClusterHandle } from "../cluster/handle";
import { clusterOwnershipTagKey } from "../cluster/names";
import { NVIDIA_GPU_RESOURCE, type PoolGpus, poolGpus } from "./gpu";
import { kubeReserved } from "./kubeletReserved";
import { hasSpotCapacity, nodeLabels, nodeTaints, nodeTemplateTags } from "./labels";
import { poolMaxPods } from "./maxPods";
import type { NodePoolSettings } from "./settings";
import { amiParameterName, nodeUserData } from "./userData";

/** Tag the termination handler looks for before it drains an instance (chart value managedTag). */
export const NTH_MANAGED_TAG = "aws-node-termination-handler/managed";
/** Device name of the root volume of the AL2023 EKS-optimized AMIs. */
const ROOT_DEVICE = "/dev/xvda";
/** Instance refresh pauses at these shares of replaced capacity, so a bad AMI or user data shows before it reaches every node. */
const REFRESH_CHECKPOINTS = [50, 100];
/** Seconds an instance refresh waits at a checkpoint. */
const REFRESH_CHECKPOINT_DELAY_SECONDS = 300;

/** A pool's Auto Scaling group and launch template name: "<cluster>-<pool>" (the termination handler's IAM grant matches the prefix). */
export function nodeGroupName(clusterName: string, poolName: string): string {
    return `${clusterName}-${poolName}`;
}

/** The name of a group's termination lifecycle hook. */
export function drainHookName(groupName: string): string {
    return `${groupName}-drain`;
}

/** The tag the Cluster Autoscaler's auto-discovery (and its IAM conditions) match for this cluster's groups. */
export function autoscalerDiscoveryTagKey(clusterName: string): string {
    return `k8s.io/cluster-autoscaler/${clusterName}`;
}

/** A tag of an Auto Scaling group, and whether it is copied to the instances it launches. */
interface GroupTag {
    value: string;
    propagateAtLaunch: boolean;
}

/** What a pool's nodes advertise beyond their labels and taints: the autoscaler's node-template resources. */
export interface NodeTemplate {
    maxPods: number;
    gpus?: PoolGpus;
}

/**
 * The tags of a pool's group: the platform's (copied to the instances, volumes and ENIs it
 * launches), the termination handler's, the autoscaler's discovery tags, and the node-template tags
 * from which the autoscaler scales the pool from zero (labels, taints, pods and GPUs). `launched`
 * are the ones on what it launches.
 */
export function nodeGroupTags(
    pool: NodePoolSettings,
    clusterName: string,
    instanceTags: Record<string, string>,
    template: NodeTemplate,
): { launched: Record<string, string>; group: Record<string, GroupTag> } {
    const launched = { ...instanceTags, Name: nodeGroupName(clusterName, pool.name), [clusterOwnershipTagKey(clusterName)]: "owned" };
    const resources = { pods: template.maxPods, ...(template.gpus ? { [NVIDIA_GPU_RESOURCE]: template.gpus.count } : {}) };
    const group: Record<string, GroupTag> = {
        ...Object.fromEntries(Object.entries(launched).map(([key, value]) => [key, { value, propagateAtLaunch: true }])),
        [NTH_MANAGED_TAG]: { value: "true", propagateAtLaunch: true },
        // Auto-discovery: the autoscaler manages groups carrying both (its IAM conditions check the second).
        "k8s.io/cluster-autoscaler/enabled": { value: "true", propagateAtLaunch: false },
        [autoscalerDiscoveryTagKey(clusterName)]: { value: "owned", propagateAtLaunch: false },
        ...Object.fromEntries(
            Object.entries(nodeTemplateTags(nodeLabels(pool, template.gpus), nodeTaints(pool), resources)).map(([key, value]) => [
                key,
                { value, propagateAtLaunch: false },
            ]),
        ),
    };
    return { launched, group };
}

export interface NodePoolArgs {
    /** The pool's validated settings (defaults applied in ./settings.ts). */
    pool: NodePoolSettings;
    /** Cluster name as configured, for ASG/launch-template names and the discovery tags. */
    clusterName: string;
    cluster: ClusterHandle;
    /** Facts of the pool's instance types (vCPU, memory, ENIs), from aws.ec2.getInstanceType. */
    instanceTypes: InstanceTypeFacts[];
    /** Private subnets, one per zone: the pool spreads over all of them. */
    subnetIds: pulumi.Input<string>[];
    /** Platform KMS key encrypting the root volumes. */
    kmsKeyArn: pulumi.Input<string>;
    /** Instance profile of the node role. */
    instanceProfileArn: pulumi.Input<string>;
    /** Seconds the termination lifecycle hook holds an instance for its drain. */
    drainTimeoutSeconds: number;
    /** Tags for the instances, volumes and ENIs the group launches (the provider's default tags do not reach them). */
    instanceTags: Record<string, string>;
    /** What must exist before the first instance launches: the cluster's data plane and the node access entry. */
    dataPlaneReady: pulumi.Input<pulumi.Resource>[];
}

/**
 * One self-managed node group: a launch template for AL2023 (nodeadm user data, IMDSv2, encrypted
 * gp3 root volume, no public IP) and an Auto Scaling group mixing On-Demand and Spot across
 * diversified instance types of one shape, spread over every private subnet, with a termination
 * lifecycle hook so the termination handler drains each node before EC2 takes it away.
 */
export class NodePool extends pulumi.ComponentResource {
    readonly launchTemplate: aws.ec2.LaunchTemplate;
    readonly group: aws.autoscaling.Group;
    readonly terminationHook: aws.autoscaling.LifecycleHook;
    readonly groupName: string;
    readonly maxPods: number;
    /** GPUs per node and the accelerator label, on NVIDIA pools. */
    readonly gpus?: PoolGpus;

    constructor(name: string, args: NodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:compute:NodePool", name, {}, opts);
        const { pool, cluster } = args;
        const spot = hasSpotCapacity(pool);
        this.gpus = pool.accelerator === "nvidia" ? poolGpus(args.instanceTypes) : undefined;
        const labels = nodeLabels(pool, this.gpus);
        const taints = nodeTaints(pool);
        this.groupName = nodeGroupName(args.clusterName, pool.name);
        this.maxPods = poolMaxPods(args.instanceTypes, cluster.prefixDelegation);
        const tags = nodeGroupTags(pool, args.clusterName, args.instanceTags, { maxPods: this.maxPods, gpus: this.gpus });
        // Every type of a pool has the same vCPUs (validated), so one reservation fits them all.
        const reserved = kubeReserved(args.instanceTypes[0].vcpus, this.maxPods);

        const ami = aws.ssm.getParameterOutput(
            {
                name: amiParameterName(
                    pool.kubernetesVersion ?? cluster.kubernetesVersion,
                    pool.architecture,
                    pool.accelerator === "nvidia" ? "nvidia" : "standard",
                    pool.amiReleaseVersion,
                ),
            },
            { parent: this },
        );
        const userData = pulumi
            .all([cluster.name, cluster.endpoint, cluster.certificateAuthorityData])
            .apply(([clusterName, apiServerEndpoint, certificateAuthority]) =>
                Buffer.from(
                    nodeUserData({
                        clusterName,
                        apiServerEndpoint,
                        certificateAuthority,
                        serviceCidr: cluster.serviceCidr,
                        maxPods: this.maxPods,
                        kubeReserved: reserved,
                        labels,
                        taints,
                    }),
                ).toString("base64"),
            );

        this.launchTemplate = new aws.ec2.LaunchTemplate(
            name,
            {
                name: this.groupName,
                description: `EKS ${args.clusterName} node pool ${pool.name} (AL2023${this.gpus ? " NVIDIA" : ""}, ${pool.architecture})`,
                imageId: ami.value,
                userData,
                iamInstanceProfile: { arn: args.instanceProfileArn },
                // IMDSv2 only; hop limit 1 keeps pods (one hop further) away from the node role's credentials.
                metadataOptions: {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    httpPutResponseHopLimit: pool.metadataHopLimit,
                    instanceMetadataTags: "disabled",
                },
                blockDeviceMappings: [
                    {
                        deviceName: ROOT_DEVICE,
                        ebs: { volumeSize: pool.rootVolumeGiB, volumeType: "gp3", encrypted: "true", kmsKeyId: args.kmsKeyArn, deleteOnTermination: "true" },
                    },
                ],
                networkInterfaces: [
                    { deviceIndex: 0, associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [cluster.nodeSecurityGroupId] },
                ],
                tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: tags.launched })),
                updateDefaultVersion: true,
            },
            { parent: this },
        );

        this.group = new aws.autoscaling.Group(
            name,
            {
                name: this.groupName,
                minSize: pool.minSize,
                maxSize: pool.maxSize,
                desiredCapacity: pool.desiredSize ?? pool.minSize,
                vpcZoneIdentifiers: args.subnetIds,
                capacityRebalance: spot,
                mixedInstancesPolicy: {
                    instancesDistribution: {
                        onDemandBaseCapacity: pool.onDemandBaseCapacity,
                        onDemandPercentageAboveBaseCapacity: pool.onDemandPercentageAboveBaseCapacity,
                        onDemandAllocationStrategy: "prioritized",
                        spotAllocationStrategy: pool.spotAllocationStrategy,
                    },
                    launchTemplate: {
                        // A pinned version (not $Latest) is what lets a template change start an instance refresh.
                        launchTemplateSpecification: { launchTemplateId: this.launchTemplate.id, version: this.launchTemplate.latestVersion.apply(String) },
                        overrides: pool.instanceTypes.map((instanceType) => ({ instanceType })),
                    },
                },
                instanceRefresh: {
                    strategy: "Rolling",
                    preferences: {
                        minHealthyPercentage: pool.minHealthyPercentage,
                        skipMatching: true,
                        checkpointPercentages: REFRESH_CHECKPOINTS,
                        checkpointDelay: String(REFRESH_CHECKPOINT_DELAY_SECONDS),
                    },
                },
                tags: Object.entries(tags.group).map(([key, { value, propagateAtLaunch }]) => ({ key, value, propagateAtLaunch })),
            },
            {
                parent: this,
                dependsOn: args.dataPlaneReady,
                // The Cluster Autoscaler owns the desired capacity once the group exists; writing it back on
                // every `up` would undo its scaling (and could terminate nodes in use).
                ignoreChanges: ["desiredCapacity"],
            },
        );

        // A separate hook resource (not initialLifecycleHooks, which apply only when the group is created), so its timeout can change.
        this.terminationHook = new aws.autoscaling.LifecycleHook(
            name,
            {
                name: drainHookName(this.groupName),
                autoscalingGroupName: this.group.name,
                lifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
                heartbeatTimeout: args.drainTimeoutSeconds,
                // If the handler never answers, terminate anyway: a stuck drain must not pin capacity forever.
                defaultResult: "CONTINUE",
            },
            { parent: this },
        );

        this.registerOutputs({ groupName: this.group.name, groupArn: this.group.arn, launchTemplateId: this.launchTemplate.id });
    }
}
