// NetworkPolicy: every application namespace starts from "deny all, both ways" and opens what its
// workloads need with further policies; the VPC CNI's network policy agent enforces them.
import { isPatch, namespaceOf, NAMESPACE_TYPES, NETWORK_POLICY_TYPES, objectOf } from "../../lib/kubernetes";
import { resourceGuardrail, stackGuardrail, type ResourceView } from "../../lib/policy";
import { resourcesOfType } from "../../lib/stack";
import { attemptEach, decideEach, UnknownValueError } from "../../lib/unknown";
import { asArray, isTrue, parseJsonDocument } from "../../lib/values";

type Direction = "Ingress" | "Egress";
const DIRECTIONS: Direction[] = ["Ingress", "Egress"];

interface LabelSelector {
    matchLabels?: Record<string, string>;
    matchExpressions?: unknown[];
}

interface NetworkPolicySpec {
    podSelector?: LabelSelector;
    policyTypes?: Direction[];
    ingress?: unknown[];
    egress?: unknown[];
}

/** A pod selector that selects every pod of the namespace: `{}`, or one with no labels and no expressions. */
function selectsEveryPod(podSelector: LabelSelector | undefined): boolean {
    return podSelector !== undefined && Object.keys(podSelector.matchLabels ?? {}).length === 0 && asArray(podSelector.matchExpressions).length === 0;
}

/** The directions a policy isolates: policyTypes, or as the API defaults it (Ingress, plus Egress when egress rules are given). */
function isolatedDirections(spec: NetworkPolicySpec): Direction[] {
    if (spec.policyTypes !== undefined) {
        return asArray(spec.policyTypes);
    }
    return spec.egress !== undefined ? ["Ingress", "Egress"] : ["Ingress"];
}

function specOf(policy: ResourceView): NetworkPolicySpec {
    return objectOf<{ spec?: NetworkPolicySpec }>(policy).spec ?? {};
}

/** The directions in which the policy denies everything to every pod of its namespace. */
function deniedDirections(policy: ResourceView): Direction[] {
    const spec = specOf(policy);
    if (!selectsEveryPod(spec.podSelector)) {
        return [];
    }
    return isolatedDirections(spec).filter((direction) => asArray(direction === "Ingress" ? spec.ingress : spec.egress).length === 0);
}

interface DefaultDenyConfig {
    exemptNamespaces: string[];
    exemptNamespaceLabels: string[];
}

export const namespaceDefaultDenyNetworkPolicy = stackGuardrail<DefaultDenyConfig>({
    name: "namespace-default-deny-network-policy",
    description:
        "Every namespace the stack creates has default-deny NetworkPolicies for ingress and egress: a policy selecting every " +
        "pod that isolates the direction and allows nothing.",
    enforcementLevel: "mandatory",
    controls: ["CIS EKS 4.3.2", "CKV2_K8S_6"],
    remediation:
        "Add a NetworkPolicy with podSelector: {}, policyTypes: [Ingress, Egress] and no rules to the namespace, then one " +
        "policy per allowed flow (DNS egress to kube-dns first). Namespaces of system add-ons that cannot run isolated are " +
        "listed in exemptNamespaces, with the reason in the config README.",
    configSchema: {
        exemptNamespaces: {
            type: "array",
            items: { type: "string" },
            description: "Namespaces exempt from this rule (system add-ons).",
            default: [],
        },
        exemptNamespaceLabels: {
            type: "array",
            items: { type: "string" },
            description: "Label keys that exempt a namespace carrying them (namespaces whose policies another component owns).",
            default: [],
        },
    },
    validate: (stack, config, report) => {
        const denials: Array<{ namespace: string; directions: Direction[] }> = [];
        // A policy whose namespace or spec is unknown may be the one a namespace lacks.
        const unknownPolicy = attemptEach(
            resourcesOfType(stack, ...NETWORK_POLICY_TYPES).filter((policy) => !isPatch(policy)),
            (policy) => denials.push({ namespace: namespaceOf(policy), directions: deniedDirections(policy) }),
        );
        const namespaces = resourcesOfType(stack, ...NAMESPACE_TYPES).filter((namespace) => !isPatch(namespace));
        decideEach(namespaces, (namespace) => {
            const metadata = objectOf(namespace).metadata ?? {};
            const name = metadata.name;
            if (typeof name !== "string") {
                // Auto-named: the name, and so the policies in it, are known only after creation.
                throw new UnknownValueError(`metadata.name of ${namespace.urn}`);
            }
            const labels = Object.keys(metadata.labels ?? {});
            if (config.exemptNamespaces.includes(name) || labels.some((label) => config.exemptNamespaceLabels.includes(label))) {
                return;
            }
            const missing = DIRECTIONS.filter((direction) => !denials.some((denial) => denial.namespace === name && denial.directions.includes(direction)));
            if (missing.length > 0) {
                if (unknownPolicy) {
                    throw unknownPolicy;
                }
                report(`Namespace ${name} has no default-deny NetworkPolicy for ${missing.join(" or ").toLowerCase()}.`, namespace.urn);
            }
        });
    },
});

export const networkPolicySelectsPods = resourceGuardrail({
    name: "network-policy-selects-pods",
    description: "Every NetworkPolicy states the pods it applies to (spec.podSelector; `{}` for all of the namespace's pods).",
    enforcementLevel: "mandatory",
    controls: ["AVD-KSV-0038"],
    remediation: "Set spec.podSelector: `{}` for the whole namespace, or matchLabels / matchExpressions for the pods the policy protects.",
    resourceTypes: NETWORK_POLICY_TYPES,
    validate: (policy, _config, report) => {
        if (specOf(policy).podSelector === undefined && !isPatch(policy)) {
            report("The NetworkPolicy has no podSelector.");
        }
    },
});

const VPC_CNI = "vpc-cni";

export const vpcCniNetworkPolicyEnabled = resourceGuardrail({
    name: "vpc-cni-network-policy-enabled",
    description: "Wherever the stack configures the Amazon VPC CNI, its network policy agent is on, so NetworkPolicies are enforced.",
    enforcementLevel: "mandatory",
    controls: ["CIS EKS 4.3.1", "CIS EKS 5.4.4"],
    remediation:
        'Set the vpc-cni add-on\'s configurationValues to include "enableNetworkPolicy": "true" (eks.VpcCniAddon / ' +
        "vpcCniOptions: enableNetworkPolicy: true). Without it every NetworkPolicy is accepted and silently ignored.",
    resourceTypes: ["aws:eks/addon:Addon", "eks:index:Addon", "eks:index:VpcCniAddon", "eks:index:Cluster"],
    validate: (resource, _config, report) => {
        const props = resource.props as {
            enableNetworkPolicy?: boolean;
            useDefaultVpcCni?: boolean;
            vpcCniOptions?: { enableNetworkPolicy?: boolean };
            addonName?: string;
            configurationValues?: unknown;
        };
        if (resource.type === "eks:index:VpcCniAddon") {
            if (props.enableNetworkPolicy !== true) {
                report("The VPC CNI add-on leaves enableNetworkPolicy off.");
            }
        } else if (resource.type === "eks:index:Cluster") {
            // Only with useDefaultVpcCni: false does the component create the add-on from vpcCniOptions.
            if (props.useDefaultVpcCni === false && props.vpcCniOptions?.enableNetworkPolicy !== true) {
                report("The cluster's VPC CNI add-on (vpcCniOptions) leaves enableNetworkPolicy off.");
            }
        } else if (props.addonName === VPC_CNI) {
            const configuration = parseJsonDocument(props.configurationValues) as { enableNetworkPolicy?: unknown } | undefined;
            if (!isTrue(configuration?.enableNetworkPolicy)) {
                report('The vpc-cni add-on\'s configurationValues do not set enableNetworkPolicy: "true".');
            }
        }
    },
});
