import type { PolicyDocument, PolicyStatement } from "../iam/policyDocument";

export interface FluentBitPolicyArgs {
    /** ARNs of the log groups Fluent Bit writes (without a ":*" suffix). */
    logGroupArns: string[];
    /** Present when logs also go to S3. */
    s3?: {
        bucketArn: string;
        /** Key prefix this cluster writes under, without leading or trailing "/". */
        keyPrefix: string;
        /** Key the bucket's default SSE-KMS encryption uses. */
        kmsKeyArn: string;
        region: string;
    };
}

/**
 * What aws-for-fluent-bit needs and nothing more. The cloudwatch_logs output calls CreateLogStream
 * and PutLogEvents only (CreateLogGroup and PutRetentionPolicy are for auto_create_group, which is
 * off: the program owns the groups). CloudWatch Logs encrypts with the group's KMS key as its own
 * service principal, so the writer needs no KMS grant there. The s3 output needs s3:PutObject alone
 * (multipart uploads are authorised by it), plus the KMS calls S3 makes on the writer's behalf for
 * SSE-KMS: GenerateDataKey for new data and Decrypt to complete multipart uploads.
 */
export function fluentBitPolicy(args: FluentBitPolicyArgs): PolicyDocument {
    const statements: PolicyStatement[] = [
        {
            Sid: "WriteOwnLogGroups",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            // The Service Authorization Reference authorises both actions against the log-stream
            // resource type (log-group:<name>:log-stream:<stream>), not the group: a bare group ARN
            // would grant nothing.
            Resource: args.logGroupArns.map((arn) => `${arn}:log-stream:*`),
        },
    ];
    if (args.s3) {
        const { bucketArn, keyPrefix, kmsKeyArn, region } = args.s3;
        statements.push(
            {
                Sid: "WriteOwnLogPrefix",
                Effect: "Allow",
                Action: "s3:PutObject",
                Resource: `${bucketArn}/${keyPrefix}/*`,
            },
            {
                Sid: "EncryptLogObjectsThroughS3",
                Effect: "Allow",
                Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                Resource: kmsKeyArn,
                Condition: {
                    StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` },
                    // With an S3 Bucket Key the encryption context is the bucket ARN; without one, the object ARN.
                    ArnLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, `${bucketArn}/${keyPrefix}/*`] },
                },
            },
        );
    }
    return { Version: "2012-10-17", Statement: statements };
}
