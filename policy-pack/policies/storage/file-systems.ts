import { resourceGuardrail } from "../../lib/policy";
import { stringAt } from "../../lib/values";

export const efsEncryptedWithCustomerKey = resourceGuardrail({
    name: "efs-encrypted-with-customer-key",
    description: "EFS file systems are encrypted at rest with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_42", "CKV_AWS_184", "AVD-AWS-0037"],
    remediation: "Set encrypted: true and kmsKeyId to a customer-managed key (encryption cannot be turned on after creation).",
    resourceTypes: ["aws:efs/fileSystem:FileSystem"],
    validate: (fileSystem, _config, report) => {
        if (fileSystem.props.encrypted !== true) {
            report("The file system is not encrypted at rest.");
        } else if (!fileSystem.props.kmsKeyId) {
            report("The file system is encrypted with the AWS-managed key, not a customer-managed one.");
        }
    },
});

export const efsAccessPointScoped = resourceGuardrail({
    name: "efs-access-point-scoped",
    description: "EFS access points pin a POSIX identity and a root directory other than /.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_329", "CKV_AWS_330"],
    remediation: 'Set posixUser { uid, gid } and rootDirectory { path: "/<app>", creationInfo { ownerUid, ownerGid, permissions } }.',
    resourceTypes: ["aws:efs/accessPoint:AccessPoint"],
    validate: (accessPoint, _config, report) => {
        if (!accessPoint.props.posixUser) {
            report("No posixUser: clients act with their own (possibly root) identity.");
        }
        const path = stringAt(accessPoint.props, "rootDirectory", "path") ?? "/";
        if (path === "/") {
            report("The root directory is / : the access point exposes the whole file system.");
        }
    },
});

export const fsxLustreCustomerKey = resourceGuardrail({
    name: "fsx-lustre-customer-key",
    description: "FSx for Lustre file systems are encrypted with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_190"],
    remediation: "Set kmsKeyId to a customer-managed key with rotation on (persistent deployment types).",
    resourceTypes: ["aws:fsx/lustreFileSystem:LustreFileSystem"],
    validate: (fileSystem, _config, report) => {
        if (!fileSystem.props.kmsKeyId) {
            report("No kmsKeyId: the file system is encrypted with the AWS-managed key.");
        }
    },
});
