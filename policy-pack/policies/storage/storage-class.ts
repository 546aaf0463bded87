import { resourceGuardrail } from "../../lib/policy";
import { isTrue, recordAt, stringAt } from "../../lib/values";

export const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
const EBS_CSI_PROVISIONER = "ebs.csi.aws.com";
const FSX_CSI_PROVISIONER = "fsx.csi.aws.com";

// In-tree cloud provisioners were removed from Kubernetes (kubernetes.io/aws-ebs migrated to the
// EBS CSI driver); a StorageClass naming one depends on CSI migration shims.
const IN_TREE_PROVISIONER = /^kubernetes\.io\//;

export const storageClassEncryptedGp3 = resourceGuardrail({
    name: "storage-class-encrypted-gp3",
    description: "EBS StorageClasses provision encrypted gp3 volumes.",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific: "Checkov and trivy judge EBS volumes and launch templates, not the Kubernetes StorageClasses that provision them",
    remediation: 'Set parameters: { type: "gp3", encrypted: "true", kmsKeyId: <customer key ARN> } on the ebs.csi.aws.com StorageClass.',
    resourceTypes: [STORAGE_CLASS],
    validate: (storageClass, _config, report) => {
        if (storageClass.props.provisioner !== EBS_CSI_PROVISIONER) {
            return;
        }
        const parameters = recordAt(storageClass.props, "parameters") ?? {};
        // The EBS CSI driver's default volume type is gp3, and volumes are unencrypted unless asked.
        const volumeType = stringAt(parameters, "type") ?? "gp3";
        if (volumeType !== "gp3") {
            report(`Volume type is ${volumeType}, not gp3.`);
        }
        if (!isTrue(parameters.encrypted)) {
            report('parameters.encrypted is not "true".');
        }
    },
});

export const storageClassNoInTreeProvisioner = resourceGuardrail({
    name: "storage-class-no-in-tree-provisioner",
    description: "StorageClasses use CSI drivers, not removed in-tree provisioners such as kubernetes.io/aws-ebs.",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific: "a Kubernetes upgrade hazard (in-tree provisioners are removed), not a benchmark control",
    remediation: "Use provisioner ebs.csi.aws.com (EBS), efs.csi.aws.com (EFS) or fsx.csi.aws.com (FSx for Lustre) and install its add-on.",
    resourceTypes: [STORAGE_CLASS],
    validate: (storageClass, _config, report) => {
        const provisioner: unknown = storageClass.props.provisioner;
        if (typeof provisioner === "string" && IN_TREE_PROVISIONER.test(provisioner)) {
            report(`Provisioner ${provisioner} is an in-tree provisioner.`);
        }
    },
});

// FSx takes a customer key only on persistent deployment types; scratch file systems are always
// encrypted with FSx's own key, so a scratch class has nothing to set.
const PERSISTENT_LUSTRE = /^PERSISTENT_/;

export const storageClassLustreCustomerKey = resourceGuardrail({
    name: "storage-class-lustre-customer-key",
    description: "FSx for Lustre StorageClasses of a persistent deployment type create file systems encrypted with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific: "Checkov and trivy judge the FSx file systems a template declares, not the Kubernetes StorageClasses that create them on demand",
    remediation: "Set parameters.kmsKeyId to a customer-managed key ARN on the fsx.csi.aws.com StorageClass (PERSISTENT_1 and PERSISTENT_2 classes).",
    resourceTypes: [STORAGE_CLASS],
    validate: (storageClass, _config, report) => {
        if (storageClass.props.provisioner !== FSX_CSI_PROVISIONER) {
            return;
        }
        const parameters = recordAt(storageClass.props, "parameters") ?? {};
        const deploymentType = stringAt(parameters, "deploymentType") ?? "";
        if (PERSISTENT_LUSTRE.test(deploymentType) && !parameters.kmsKeyId) {
            report(`A ${deploymentType} class without parameters.kmsKeyId: every file system it creates is encrypted with the AWS-managed key.`);
        }
    },
});
