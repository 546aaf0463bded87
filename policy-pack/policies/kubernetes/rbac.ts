// Kubernetes RBAC: what Roles and ClusterRoles grant, and whom bindings grant it to. People get
// cluster access through EKS access entries (cluster.adminPrincipals / viewerPrincipals); in-cluster
// RBAC is for service accounts, each bound to the least its controller needs. Roles rendered by the
// platform's own charts are exempted by name in policy-pack/config, each with its reason in the README.
import { resourceGuardrail, type DefaultEnforcementLevel, type ResourceGuardrail, type ResourceView } from "../../lib/policy";
import { namespaceOf } from "../../lib/kubernetes";
import { BINDING_TYPES, ROLE_TYPES, bindingOf, grants, isClusterScoped, rbacObjectName, rulesOf, type Permission, type PolicyRule } from "../../lib/rbac";
import { decideEach } from "../../lib/unknown";
import { asArray, matchesWildcard } from "../../lib/values";

interface RoleExemptions {
    exemptRoles: string[];
}

const EXEMPT_ROLES_SCHEMA = {
    type: "array" as const,
    items: { type: "string" as const },
    description: "Roles exempt from this rule: a ClusterRole by name, a Role as namespace/name; `*` matches any run of characters.",
    default: [] as string[],
};

/** A dangerous permission and how a violation describes it. */
interface Finding {
    what: string;
    permission: Permission;
    /** A rule that names the objects it applies to (resourceNames) is scoped enough. */
    unlessNamed?: boolean;
    /** Only rules whose resourceNames include one of these grant it (e.g. the aws-auth ConfigMap). */
    onlyNamed?: string[];
    /**
     * Only Roles in these namespaces grant it. (A ClusterRole with the same rule is reported by the
     * advisory review rule instead: the platform's clusters authenticate with access entries only, where
     * aws-auth has no effect, and controllers legitimately write ConfigMaps elsewhere.)
     */
    onlyInNamespaces?: string[];
}

function appliesTo(finding: Finding, rule: PolicyRule, role: ResourceView): boolean {
    const names = asArray(rule.resourceNames);
    if (finding.unlessNamed && names.length > 0) {
        return false;
    }
    if (finding.onlyNamed && !finding.onlyNamed.some((name) => names.includes(name))) {
        return false;
    }
    if (finding.onlyInNamespaces && (isClusterScoped(role) || !finding.onlyInNamespaces.includes(namespaceOf(role)))) {
        return false;
    }
    return grants(rule, finding.permission);
}

/**
 * A rule over Roles and ClusterRoles: `judge` returns what is wrong with one policy rule (nothing
 * when it is fine), and each policy rule with a problem is one violation.
 */
function roleGuardrail(definition: {
    name: string;
    description: string;
    enforcementLevel?: DefaultEnforcementLevel;
    controls: string[];
    remediation: string;
    judge: (rule: PolicyRule, role: ResourceView) => string | undefined;
}): ResourceGuardrail<RoleExemptions> {
    return resourceGuardrail<RoleExemptions>({
        name: definition.name,
        description: definition.description,
        enforcementLevel: definition.enforcementLevel ?? "mandatory",
        controls: definition.controls,
        remediation: definition.remediation,
        configSchema: { exemptRoles: EXEMPT_ROLES_SCHEMA },
        resourceTypes: ROLE_TYPES,
        validate: (role, config, report) => {
            const name = rbacObjectName(role);
            if (config.exemptRoles.some((pattern) => matchesWildcard(pattern, name))) {
                return;
            }
            decideEach(rulesOf(role), (rule, index) => {
                const problem = definition.judge(rule, role);
                if (problem) {
                    report(`${name} rule ${index} ${problem}.`);
                }
            });
        },
    });
}

/** Judges a policy rule by the dangerous permissions it grants. */
function granting(findings: Finding[]): (rule: PolicyRule, role: ResourceView) => string | undefined {
    return (rule, role) => {
        const found = findings.filter((finding) => appliesTo(finding, rule, role)).map((finding) => finding.what);
        return found.length > 0 ? `grants ${found.join("; ")}` : undefined;
    };
}

const CORE = [""];
const RBAC = ["rbac.authorization.k8s.io"];
const WRITE = ["create", "update", "patch", "delete", "deletecollection"];

export const rbacNoWildcards = roleGuardrail({
    name: "rbac-no-wildcards",
    description: "Roles and ClusterRoles name their API groups, resources and verbs; no `*` in any of them.",
    controls: ["CKV_K8S_49", "CIS EKS 4.1.3", "AVD-KSV-0044", "AVD-KSV-0045", "AVD-KSV-0046", "AVD-KSV-0112"],
    remediation:
        "List the API groups, resources and verbs the controller uses (its documentation or `kubectl auth can-i --list`); a wildcard also grants every resource and verb added later.",
    judge: (rule) => {
        const wildcards = (["apiGroups", "resources", "verbs"] as const).filter((field) => asArray(rule[field]).some((value) => value.includes("*")));
        return wildcards.length > 0 ? `uses a wildcard in ${wildcards.join(", ")}` : undefined;
    },
});

export const rbacSecretsAccess = roleGuardrail({
    name: "rbac-secrets-access",
    description: "No role reads or manages Secrets in general; access to a Secret names it in resourceNames.",
    controls: ["CIS EKS 4.1.2", "CKV2_K8S_5", "AVD-KSV-0041", "AVD-KSV-0113"],
    remediation:
        "Mount the Secret into the pod instead of reading it through the API, or scope the rule with resourceNames to the Secrets " +
        "the controller owns. Reading any Secret in a namespace reads every service account token and credential in it.",
    judge: granting([
        {
            what: "access to every Secret",
            permission: { apiGroups: CORE, resources: ["secrets"], verbs: ["get", "list", "watch", ...WRITE, "impersonate"] },
            unlessNamed: true,
        },
    ]),
});

export const rbacNoPrivilegeEscalation = roleGuardrail({
    name: "rbac-no-privilege-escalation",
    description: "No role can escalate, bind, impersonate or edit bindings: the verbs that hand out permissions the holder lacks.",
    controls: [
        "CKV_K8S_157",
        "CKV_K8S_158",
        "CKV2_K8S_1",
        "CKV2_K8S_3",
        "CIS EKS 4.1.8",
        "AVD-KSV-0043",
        "AVD-KSV-0050",
        "AVD-KSV-0051",
        "AVD-KSV-0052",
        "AVD-KSV-0055",
    ],
    remediation:
        "Remove escalate, bind and impersonate, and write access to RoleBindings and ClusterRoleBindings. Grant access with " +
        "bindings declared in code, reviewed like any other change.",
    judge: granting([
        { what: "escalate on roles", permission: { apiGroups: RBAC, resources: ["roles", "clusterroles"], verbs: ["escalate"] } },
        { what: "bind", permission: { apiGroups: RBAC, resources: ["roles", "clusterroles", "rolebindings", "clusterrolebindings"], verbs: ["bind"] } },
        {
            what: "impersonate",
            permission: {
                apiGroups: ["", "authentication.k8s.io"],
                resources: ["users", "groups", "serviceaccounts", "uids", "userextras"],
                verbs: ["impersonate"],
            },
        },
        { what: "write access to bindings", permission: { apiGroups: RBAC, resources: ["rolebindings", "clusterrolebindings"], verbs: WRITE } },
    ]),
});

export const rbacNoPodExecOrNodeProxy = roleGuardrail({
    name: "rbac-no-pod-exec-or-node-proxy",
    description: "No role can exec into, attach to or port-forward pods, add ephemeral containers, or reach kubelets through nodes/proxy.",
    controls: ["CKV2_K8S_2", "CIS EKS 4.1.10", "AVD-KSV-0047", "AVD-KSV-0053", "AVD-KSV-0054"],
    remediation:
        "Debug through logs, metrics and `kubectl debug` by an administrator's access entry, not through a standing role. " +
        "nodes/proxy reaches the kubelet API, which runs commands in any pod on the node.",
    judge: granting([
        { what: "pods/exec", permission: { apiGroups: CORE, resources: ["pods/exec"], verbs: ["create", "get"] } },
        { what: "pods/attach", permission: { apiGroups: CORE, resources: ["pods/attach"], verbs: ["create", "get"] } },
        { what: "pods/portforward", permission: { apiGroups: CORE, resources: ["pods/portforward"], verbs: ["create", "get"] } },
        { what: "pods/ephemeralcontainers", permission: { apiGroups: CORE, resources: ["pods/ephemeralcontainers"], verbs: ["update", "patch"] } },
        { what: "nodes/proxy", permission: { apiGroups: CORE, resources: ["nodes/proxy"], verbs: ["get", "list", "watch", ...WRITE] } },
    ]),
});

export const rbacNoSensitivePermissions = roleGuardrail({
    name: "rbac-no-sensitive-permissions",
    description:
        "No role edits admission webhooks, approves certificate requests, edits the aws-auth ConfigMap, mints service-account tokens or deletes pod logs.",
    controls: ["CKV_K8S_155", "CKV_K8S_156", "CIS EKS 4.1.11", "CIS EKS 4.1.12", "AVD-KSV-0042", "AVD-KSV-0114", "AVD-KSV-0115"],
    remediation:
        "Webhook configurations, CSR approval and aws-auth belong to the cluster's administrators (access entries), token " +
        "minting to the kubelet (projected service-account tokens), and logs are evidence: remove these grants.",
    judge: granting([
        {
            what: "write access to admission webhook configurations",
            permission: {
                apiGroups: ["admissionregistration.k8s.io"],
                resources: ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"],
                verbs: WRITE,
            },
        },
        {
            what: "certificate signing request approval",
            permission: { apiGroups: ["certificates.k8s.io"], resources: ["certificatesigningrequests/approval"], verbs: ["update", "patch"] },
        },
        { what: "approve on signers", permission: { apiGroups: ["certificates.k8s.io"], resources: ["signers"], verbs: ["approve"] } },
        { what: "write access to the aws-auth ConfigMap", permission: { apiGroups: CORE, resources: ["configmaps"], verbs: WRITE }, onlyNamed: ["aws-auth"] },
        {
            what: "write access to ConfigMaps in kube-system (aws-auth among them)",
            permission: { apiGroups: CORE, resources: ["configmaps"], verbs: WRITE },
            unlessNamed: true,
            onlyInNamespaces: ["kube-system"],
        },
        { what: "service-account token creation", permission: { apiGroups: CORE, resources: ["serviceaccounts/token"], verbs: ["create"] } },
        { what: "deletion of pod logs", permission: { apiGroups: CORE, resources: ["pods/log"], verbs: ["delete", "deletecollection"] } },
    ]),
});

const WORKLOAD_RESOURCES = ["pods", "deployments", "jobs", "cronjobs", "statefulsets", "daemonsets", "replicasets", "replicationcontrollers"];

export const rbacWorkloadAndNetworkWrite = roleGuardrail({
    name: "rbac-workload-and-network-write",
    description:
        "Roles that can create or change workloads, PersistentVolumes, ConfigMaps or traffic routing (Services, endpoints, " +
        "NetworkPolicies, Ingresses, Service status) are reported for review: each is a way to run code or redirect traffic.",
    enforcementLevel: "advisory",
    controls: ["CIS EKS 4.1.4", "CIS EKS 4.1.9", "CKV2_K8S_4", "AVD-KSV-0048", "AVD-KSV-0049", "AVD-KSV-0056"],
    remediation:
        "Keep such grants to controllers that need them (a workload controller creates pods, a gateway controller writes " +
        "endpoints), scope them with resourceNames or a Role in one namespace where possible, and list reviewed ones in exemptRoles.",
    judge: granting([
        { what: "write access to workloads", permission: { apiGroups: ["", "apps", "batch", "extensions"], resources: WORKLOAD_RESOURCES, verbs: WRITE } },
        { what: "PersistentVolume creation", permission: { apiGroups: CORE, resources: ["persistentvolumes"], verbs: ["create"] } },
        { what: "write access to ConfigMaps", permission: { apiGroups: CORE, resources: ["configmaps"], verbs: WRITE }, unlessNamed: true },
        {
            what: "write access to Services, endpoints, NetworkPolicies or Ingresses",
            permission: {
                apiGroups: ["", "discovery.k8s.io", "networking.k8s.io", "extensions"],
                resources: ["services", "endpoints", "endpointslices", "networkpolicies", "ingresses"],
                verbs: WRITE,
            },
        },
        { what: "Service status updates (CVE-2020-8554)", permission: { apiGroups: CORE, resources: ["services/status"], verbs: ["update", "patch"] } },
    ]),
});

interface BindingConfig {
    privilegedRoles: string[];
    forbiddenGroups: string[];
    exemptBindings: string[];
}

export const rbacBindingsRestricted = resourceGuardrail<BindingConfig>({
    name: "rbac-bindings-restricted",
    description:
        "No binding grants the cluster-admin, admin or edit ClusterRoles, and none names system:masters, anonymous, " +
        "unauthenticated or all authenticated users as its subject.",
    enforcementLevel: "mandatory",
    controls: ["CIS EKS 4.1.1", "AVD-KSV-0111", "AVD-KSV-0122", "AVD-KSV-0123"],
    remediation:
        "Give people access with EKS access entries (cluster.adminPrincipals / viewerPrincipals, namespace-scoped access policies " +
        "for teams) and service accounts a Role with only the permissions their controller uses.",
    configSchema: {
        privilegedRoles: {
            type: "array",
            items: { type: "string" },
            description: "ClusterRoles no binding may grant.",
            default: ["cluster-admin", "admin", "edit"],
        },
        forbiddenGroups: {
            type: "array",
            items: { type: "string" },
            description: "Subjects no binding may name (groups, or the anonymous user).",
            default: ["system:masters", "system:anonymous", "system:unauthenticated", "system:authenticated"],
        },
        exemptBindings: {
            type: "array",
            items: { type: "string" },
            description: "Bindings exempt from this rule: a ClusterRoleBinding by name, a RoleBinding as namespace/name; `*` is a wildcard.",
            default: [],
        },
    },
    resourceTypes: BINDING_TYPES,
    validate: (binding, config, report) => {
        const name = rbacObjectName(binding);
        if (config.exemptBindings.some((pattern) => matchesWildcard(pattern, name))) {
            return;
        }
        const { roleRef, subjects } = bindingOf(binding);
        if (roleRef?.kind === "ClusterRole" && roleRef.name !== undefined && config.privilegedRoles.includes(roleRef.name)) {
            report(`${name} binds the ${roleRef.name} ClusterRole.`);
        }
        decideEach(asArray(subjects), (subject) => {
            if ((subject.kind === "Group" || subject.kind === "User") && subject.name !== undefined && config.forbiddenGroups.includes(subject.name)) {
                report(`${name} names ${subject.name} as a subject.`);
            }
        });
    },
});
