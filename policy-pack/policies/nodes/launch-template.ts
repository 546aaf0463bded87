import { resourceGuardrail } from "../../lib/policy";
import { decideEach } from "../../lib/unknown";
import { asArray, field, isFalse, isTrue, stringAt } from "../../lib/values";

const LAUNCH_TEMPLATE = ["aws:ec2/launchTemplate:LaunchTemplate"];

export const launchTemplateImdsv2 = resourceGuardrail({
    name: "launch-template-imdsv2",
    description: "Node launch templates require IMDSv2 session tokens (IMDSv1 off).",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_79", "AVD-AWS-0130"],
    remediation: 'Set metadataOptions: { httpEndpoint: "enabled", httpTokens: "required" }. Without it, IMDSv1 follows the AMI or account default.',
    resourceTypes: LAUNCH_TEMPLATE,
    validate: (template, _config, report) => {
        if (stringAt(template.props, "metadataOptions", "httpEndpoint") === "disabled") {
            return;
        }
        const tokens = stringAt(template.props, "metadataOptions", "httpTokens");
        if (tokens !== "required") {
            report(`metadataOptions.httpTokens is ${tokens ?? "unset"}; IMDSv1 stays reachable.`);
        }
    },
});

export const launchTemplateImdsHopLimit = resourceGuardrail({
    name: "launch-template-imds-hop-limit",
    description: "The IMDS response hop limit is 1, so pods cannot reach the node's instance credentials.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_341"],
    remediation:
        "Set metadataOptions.httpPutResponseHopLimit: 1 and give pods AWS access through IRSA or Pod Identity. " +
        "When unset the AMI default applies (2 on EKS-optimized AL2023 AMIs).",
    resourceTypes: LAUNCH_TEMPLATE,
    validate: (template, _config, report) => {
        if (stringAt(template.props, "metadataOptions", "httpEndpoint") === "disabled") {
            return;
        }
        const hopLimit = field(template.props, "metadataOptions", "httpPutResponseHopLimit");
        if (hopLimit !== 1) {
            report(`metadataOptions.httpPutResponseHopLimit is ${hopLimit === undefined ? "unset" : JSON.stringify(hopLimit)}, not 1.`);
        }
    },
});

export const launchTemplateEncryptedVolumes = resourceGuardrail({
    name: "launch-template-encrypted-volumes",
    description: "Every EBS volume a node launch template maps is encrypted.",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific: "Checkov's CKV_AWS_8 and trivy's AWS-0008 ask this of launch configurations and instances, not of the launch templates nodes use",
    remediation:
        'Map the root device (and any data volume) with ebs: { encrypted: "true", kmsKeyId }. Without a mapping the ' +
        "root volume is encrypted only if the AMI snapshot or account-level EBS default encryption says so.",
    resourceTypes: LAUNCH_TEMPLATE,
    validate: (template, _config, report) => {
        const mappings = asArray(template.props.blockDeviceMappings);
        if (mappings.length === 0) {
            report("No block device mapping: the root volume's encryption is left to the AMI and account defaults.");
            return;
        }
        decideEach(mappings, (mapping) => {
            if (field(mapping, "ebs") && !isTrue(field(mapping, "ebs", "encrypted"))) {
                report(`EBS volume ${stringAt(mapping, "deviceName") ?? "<unnamed>"} is not encrypted.`);
            }
        });
    },
});

export const launchTemplateNoPublicIp = resourceGuardrail({
    name: "launch-template-no-public-ip",
    description: "Node launch templates do not associate public IP addresses.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_88", "CIS EKS 5.4.3"],
    remediation:
        'Set networkInterfaces[].associatePublicIpAddress: "false" and place nodes in private subnets. ' +
        "An unset value inherits the subnet's mapPublicIpOnLaunch, which subnet-no-public-ip-on-launch governs.",
    resourceTypes: LAUNCH_TEMPLATE,
    validate: (template, _config, report) => {
        decideEach(asArray(template.props.networkInterfaces), (networkInterface, index) => {
            const value = field(networkInterface, "associatePublicIpAddress");
            if (value !== undefined && !isFalse(value)) {
                report(`networkInterfaces[${index}] associates a public IP address.`);
            }
        });
    },
});

// AWS access key IDs, private keys, and secret-looking assignments, as Checkov's and trivy's
// user-data scanners look for.
const CREDENTIAL_PATTERNS: Array<[string, RegExp]> = [
    ["an AWS access key ID", /\b(AKIA|ASIA)[A-Z0-9]{16}\b/],
    ["an AWS secret access key", /aws_secret_access_key\s*[=:]\s*\S+/i],
    ["a private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
    ["a password or token assignment", /\b(password|passwd|secret|token)\s*[=:]\s*["']?[^\s"'$]{8,}/i],
];

export const launchTemplateNoCredentialsInUserData = resourceGuardrail({
    name: "launch-template-no-credentials-in-user-data",
    description: "Node user data carries no credentials; it is readable by anyone who can describe the instance or reach IMDS.",
    enforcementLevel: "mandatory",
    controls: ["AVD-AWS-0129", "CKV_AWS_46"],
    remediation: "Remove the secret from user data; let nodes fetch what they need with their instance role (Secrets Manager, SSM).",
    resourceTypes: LAUNCH_TEMPLATE,
    validate: (template, _config, report) => {
        const userData: unknown = template.props.userData;
        if (typeof userData !== "string" || userData.length === 0) {
            return;
        }
        const decoded = Buffer.from(userData, "base64").toString("utf8");
        for (const [what, pattern] of CREDENTIAL_PATTERNS) {
            if (pattern.test(decoded)) {
                report(`User data contains ${what}.`);
            }
        }
    },
});
