import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { csiDriver, storageClassOptions, storageResourceNames, type StorageComponentArgs } from "./driverParts";
import { EFS_STORAGE_CLASS, type StorageSettings } from "./settings";

/** protect + retainOnDelete on the file system follows context.protect. */
export type EfsStorageArgs = StorageComponentArgs<StorageSettings["efs"]>;

const NFS_PORT = 2049;

/**
 * Shared, regional file storage: one encrypted EFS file system reachable from every private AZ,
 * the EFS CSI driver add-on, and a class that gives each claim its own access point (directory,
 * owner and group) on that file system.
 */
export class EfsStorage extends pulumi.ComponentResource {
    readonly fileSystem: aws.efs.FileSystem;
    readonly securityGroup: aws.ec2.SecurityGroup;
    readonly addon: aws.eks.Addon;
    readonly storageClass: k8s.storage.v1.StorageClass;

    constructor(name: string, args: EfsStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:storage:EfsStorage", name, {}, opts);
        const { settings, context } = args;
        const { cluster, clusterName, network } = context;

        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-efs`,
            { vpcId: network.vpcId, description: "NFS from cluster nodes and pods to the EFS mount targets", tags: { Name: `${clusterName}-efs` } },
            { parent: this },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-efs-nfs-nodes`,
            {
                securityGroupId: this.securityGroup.id,
                referencedSecurityGroupId: cluster.nodeSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: NFS_PORT,
                toPort: NFS_PORT,
                description: "NFS from the node security group",
            },
            { parent: this },
        );
        // Under custom networking pods have secondary-CIDR addresses, which no node-subnet rule covers.
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-efs-nfs-pods`,
            {
                securityGroupId: this.securityGroup.id,
                cidrIpv4: network.podCidr,
                ipProtocol: "tcp",
                fromPort: NFS_PORT,
                toPort: NFS_PORT,
                description: `NFS from pods (${network.podCidr})`,
            },
            { parent: this },
        );

        this.fileSystem = new aws.efs.FileSystem(
            storageResourceNames(name).efsFileSystem,
            {
                encrypted: true,
                kmsKeyId: context.key.arn,
                performanceMode: "generalPurpose",
                throughputMode: settings.throughputMode,
                provisionedThroughputInMibps: settings.throughputMode === "provisioned" ? settings.provisionedThroughputMibps : undefined,
                // Cold files move to Infrequent Access, and back to Standard on their first read.
                lifecyclePolicies: [{ transitionToIa: settings.transitionToIa }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
                tags: { Name: `${clusterName}-efs` },
            },
            { parent: this, protect: context.protect, retainOnDelete: context.protect },
        );
        new aws.efs.BackupPolicy(
            `${name}-efs-backup`,
            { fileSystemId: this.fileSystem.id, backupPolicy: { status: settings.backups ? "ENABLED" : "DISABLED" } },
            { parent: this },
        );
        const mountTargets = Object.entries(network.privateSubnetIds).map(
            ([zone, subnetId]) =>
                new aws.efs.MountTarget(
                    `${name}-efs-${zone}`,
                    { fileSystemId: this.fileSystem.id, subnetId, securityGroups: [this.securityGroup.id] },
                    { parent: this },
                ),
        );

        const driver = csiDriver(
            storageResourceNames(name).efsDriver,
            context,
            {
                addon: "aws-efs-csi-driver",
                description: "EFS CSI driver controller: create and delete access points for claims",
                managedPolicyArns: [`arn:${context.scope.partition}:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy`],
            },
            this,
        );
        this.addon = driver.addon;

        this.storageClass = new k8s.storage.v1.StorageClass(
            `${name}-efs`,
            {
                metadata: { name: EFS_STORAGE_CLASS },
                provisioner: "efs.csi.aws.com",
                parameters: {
                    provisioningMode: "efs-ap",
                    fileSystemId: this.fileSystem.id,
                    directoryPerms: settings.directoryPerms,
                    gidRangeStart: String(settings.gidRangeStart),
                    gidRangeEnd: String(settings.gidRangeEnd),
                },
                // EFS is regional: a claim bound now is mountable from whichever zone the pod lands in.
                volumeBindingMode: "Immediate",
                reclaimPolicy: settings.reclaimPolicy,
            },
            // Pods cannot mount until a mount target exists in their zone.
            storageClassOptions(context, { parent: this, dependsOn: mountTargets }),
        );

        this.registerOutputs({ fileSystemId: this.fileSystem.id, storageClass: EFS_STORAGE_CLASS });
    }
}
