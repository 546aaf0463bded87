import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsScope } from "../capability";
import type { PolicyDocument } from "../iam/policyDocument";
import { denyInsecureTransport, privateBucketSettings } from "../logging/logBucket";

/** Key prefixes of the two kinds of load balancer; ELB appends AWSLogs/<account>/elasticloadbalancing/<region>/... */
export const ACCESS_LOG_PREFIXES = { alb: "alb", nlb: "nlb" } as const;

/** "<cluster>-lb-logs-<account>", lowered to S3's character set (cluster names allow capitals and "_"). */
export function defaultAccessLogBucketName(clusterName: string, accountId: string): string {
    return `${clusterName.toLowerCase().replace(/_/g, "-")}-lb-logs-${accountId}`;
}

export interface AccessLogPolicyArgs {
    bucketArn: string;
    scope: Pick<AwsScope, "region" | "accountId" | "partition">;
    /** The Elastic Load Balancing account of the region, where the region predates August 2022 and has one. */
    elbAccountId?: string;
}

/**
 * Who may write the access logs, and nothing else. ALBs deliver as the regional Elastic Load Balancing
 * account in regions that predate August 2022 and as logdelivery.elasticloadbalancing.amazonaws.com
 * in later ones; NLBs deliver through CloudWatch's log delivery service (delivery.logs.amazonaws.com),
 * which checks the bucket ACL first. Every grant is limited to this account's logs under its prefix,
 * and the log-delivery grants to requests made for this account (aws:SourceAccount, aws:SourceArn).
 */
export function accessLogBucketPolicy({ bucketArn, scope, elbAccountId }: AccessLogPolicyArgs): PolicyDocument {
    const { partition, region, accountId } = scope;
    const logsOf = (prefix: string) => `${bucketArn}/${prefix}/AWSLogs/${accountId}/*`;
    const forThisAccount = {
        StringEquals: { "aws:SourceAccount": accountId },
        ArnLike: { "aws:SourceArn": `arn:${partition}:logs:${region}:${accountId}:*` },
    };
    return {
        Version: "2012-10-17",
        Statement: [
            ...denyInsecureTransport(bucketArn).Statement,
            {
                Sid: "AlbLogDelivery",
                Effect: "Allow",
                Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: logsOf(ACCESS_LOG_PREFIXES.alb),
            },
            ...(elbAccountId
                ? [
                      {
                          Sid: "AlbLogDeliveryByRegionalElbAccount",
                          Effect: "Allow" as const,
                          Principal: { AWS: `arn:${partition}:iam::${elbAccountId}:root` },
                          Action: "s3:PutObject",
                          Resource: logsOf(ACCESS_LOG_PREFIXES.alb),
                      },
                  ]
                : []),
            {
                Sid: "NlbLogDelivery",
                Effect: "Allow",
                Principal: { Service: "delivery.logs.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: logsOf(ACCESS_LOG_PREFIXES.nlb),
                Condition: { ...forThisAccount, StringEquals: { ...forThisAccount.StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" } },
            },
            {
                Sid: "NlbLogDeliveryAclCheck",
                Effect: "Allow",
                Principal: { Service: "delivery.logs.amazonaws.com" },
                Action: "s3:GetBucketAcl",
                Resource: bucketArn,
                Condition: forThisAccount,
            },
        ],
    };
}

export interface AccessLogBucketArgs {
    bucketName: string;
    scope: AwsScope;
    /** Days before access logs expire. */
    expirationDays: number;
    /** protect + retainOnDelete on the bucket. */
    protect: boolean;
}

/**
 * The bucket load balancers write their access logs to. Separate from the platform's log archive
 * because ALB log delivery supports only S3-managed keys (SSE-S3), and the archive is encrypted with
 * the platform's KMS key. Private, versioned, TLS only, expiring.
 */
export class AccessLogBucket extends pulumi.ComponentResource {
    readonly bucket: aws.s3.Bucket;
    readonly bucketName: string;
    /** Resources that must exist before a load balancer may be told to write here. */
    readonly ready: pulumi.Resource[];

    constructor(name: string, args: AccessLogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:loadBalancerController:AccessLogBucket", name, {}, opts);
        this.bucketName = args.bucketName;
        this.bucket = new aws.s3.Bucket(
            name,
            {
                bucket: args.bucketName,
                forceDestroy: false,
                tags: {
                    "eks-platform:access-logs-exempt":
                        "load balancer access logs written only by Elastic Load Balancing: record reads with CloudTrail S3 data events",
                    "eks-platform:customer-key-exempt": "ALB access log delivery supports only S3-managed keys: SSE-S3",
                },
            },
            { parent: this, protect: args.protect, retainOnDelete: args.protect },
        );
        const bucket = this.bucket.id;
        // No KMS key: ALB log delivery cannot use one.
        const { ownership, publicAccess, versioning, encryption } = privateBucketSettings(name, bucket, undefined, this);
        // Regions launched since August 2022 have no Elastic Load Balancing account; the provider's table
        // (a lookup, no API call) then has no entry, and the service principal alone delivers.
        const elbAccountId = aws.elb
            .getServiceAccount({ region: args.scope.region }, { parent: this })
            .then((account) => account.id)
            .catch(() => undefined);
        const policy = new aws.s3.BucketPolicy(
            name,
            {
                bucket,
                policy: pulumi
                    .all([this.bucket.arn, elbAccountId])
                    .apply(([bucketArn, elbAccount]) => JSON.stringify(accessLogBucketPolicy({ bucketArn, scope: args.scope, elbAccountId: elbAccount }))),
            },
            // S3 rejects policy writes while a public access block is being applied concurrently.
            { parent: this, dependsOn: [publicAccess] },
        );
        new aws.s3.BucketLifecycleConfiguration(
            name,
            {
                bucket,
                rules: [
                    {
                        id: "expire-access-logs",
                        status: "Enabled",
                        filter: {},
                        expiration: { days: args.expirationDays },
                        // Versioning turns expiry into a delete marker; this is what frees the bytes.
                        noncurrentVersionExpiration: { noncurrentDays: 30 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            // Lifecycle rules on a versioned bucket must follow the versioning configuration.
            { parent: this, dependsOn: [versioning] },
        );
        this.ready = [ownership, publicAccess, versioning, encryption, policy];
        this.registerOutputs({ bucketName: this.bucketName });
    }
}
