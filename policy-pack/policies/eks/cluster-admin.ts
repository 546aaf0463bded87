import { EKS_COMPONENT_CLUSTER } from "../../lib/clusters";
import { resourceGuardrail } from "../../lib/policy";
import { decideEach } from "../../lib/unknown";
import { field, matchesWildcard, recordAt } from "../../lib/values";

const ACCESS_POLICY_ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation";
/** EKS's access policy that maps to Kubernetes' cluster-admin ClusterRole. */
const CLUSTER_ADMIN_POLICY = /^arn:aws[a-z-]*:eks::aws:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/;

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
