import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { csiDriver, customerKeyStatements, storageClassOptions, storageResourceNames, type StorageComponentArgs } from "./driverParts";
import { EBS_STORAGE_CLASS, type StorageSettings } from "./settings";

export type EbsStorageArgs = StorageComponentArgs<StorageSettings["ebs"]>;

/** Name of the StorageClass; claims that want block storage name it, or take it as the default. */

/** The StorageClass annotation Kubernetes reads to pick the class for claims that name none. */
const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

/**
 * Block storage: the EBS CSI driver add-on and an encrypted gp3 class. EKS still creates an in-tree
 * `gp2` class (kubernetes.io/aws-ebs) on every cluster but, since Kubernetes 1.30, without the
 * default annotation, so the class here is the only default; the add-on's own
 * `defaultStorageClass` option stays off for the same reason.
 */
export class EbsStorage extends pulumi.ComponentResource {
    readonly addon: aws.eks.Addon;
    readonly storageClass: k8s.storage.v1.StorageClass;

    constructor(name: string, args: EbsStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:storage:EbsStorage", name, {}, opts);
        const { settings, context } = args;

        const driver = csiDriver(
            storageResourceNames(name).ebsDriver,
            context,
            {
                addon: "aws-ebs-csi-driver",
                description: "EBS CSI driver controller: create, attach and snapshot the cluster's volumes",
                // V2 limits the driver to volumes and snapshots it tagged itself (ebs.csi.aws.com/cluster=true),
                // where the original policy reached every volume in the account. Its ARN has no service-role/ path.
                managedPolicyArns: [`arn:${context.scope.partition}:iam::aws:policy/AmazonEBSCSIDriverPolicyV2`],
                statements: customerKeyStatements(context.key.arn),
            },
            this,
        );
        this.addon = driver.addon;

        this.storageClass = new k8s.storage.v1.StorageClass(
            `${name}-gp3`,
            {
                metadata: {
                    name: EBS_STORAGE_CLASS,
                    annotations: { [DEFAULT_CLASS_ANNOTATION]: String(settings.defaultClass) },
                },
                provisioner: "ebs.csi.aws.com",
                parameters: {
                    type: "gp3",
                    "csi.storage.k8s.io/fstype": "ext4",
                    encrypted: "true",
                    kmsKeyId: context.key.arn,
                },
                // An EBS volume lives in one AZ: bind only once the pod is scheduled, so the volume is
                // created in the pod's zone instead of pinning the pod to wherever the volume landed.
                volumeBindingMode: "WaitForFirstConsumer",
                allowVolumeExpansion: true,
                reclaimPolicy: settings.reclaimPolicy,
            },
            storageClassOptions(context, { parent: this }),
        );

        this.registerOutputs({ storageClass: EBS_STORAGE_CLASS });
    }
}
