// Where credentials live in Kubernetes objects: in Secrets, mounted as files, and never in
// environment variables (inherited by child processes, printed by crash dumps and `env`) or ConfigMaps.
import { CONFIG_MAP_TYPES, objectOf } from "../../lib/kubernetes";
import { workloadGuardrail } from "../../lib/pod-security";
import { resourceGuardrail } from "../../lib/policy";
import { decideAll, decideEach } from "../../lib/unknown";
import { asArray } from "../../lib/values";
import { describeContainer, forEachContainer } from "../../lib/workloads";

export const containerNoSecretsInEnv = workloadGuardrail({
    name: "container-no-secrets-in-env",
    description: "Containers read Secrets from mounted files, not from environment variables.",
    controls: ["CKV_K8S_35", "CIS EKS 4.4.1"],
    remediation:
        "Mount the Secret as a volume (secret or projected) and read the file; better, fetch it at run time from AWS Secrets " +
        "Manager through the Secrets Store CSI driver.",
    check: (workload, _podSpec, _config, report) => {
        forEachContainer(workload, (container) => {
            decideAll(
                () =>
                    decideEach(asArray(container.spec.env), (variable) => {
                        const reference = variable.valueFrom?.secretKeyRef;
                        if (reference) {
                            report(`${describeContainer(container)} reads Secret ${reference.name ?? "<unnamed>"} into ${variable.name ?? "<unnamed>"}.`);
                        }
                    }),
                () =>
                    decideEach(asArray(container.spec.envFrom), (source) => {
                        if (source.secretRef) {
                            report(`${describeContainer(container)} loads every key of Secret ${source.secretRef.name ?? "<unnamed>"} into its environment.`);
                        }
                    }),
            );
        });
    },
});

// Words that name a credential when they end a key ("dbPassword", "api_token", "CLIENT-SECRET"); a key
// that merely mentions one ("secretName", "tokenFile", "passwordPolicy") names something else.
const CREDENTIAL_WORDS = ["password", "passwd", "passphrase", "pwd", "secret", "secretkey", "token", "apikey", "credentials"];

function words(key: string): string[] {
    return key
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter(Boolean);
}

function namesCredential(key: string): boolean {
    const last = words(key).pop();
    return (last !== undefined && CREDENTIAL_WORDS.includes(last)) || /aws_(access_key_id|secret_access_key)/i.test(key);
}

// A credential assigned inside a value (`password=...`, `token: ...`, `"secret": "..."`); a value that
// is a placeholder (${VAR}, $(cmd), {{ template }}) or a file path is a reference, not a credential.
const ASSIGNMENT = /(?:^|[\s"'{,;])([A-Za-z0-9_.-]+)["']?\s*[:=]\s*["']?([^\s"',;}]+)/gm;

function assignedCredentials(value: string): string[] {
    const found: string[] = [];
    for (const match of value.matchAll(ASSIGNMENT)) {
        const [, key, assigned] = match;
        if (namesCredential(key) && !/^(\$|\{\{|<|\/)/.test(assigned)) {
            found.push(key);
        }
    }
    return found;
}

export const configMapNoCredentials = resourceGuardrail({
    name: "configmap-no-credentials",
    description: "ConfigMaps hold no credentials: no key named like a password, secret or token, and no such assignment in a value.",
    enforcementLevel: "mandatory",
    controls: ["AVD-KSV-0109"],
    remediation:
        "Move the value into a Secret (encrypted with the cluster's KMS key, readable only where RBAC allows) or AWS Secrets " +
        "Manager, and reference it from the configuration as a file path or an environment placeholder.",
    resourceTypes: CONFIG_MAP_TYPES,
    validate: (configMap, _config, report) => {
        decideEach(Object.entries(objectOf<{ data?: Record<string, unknown> }>(configMap).data ?? {}), ([key, value]) => {
            if (namesCredential(key) && value !== "") {
                report(`Key ${key} holds a credential.`);
            } else if (typeof value === "string") {
                for (const assigned of assignedCredentials(value)) {
                    report(`Key ${key} assigns ${assigned}.`);
                }
            }
        });
    },
});
