// The decisions about controls that the scanners' own sources cannot make, each with its reason, by
// family and control ID as the catalog spells it. This file is the one place such decisions live:
//
// - NOT_APPLICABLE: controls that cannot apply to what this program renders or lets users declare,
//   although their source names a type it does. The generator (gen-controls.ts) records them as not
//   applicable with this reason; everything else it decides from the sources (the types a control
//   inspects, deprecation, flags of components EKS runs).
// - LEFT_OUT: applicable controls the pack deliberately does not implement. They count against
//   coverage and are listed with the reason in docs/guardrails.md.
//
// Tests fail when a NOT_APPLICABLE pattern matches no control, or a LEFT_OUT entry names a control
// that is not applicable or that a rule now implements, so the lists only ever hold real decisions.
import type { FamilyName } from "./catalog";

export const NOT_APPLICABLE: Partial<Record<FamilyName, ReadonlyArray<readonly [RegExp, string]>>> = {
    "CIS EKS": [
        [/^3\.1\.\d+$/, "ownership and permissions of files on the worker node, set by the EKS-optimized AMI; a program declares none of them"],
        [/^5\.1\.1$/, "image scanning is a setting of the registry; the program creates no image repository"],
        [/^5\.5\.1$/, "concerns the client tooling people authenticate with (aws-iam-authenticator, AWS CLI), not the cluster's resources"],
    ],
    "trivy Kubernetes": [
        [
            /^KSV-01011$/,
            "trivy reports it only on GKE clusters (its rule requires a -gke version); on EKS, rbac-bindings-restricted rejects bindings to system:authenticated",
        ],
    ],
};

export const LEFT_OUT: Partial<Record<FamilyName, Record<string, string>>> = {
    "Checkov AWS": {
        CKV_AWS_19:
            "Checkov passes a bucket without an encryption configuration (S3 encrypts every object with SSE-S3 by default) and fails only an " +
            "algorithm other than AES256 and aws:kms, that is aws:kms:dsse, dual-layer encryption under a customer key; s3-bucket-encrypted-with-customer-key " +
            "asks for more than the control (a customer key) and accepts that one stronger algorithm.",
        CKV_AWS_143:
            "S3 Object Lock can only be turned on when a bucket is created and makes every object undeletable for its retention period; the log archive " +
            "and the delivery logs bucket expire logs by lifecycle, the state bucket expires old state versions, and versioning (s3-bucket-versioned) " +
            "with protect/retainOnDelete guards against deletion.",
        CKV_AWS_144:
            "Cross-region replication needs a bucket, a key and a role in a second region for every bucket; the platform's buckets hold logs and " +
            "Pulumi state, which versioning recovers in the region, and a regional outage that takes the state bucket also takes the stacks it " +
            "describes. An organization that keeps a second region adds replication to its account baseline.",
        CKV_AWS_355:
            'It flags every action that supports resource-level permissions granted on "*", reads included; the pack rejects writes, permissions ' +
            'management and tagging on "*" (iam-resources-match-actions) and the reads that return credentials or data (iam-no-unconstrained-secrets), ' +
            'and accepts other reads on "*", which controllers need for describe and list calls.',
        CKV2_AWS_5:
            "A security group that nothing uses admits nothing; each group the platform creates (VPC endpoints, EFS mount targets, FSx, nodes, the bootstrap's CodeBuild runners) is " +
            "created for the resource it protects and attached to it in the same component, and what every group admits is judged by " +
            "security-group-no-world-ingress and security-group-egress-justified.",
        CKV2_AWS_62:
            "The platform's buckets (the log archive, the delivery logs bucket, the Pulumi state bucket) are written by log delivery and Pulumi and " +
            "read by people and Pulumi; nothing acts on new objects, so event notifications would have no consumer.",
        CKV2_AWS_73:
            "As trivy's AWS-0135: the only queue, the Spot interruption queue, carries EC2 instance-state events and no customer data; SSE-SQS " +
            "encrypts it (sqs-queue-encrypted) without granting EventBridge use of a customer key.",
    },
    "trivy AWS": {
        "AWS-0135":
            "The only queue, the Spot interruption queue, carries EC2 instance-state events and no customer data; SSE-SQS encrypts it " +
            "(sqs-queue-encrypted) without granting EventBridge use of a customer key.",
        "AWS-0170": "MFA delete can be enabled only by the account's root user with an MFA device, through the API; no infrastructure-as-code tool can set it.",
    },
    "CIS EKS": {
        "4.4.2":
            "A manual recommendation on where secrets are stored, not a property of a rendered object; container-no-secrets-in-env and " +
            "configmap-no-credentials check the objects.",
        "4.5.1":
            "A manual, organisational recommendation; its observable part is enforced by workload-not-in-default-namespace and workload-not-in-kube-system.",
        "5.4.5": "The program renders no load balancer and no Service of type LoadBalancer yet; the rule comes with load balancing.",
    },
    "Checkov Kubernetes": {
        CKV_K8S_15:
            "Pinned images (container-image-pinned, digests in prod) already make the cached image the intended one; imagePullPolicy: Always adds a " +
            "registry round-trip to every pod start and keeps pods from starting while the registry is unreachable.",
        CKV_K8S_29:
            "A pod-level securityContext is only one of two places for the settings the pss-* and container-* rules check by their effective value " +
            "in every container; its presence alone proves nothing.",
    },
    "trivy Kubernetes": {
        "KSV-0107":
            "The plan's schema check rejects every beta or alpha apiVersion of a built-in API group (every deprecated or removed one among them) " +
            "before the pack runs.",
        "KSV-0118":
            "As CKV_K8S_29: a container with an empty securityContext already fails pss-privilege-escalation, and the pod-level context matters only " +
            "through the settings the pss-* rules check.",
        "KSV-01010":
            "It flags e-mail addresses, hashes and any key containing 'key' in ConfigMaps, which is noise on configuration files; " +
            "configmap-no-credentials (AVD-KSV-0109) covers credentials.",
    },
};
