import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument, PolicyStatement } from "../../components/iam/policyDocument";

export interface DeliveryKeyArgs {
    /** alias/<aliasName>, the name `awskms://` URLs and operators use. */
    aliasName: string;
    description: string;
    partition: string;
    accountId: string;
    /** Region whose CloudWatch Logs may encrypt this account's log groups with the key; absent, it may not. */
    logsRegion?: string;
    deletionWindowDays: number;
    tags: Record<string, string>;
    /** protect + retainOnDelete: what the key encrypts is unreadable without it. */
    protect: boolean;
}

/**
 * Key policy: the account administers and uses the key through IAM only (so IAM policies and
 * boundaries decide who may), and CloudWatch Logs may use it for this account's log groups.
 */
function deliveryKeyPolicy(partition: string, accountId: string, logsRegion?: string): PolicyDocument {
    const statements: PolicyStatement[] = [
        {
            Sid: "AccountAdministersKeyThroughIam",
            Effect: "Allow",
            Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
            Action: "kms:*",
            Resource: "*",
        },
    ];
    if (logsRegion) {
        statements.push({
            Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
            Effect: "Allow",
            Principal: { Service: `logs.${logsRegion}.amazonaws.com` },
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            Resource: "*",
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${logsRegion}:${accountId}:log-group:*` } },
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** A symmetric customer-managed key with rotation and an alias. */
export class DeliveryKey extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;
    readonly aliasArn: pulumi.Output<string>;

    constructor(name: string, args: DeliveryKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:bootstrap:DeliveryKey", name, {}, opts);
        const key = new aws.kms.Key(
            name,
            {
                description: args.description,
                enableKeyRotation: true,
                deletionWindowInDays: args.deletionWindowDays,
                policy: JSON.stringify(deliveryKeyPolicy(args.partition, args.accountId, args.logsRegion)),
                tags: args.tags,
            },
            { parent: this, protect: args.protect, retainOnDelete: args.protect },
        );
        const alias = new aws.kms.Alias(name, { name: `alias/${args.aliasName}`, targetKeyId: key.keyId }, { parent: this });
        this.arn = key.arn;
        this.aliasArn = alias.arn;
        this.registerOutputs({ arn: this.arn });
    }
}
