import { resourceGuardrail } from "../../lib/policy";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

interface RetentionConfig {
    minimumRetentionDays: number;
}

export const logGroupRetention = resourceGuardrail<RetentionConfig>({
    name: "log-group-retention",
    description: "CloudWatch log groups expire logs, after at least the environment's minimum retention (prod: 365 days).",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_66", "CKV_AWS_338", "CIS EKS 2.1.2"],
    remediation:
        "Set retentionInDays to a CloudWatch-supported value of at least minimumRetentionDays. " +
        "Without it logs never expire, which is neither a retention policy nor free.",
    configSchema: {
        minimumRetentionDays: {
            type: "integer",
            minimum: 1,
            description: "Shortest acceptable retention; 365 meets CKV_AWS_338 and the CIS one-year guidance.",
            default: 365,
        },
    },
    resourceTypes: [LOG_GROUP],
    validate: (logGroup, config, report) => {
        const retention: unknown = logGroup.props.retentionInDays;
        // 0 is how the API spells "never expire".
        if (retention === undefined || retention === 0) {
            report("No retention is set: logs never expire.");
        } else if (Number(retention) < config.minimumRetentionDays) {
            report(`Retention is ${Number(retention)} days; at least ${config.minimumRetentionDays} are required.`);
        }
    },
});

export const logGroupKmsEncrypted = resourceGuardrail({
    name: "log-group-kms-encrypted",
    description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_158", "AVD-AWS-0017"],
    remediation: "Set kmsKeyId to a KMS key whose policy lets logs.<region>.amazonaws.com use it.",
    resourceTypes: [LOG_GROUP],
    validate: (logGroup, _config, report) => {
        if (!logGroup.props.kmsKeyId) {
            report("No kmsKeyId: logs are encrypted only with the CloudWatch-owned key.");
        }
    },
});
