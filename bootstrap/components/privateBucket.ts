import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument, PolicyStatement } from "../../components/iam/policyDocument";
import { denyInsecureTransport, privateBucketSettings } from "../../components/logging/logBucket";

export interface PrivateBucketArgs {
    /** Globally unique bucket name (validated with the stack's settings). */
    bucketName: string;
    /** SSE-KMS with this key and an S3 Bucket Key; without it SSE-S3, which S3 access-log delivery requires of its target. */
    kmsKeyArn?: pulumi.Input<string>;
    /** Statements the bucket policy holds besides the TLS-only denial, given the bucket's ARN. */
    policyStatements?: (bucketArn: string) => PolicyStatement[];
    /** Where S3 writes this bucket's access logs. */
    accessLogs?: { targetBucket: pulumi.Input<string>; targetPrefix: string };
    lifecycle: {
        /** Days a replaced or deleted object version is kept. */
        noncurrentVersionDays: number;
        /** Days current objects live; absent, they never expire. */
        expirationDays?: number;
    };
    tags: Record<string, string>;
    /** protect + retainOnDelete on the bucket. */
    protect: boolean;
}

/**
 * A bucket nobody outside the account can read or write: public access blocked, ACLs disabled,
 * versioned, encrypted by default, TLS only, with a lifecycle that frees old versions and
 * abandoned uploads.
 */
export class PrivateBucket extends pulumi.ComponentResource {
    readonly bucket: aws.s3.Bucket;
    readonly arn: pulumi.Output<string>;
    readonly name: pulumi.Output<string>;
    /** Resources that must exist before anything writes to the bucket. */
    readonly ready: pulumi.Resource[];

    constructor(name: string, args: PrivateBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:bootstrap:PrivateBucket", name, {}, opts);
        this.bucket = new aws.s3.Bucket(
            name,
            // Never forceDestroy: removing this stack must not empty the bucket.
            { bucket: args.bucketName, forceDestroy: false, tags: args.tags },
            { parent: this, protect: args.protect, retainOnDelete: args.protect },
        );
        this.arn = this.bucket.arn;
        this.name = this.bucket.bucket;
        const bucket = this.bucket.id;

        const { ownership, publicAccess, versioning, encryption } = privateBucketSettings(name, bucket, args.kmsKeyArn, this);
        const policy = new aws.s3.BucketPolicy(
            name,
            {
                bucket,
                policy: this.bucket.arn.apply((arn) => {
                    const tlsOnly = denyInsecureTransport(arn);
                    const document: PolicyDocument = { ...tlsOnly, Statement: [...tlsOnly.Statement, ...(args.policyStatements?.(arn) ?? [])] };
                    return JSON.stringify(document);
                }),
            },
            // S3 rejects policy writes while a public access block is being applied concurrently.
            { parent: this, dependsOn: [publicAccess] },
        );
        const ready: pulumi.Resource[] = [ownership, publicAccess, versioning, encryption, policy];
        if (args.accessLogs) {
            ready.push(
                new aws.s3.BucketLogging(
                    name,
                    { bucket, targetBucket: args.accessLogs.targetBucket, targetPrefix: args.accessLogs.targetPrefix },
                    { parent: this, dependsOn: [ownership] },
                ),
            );
        }
        new aws.s3.BucketLifecycleConfiguration(
            name,
            {
                bucket,
                rules: [
                    {
                        id: "expire-old-versions",
                        status: "Enabled",
                        filter: {},
                        ...(args.lifecycle.expirationDays ? { expiration: { days: args.lifecycle.expirationDays } } : {}),
                        // Versioning turns overwrites and deletes into noncurrent versions; this is what frees them.
                        noncurrentVersionExpiration: { noncurrentDays: args.lifecycle.noncurrentVersionDays },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                    { id: "remove-expired-delete-markers", status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true } },
                ],
            },
            // Lifecycle rules on a versioned bucket must follow the versioning configuration.
            { parent: this, dependsOn: [versioning] },
        );
        this.ready = ready;
        this.registerOutputs({ arn: this.arn });
    }
}
