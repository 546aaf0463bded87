import { resourceGuardrail } from "../../lib/policy";
import { CLUSTER_TYPES, EKS_COMPONENT_CLUSTER, authenticationMode } from "../../lib/clusters";

export const eksAccessEntries = resourceGuardrail({
    name: "eks-access-entries",
    description: "Cluster access is managed with EKS access entries (authentication mode API), not the aws-auth ConfigMap.",
    enforcementLevel: "mandatory",
    controls: ["CIS EKS 4.1.7"],
    remediation:
        'Set authenticationMode: "API" (eks.Cluster) or accessConfig.authenticationMode: "API" (aws.eks.Cluster) and ' +
        "grant access through accessEntries. The EKS API defaults to CONFIG_MAP.",
    resourceTypes: CLUSTER_TYPES,
    validate: (cluster, _config, report) => {
        const mode = authenticationMode(cluster);
        if (mode !== "API") {
            report(`Authentication mode is ${mode}; the aws-auth ConfigMap remains a way in.`);
        }
    },
});

// @pulumi/eks does not expose bootstrapClusterCreatorAdminPermissions: its ClusterArgs (4.x)
// have no such input, and the component hard-codes it to true (pulumi-eks
// nodejs/eks/cluster/cluster.ts: "required for this component because it deploys charts"),
// which is also EKS's default without accessConfig. A component cluster therefore always
// leaves the creator a standing admin; only the raw aws.eks.Cluster can switch it off.
export const eksNoStandingCreatorAdmin = resourceGuardrail({
    name: "eks-no-standing-creator-admin",
    description: "The identity that creates the cluster does not keep a standing cluster-admin access entry.",
    enforcementLevel: "mandatory",
    controls: ["CIS EKS 4.1.7", "CIS EKS 4.1.1"],
    remediation:
        "Create the cluster as aws.eks.Cluster with accessConfig.bootstrapClusterCreatorAdminPermissions: false (AWS default true) " +
        "and grant administrators explicit access entries that can be reviewed and revoked. The eks.Cluster component always " +
        "grants its creator cluster-admin; keeping it requires a documented exception in the environment's config.",
    resourceTypes: CLUSTER_TYPES,
    validate: (cluster, _config, report) => {
        if (cluster.type === EKS_COMPONENT_CLUSTER) {
            report("The eks.Cluster component always grants the creating principal cluster-admin (bootstrapClusterCreatorAdminPermissions: true).");
        } else if (cluster.props.accessConfig?.bootstrapClusterCreatorAdminPermissions !== false) {
            report("The cluster creator is granted standing cluster-admin (bootstrapClusterCreatorAdminPermissions defaults to true).");
        }
    },
});
