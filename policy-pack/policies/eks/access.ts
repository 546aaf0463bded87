import { resourceGuardrail } from "../../lib/policy";
import { AWS_EKS_CLUSTER, CLUSTER_TYPES, authenticationMode } from "../../lib/clusters";

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

// @pulumi/eks 4.x ClusterArgs does not expose bootstrapClusterCreatorAdminPermissions, so only
// the raw aws.eks.Cluster can be held to this; see the pack README.
export const eksNoStandingCreatorAdmin = resourceGuardrail({
    name: "eks-no-standing-creator-admin",
    description: "The identity that creates the cluster does not keep a standing cluster-admin access entry.",
    enforcementLevel: "mandatory",
    controls: ["CIS EKS 4.1.7", "CIS EKS 4.1.1"],
    remediation:
        "Set accessConfig.bootstrapClusterCreatorAdminPermissions: false (AWS default true) and grant administrators " +
        "an explicit access entry that can be reviewed and revoked.",
    resourceTypes: [AWS_EKS_CLUSTER],
    validate: (cluster, _config, report) => {
        if (cluster.props.accessConfig?.bootstrapClusterCreatorAdminPermissions !== false) {
            report("The cluster creator is granted standing cluster-admin (bootstrapClusterCreatorAdminPermissions defaults to true).");
        }
    },
});
