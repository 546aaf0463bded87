import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "../iam/policyDocument";
import type { AwsScope } from "../capability";
import { csiDriver, customerKeyStatements, storageClassOptions, storageResourceNames, type StorageComponentArgs } from "./driverParts";
import { isPersistent, LUSTRE_VERSION } from "./lustre";
import { DEFAULT_LUSTRE_CLASS_NAME, FsxSettings, LustreClass, perUnitStorageThroughputOf, S3DataRepository } from "./settings";

/** protect + retainOnDelete on the S3-linked file system follows context.protect. */
export type FsxLustreStorageArgs = StorageComponentArgs<FsxSettings>;

/** LNet (988) and the Lustre server ports (1018-1023), from FSx's "File system access control with Amazon VPC". */
const LUSTRE_PORT_RANGES = [
    { fromPort: 988, toPort: 988 },
    { fromPort: 1018, toPort: 1023 },
] as const;

/** The tag the FSx CSI driver puts on every file system it creates; its role may only delete or resize those. */
const DRIVER_VOLUME_TAG = "CSIVolumeName";

/**
 * High-throughput scratch or persistent Lustre for ML and HPC: the FSx CSI driver add-on, one or
 * more classes that each create one file system per claim (a SCRATCH_2 class for jobs that can
 * regenerate their data beside a PERSISTENT_2 class with backups), and optionally one file system
 * linked to an S3 bucket, exposed as a PersistentVolume so training jobs read the data set at Lustre speed.
 */
export class FsxLustreStorage extends pulumi.ComponentResource {
    readonly securityGroup: aws.ec2.SecurityGroup;
    readonly addon: aws.eks.Addon;
    /** By class name, in the order of storage.fsx.classes. */
    readonly storageClasses: Record<string, k8s.storage.v1.StorageClass> = {};
    readonly s3LinkedFileSystem?: aws.fsx.LustreFileSystem;

    constructor(name: string, args: FsxLustreStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:storage:FsxLustreStorage", name, {}, opts);
        const { settings, context } = args;
        const { network } = context;
        const zone = settings.availabilityZone ?? Object.keys(network.privateSubnetIds)[0];
        const subnetId = network.privateSubnetIds[zone];
        // The driver needs the key only when some class creates encrypted (persistent) file systems.
        const driverUsesKey = settings.classes.some((c) => isPersistent(c.deploymentType));

        this.securityGroup = this.createSecurityGroup(name, context);

        const driver = csiDriver(
            storageResourceNames(name).fsxDriver,
            context,
            {
                addon: "aws-fsx-csi-driver",
                description: "FSx for Lustre CSI driver controller: create, resize and delete the file systems of claims",
                statements: fsxDriverStatements(context.scope, driverUsesKey ? context.key.arn : undefined),
            },
            this,
        );
        this.addon = driver.addon;

        for (const lustreClass of settings.classes) {
            this.storageClasses[lustreClass.name] = new k8s.storage.v1.StorageClass(
                `${name}-fsx-${lustreClass.name}`,
                {
                    metadata: { name: lustreClass.name },
                    provisioner: "fsx.csi.aws.com",
                    parameters: { subnetId, securityGroupIds: this.securityGroup.id, ...lustreClassParameters(lustreClass, context.key.arn) },
                    mountOptions: ["flock"],
                    // A file system is reachable from every zone of the VPC, so binding need not wait for the pod.
                    volumeBindingMode: "Immediate",
                    allowVolumeExpansion: lustreClass.deploymentType !== "SCRATCH_1",
                    reclaimPolicy: lustreClass.reclaimPolicy,
                },
                storageClassOptions(context, {
                    parent: this,
                    // The one class of earlier versions keeps its identity in the stack's state.
                    aliases: lustreClass.name === DEFAULT_LUSTRE_CLASS_NAME ? [{ name: `${name}-fsx` }] : [],
                }),
            );
        }

        if (settings.s3DataRepository) {
            this.s3LinkedFileSystem = this.createS3LinkedVolume(name, context, settings.s3DataRepository, subnetId);
        }

        this.registerOutputs({ storageClasses: settings.classes.map((c) => c.name), securityGroupId: this.securityGroup.id });
    }

    /**
     * Lustre clients and servers open connections both ways on the LNet ports, and the file
     * servers of one file system talk among themselves: the file system's group admits itself,
     * nodes and pods, may reach them in turn, and the node group admits the file servers.
     */
    private createSecurityGroup(name: string, { network, cluster, clusterName }: FsxLustreStorageArgs["context"]): aws.ec2.SecurityGroup {
        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-fsx`,
            { vpcId: network.vpcId, description: "Lustre between FSx file servers, cluster nodes and pods", tags: { Name: `${clusterName}-fsx-lustre` } },
            { parent: this },
        );
        const peers = [
            { peer: "self", rule: { referencedSecurityGroupId: securityGroup.id }, description: "FSx file servers" },
            { peer: "nodes", rule: { referencedSecurityGroupId: cluster.nodeSecurityGroupId }, description: "cluster nodes" },
            { peer: "pods", rule: { cidrIpv4: network.podCidr }, description: `pods (${network.podCidr})` },
        ];
        for (const ports of LUSTRE_PORT_RANGES) {
            const range = ports.fromPort === ports.toPort ? `${ports.fromPort}` : `${ports.fromPort}-${ports.toPort}`;
            for (const { peer, rule, description } of peers) {
                new aws.vpc.SecurityGroupIngressRule(
                    `${name}-fsx-in-${peer}-${range}`,
                    { securityGroupId: securityGroup.id, ipProtocol: "tcp", ...ports, ...rule, description: `Lustre ${range} from ${description}` },
                    { parent: this },
                );
                new aws.vpc.SecurityGroupEgressRule(
                    `${name}-fsx-out-${peer}-${range}`,
                    { securityGroupId: securityGroup.id, ipProtocol: "tcp", ...ports, ...rule, description: `Lustre ${range} to ${description}` },
                    { parent: this },
                );
            }
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-nodes-from-fsx-${range}`,
                {
                    securityGroupId: cluster.nodeSecurityGroupId,
                    referencedSecurityGroupId: securityGroup.id,
                    ipProtocol: "tcp",
                    ...ports,
                    description: `Lustre ${range} from FSx file servers`,
                },
                { parent: this },
            );
        }
        return securityGroup;
    }

    private createS3LinkedVolume(
        name: string,
        context: FsxLustreStorageArgs["context"],
        repository: S3DataRepository,
        subnetId: pulumi.Input<string>,
    ): aws.fsx.LustreFileSystem {
        const persistent = isPersistent(repository.deploymentType);
        const fileSystem = new aws.fsx.LustreFileSystem(
            `${name}-s3-linked`,
            {
                storageCapacity: repository.storageCapacityGiB,
                subnetIds: subnetId,
                securityGroupIds: [this.securityGroup.id],
                deploymentType: repository.deploymentType,
                perUnitStorageThroughput: perUnitStorageThroughputOf(repository),
                kmsKeyId: persistent ? context.key.arn : undefined,
                dataCompressionType: repository.dataCompression,
                fileSystemTypeVersion: LUSTRE_VERSION,
                ...backupsOf(repository),
                tags: { Name: `${context.clusterName}-${repository.volumeName}` },
            },
            { parent: this, protect: context.protect, retainOnDelete: context.protect },
        );
        const association = new aws.fsx.DataRepositoryAssociation(
            `${name}-s3-linked`,
            {
                fileSystemId: fileSystem.id,
                dataRepositoryPath: `s3://${repository.bucketName}/${repository.prefix.replace(/([^/])$/, "$1/")}`,
                fileSystemPath: repository.fileSystemPath,
                // List the bucket's objects at once, then follow the bucket: the data set is read-mostly,
                // so nothing exports back and S3 stays the source of truth.
                batchImportMetaDataOnCreate: true,
                s3: { autoImportPolicy: { events: ["NEW", "CHANGED", "DELETED"] } },
                deleteDataInFilesystem: false,
            },
            { parent: this },
        );
        new k8s.core.v1.PersistentVolume(
            `${name}-s3-linked`,
            {
                metadata: { name: repository.volumeName },
                spec: {
                    capacity: { storage: `${repository.storageCapacityGiB}Gi` },
                    volumeMode: "Filesystem",
                    accessModes: ["ReadWriteMany"],
                    mountOptions: ["flock"],
                    // The file system outlives any claim on it; only this program deletes it.
                    persistentVolumeReclaimPolicy: "Retain",
                    // Empty class: only a claim that names this volume binds it, never one asking for a class.
                    storageClassName: "",
                    csi: {
                        driver: "fsx.csi.aws.com",
                        volumeHandle: fileSystem.id,
                        volumeAttributes: { dnsname: fileSystem.dnsName, mountname: fileSystem.mountName },
                    },
                },
            },
            { parent: this, provider: context.cluster.kubeProvider, dependsOn: [association] },
        );
        return fileSystem;
    }
}

/** A persistent file system's backups; the names are both the FSx argument's and the CSI driver's parameter's. */
interface LustreBackups {
    automaticBackupRetentionDays?: number;
    dailyAutomaticBackupStartTime?: string;
    copyTagsToBackups?: boolean;
}

/**
 * Backups of a persistent file system: retention, start time, and the file system's tags copied onto
 * each backup so a backup is traceable to its claim. Nothing when retention is unset or 0.
 */
function backupsOf(fileSystem: LustreClass | S3DataRepository): LustreBackups {
    if (!fileSystem.automaticBackupRetentionDays) {
        return {};
    }
    const { automaticBackupRetentionDays, dailyAutomaticBackupStartTime } = fileSystem;
    return { automaticBackupRetentionDays, ...(dailyAutomaticBackupStartTime === undefined ? {} : { dailyAutomaticBackupStartTime }), copyTagsToBackups: true };
}

/**
 * The FSx CSI driver's StorageClass parameters for a class (names as the driver's controller reads
 * them, aws-fsx-csi-driver pkg/driver/controller.go), every value a string. Throughput, the key and
 * backups only on persistent types, the only ones FSx accepts them on.
 */
export function lustreClassParameters(lustreClass: LustreClass, keyArn: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
    const parameters = { deploymentType: lustreClass.deploymentType, dataCompressionType: lustreClass.dataCompression, fileSystemTypeVersion: LUSTRE_VERSION };
    if (!isPersistent(lustreClass.deploymentType)) {
        return parameters;
    }
    const backups = Object.entries(backupsOf(lustreClass)).map(([parameter, value]): [string, string] => [parameter, String(value)]);
    return { ...parameters, perUnitStorageThroughput: String(perUnitStorageThroughputOf(lustreClass)), kmsKeyId: keyArn, ...Object.fromEntries(backups) };
}

/**
 * The FSx CSI driver's documented permissions (aws-fsx-csi-driver docs/install.md), narrowed:
 * it may delete or resize only file systems that carry its own volume tag, so the S3-linked file
 * system and anything else in the account is out of its reach. The S3 data-source role statements
 * are left out: the driver never links buckets here.
 */
function fsxDriverStatements(scope: AwsScope, kmsKeyArn: pulumi.Input<string> | undefined): pulumi.Output<PolicyStatement[]> {
    const { partition, region, accountId } = scope;
    // Every write action here authorises against a resource type, so each is limited to ARNs of
    // that type in this account and region, never "*" (Service Authorization Reference, Amazon FSx
    // and IAM). DescribeFileSystems has no resource-level permissions.
    const fileSystems = `arn:${partition}:fsx:${region}:${accountId}:file-system/*`;
    const statements: PolicyStatement[] = [
        {
            Sid: "FsxServiceLinkedRole",
            Effect: "Allow",
            Action: "iam:CreateServiceLinkedRole",
            Resource: `arn:${partition}:iam::${accountId}:role/aws-service-role/fsx.amazonaws.com/*`,
            Condition: { StringLike: { "iam:AWSServiceName": "fsx.amazonaws.com" } },
        },
        { Sid: "DescribeFileSystems", Effect: "Allow", Action: "fsx:DescribeFileSystems", Resource: "*" },
        { Sid: "CreateFileSystems", Effect: "Allow", Action: ["fsx:CreateFileSystem", "fsx:TagResource"], Resource: fileSystems },
        {
            Sid: "ChangeOnlyDriverFileSystems",
            Effect: "Allow",
            Action: ["fsx:DeleteFileSystem", "fsx:UpdateFileSystem"],
            Resource: fileSystems,
            Condition: { Null: { [`aws:ResourceTag/${DRIVER_VOLUME_TAG}`]: "false" } },
        },
    ];
    return kmsKeyArn === undefined ? pulumi.output(statements) : customerKeyStatements(kmsKeyArn).apply((kms) => [...statements, ...kms]);
}
