import * as pulumi from "@pulumi/pulumi";
import type { ClusterHandle } from "../cluster/handle";

/** A namespace the platform's controllers run in, and the resource that creates it. */
export interface ControllerNamespace {
    name: string;
    resource: pulumi.Resource;
}

/** What the node controllers (termination handler, cluster autoscaler) take from the platform. */
export interface NodeControllerContext {
    clusterName: string;
    cluster: ClusterHandle;
    /** Restricted namespace the controller's Deployment runs in. */
    controllerNamespace: ControllerNamespace;
    /** Region, account and partition of the node groups, for the controller's IAM resource ARNs. */
    region: string;
    accountId: string;
    partition: string;
    /** Prefix every node pool's Auto Scaling group name starts with; IAM grants are scoped to it. */
    groupNamePrefix: string;
    /** Resources the controller's pods need to exist (the node groups). */
    dependsOn: pulumi.Input<pulumi.Resource>[];
}
