import * as pulumi from "@pulumi/pulumi";
import { EbsStorage } from "./ebsStorage";
import { EfsStorage } from "./efsStorage";
import { FsxLustreStorage } from "./fsxLustreStorage";
import type { StorageComponentArgs } from "./driverParts";
import type { StorageSettings } from "./settings";

/**
 * The three CSI storage options, each switchable per environment: EBS block volumes (one pod, one
 * AZ), EFS shared files (many pods, every AZ) and FSx for Lustre (many pods, one AZ, hundreds of
 * MB/s per TiB, S3-linked).
 */
export class Storage extends pulumi.ComponentResource {
    readonly ebs?: EbsStorage;
    readonly efs?: EfsStorage;
    readonly fsx?: FsxLustreStorage;

    constructor(name: string, args: StorageComponentArgs<StorageSettings>, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:storage:Storage", name, {}, opts);
        const { settings, context } = args;

        if (settings.ebs.enabled) {
            this.ebs = new EbsStorage(name, { context, settings: settings.ebs }, { parent: this });
        }
        if (settings.efs.enabled) {
            this.efs = new EfsStorage(name, { context, settings: settings.efs }, { parent: this });
        }
        if (settings.fsx.enabled) {
            this.fsx = new FsxLustreStorage(name, { context, settings: settings.fsx }, { parent: this });
        }

        this.registerOutputs({
            efsFileSystemId: this.efs?.fileSystem.id,
            fsxSecurityGroupId: this.fsx?.securityGroup.id,
        });
    }
}
