import { resourceGuardrail } from "../../lib/policy";
import { field } from "../../lib/values";
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

// @pulumi/eks does not expose bootstrapClusterCreatorAdminPermissions: its ClusterArgs (4.x)
// have no such input, and the component hard-codes it to true on its inner aws.eks.Cluster
// (pulumi-eks nodejs/eks/cluster/cluster.ts). The platform's Cluster component overrides it with a
// resource transform, which eks.Cluster's inputs cannot show. So the rule judges where the setting
// is visible: the inner aws.eks.Cluster (the engine sees the packaged component's children, with
// the transform applied) and the platform component, which records the effective value as its
// input for offline plans. An eks.Cluster used without the platform component is caught by the
// engine through its inner aws.eks.Cluster.
const PLATFORM_CLUSTER = "eksplatform:cluster:Cluster";

export const eksNoStandingCreatorAdmin = resourceGuardrail({
    name: "eks-no-standing-creator-admin",
    description: "The identity that creates the cluster does not keep a standing cluster-admin access entry.",
    enforcementLevel: "mandatory",
    controls: ["CIS EKS 4.1.7", "CIS EKS 4.1.1"],
    remediation:
        "Set cluster.bootstrapCreatorAdmin: false (the platform applies it to the inner aws.eks.Cluster), or for a raw " +
        "aws.eks.Cluster accessConfig.bootstrapClusterCreatorAdminPermissions: false (AWS default true); grant administrators " +
        "explicit access entries that can be reviewed and revoked.",
    resourceTypes: [AWS_EKS_CLUSTER, PLATFORM_CLUSTER],
    validate: (cluster, _config, report) => {
        if (cluster.type === PLATFORM_CLUSTER) {
            if (cluster.props.bootstrapCreatorAdmin !== false) {
                report("The platform cluster grants the identity running `pulumi up` standing cluster-admin (cluster.bootstrapCreatorAdmin).");
            }
        } else if (field(cluster.props, "accessConfig", "bootstrapClusterCreatorAdminPermissions") !== false) {
            report("The cluster creator is granted standing cluster-admin (bootstrapClusterCreatorAdminPermissions defaults to true).");
        }
    },
});
