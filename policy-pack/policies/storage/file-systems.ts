import { resourceGuardrail, stackGuardrail, type ResourceView } from "../../lib/policy";
import { resourcesOfType } from "../../lib/stack";
import { decideEach, readKnown, UnknownValueError } from "../../lib/unknown";
import { field, listAt, matchesWildcard, stringAt, stringsAt } from "../../lib/values";

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

const FILE_SYSTEM = "aws:efs/fileSystem:FileSystem";
const BACKUP_POLICY = "aws:efs/backupPolicy:BackupPolicy";
const BACKUP_SELECTION = "aws:backup/selection:Selection";

/** Whether an AWS Backup selection picks the file system: by ARN (wildcards allowed) or by a tag it carries. */
function selects(selection: ResourceView, fileSystem: ResourceView): boolean {
    const arn = readKnown(() => stringAt(fileSystem.props, "arn"));
    const byArn = arn !== undefined && stringsAt(selection.props, "resources").some((pattern) => matchesWildcard(pattern, arn));
    const byTag = listAt(selection.props, "selectionTags").some(
        (tag) => stringAt(tag, "type") === "STRINGEQUALS" && field(fileSystem.props, "tags", stringAt(tag, "key") ?? "") === stringAt(tag, "value"),
    );
    return byArn || byTag;
}

export const efsBackupsEnabled = stackGuardrail({
    name: "efs-backups-enabled",
    description:
        "Every EFS file system is backed up by AWS Backup: its backup policy is ENABLED (daily automatic backups), or an AWS Backup selection picks it.",
    enforcementLevel: "mandatory",
    controls: ["CKV2_AWS_18"],
    remediation:
        'Add aws.efs.BackupPolicy for the file system with backupPolicy.status "ENABLED" (the storage settings\' efs backups: true), or select it ' +
        "in an AWS Backup plan (aws.backup.Selection with its ARN or a tag it carries). A file system created through the API has no backups otherwise.",
    validate: (stack, _config, report) => {
        const policies = resourcesOfType(stack, BACKUP_POLICY);
        const selections = resourcesOfType(stack, BACKUP_SELECTION);
        decideEach(resourcesOfType(stack, FILE_SYSTEM), (fileSystem) => {
            if (selections.some((selection) => selects(selection, fileSystem))) {
                return;
            }
            const own = policies.filter((policy) => {
                const target = readKnown(() => stringAt(policy.props, "fileSystemId"));
                if (target === undefined) {
                    // A new file system's ID is unknown at preview, and so is its policy's link to it.
                    throw new UnknownValueError(`${policy.urn} fileSystemId`);
                }
                return target === fileSystem.id;
            });
            if (own.length === 0) {
                report(`EFS file system "${fileSystem.name}" has no backup policy and no AWS Backup selection: it is not backed up.`, fileSystem.urn);
            } else if (!own.some((policy) => stringAt(policy.props, "backupPolicy", "status") === "ENABLED")) {
                report(`EFS file system "${fileSystem.name}" has its automatic backups turned off.`, fileSystem.urn);
            }
        });
    },
});
