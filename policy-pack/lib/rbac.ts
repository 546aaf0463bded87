import { kindOf, kubernetesTypes, namespaceOf, objectOf } from "./kubernetes";
import type { ResourceView } from "./policy";
import { asArray } from "./values";

const RBAC_VERSIONS = ["rbac.authorization.k8s.io/v1", "rbac.authorization.k8s.io/v1beta1", "rbac.authorization.k8s.io/v1alpha1"];

export const ROLE_TYPES = [...kubernetesTypes("Role", RBAC_VERSIONS), ...kubernetesTypes("ClusterRole", RBAC_VERSIONS)];
export const BINDING_TYPES = [...kubernetesTypes("RoleBinding", RBAC_VERSIONS), ...kubernetesTypes("ClusterRoleBinding", RBAC_VERSIONS)];

/** One policy rule of a Role or ClusterRole, as the RBAC API spells it. */
export interface PolicyRule {
    apiGroups?: string[];
    resources?: string[];
    verbs?: string[];
    resourceNames?: string[];
    nonResourceURLs?: string[];
}

/** A permission a rule may grant: any of the verbs on any of the resources, in any of the API groups. */
export interface Permission {
    apiGroups: string[];
    resources: string[];
    verbs: string[];
}

/**
 * Whether the rule grants the permission, with the authorizer's wildcards: `*` for any group, verb
 * or resource, `*` + `/sub` for that subresource of any resource, `resource/*` for all its subresources.
 */
export function grants(rule: PolicyRule, permission: Permission): boolean {
    const groups = asArray(rule.apiGroups);
    const verbs = asArray(rule.verbs);
    const resources = asArray(rule.resources);
    return (
        (groups.includes("*") || permission.apiGroups.some((group) => groups.includes(group))) &&
        (verbs.includes("*") || permission.verbs.some((verb) => verbs.includes(verb))) &&
        permission.resources.some((wanted) => resources.some((granted) => resourceMatches(granted, wanted)))
    );
}

function resourceMatches(granted: string, wanted: string): boolean {
    if (granted === "*" || granted === wanted) {
        return true;
    }
    const [resource, subresource] = wanted.split("/");
    return subresource !== undefined && (granted === `*/${subresource}` || granted === `${resource}/*`);
}

export function rulesOf(role: ResourceView): PolicyRule[] {
    return asArray(objectOf<{ rules?: PolicyRule[] }>(role).rules);
}

/** A binding's subject: a User, Group or ServiceAccount. */
interface Subject {
    kind?: string;
    name?: string;
    namespace?: string;
}

export interface Binding {
    roleRef?: { kind?: string; name?: string };
    subjects?: Subject[];
}

export function bindingOf(binding: ResourceView): Binding {
    return objectOf<Binding>(binding);
}

/** Whether the RBAC object is cluster-scoped (ClusterRole, ClusterRoleBinding). */
export function isClusterScoped(resource: ResourceView): boolean {
    return kindOf(resource).startsWith("Cluster");
}

/**
 * How messages and exemptions name an RBAC object: a ClusterRole or ClusterRoleBinding by its name,
 * a Role or RoleBinding as namespace/name. Without metadata.name the provider auto-names the object
 * after the resource, so the resource name stands in.
 */
export function rbacObjectName(resource: ResourceView): string {
    const name = objectOf(resource).metadata?.name ?? resource.name;
    return isClusterScoped(resource) ? name : `${namespaceOf(resource)}/${name}`;
}
