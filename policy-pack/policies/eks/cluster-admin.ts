import { EKS_COMPONENT_CLUSTER, isCluster } from "../../lib/clusters";
import { field, parseJsonDocument, recordAt } from "../../lib/values";
import { resourceGuardrail, stackGuardrail } from "../../lib/policy";
import { resourcesOfType } from "../../lib/stack";
import { decideEach, readKnown } from "../../lib/unknown";
import { matchesWildcard } from "../../lib/values";

const ACCESS_POLICY_ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation";
/** EKS's access policy that maps to Kubernetes' cluster-admin ClusterRole. */
export const CLUSTER_ADMIN_POLICY = /^arn:aws[a-z-]*:eks::aws:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/;

interface ClusterAdminConfig {
    clusterAdminPrincipals: string[];
}

/** Access policies an eks.Cluster component grants through its accessEntries input. */
function componentGrants(props: Record<string, unknown>): Array<{ principalArn: unknown; policyArn: unknown; where: string }> {
    return Object.entries(recordAt(props, "accessEntries") ?? {}).flatMap(([key, entry]) =>
        Object.entries(recordAt(entry, "accessPolicies") ?? {}).map(([policyKey, policy]) => ({
            principalArn: field(entry, "principalArn"),
            policyArn: field(policy, "policyArn"),
            where: `accessEntries.${key}.accessPolicies.${policyKey}`,
        })),
    );
}

export const eksClusterAdminRestricted = resourceGuardrail<ClusterAdminConfig>({
    name: "eks-cluster-admin-restricted",
    description:
        "The EKS cluster-admin access policy (AmazonEKSClusterAdminPolicy) goes only to the principals the environment declares as cluster administrators.",
    enforcementLevel: "mandatory",
    controls: ["CIS EKS 4.1.1"],
    remediation:
        "Give people and CI a narrower access policy (AmazonEKSEditPolicy, AmazonEKSViewPolicy, namespace-scoped AmazonEKSAdminPolicy), " +
        "or add the principal to clusterAdminPrincipals in the environment's policy settings after review.",
    configSchema: {
        clusterAdminPrincipals: {
            type: "array",
            items: { type: "string" },
            description: "IAM principal ARNs (`*` matches any run of characters, e.g. an account ID) that may hold cluster-admin.",
            default: [],
        },
    },
    resourceTypes: [ACCESS_POLICY_ASSOCIATION, EKS_COMPONENT_CLUSTER],
    validate: (resource, config, report) => {
        const grants =
            resource.type === ACCESS_POLICY_ASSOCIATION
                ? [{ principalArn: resource.props.principalArn as unknown, policyArn: resource.props.policyArn as unknown, where: "The association" }]
                : componentGrants(resource.props);
        decideEach(grants, ({ principalArn, policyArn, where }) => {
            if (typeof policyArn !== "string" || !CLUSTER_ADMIN_POLICY.test(policyArn)) {
                return;
            }
            const principal = String(principalArn);
            if (!config.clusterAdminPrincipals.some((pattern) => matchesWildcard(pattern, principal))) {
                report(`${where} grants cluster-admin to ${principal}, which is not a declared cluster administrator.`);
            }
        });
    },
});

const ADDON_TYPES = ["aws:eks/addon:Addon", "eks:index:Addon", "eks:index:VpcCniAddon"];

/** Whether a VPC CNI add-on turns on the network policy agent (configurationValues or the component's own input). */
function enablesNetworkPolicy(addon: Record<string, unknown>): boolean {
    if (addon.enableNetworkPolicy === true) {
        return true;
    }
    const values = parseJsonDocument(addon.configurationValues);
    return values?.enableNetworkPolicy === "true" || values?.enableNetworkPolicy === true;
}

export const vpcCniNetworkPolicyEnabled = stackGuardrail({
    name: "vpc-cni-network-policy-enabled",
    description: "Every cluster's VPC CNI runs its network policy agent, so Kubernetes NetworkPolicies are enforced rather than silently ignored.",
    enforcementLevel: "mandatory",
    controls: ["CIS EKS 4.3.1", "CIS EKS 5.4.4"],
    remediation:
        'Install the vpc-cni add-on with configurationValues {"enableNetworkPolicy": "true"} (or vpcCniOptions.enableNetworkPolicy: true ' +
        "on the eks.Cluster component); the add-on's default leaves NetworkPolicies unenforced.",
    validate: (stack, _config, report) => {
        const addons = resourcesOfType(stack, ...ADDON_TYPES).filter(
            (addon) => addon.type === "eks:index:VpcCniAddon" || readKnown(() => addon.props.addonName as unknown) === "vpc-cni",
        );
        decideEach(
            stack.resources.filter((resource) => isCluster(resource)),
            (cluster) => {
                const name = readKnown(() => (cluster.props.name as string | undefined) ?? cluster.name);
                const own = addons.filter((addon) => [name, cluster.id].includes(readKnown(() => addon.props.clusterName as string | undefined)));
                const candidates = own.length > 0 ? own : addons;
                const componentOptions =
                    cluster.type === EKS_COMPONENT_CLUSTER ? (cluster.props.vpcCniOptions as Record<string, unknown> | undefined) : undefined;
                const enabled = candidates.some((addon) => enablesNetworkPolicy(addon.props)) || componentOptions?.enableNetworkPolicy === true;
                if (!enabled) {
                    report(`Cluster "${cluster.name}" runs the VPC CNI without its network policy agent: NetworkPolicies are not enforced.`, cluster.urn);
                }
            },
        );
    },
});
