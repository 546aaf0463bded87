import * as pulumi from "@pulumi/pulumi";
import { DeliveryKey } from "./deliveryKey";
import { PrivateBucket } from "./privateBucket";
import { STATE_BUCKET_TAG } from "../../policy-pack/policies/delivery/state-bucket-protected";

export interface StateBackendArgs {
    bucketName: string;
    /** Days a replaced state file version is kept. */
    noncurrentVersionDays: number;
    /** Bucket that receives the state bucket's access logs. */
    accessLogsBucket: PrivateBucket;
    /** Prefix of every key alias: alias/<aliasPrefix>-pulumi-state and -pulumi-secrets. */
    aliasPrefix: string;
    partition: string;
    accountId: string;
    region: string;
    deletionWindowDays: number;
    tags: Record<string, string>;
    protect: boolean;
}

/**
 * A self-managed Pulumi backend: the S3 bucket holding every stack's state (its history in object
 * versions), the key that encrypts those objects, and the key of the `awskms` secrets provider that
 * encrypts stack secrets. Two keys, because reading state and decrypting secrets are different grants.
 */
export class StateBackend extends pulumi.ComponentResource {
    readonly bucket: PrivateBucket;
    readonly bucketKey: DeliveryKey;
    readonly secretsKey: DeliveryKey;
    /** `pulumi login` URL of the backend. */
    readonly url: pulumi.Output<string>;
    /** `--secrets-provider` URL of stacks in this backend. */
    readonly secretsProvider: string;

    constructor(name: string, args: StateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:bootstrap:StateBackend", name, {}, opts);
        const keyArgs = {
            partition: args.partition,
            accountId: args.accountId,
            deletionWindowDays: args.deletionWindowDays,
            tags: args.tags,
            protect: args.protect,
        };
        this.bucketKey = new DeliveryKey(
            `${name}-objects`,
            { ...keyArgs, aliasName: `${args.aliasPrefix}-pulumi-state`, description: `Encrypts the Pulumi state objects in ${args.bucketName}` },
            { parent: this },
        );
        const secretsAlias = `${args.aliasPrefix}-pulumi-secrets`;
        this.secretsKey = new DeliveryKey(
            `${name}-secrets`,
            { ...keyArgs, aliasName: secretsAlias, description: "Pulumi awskms secrets provider of the platform stacks" },
            { parent: this },
        );
        this.bucket = new PrivateBucket(
            name,
            {
                bucketName: args.bucketName,
                kmsKeyArn: this.bucketKey.arn,
                accessLogs: { targetBucket: args.accessLogsBucket.name, targetPrefix: `s3-access/${args.bucketName}/` },
                lifecycle: { noncurrentVersionDays: args.noncurrentVersionDays },
                tags: { ...args.tags, [STATE_BUCKET_TAG.key]: STATE_BUCKET_TAG.value },
                protect: args.protect,
            },
            { parent: this, dependsOn: args.accessLogsBucket.ready },
        );
        this.url = pulumi.interpolate`s3://${this.bucket.name}?region=${args.region}&awssdk=v2`;
        this.secretsProvider = `awskms://alias/${secretsAlias}?region=${args.region}`;
        this.registerOutputs({ url: this.url });
    }
}
