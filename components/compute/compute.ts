import * as pulumi from "@pulumi/pulumi";
import type { InstanceTypeFacts } from "../../config";
import type { AwsScope, ControllerNamespace, ImageSource } from "../capability";
import type { ClusterHandle } from "../cluster/handle";
import type { NetworkHandle } from "../network/handle";
import { ClusterAutoscaler } from "./clusterAutoscaler";
import { InterruptionHandler } from "./interruptionHandler";
import { hasSpotCapacity } from "./labels";
import { NodeAccess } from "./nodeAccess";
import { nodeGroupName, NodePool } from "./nodePool";
import { NvidiaDevicePlugin } from "./nvidiaDevicePlugin";
import type { ComputeSettings } from "./settings";

export interface ComputeArgs {
    /** Validated compute settings (defaults applied in ./settings.ts). */
    settings: ComputeSettings;
    /** Cluster name as configured (ASG names, discovery tags). */
    clusterName: string;
    cluster: ClusterHandle;
    /** The network: every pool spans its private subnets. */
    network: NetworkHandle;
    /** The cluster's restricted namespace for platform controllers (termination handler, autoscaler). */
    controllerNamespace: ControllerNamespace;
    /** Facts of every instance type the pools list. */
    instanceTypes: Record<string, InstanceTypeFacts>;
    /** Platform KMS key for the node volumes. */
    kmsKeyArn: pulumi.Input<string>;
    /** Region, account and partition of the node groups, for the controllers' IAM grants. */
    scope: AwsScope;
    /** The platform's tags: provider default tags reach neither Auto Scaling groups nor what they launch. */
    tags: Record<string, string>;
    /** Where the controllers' and the sample's images are pulled from. */
    images: ImageSource;
    /** Policies the node role needs besides its own, by a name for their attachment: the registry's grant to pull through its cache. */
    nodePolicies: Record<string, pulumi.Input<string>>;
}

/** Names of the compute component's children, from its own name: what its section declares for validation too. */
export function computeChildNames(name: string) {
    return {
        nodeAccess: name,
        interruptionHandler: `${name}-nth`,
        autoscaler: `${name}-autoscaler`,
        pool: (pool: string) => `${name}-${pool}`,
    };
}

/**
 * The data plane: node identity, one mixed Spot/On-Demand group per pool, the termination handler
 * that drains nodes before they go, and the Cluster Autoscaler. The Spot sample workload is a child of
 * this component too, but the platform builds it last: it is exposed and scaled by add-ons.
 */
export class Compute extends pulumi.ComponentResource {
    readonly nodeAccess: NodeAccess;
    readonly pools: NodePool[];
    /** Every node-launching resource (the pools' groups): what the platform's nodesReady is. */
    readonly nodesReady: pulumi.Resource[];
    readonly interruptionHandler: InterruptionHandler;
    readonly clusterAutoscaler?: ClusterAutoscaler;
    /** The NVIDIA device plugin, when any pool has accelerator: nvidia. */
    readonly nvidiaDevicePlugin?: NvidiaDevicePlugin;

    constructor(name: string, args: ComputeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:compute:Compute", name, {}, opts);
        const { settings, cluster, clusterName, network } = args;
        const names = computeChildNames(name);
        const groupNamePrefix = nodeGroupName(clusterName, "");
        const subnetIds = network.availabilityZones.map((zone) => network.privateSubnetIds[zone]);

        this.nodeAccess = new NodeAccess(
            names.nodeAccess,
            { clusterName: cluster.name, scope: args.scope, ssmSessionManager: settings.ssmSessionManager, additionalPolicies: args.nodePolicies },
            { parent: this },
        );

        this.pools = settings.nodePools.map(
            (pool) =>
                new NodePool(
                    names.pool(pool.name),
                    {
                        pool,
                        clusterName,
                        cluster,
                        instanceTypes: pool.instanceTypes.map((type) => args.instanceTypes[type]),
                        subnetIds,
                        kmsKeyArn: args.kmsKeyArn,
                        instanceProfileArn: this.nodeAccess.instanceProfile.arn,
                        drainTimeoutSeconds: settings.interruptionHandler.drainTimeoutSeconds,
                        instanceTags: args.tags,
                        // Custom networking and the ENIConfigs before the first node, or it keeps primary-CIDR pods.
                        dataPlaneReady: [...cluster.dataPlaneReady, this.nodeAccess.accessEntry],
                    },
                    { parent: this },
                ),
        );
        this.nodesReady = this.pools.map((pool) => pool.group);
        const shared = {
            scope: args.scope,
            clusterName,
            cluster,
            controllerNamespace: args.controllerNamespace,
            nodesReady: this.nodesReady,
            images: args.images,
            groupNamePrefix,
        };

        this.interruptionHandler = new InterruptionHandler(
            names.interruptionHandler,
            { mode: settings.interruptionHandler.mode, groupNames: this.pools.map((p) => p.groupName), ...shared },
            { parent: this },
        );

        if (settings.clusterAutoscaler.enabled) {
            this.clusterAutoscaler = new ClusterAutoscaler(
                names.autoscaler,
                {
                    settings: settings.clusterAutoscaler,
                    staticInstanceList: !network.internetEgress,
                    spotGroupNames: this.pools.filter((_, i) => hasSpotCapacity(settings.nodePools[i])).map((p) => p.groupName),
                    otherGroupNames: this.pools.filter((_, i) => !hasSpotCapacity(settings.nodePools[i])).map((p) => p.groupName),
                    ...shared,
                },
                { parent: this },
            );
        }

        if (settings.nodePools.some((pool) => pool.accelerator === "nvidia")) {
            this.nvidiaDevicePlugin = new NvidiaDevicePlugin(`${name}-gpu`, { cluster, nodesReady: this.nodesReady, images: args.images }, { parent: this });
        }

        this.registerOutputs({ groupNames: this.pools.map((p) => p.groupName), nodeRoleArn: this.nodeAccess.role.arn });
    }
}
