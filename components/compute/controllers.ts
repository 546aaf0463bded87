import type { PlatformContext } from "../capability";

/**
 * What the node controllers (termination handler, cluster autoscaler) take from the platform. They
 * are part of compute, which builds the node pools, so nodesReady are the pools' groups.
 */
export interface NodeControllerContext extends Pick<PlatformContext, "scope" | "clusterName" | "cluster" | "controllerNamespace" | "nodesReady" | "images"> {
    /** Prefix every node pool's Auto Scaling group name starts with; IAM grants are scoped to it. */
    groupNamePrefix: string;
}
