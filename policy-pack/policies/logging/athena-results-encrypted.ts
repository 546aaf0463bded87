import { ATHENA_DATABASE, ATHENA_WORKGROUP, databaseResultsEncryption, workgroupResultsEncryption } from "../../lib/athena";
import { resourceGuardrail } from "../../lib/policy";

const KMS_OPTIONS = ["SSE_KMS", "CSE_KMS"];

export const athenaResultsEncrypted = resourceGuardrail({
    name: "athena-results-encrypted",
    description:
        "Athena query results (of a workgroup, or of an Athena database) are encrypted with a customer-managed KMS key: query results hold the data the query read.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_159", "CKV_AWS_77", "AVD-AWS-0006"],
    remediation:
        'Set the workgroup\'s configuration.resultConfiguration.encryptionConfiguration to { encryptionOption: "SSE_KMS", kmsKeyArn: <customer key> } ' +
        "(or managedQueryResultsConfiguration.encryptionConfiguration.kmsKey), and an Athena database's encryptionConfiguration likewise.",
    resourceTypes: [ATHENA_WORKGROUP, ATHENA_DATABASE],
    validate: (resource, _config, report) => {
        const encryption = resource.type === ATHENA_WORKGROUP ? workgroupResultsEncryption(resource.props) : databaseResultsEncryption(resource.props);
        const what = resource.type === ATHENA_WORKGROUP ? "The workgroup's query results" : "The database's query results";
        if (encryption.storage === "managed" && !encryption.kmsKey) {
            report(
                `${what} are kept by Athena, encrypted with an AWS-owned key: no customer-managed key (managedQueryResultsConfiguration.encryptionConfiguration.kmsKey).`,
            );
        } else if (encryption.option === undefined) {
            report(`${what} are not encrypted: no encryption option is configured.`);
        } else if (!KMS_OPTIONS.includes(encryption.option)) {
            report(`${what} are encrypted with ${encryption.option}, S3-managed keys, not a customer-managed KMS key.`);
        } else if (!encryption.kmsKey) {
            report(`${what} use ${encryption.option} without a KMS key.`);
        } else if (/alias\/aws\//.test(encryption.kmsKey)) {
            report(`${what} are encrypted with the AWS-managed key ${encryption.kmsKey}, not a customer-managed one.`);
        }
    },
});
