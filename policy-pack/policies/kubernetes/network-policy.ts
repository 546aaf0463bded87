// NetworkPolicy: every application namespace starts from "deny all, both ways" and opens what its
// workloads need with further policies; the VPC CNI's network policy agent enforces them.
import { isPatch, namespaceOf, NAMESPACE_TYPES, NETWORK_POLICY_TYPES, objectOf } from "../../lib/kubernetes";
import { EKS_COMPONENT_CLUSTER, isCluster } from "../../lib/clusters";
import { resourceGuardrail, stackGuardrail, type ResourceView } from "../../lib/policy";
import { resourcesOfType } from "../../lib/stack";
import { attemptEach, decideAll, decideEach, readKnown, UnknownValueError } from "../../lib/unknown";
import { asArray, field, isTrue, parseJsonDocument, stringAt } from "../../lib/values";

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

const ADDON_TYPES = ["aws:eks/addon:Addon", "eks:index:Addon", "eks:index:VpcCniAddon"];

function isVpcCniAddon(addon: ResourceView): boolean {
    return addon.type === "eks:index:VpcCniAddon" || readKnown(() => stringAt(addon.props, "addonName")) === "vpc-cni";
}

/** Whether a VPC CNI add-on turns its network policy agent on: the component's own input, or the managed add-on's configurationValues. */
function enablesNetworkPolicy(addon: ResourceView): boolean {
    if (addon.type === "eks:index:VpcCniAddon") {
        return isTrue(addon.props.enableNetworkPolicy);
    }
    return isTrue(parseJsonDocument(addon.props.configurationValues)?.enableNetworkPolicy);
}

/** Whether an eks.Cluster component creates its own VPC CNI add-on from vpcCniOptions: unless useDefaultVpcCni or EKS Auto Mode says otherwise. */
function componentCreatesVpcCni(cluster: ResourceView): boolean {
    const useDefault = field(cluster.props, "useDefaultVpcCni");
    return useDefault === undefined || useDefault === null ? !isTrue(field(cluster.props, "autoMode", "enabled")) : !isTrue(useDefault);
}

export const vpcCniNetworkPolicyEnabled = stackGuardrail({
    name: "vpc-cni-network-policy-enabled",
    description:
        "Every VPC CNI add-on the stack declares runs its network policy agent, and every cluster of the stack has such an add-on, " +
        "so Kubernetes NetworkPolicies are enforced rather than silently ignored.",
    enforcementLevel: "mandatory",
    controls: ["CIS EKS 4.3.1", "CIS EKS 5.4.4"],
    remediation:
        'Install the vpc-cni add-on with configurationValues {"enableNetworkPolicy": "true"} (eks.VpcCniAddon: enableNetworkPolicy: true; ' +
        "the eks.Cluster component: vpcCniOptions.enableNetworkPolicy: true). The CNI EKS installs by default leaves NetworkPolicies unenforced.",
    validate: (stack, _config, report) => {
        const addons = resourcesOfType(stack, ...ADDON_TYPES).filter(isVpcCniAddon);
        const clusters = stack.resources.filter(isCluster);
        decideAll(
            () =>
                decideEach(addons, (addon) => {
                    if (!enablesNetworkPolicy(addon)) {
                        report(`The VPC CNI add-on "${addon.name}" leaves enableNetworkPolicy off: NetworkPolicies are not enforced.`, addon.urn);
                    }
                }),
            () =>
                decideEach(clusters, (cluster) => {
                    if (cluster.type === EKS_COMPONENT_CLUSTER && componentCreatesVpcCni(cluster)) {
                        if (!isTrue(field(cluster.props, "vpcCniOptions", "enableNetworkPolicy"))) {
                            report(`Cluster "${cluster.name}" creates its VPC CNI add-on from vpcCniOptions without enableNetworkPolicy.`, cluster.urn);
                        }
                        return;
                    }
                    // An add-on or cluster whose name is not known yet may be the other's.
                    const names = [readKnown(() => stringAt(cluster.props, "name") ?? cluster.name), cluster.id];
                    const mayBeOwn = (addon: ResourceView): boolean => {
                        const clusterName = readKnown(() => stringAt(addon.props, "clusterName"));
                        return clusterName === undefined || names[0] === undefined || names.includes(clusterName);
                    };
                    if (!addons.some(mayBeOwn)) {
                        report(
                            `Cluster "${cluster.name}" has no VPC CNI add-on: the CNI EKS installs by default runs without the network policy agent.`,
                            cluster.urn,
                        );
                    }
                }),
        );
    },
});
