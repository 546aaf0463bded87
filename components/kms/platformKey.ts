import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsScope } from "../capability";

/** The alias of the platform key: alias/<prefix> (the cluster name). */
export function platformKeyAlias(aliasPrefix: string): string {
    return `alias/${aliasPrefix}`;
}

export interface PlatformKeyArgs {
    /** Name prefix of the key's alias: alias/<aliasPrefix>. */
    aliasPrefix: string;
    /** The account whose key it is, and the region its CloudWatch Logs principal serves. */
    scope: AwsScope;
    /** Days a scheduled deletion waits (7-30). */
    deletionWindowDays: number;
    /** protect + retainOnDelete, so no `up` or `destroy` removes the key that decrypts everything. */
    protect: boolean;
}

/**
 * The customer-managed key that encrypts the platform's data: Kubernetes secrets, log groups,
 * node volumes, file systems, queues and buckets. Its policy admits only this account, and the two
 * AWS services that must use it on the account's behalf without an IAM identity of their own here.
 */
export class PlatformKey extends pulumi.ComponentResource {
    readonly key: aws.kms.Key;
    readonly arn: pulumi.Output<string>;
    readonly alias: aws.kms.Alias;

    constructor(name: string, args: PlatformKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:kms:PlatformKey", name, {}, opts);
        const { accountId, partition, region } = args.scope;
        const policy = JSON.stringify(platformKeyPolicy(accountId, partition, region));

        this.key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `EKS platform key for ${args.aliasPrefix}`,
                enableKeyRotation: true,
                deletionWindowInDays: args.deletionWindowDays,
                policy,
            },
            { parent: this, protect: args.protect, retainOnDelete: args.protect },
        );
        this.alias = new aws.kms.Alias(`${name}-alias`, { name: platformKeyAlias(args.aliasPrefix), targetKeyId: this.key.keyId }, { parent: this });
        this.arn = this.key.arn;
        this.registerOutputs({ keyArn: this.arn });
    }
}

/** Key policy: account-wide administration through IAM, plus CloudWatch Logs and the ASG service role. */
function platformKeyPolicy(account: string, partition: string, region: string): object {
    const cryptoActions = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];
    // Auto Scaling launches encrypted volumes as its service-linked role, which has no IAM grant on
    // customer keys: the key policy must name it, or instances fail with Client.InvalidKMSKey.InvalidState.
    const autoScalingRole = `arn:${partition}:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministersKeyThroughIam",
                Effect: "Allow",
                Principal: { AWS: `arn:${partition}:iam::${account}:root` },
                Action: "kms:*",
                Resource: "*",
            },
            {
                Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
                Effect: "Allow",
                Principal: { Service: `logs.${region}.amazonaws.com` },
                Action: cryptoActions,
                Resource: "*",
                Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${account}:log-group:*` } },
            },
            {
                Sid: "AutoScalingUsesKeyForNodeVolumes",
                Effect: "Allow",
                Principal: { AWS: autoScalingRole },
                Action: cryptoActions,
                Resource: "*",
            },
            {
                Sid: "AutoScalingGrantsForAttachedVolumes",
                Effect: "Allow",
                Principal: { AWS: autoScalingRole },
                Action: "kms:CreateGrant",
                Resource: "*",
                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
        ],
    };
}
