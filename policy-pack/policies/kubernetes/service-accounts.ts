// Service-account identity of workloads: no token where the pod does not call the API, and never
// the namespace's default service account. Controllers that call the API run in the platform's own
// namespaces, exempted per environment in policy-pack/config with the reason in its README.
import { workloadGuardrail } from "../../lib/pod-security";
import { isPatch, kindOf, leftToLiveObject, objectOf, SERVICE_ACCOUNT_TYPES } from "../../lib/kubernetes";
import { resourceGuardrail } from "../../lib/policy";
import { BINDING_TYPES, bindingOf, rbacObjectName } from "../../lib/rbac";
import { decideEach } from "../../lib/unknown";
import { asArray } from "../../lib/values";
import { EXEMPT_NAMESPACES_SCHEMA, isExempt, podSpecOf, WORKLOAD_TYPES, type NamespaceExemptions } from "../../lib/workloads";

export const workloadServiceAccountTokenNotMounted = workloadGuardrail({
    name: "workload-service-account-token-not-mounted",
    description: "Pods set automountServiceAccountToken: false; one that calls the API mounts a projected token of its own.",
    controls: ["CKV_K8S_38", "AVD-KSV-0036", "CIS EKS 4.1.6"],
    remediation:
        "Set spec.automountServiceAccountToken: false. A pod that calls the Kubernetes API mounts a projected serviceAccountToken " +
        "volume with an audience and a short expirationSeconds, or runs in a namespace exempted for controllers.",
    check: (workload, podSpec, _config, report) => {
        const automount = podSpec.automountServiceAccountToken;
        if (automount !== false && !leftToLiveObject(workload, automount)) {
            report(
                automount === true
                    ? "The pod mounts its service account token (automountServiceAccountToken: true)."
                    : "The pod mounts its service account token (the default).",
            );
        }
    },
});

const DEFAULT_SERVICE_ACCOUNT = "default";

export const defaultServiceAccountNotUsed = resourceGuardrail<NamespaceExemptions>({
    name: "default-service-account-not-used",
    description:
        "The default service account is inert: no pod runs as it with a token, no binding grants it anything, and where a " +
        "program declares or patches it, it does not automount tokens.",
    enforcementLevel: "mandatory",
    controls: ["CKV_K8S_41", "CKV_K8S_42", "CIS EKS 4.1.5"],
    remediation:
        "Give each workload its own ServiceAccount (serviceAccountName) bound to what it needs, or set automountServiceAccountToken: " +
        "false; bind nothing to `default`; patch each namespace's default account with automountServiceAccountToken: false.",
    configSchema: { exemptNamespaces: EXEMPT_NAMESPACES_SCHEMA },
    resourceTypes: [...WORKLOAD_TYPES, ...SERVICE_ACCOUNT_TYPES, ...BINDING_TYPES],
    validate: (resource, config, report) => {
        const kind = kindOf(resource);
        if (kind === "ServiceAccount") {
            const account = objectOf<{ automountServiceAccountToken?: boolean }>(resource);
            const automount = account.automountServiceAccountToken;
            if (account.metadata?.name === DEFAULT_SERVICE_ACCOUNT && automount !== false && !leftToLiveObject(resource, automount)) {
                report("The default service account automounts its token.");
            }
        } else if (kind.endsWith("RoleBinding")) {
            decideEach(asArray(bindingOf(resource).subjects), (subject) => {
                if (subject.kind === "ServiceAccount" && subject.name === DEFAULT_SERVICE_ACCOUNT) {
                    report(`${rbacObjectName(resource)} binds the default service account of ${subject.namespace ?? "its namespace"}.`);
                }
            });
        } else if (!isExempt(resource, config)) {
            const podSpec = podSpecOf(resource);
            // serviceAccount is the deprecated alias the API server still honours.
            const account: unknown = podSpec.serviceAccountName ?? podSpec.serviceAccount;
            const automount: unknown = podSpec.automountServiceAccountToken;
            const usesDefault = account === DEFAULT_SERVICE_ACCOUNT || (account === undefined && !isPatch(resource));
            const mountsToken = automount === true || (automount === undefined && !isPatch(resource));
            if (usesDefault && mountsToken) {
                report("The pod runs as the default service account with its token mounted.");
            }
        }
    },
});
