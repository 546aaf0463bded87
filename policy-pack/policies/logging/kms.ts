import { resourceGuardrail } from "../../lib/policy";
import { isAllow, principalsOf, statementsOf } from "../../lib/iam";
import { asArray, isFalse, stringAt } from "../../lib/values";

const KMS_KEY = "aws:kms/key:Key";

export const kmsKeyRotation = resourceGuardrail({
    name: "kms-key-rotation",
    description: "Symmetric customer-managed KMS keys rotate their key material automatically.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_7", "AVD-AWS-0065"],
    remediation: "Set enableKeyRotation: true (default false). Asymmetric and HMAC keys cannot rotate; give them a reviewed exception.",
    resourceTypes: [KMS_KEY],
    validate: (key, _config, report) => {
        const spec = stringAt(key.props, "customerMasterKeySpec") ?? "SYMMETRIC_DEFAULT";
        if (spec === "SYMMETRIC_DEFAULT" && key.props.enableKeyRotation !== true) {
            report("Automatic key rotation is off.");
        }
    },
});

export const kmsKeyPolicySafe = resourceGuardrail({
    name: "kms-key-policy-safe",
    description: "Each KMS key has an explicit key policy that grants nothing to a wildcard principal.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_33", "CKV2_AWS_64"],
    remediation:
        'Set policy to a JSON key policy that names account or role principals; never Principal "*" ' +
        '(or AWS: "*") on an Allow statement. Without a policy, KMS applies its default key policy.',
    resourceTypes: [KMS_KEY],
    validate: (key, _config, report) => {
        if (key.props.policy === undefined) {
            report("No key policy is defined; the KMS default key policy applies.");
            return;
        }
        const statements = statementsOf(key.props.policy);
        if (!statements) {
            report("The key policy is not valid JSON.");
            return;
        }
        for (const statement of statements.filter(isAllow)) {
            if (principalsOf(statement).includes("AWS:*")) {
                report(`Statement ${statement.Sid ?? "<no Sid>"} allows ${asArray(statement.Action).join(", ")} to any principal.`);
            }
        }
    },
});

export const kmsKeyEnabled = resourceGuardrail({
    name: "kms-key-enabled",
    description: "Customer-managed KMS keys are enabled: a disabled key cannot decrypt what it protects (secrets, logs, volumes).",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_227"],
    remediation: "Set isEnabled: true (the default) or remove the setting; to retire a key, schedule its deletion after re-encrypting its data.",
    resourceTypes: [KMS_KEY],
    validate: (key, _config, report) => {
        if (isFalse(key.props.isEnabled)) {
            report("The key is disabled (isEnabled: false).");
        }
    },
});
