import type { ClusterSettings } from "./settings";

/**
 * Names the cluster's resources get: from the cluster name (shared by several components) and the
 * access entries' from the principals. Components build them with these functions, and validation
 * checks the same ones (config/names.ts, the duplicate access entries in ./validate.ts).
 */

/** The tag key marking AWS resources as the cluster's (subnets, the node security group, node instances). */
export function clusterOwnershipTagKey(clusterName: string): string {
    return `kubernetes.io/cluster/${clusterName}`;
}

/** The Pulumi name of the VPC CNI add-on and its IRSA role (auto-named from it), from the cluster component's name. */
export function vpcCniResourceName(name: string): string {
    return `${name}-vpc-cni`;
}

/** The log group EKS writes control-plane logs to; the program creates it first, encrypted and with a retention. */
export function controlPlaneLogGroupName(clusterName: string): string {
    return `/aws/eks/${clusterName}/cluster`;
}

export interface AccessGrant {
    /** Resource-name fragment, e.g. "admin-platform-admins". */
    key: string;
    principalArn: string;
    policyArn: string;
}

/** Access entries: admins get AmazonEKSClusterAdminPolicy, viewers AmazonEKSViewPolicy, both cluster-wide. */
export function accessEntries(settings: Pick<ClusterSettings, "adminPrincipals" | "viewerPrincipals">, partition: string): AccessGrant[] {
    const policyArn = (policy: string) => `arn:${partition}:eks::aws:cluster-access-policy/${policy}`;
    // Role and user names are unique per account; the path is not part of the key.
    const key = (kind: string, arn: string) => `${kind}-${arn.split("/").pop()}`;
    return [
        ...settings.adminPrincipals.map((arn) => ({ key: key("admin", arn), principalArn: arn, policyArn: policyArn("AmazonEKSClusterAdminPolicy") })),
        ...settings.viewerPrincipals.map((arn) => ({ key: key("viewer", arn), principalArn: arn, policyArn: policyArn("AmazonEKSViewPolicy") })),
    ];
}
