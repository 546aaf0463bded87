import * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "../capability";
import type { PolicyStatement } from "../iam/policyDocument";
import { type ManagedAddon, managedAddon } from "../common/managedAddon";

/** The EKS managed add-ons that install the three CSI drivers. */
type CsiAddonName = "aws-ebs-csi-driver" | "aws-efs-csi-driver" | "aws-fsx-csi-driver";

/**
 * Every CSI driver's controller runs in kube-system under a service account its add-on creates;
 * these are the names the add-ons (and the drivers' Helm charts) give them.
 */
const CONTROLLER_SERVICE_ACCOUNTS: Record<CsiAddonName, string> = {
    "aws-ebs-csi-driver": "ebs-csi-controller-sa",
    "aws-efs-csi-driver": "efs-csi-controller-sa",
    "aws-fsx-csi-driver": "fsx-csi-controller-sa",
};

const DRIVER_NAMESPACE = "kube-system";

/**
 * The Pulumi names of the storage components' auto-named AWS resources, from the component's name:
 * each CSI driver's add-on and IRSA role, and the EFS file system (its creation token).
 */
export function storageResourceNames(name: string) {
    return { ebsDriver: `${name}-ebs-csi`, efsDriver: `${name}-efs-csi`, fsxDriver: `${name}-fsx-csi`, efsFileSystem: `${name}-efs` };
}

/**
 * The resource options of every StorageClass. Its name is fixed, so a replacement must delete the
 * old class first (volumes already provisioned keep working without it). The API server refuses
 * any update of `parameters`, `provisioner`, `reclaimPolicy` and `volumeBindingMode`; the
 * Kubernetes provider replaces on the first two by itself but would send the other two as an
 * update that fails mid-`up`, so they are declared replacements here.
 */
export function storageClassOptions(context: PlatformContext, options: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
    return {
        ...options,
        provider: context.cluster.kubeProvider,
        deleteBeforeReplace: true,
        replaceOnChanges: ["reclaimPolicy", "volumeBindingMode"],
    };
}

/** What every storage component takes: the platform, and its own slice of the storage settings. */
export interface StorageComponentArgs<S> {
    context: PlatformContext;
    /** Validated settings (defaults in ./settings.ts). */
    settings: S;
}

export interface CsiDriverArgs {
    addon: CsiAddonName;
    /** What the controller's role is for, shown in IAM. */
    description: string;
    managedPolicyArns?: pulumi.Input<string>[];
    statements?: pulumi.Input<PolicyStatement[]>;
}

/**
 * A CSI driver as an EKS managed add-on whose controller service account, and only that one,
 * assumes an IRSA role. Node daemonsets keep no AWS identity: they mount, they call no AWS API.
 * EKS reports the add-on ACTIVE only once its controller runs, so it waits for the nodes.
 */
export function csiDriver(name: string, context: PlatformContext, args: CsiDriverArgs, parent: pulumi.Resource): ManagedAddon {
    return managedAddon(
        name,
        context,
        {
            addon: args.addon,
            role: {
                namespace: DRIVER_NAMESPACE,
                serviceAccount: CONTROLLER_SERVICE_ACCOUNTS[args.addon],
                managedPolicyArns: args.managedPolicyArns,
                policy: args.statements ? pulumi.output(args.statements).apply((Statement) => ({ Version: "2012-10-17" as const, Statement })) : undefined,
                description: args.description,
            },
            waitForNodes: true,
        },
        parent,
    );
}

/**
 * What a driver needs to create volumes encrypted with the platform key (EBS CSI driver docs,
 * "KMS key policy" for customer-managed keys): use of the key, and grants only for AWS resources
 * (the attached volume or file system), never for a principal of its choosing.
 */
export function customerKeyStatements(keyArn: pulumi.Input<string>): pulumi.Output<PolicyStatement[]> {
    return pulumi.output(keyArn).apply((arn): PolicyStatement[] => [
        {
            Sid: "GrantsForEncryptedVolumes",
            Effect: "Allow",
            Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
            Resource: arn,
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
        {
            Sid: "UsePlatformKey",
            Effect: "Allow",
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            Resource: arn,
        },
    ]);
}
