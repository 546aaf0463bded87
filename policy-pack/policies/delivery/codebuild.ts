// CodeBuild projects: the bootstrap project hosts the private environments' GitHub Actions runners on
// them, so a build holds a deploy role's session. What it produces stays encrypted under the
// account's key, what it runs is logged, and no job gets the host's Docker daemon.
import { resourceGuardrail } from "../../lib/policy";
import { decideEach } from "../../lib/unknown";
import { field, isTrue, listAt, recordAt, stringAt } from "../../lib/values";

const PROJECT = "aws:codebuild/project:Project";

export const codebuildProjectEncrypted = resourceGuardrail({
    name: "codebuild-project-encrypted",
    description:
        "A CodeBuild project encrypts what it produces: artifact encryption is never disabled, artifacts are encrypted with a customer-managed " +
        "KMS key (encryptionKey), and logs written to S3 are encrypted.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_78", "CKV_AWS_147", "CKV_AWS_311", "AVD-AWS-0018"],
    remediation:
        "Leave artifacts.encryptionDisabled, secondaryArtifacts[*].encryptionDisabled and logsConfig.s3Logs.encryptionDisabled unset (false), " +
        "and set encryptionKey to a customer-managed KMS key ARN when the project has artifacts.",
    resourceTypes: [PROJECT],
    validate: (project, _config, report) => {
        const artifacts = [
            { label: "artifacts", value: recordAt(project.props, "artifacts") },
            ...listAt(project.props, "secondaryArtifacts").map((value, index) => ({ label: `secondaryArtifacts[${index}]`, value: recordAt(value) })),
        ].filter(({ value }) => value !== undefined && field(value, "type") !== "NO_ARTIFACTS");
        decideEach(artifacts, ({ label, value }) => {
            if (isTrue(field(value, "encryptionDisabled"))) {
                report(`${label} turns encryption off: the build's output is stored unencrypted.`);
            }
        });
        const key = stringAt(project.props, "encryptionKey");
        if (artifacts.length > 0 && !key) {
            report("The project has artifacts and no encryptionKey: CodeBuild encrypts them with the AWS managed key aws/s3.");
        }
        if (isTrue(field(project.props, "logsConfig", "s3Logs", "encryptionDisabled"))) {
            report("logsConfig.s3Logs turns encryption off: build logs are stored unencrypted.");
        }
    },
});

export const codebuildProjectLogged = resourceGuardrail({
    name: "codebuild-project-logged",
    description: "A CodeBuild project states where its build logs go: CloudWatch Logs or S3 enabled in logsConfig.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_314"],
    remediation:
        'Set logsConfig.cloudwatchLogs { status: "ENABLED", groupName } to a log group the stack creates with retention and a KMS key, ' +
        "or logsConfig.s3Logs to an encrypted bucket.",
    resourceTypes: [PROJECT],
    validate: (project, _config, report) => {
        const destinations = (["cloudwatchLogs", "s3Logs"] as const).filter((destination) => {
            const settings = recordAt(project.props, "logsConfig", destination);
            // CodeBuild's defaults: CloudWatch Logs enabled, S3 logs disabled.
            const status = stringAt(settings, "status") ?? (destination === "cloudwatchLogs" ? "ENABLED" : "DISABLED");
            return settings !== undefined && status === "ENABLED";
        });
        if (destinations.length === 0) {
            report("logsConfig enables neither CloudWatch Logs nor S3: the build's logs go to no log group the stack controls, or nowhere.");
        }
    },
});

export const codebuildNoPrivilegedMode = resourceGuardrail({
    name: "codebuild-no-privileged-mode",
    description: "No CodeBuild project runs its builds in privileged mode, which hands every job the build host's Docker daemon.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_316"],
    remediation:
        "Set environment.privilegedMode: false (the default). Build container images with a daemonless builder, or in a separate project with no deploy role.",
    resourceTypes: [PROJECT],
    validate: (project, _config, report) => {
        if (isTrue(field(project.props, "environment", "privilegedMode"))) {
            report("environment.privilegedMode is on: every job can run privileged containers on the build host.");
        }
    },
});
