import * as pulumi from "@pulumi/pulumi";
import type { InstanceTypeFacts } from "../../config";
import type { ClusterHandle } from "../cluster/handle";
import { ClusterAutoscaler } from "./clusterAutoscaler";
import type { ControllerNamespace } from "./controllers";
import { InterruptionHandler } from "./interruptionHandler";
import { hasSpotCapacity } from "./labels";
import { NodeAccess } from "./nodeAccess";
import { NodePool } from "./nodePool";
import { SampleWorkload } from "./sampleWorkload";
import type { ComputeSettings } from "./settings";

export interface ComputeArgs {
    /** Validated compute settings (defaults applied in ./settings.ts). */
    settings: ComputeSettings;
    /** Cluster name as configured (ASG names, discovery tags). */
    clusterName: string;
    cluster: ClusterHandle;
    /** The cluster's restricted namespace for platform controllers (termination handler, autoscaler). */
    controllerNamespace: ControllerNamespace;
    /** Facts of every instance type the pools list. */
    instanceTypes: Record<string, InstanceTypeFacts>;
    /** Private subnets, one per zone. */
    privateSubnetIds: pulumi.Input<string>[];
    /** Platform KMS key for the node volumes. */
    kmsKeyArn: pulumi.Input<string>;
    region: string;
    accountId: string;
    partition: string;
    /** Tags for what the groups launch (instances, volumes, ENIs). */
    instanceTags: Record<string, string>;
}

/**
 * The data plane: node identity, one mixed Spot/On-Demand group per pool, the termination handler
 * that drains nodes before they go, the Cluster Autoscaler, and optionally the Spot sample workload.
 */
export class Compute extends pulumi.ComponentResource {
    readonly nodeAccess: NodeAccess;
    readonly pools: NodePool[];
    readonly interruptionHandler: InterruptionHandler;
    readonly clusterAutoscaler?: ClusterAutoscaler;

    constructor(name: string, args: ComputeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:compute:Compute", name, {}, opts);
        const { settings, cluster, clusterName } = args;
        const groupNamePrefix = `${clusterName}-`;

        this.nodeAccess = new NodeAccess(
            name,
            { clusterName: cluster.name, partition: args.partition, ssmSessionManager: settings.ssmSessionManager },
            { parent: this },
        );

        this.pools = settings.nodePools.map(
            (pool) =>
                new NodePool(
                    `${name}-${pool.name}`,
                    {
                        pool,
                        clusterName,
                        cluster,
                        instanceTypes: pool.instanceTypes.map((type) => args.instanceTypes[type]),
                        subnetIds: args.privateSubnetIds,
                        kmsKeyArn: args.kmsKeyArn,
                        instanceProfileArn: this.nodeAccess.instanceProfile.arn,
                        drainTimeoutSeconds: settings.interruptionHandler.drainTimeoutSeconds,
                        instanceTags: args.instanceTags,
                        // Custom networking and the ENIConfigs before the first node, or it keeps primary-CIDR pods.
                        launchAfter: [...cluster.dataPlaneReady, this.nodeAccess.accessEntry],
                    },
                    { parent: this },
                ),
        );
        const groups = this.pools.map((pool) => pool.group);
        const shared = {
            clusterName,
            controllerNamespace: args.controllerNamespace,
            region: args.region,
            accountId: args.accountId,
            partition: args.partition,
            groupNamePrefix,
        };

        this.interruptionHandler = new InterruptionHandler(
            `${name}-nth`,
            { mode: settings.interruptionHandler.mode, cluster, groupNames: this.pools.map((p) => p.groupName), dependsOn: groups, ...shared },
            { parent: this },
        );

        if (settings.clusterAutoscaler.enabled) {
            this.clusterAutoscaler = new ClusterAutoscaler(
                `${name}-autoscaler`,
                {
                    settings: settings.clusterAutoscaler,
                    cluster,
                    spotGroupNames: this.pools.filter((_, i) => hasSpotCapacity(settings.nodePools[i])).map((p) => p.groupName),
                    otherGroupNames: this.pools.filter((_, i) => !hasSpotCapacity(settings.nodePools[i])).map((p) => p.groupName),
                    dependsOn: groups,
                    ...shared,
                },
                { parent: this },
            );
        }

        if (settings.sampleWorkload) {
            // After the handler, so the sample's first drains are already graceful.
            new SampleWorkload(
                `${name}-sample`,
                { kubeProvider: cluster.kubeProvider, kubernetesVersion: cluster.kubernetesVersion, dependsOn: [...groups, this.interruptionHandler] },
                { parent: this },
            );
        }

        this.registerOutputs({ groupNames: this.pools.map((p) => p.groupName), nodeRoleArn: this.nodeAccess.role.arn });
    }
}
