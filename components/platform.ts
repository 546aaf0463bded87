import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config";
import { Cluster } from "./cluster/cluster";
import { CoreDns } from "./cluster/coreDns";
import { PLATFORM_CONTROLLER_NAMESPACE } from "./cluster/namespaces";
import { Compute } from "./compute/compute";
import { PlatformKey } from "./kms/platformKey";
import { FLUENT_BIT_NAMESPACE } from "./logging/fluentBitValues";
import { defaultLogBucketName } from "./logging/layout";
import { Logging } from "./logging/logging";
import { Mesh } from "./mesh/mesh";
import { Network } from "./network/network";
import { Storage } from "./storage/storage";

export interface PlatformArgs {
    /** The validated stack configuration. */
    config: PlatformConfig;
    /** Account and partition the stack deploys into (from getCallerIdentity / getPartition). */
    accountId: string;
    partition: string;
}

/** One EKS environment: composes the components in the order their dependencies demand. */
export class Platform extends pulumi.ComponentResource {
    readonly provider: aws.Provider;
    readonly key: PlatformKey;
    readonly network: Network;
    /** The EKS cluster (a ClusterHandle): compute, storage, logging and mesh build on it. */
    readonly cluster: Cluster;
    readonly compute: Compute;
    readonly coreDns: CoreDns;
    readonly storage: Storage;
    readonly logging: Logging;
    /** The service mesh; absent with mesh.backend "none". */
    readonly mesh?: Mesh;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:index:Platform", name, {}, opts);
        const { config, accountId, partition } = args;
        const protect = config.protection.protectStatefulResources;

        const platformTags = {
            "eks-platform:environment": config.environment,
            "eks-platform:cluster": config.clusterName,
            "managed-by": "pulumi",
            ...config.tags,
        };
        // An explicit provider so every AWS resource carries the environment's tags, whatever the caller's defaults.
        this.provider = new aws.Provider(`${name}-aws`, { region: config.region as aws.Region, defaultTags: { tags: platformTags } }, { parent: this });
        const childOpts: pulumi.ComponentResourceOptions = { parent: this, providers: { aws: this.provider } };

        this.key = new PlatformKey(
            `${name}-platform`,
            {
                aliasPrefix: config.clusterName,
                accountId,
                partition,
                region: config.region,
                deletionWindowDays: config.protection.kmsDeletionWindowDays,
                protect,
            },
            childOpts,
        );

        this.network = new Network(
            name,
            {
                settings: config.network,
                availabilityZones: config.availabilityZones,
                cidrPlan: config.cidrPlan,
                clusterName: config.clusterName,
                region: config.region,
                accountId,
                partition,
                kmsKeyArn: this.key.keyArn,
                protectLogs: protect,
            },
            childOpts,
        );

        this.cluster = new Cluster(
            name,
            {
                settings: config.cluster,
                clusterName: config.clusterName,
                availabilityZones: config.availabilityZones,
                vpcId: this.network.vpcId,
                privateSubnetIds: this.network.privateSubnetIds,
                podSubnetIds: this.network.podSubnetIds,
                kmsKeyArn: this.key.keyArn,
                partition,
                protect,
            },
            childOpts,
        );

        this.compute = new Compute(
            name,
            {
                settings: config.compute,
                clusterName: config.clusterName,
                cluster: this.cluster,
                controllerNamespace: { name: PLATFORM_CONTROLLER_NAMESPACE, resource: this.cluster.namespaces[PLATFORM_CONTROLLER_NAMESPACE] },
                instanceTypes: config.instanceTypes,
                privateSubnetIds: config.availabilityZones.map((zone) => this.network.privateSubnetIds[zone]),
                kmsKeyArn: this.key.keyArn,
                region: config.region,
                accountId,
                partition,
                // Provider default tags reach neither Auto Scaling groups nor what they launch.
                instanceTags: platformTags,
            },
            childOpts,
        );
        // Every node-launching resource (node pools) must be in here: CoreDNS waits for ACTIVE,
        // which it reaches only once its pods run on a node.
        const nodeLaunchers: pulumi.Resource[] = this.compute.pools.map((pool) => pool.group);
        this.coreDns = new CoreDns(name, { cluster: this.cluster, nodesReady: nodeLaunchers }, childOpts);

        // The CSI add-ons wait for ACTIVE like CoreDNS: their controllers need a node to run on.
        this.storage = new Storage(
            name,
            {
                settings: config.storage,
                cluster: this.cluster,
                clusterName: config.clusterName,
                vpcId: this.network.vpcId,
                privateSubnetIds: this.network.privateSubnetIds,
                podCidr: config.network.podCidr,
                kmsKeyArn: this.key.keyArn,
                partition,
                region: config.region,
                accountId,
                protectFileSystems: protect,
                addonDependsOn: nodeLaunchers,
            },
            childOpts,
        );

        const fluentBitNamespace = this.cluster.namespaces[FLUENT_BIT_NAMESPACE];
        if (!fluentBitNamespace) {
            throw new Error(`the cluster creates no "${FLUENT_BIT_NAMESPACE}" namespace for Fluent Bit (see components/cluster/namespaces.ts)`);
        }
        this.logging = new Logging(
            name,
            {
                cluster: this.cluster,
                clusterName: config.clusterName,
                settings: config.logging,
                region: config.region,
                partition,
                bucketName: config.logging.s3.bucketName ?? defaultLogBucketName(config.clusterName, accountId),
                kmsKeyArn: this.key.keyArn,
                protect,
                fluentBitNamespace,
                nodesReady: nodeLaunchers,
            },
            childOpts,
        );
        // The controller charts wait for their pods to run, so the mesh waits for nodes like CoreDNS.
        if (config.mesh.backend !== "none") {
            this.mesh = new Mesh(
                name,
                {
                    settings: config.mesh,
                    meshName: config.mesh.name ?? config.clusterName,
                    cluster: this.cluster,
                    // The Gateway API controller runs in the cluster's restricted namespace for platform controllers.
                    controllerNamespace: { name: PLATFORM_CONTROLLER_NAMESPACE, resource: this.cluster.namespaces[PLATFORM_CONTROLLER_NAMESPACE] },
                    vpcId: this.network.vpcId,
                    region: config.region,
                    accountId,
                    partition,
                    nodesReady: nodeLaunchers,
                },
                childOpts,
            );
        }

        this.registerOutputs({ vpcId: this.network.vpcId, clusterName: this.cluster.name });
    }
}
