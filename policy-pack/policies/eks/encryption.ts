import { resourceGuardrail } from "../../lib/policy";
import { CLUSTER_TYPES, secretsEncryptionKeyArn } from "../../lib/clusters";

export const eksSecretsEncryption = resourceGuardrail({
    name: "eks-secrets-encryption",
    description: "Kubernetes Secrets are envelope-encrypted with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_58", "AVD-AWS-0039", "CIS EKS 5.3.1"],
    remediation:
        "eks.Cluster: set encryptionConfigKeyArn to a KMS key with rotation on. " +
        'aws.eks.Cluster: set encryptionConfig { provider: { keyArn }, resources: ["secrets"] }.',
    resourceTypes: CLUSTER_TYPES,
    validate: (cluster, _config, report) => {
        if (!secretsEncryptionKeyArn(cluster)) {
            report("Secrets are not encrypted with a KMS key.");
        }
    },
});
