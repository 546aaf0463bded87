import type { ResourceView } from "../../lib/policy";
import { stackGuardrail } from "../../lib/policy";
import { isAllow, statementsOf } from "../../lib/iam";
import { resourcesOfType } from "../../lib/stack";
import { decideEach, UnknownValueError } from "../../lib/unknown";
import { asArray, isTrue } from "../../lib/values";

/** The tag by which a bucket declares itself a Pulumi state backend (the bootstrap project sets it). */
export const STATE_BUCKET_TAG = { key: "eks-platform:purpose", value: "pulumi-state" } as const;

const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

/** The configuration resources of a bucket, linked by the bucket's ID or name (`bucket` input). */
function configurationOf(stack: { resources: ResourceView[] }, bucket: ResourceView, type: string): ResourceView[] {
    const keys = [bucket.id, bucket.props.bucket].filter((key): key is string => typeof key === "string");
    if (keys.length === 0) {
        // A new bucket with a generated name has neither at preview.
        throw new UnknownValueError(`id of ${bucket.urn}`);
    }
    // The provider's deprecated V2 aliases (aws:s3/bucketVersioningV2:BucketVersioningV2, ...) configure buckets alike.
    const v2 = type.replace(/\/(\w+):(\w+)$/, "/$1V2:$2V2");
    return resourcesOfType(stack, type, v2).filter((resource) => keys.includes(resource.props.bucket as string));
}

function deniesInsecureTransport(policy: unknown): boolean {
    return (statementsOf(policy) ?? []).some(
        (statement) =>
            !isAllow(statement) &&
            asArray(statement.Action).some((action) => action === "s3:*" || action === "*") &&
            asArray((statement.Condition?.Bool as Record<string, unknown> | undefined)?.["aws:SecureTransport"] as string | string[] | undefined).includes(
                "false",
            ),
    );
}

/** What a state bucket lacks, one phrase per missing protection. */
function missingProtections(stack: { resources: ResourceView[] }, bucket: ResourceView): string[] {
    const of = (type: string) => configurationOf(stack, bucket, type);
    const missing: string[] = [];
    if (
        !of("aws:s3/bucketVersioning:BucketVersioning").some((v) => (v.props.versioningConfiguration as { status?: string } | undefined)?.status === "Enabled")
    ) {
        missing.push("versioning (every state file version recoverable) [CKV_AWS_21]");
    }
    const encryption = of("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").flatMap((c) =>
        asArray(c.props.rules as { applyServerSideEncryptionByDefault?: { sseAlgorithm?: string } }[] | undefined),
    );
    if (!encryption.some((rule) => rule.applyServerSideEncryptionByDefault?.sseAlgorithm?.startsWith("aws:kms"))) {
        missing.push("default encryption with a KMS key [CKV_AWS_145]");
    }
    const blocks = of("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
    if (!blocks.some((b) => ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((key) => isTrue(b.props[key])))) {
        missing.push("a public access block with all four settings on [CKV2_AWS_6]");
    }
    if (!of("aws:s3/bucketPolicy:BucketPolicy").some((policy) => deniesInsecureTransport(policy.props.policy))) {
        missing.push('a bucket policy denying requests without TLS (aws:SecureTransport "false") [Security Hub S3.5]');
    }
    if (of("aws:s3/bucketLogging:BucketLogging").length === 0) {
        missing.push("server access logging [CKV_AWS_18]");
    }
    const lifecycleRules = of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").flatMap((c) =>
        asArray(c.props.rules as { status?: string; noncurrentVersionExpiration?: unknown }[] | undefined),
    );
    if (!lifecycleRules.some((rule) => rule.status === "Enabled" && rule.noncurrentVersionExpiration !== undefined)) {
        missing.push("a lifecycle rule expiring old versions [CKV2_AWS_61]");
    }
    if (isTrue(bucket.props.forceDestroy)) {
        missing.push("protection from forceDestroy (it empties the bucket when the stack removes it)");
    }
    return missing;
}

// A stack rule: a bucket's protections are separate resources (versioning, encryption, policy...).
export const pulumiStateBucketProtected = stackGuardrail({
    name: "pulumi-state-bucket-protected",
    description:
        `A bucket tagged ${STATE_BUCKET_TAG.key}=${STATE_BUCKET_TAG.value} (a Pulumi state backend) is versioned, KMS-encrypted, ` +
        "private (public access block), TLS-only, access-logged, expires old versions, and cannot be force-destroyed.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_21", "CKV_AWS_145", "CKV2_AWS_6", "CKV_AWS_18", "CKV2_AWS_61", "Security Hub S3.5"],
    remediation:
        "Create the bucket with the bootstrap project (bootstrap/components/stateBackend.ts), or give it BucketVersioning (Enabled), " +
        "BucketServerSideEncryptionConfiguration (aws:kms), BucketPublicAccessBlock (all four true), a BucketPolicy denying " +
        'aws:SecureTransport "false", BucketLogging and a BucketLifecycleConfiguration with noncurrentVersionExpiration.',
    validate: (stack, _config, report) => {
        const stateBuckets = resourcesOfType(stack, ...BUCKET_TYPES).filter(
            (bucket) => (bucket.props.tags as Record<string, unknown> | undefined)?.[STATE_BUCKET_TAG.key] === STATE_BUCKET_TAG.value,
        );
        decideEach(stateBuckets, (bucket) => {
            const missing = missingProtections(stack, bucket);
            if (missing.length > 0) {
                report(`State bucket ${String(bucket.props.bucket ?? bucket.name)} lacks ${missing.join("; ")}.`, bucket.urn);
            }
        });
    },
});
