import { createHash } from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsScope } from "../capability";

/** The policy every cluster role has, by the ID pulumi-eks names its attachment after (the aws partition's ARN, whatever the stack's). */
const CLUSTER_POLICY = "AmazonEKSClusterPolicy";

export interface ClusterServiceRoleArgs {
    /** EKS cluster name, for the description. */
    clusterName: string;
    /** The partition of the managed-policy ARN, and the role's permissions boundary. */
    scope: AwsScope;
    /**
     * The `eks.Cluster` that made the cluster's role itself before the program made its own: its
     * logical name and URN. The role continues that one (see below).
     */
    formerOwner: { name: string; urn: pulumi.Input<string> };
}

/**
 * The role the EKS control plane assumes to manage the cluster's AWS resources: AmazonEKSClusterPolicy,
 * as @pulumi/eks would attach to the role it otherwise creates itself. The same trust (eks.amazonaws.com,
 * `sts:AssumeRole` and `sts:TagSession`), plus the permissions boundary every platform role carries.
 *
 * A cluster's role is a replacement property, so in a stack whose cluster still has the role
 * `eks.Cluster` made (pulumi-eks's ServiceRole `<cluster>-eksRole`: role `<cluster>-eksRole-role`,
 * attachment `<cluster>-eksRole-<8 hex of SHA-1 of the policy ARN>`), this component, its role and
 * its attachment carry aliases to those three: the engine continues them rather than create new
 * ones, the role keeps its generated name and so its ARN, and the cluster is not replaced. The role
 * is updated in place (description, trust policy, boundary); the attachment is the same. Where the
 * program's own role exists already, or in a new stack, the aliases match nothing and change nothing.
 * The role must stay auto-named with the default path: a `name` or `path` would replace it, and the cluster with it.
 */
export class ClusterServiceRole extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;

    constructor(name: string, args: ClusterServiceRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        const former = `${args.formerOwner.name}-eksRole`;
        super(
            "eksplatform:cluster:ClusterServiceRole",
            name,
            {},
            {
                ...opts,
                aliases: [...(opts?.aliases ?? []), { name: former, type: "eks:index:ServiceRole", parent: args.formerOwner.urn }],
            },
        );
        this.role = new aws.iam.Role(
            name,
            {
                description: `Service role of EKS cluster ${args.clusterName}`,
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
                }),
                permissionsBoundary: args.scope.permissionsBoundaryArn,
            },
            // Under the continued ServiceRole (its parent's alias), the engine finds the role by this name.
            { parent: this, aliases: [{ name: `${former}-role` }] },
        );
        new aws.iam.RolePolicyAttachment(
            `${name}-cluster-policy`,
            { role: this.role.name, policyArn: `arn:${args.scope.partition}:iam::aws:policy/${CLUSTER_POLICY}` },
            {
                parent: this,
                aliases: [{ name: `${former}-${createHash("sha1").update(`arn:aws:iam::aws:policy/${CLUSTER_POLICY}`).digest("hex").slice(0, 8)}` }],
            },
        );
        this.registerOutputs({ roleArn: this.role.arn });
    }
}
