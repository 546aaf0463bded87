/**
 * Names built from the cluster name that several components share. Each component builds them
 * with these functions, and the sections declare the same ones for validation (config/names.ts).
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
