import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config";
import type { AwsScope, PlatformContext } from "./capability";
import { Cluster } from "./cluster/cluster";
import { CoreDns } from "./cluster/coreDns";
import { PLATFORM_CONTROLLER_NAMESPACE } from "./cluster/namespaces";
import { Compute } from "./compute/compute";
import { PlatformKey } from "./kms/platformKey";
import { Logging } from "./logging/logging";
import { Mesh } from "./mesh/mesh";
import { Network } from "./network/network";
import { Storage } from "./storage/storage";

export interface PlatformArgs {
    /** The validated stack configuration. */
    config: PlatformConfig;
    /** Region, account and partition the stack deploys into (from getRegion, getCallerIdentity, getPartition). */
    scope: AwsScope;
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
        const { config, scope } = args;
        const protect = config.protection.protectStatefulResources;

        const tags = {
            "eks-platform:environment": config.environment,
            "eks-platform:cluster": config.clusterName,
            "managed-by": "pulumi",
            ...config.tags,
        };
        // An explicit provider so every AWS resource carries the environment's tags, whatever the caller's defaults.
        this.provider = new aws.Provider(`${name}-aws`, { region: config.region as aws.Region, defaultTags: { tags } }, { parent: this });
        const childOpts: pulumi.ComponentResourceOptions = { parent: this, providers: { aws: this.provider } };

        // Foundations, in order: each yields part of the context the next needs.
        this.key = new PlatformKey(
            `${name}-platform`,
            { aliasPrefix: config.clusterName, scope, deletionWindowDays: config.protection.kmsDeletionWindowDays, protect },
            childOpts,
        );
        this.network = new Network(
            name,
            {
                settings: config.network,
                availabilityZones: config.availabilityZones,
                cidrPlan: config.cidrPlan,
                clusterName: config.clusterName,
                scope,
                kmsKeyArn: this.key.arn,
                protect,
            },
            childOpts,
        );
        this.cluster = new Cluster(
            name,
            { settings: config.cluster, clusterName: config.clusterName, network: this.network, kmsKeyArn: this.key.arn, scope, protect },
            childOpts,
        );
        const controllerNamespace = { name: PLATFORM_CONTROLLER_NAMESPACE, resource: this.cluster.namespaces[PLATFORM_CONTROLLER_NAMESPACE] };
        this.compute = new Compute(
            name,
            {
                settings: config.compute,
                clusterName: config.clusterName,
                cluster: this.cluster,
                network: this.network,
                controllerNamespace,
                instanceTypes: config.instanceTypes,
                kmsKeyArn: this.key.arn,
                scope,
                tags,
            },
            childOpts,
        );

        const context: PlatformContext = {
            scope,
            environment: config.environment,
            clusterName: config.clusterName,
            tags,
            key: this.key,
            network: this.network,
            cluster: this.cluster,
            nodesReady: this.compute.nodesReady,
            controllerNamespace,
            protect,
        };
        this.coreDns = new CoreDns(name, { context }, childOpts);
        this.storage = new Storage(name, { context, settings: config.storage }, childOpts);
        this.logging = new Logging(name, { context, settings: config.logging }, childOpts);
        if (config.mesh.backend !== "none") {
            this.mesh = new Mesh(name, { context, settings: config.mesh }, childOpts);
        }

        this.registerOutputs({ vpcId: this.network.vpcId, clusterName: this.cluster.name });
    }
}
