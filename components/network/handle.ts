import type * as pulumi from "@pulumi/pulumi";

/** What the Network component gives the cluster and every capability built on it. */
export interface NetworkHandle {
    vpcId: pulumi.Output<string>;
    /** The zones the network spans, in region order. */
    availabilityZones: string[];
    /** Private (node) subnet per zone. */
    privateSubnetIds: Record<string, pulumi.Output<string>>;
    /** Pod subnet per zone, in the secondary CIDR (VPC CNI custom networking). */
    podSubnetIds: Record<string, pulumi.Output<string>>;
    /** The VPC's primary CIDR: nodes, load balancers and endpoints take their addresses from it. */
    vpcCidr: string;
    /** The secondary CIDR pods take their addresses from; security groups admit it beside the node group. */
    podCidr: string;
}
