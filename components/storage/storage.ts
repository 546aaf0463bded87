import * as pulumi from "@pulumi/pulumi";
import { EbsStorage } from "./ebsStorage";
import { EfsStorage } from "./efsStorage";
import { FsxLustreStorage } from "./fsxLustreStorage";
import type { FileSystemNetwork, StorageContext } from "./driverParts";
import type { StorageSettings } from "./settings";

export interface StorageArgs extends StorageContext, FileSystemNetwork {
    /** Validated storage settings (defaults in ./settings.ts). */
    settings: StorageSettings;
    /** Region and account, for the FSx driver's IAM resource ARNs. */
    region: string;
    accountId: string;
    /** protect + retainOnDelete on the EFS and S3-linked FSx file systems (protection.protectStatefulResources). */
    protectFileSystems: boolean;
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
        const { settings, protectFileSystems: protect, ...context } = args;

        if (settings.ebs.enabled) {
            this.ebs = new EbsStorage(name, { ...context, settings: settings.ebs }, { parent: this });
        }
        if (settings.efs.enabled) {
            this.efs = new EfsStorage(name, { ...context, settings: settings.efs, protect }, { parent: this });
        }
        if (settings.fsx.enabled) {
            this.fsx = new FsxLustreStorage(name, { ...context, settings: settings.fsx, protect }, { parent: this });
        }

        this.registerOutputs({
            efsFileSystemId: this.efs?.fileSystem.id,
            fsxSecurityGroupId: this.fsx?.securityGroup.id,
        });
    }
}
