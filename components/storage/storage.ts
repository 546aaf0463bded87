import * as pulumi from "@pulumi/pulumi";
import type { ClusterHandle } from "../cluster/handle";
import { EbsStorage } from "./ebsStorage";
import { EfsStorage } from "./efsStorage";
import { FsxLustreStorage } from "./fsxLustreStorage";
import type { StorageSettings } from "./settings";

export interface StorageArgs {
    /** Validated storage settings (defaults in ./settings.ts). */
    settings: StorageSettings;
    /** The cluster the drivers and classes are installed into. */
    cluster: ClusterHandle;
    clusterName: string;
    vpcId: pulumi.Input<string>;
    /** Private (node) subnet per AZ. */
    privateSubnetIds: Record<string, pulumi.Input<string>>;
    /** Secondary CIDR of the pods (network.podCidr). */
    podCidr: string;
    /** The platform key: EBS volumes, the EFS file system and persistent Lustre file systems are encrypted with it. */
    kmsKeyArn: pulumi.Input<string>;
    /** AWS partition of the account, for managed policy ARNs. */
    partition: string;
    /** Region and account the stack deploys into, for the resource ARNs of driver policies. */
    region: string;
    accountId: string;
    /** protect + retainOnDelete on the EFS and S3-linked FSx file systems (protection.protectStatefulResources). */
    protectFileSystems: boolean;
    /** Resources every driver add-on waits for: the node groups, since EKS reports an add-on ACTIVE only once its controller runs. Default none. */
    addonDependsOn?: pulumi.Resource[];
}

/**
 * The three CSI storage options, each switchable per environment: EBS block volumes (one pod, one
 * AZ), EFS shared files (many pods, every AZ) and FSx for Lustre (many pods, one AZ, hundreds of
 * MB/s per TiB, S3-linked).
 */
export class Storage extends pulumi.ComponentResource {
    readonly ebs?: EbsStorage;
    readonly efs?: EfsStorage;
    readonly fsx?: FsxLustreStorage;

    constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:storage:Storage", name, {}, opts);
        const { settings } = args;
        const shared = { cluster: args.cluster, kmsKeyArn: args.kmsKeyArn, addonDependsOn: args.addonDependsOn };
        const network = { clusterName: args.clusterName, vpcId: args.vpcId, privateSubnetIds: args.privateSubnetIds, podCidr: args.podCidr };

        if (settings.ebs.enabled) {
            this.ebs = new EbsStorage(name, { ...shared, settings: settings.ebs, partition: args.partition }, { parent: this });
        }
        if (settings.efs.enabled) {
            this.efs = new EfsStorage(name, { ...shared, ...network, settings: settings.efs, partition: args.partition, protect: args.protectFileSystems }, { parent: this });
        }
        if (settings.fsx.enabled) {
            this.fsx = new FsxLustreStorage(
                name,
                { ...shared, ...network, settings: settings.fsx, partition: args.partition, region: args.region, accountId: args.accountId, protect: args.protectFileSystems },
                { parent: this },
            );
        }

        this.registerOutputs({
            efsFileSystemId: this.efs?.fileSystem.id,
            fsxSecurityGroupId: this.fsx?.securityGroup.id,
        });
    }
}
