// Applicable controls the pack deliberately does not implement, each with the reason, by family and
// control ID as the catalog spells it. A test fails when an entry names a control that is not
// applicable or that a rule now implements, so the list only ever holds real decisions.
import type { FamilyName } from "./catalog";

export const LEFT_OUT: Partial<Record<FamilyName, Record<string, string>>> = {
    "Checkov AWS": {
        CKV_AWS_143:
            "S3 Object Lock can only be turned on when a bucket is created and makes every object undeletable for its retention period; the log archive " +
            "expires logs by lifecycle per environment, and versioning (s3-bucket-versioned) with protect/retainOnDelete guards against deletion.",
        CKV_AWS_355:
            'It flags every action that supports resource-level permissions granted on "*", reads included; the pack rejects writes, permissions ' +
            'management and tagging on "*" (iam-resources-match-actions) and the reads that return credentials or data (iam-no-unconstrained-secrets), ' +
            'and accepts other reads on "*", which controllers need for describe and list calls.',
    },
    "trivy AWS": {
        "AWS-0135":
            "The only queue, the Spot interruption queue, carries EC2 instance-state events and no customer data; SSE-SQS encrypts it " +
            "(sqs-queue-encrypted) without granting EventBridge use of a customer key.",
        "AWS-0170": "MFA delete can be enabled only by the account's root user with an MFA device, through the API; no infrastructure-as-code tool can set it.",
    },
    "CIS EKS": {
        "5.4.5": "The program renders no load balancer and no Service of type LoadBalancer yet; the rule comes with load balancing.",
    },
};
