import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument } from "../iam/policyDocument";
import type { LoggingSettings } from "./settings";

export interface LogBucketArgs {
    /** Globally unique bucket name (validated by validateLogging). */
    bucketName: string;
    /** Customer-managed key for SSE-KMS. */
    kmsKeyArn: pulumi.Input<string>;
    /** Transition and expiry days (validated: IA >= 30, Glacier >= IA + 30, expiry after Glacier). */
    lifecycle: LoggingSettings["s3"];
    /** Key prefix the lifecycle tiers, e.g. "fluent-bit-logs/". */
    logPrefix: string;
    /** Key prefix of Athena's query results, which expire after `lifecycle.athena.resultsExpirationDays`, e.g. "athena-results/". */
    resultsPrefix: string;
    /** protect + retainOnDelete on the bucket. */
    protect: boolean;
}

/** Refuses every request that does not arrive over TLS, whoever makes it. */
export function denyInsecureTransport(bucketArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucketArn, `${bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

/**
 * What keeps a bucket private and its objects recoverable: ACLs disabled (owner-enforced), public
 * access blocked, versioning, and default encryption, SSE-KMS with an S3 Bucket Key when a key is
 * given (one KMS call per bucket key rather than per object), else SSE-S3.
 */
export function privateBucketSettings(name: string, bucket: pulumi.Input<string>, kmsKeyArn: pulumi.Input<string> | undefined, parent: pulumi.Resource) {
    const ownership = new aws.s3.BucketOwnershipControls(name, { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent });
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
        name,
        { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        { parent },
    );
    const versioning = new aws.s3.BucketVersioning(name, { bucket, versioningConfiguration: { status: "Enabled" } }, { parent });
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
        name,
        {
            bucket,
            rules: [
                kmsKeyArn
                    ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn }, bucketKeyEnabled: true }
                    : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
            ],
        },
        { parent },
    );
    return { ownership, publicAccess, versioning, encryption };
}

/**
 * The long-term log archive: private (public access blocked, ACLs disabled), versioned, SSE-KMS with
 * the platform key and an S3 Bucket Key (one KMS call per bucket key rather than per object, which
 * is what keeps SSE-KMS affordable for millions of small log objects), TLS only, and tiered to
 * Standard-IA then Glacier before it expires.
 */
export class LogBucket extends pulumi.ComponentResource {
    readonly bucket: aws.s3.Bucket;
    readonly arn: pulumi.Output<string>;
    /** Resources that must exist before anything writes to the bucket. */
    readonly ready: pulumi.Resource[];

    constructor(name: string, args: LogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:logging:LogBucket", name, {}, opts);
        const { lifecycle } = args;
        this.bucket = new aws.s3.Bucket(
            name,
            // Never forceDestroy: an archive that a stack removal could empty is not an archive.
            {
                bucket: args.bucketName,
                forceDestroy: false,
                tags: {
                    // Server access logs would need a second bucket per environment; reads of the archive are
                    // better recorded by CloudTrail S3 data events, which the account's trail owns.
                    "eks-platform:access-logs-exempt": "log archive written only by Fluent Bit: record reads with CloudTrail S3 data events",
                },
            },
            { parent: this, protect: args.protect, retainOnDelete: args.protect },
        );
        this.arn = this.bucket.arn;
        const bucket = this.bucket.id;

        const { ownership, publicAccess, versioning, encryption } = privateBucketSettings(name, bucket, args.kmsKeyArn, this);
        const policy = new aws.s3.BucketPolicy(
            name,
            { bucket, policy: this.bucket.arn.apply((arn) => JSON.stringify(denyInsecureTransport(arn))) },
            // S3 rejects policy writes while a public access block is being applied concurrently.
            { parent: this, dependsOn: [publicAccess] },
        );
        new aws.s3.BucketLifecycleConfiguration(
            name,
            {
                bucket,
                rules: [
                    {
                        id: "tier-then-expire-logs",
                        status: "Enabled",
                        filter: { prefix: args.logPrefix },
                        transitions: [
                            { days: lifecycle.transitionToIaDays, storageClass: "STANDARD_IA" },
                            { days: lifecycle.transitionToGlacierDays, storageClass: "GLACIER" },
                        ],
                        expiration: { days: lifecycle.expirationDays },
                        // Versioning turns expiry into a delete marker; this is what frees the bytes.
                        noncurrentVersionExpiration: { noncurrentDays: lifecycle.noncurrentVersionDays },
                        // Fluent Bit uploads multipart; parts of an upload cut short by a node loss cost storage until aborted.
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                    {
                        // Query results are working files: kept long enough to download, never tiered.
                        id: "expire-query-results",
                        status: "Enabled",
                        filter: { prefix: args.resultsPrefix },
                        expiration: { days: lifecycle.athena.resultsExpirationDays },
                        noncurrentVersionExpiration: { noncurrentDays: 1 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                    },
                    { id: "remove-expired-delete-markers", status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true } },
                ],
            },
            // Lifecycle rules on a versioned bucket must follow the versioning configuration.
            { parent: this, dependsOn: [versioning] },
        );
        this.ready = [ownership, publicAccess, versioning, encryption, policy];
        this.registerOutputs({ arn: this.arn });
    }
}
