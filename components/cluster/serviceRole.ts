import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsScope } from "../capability";

export interface ClusterServiceRoleArgs {
    /** EKS cluster name, for the description. */
    clusterName: string;
    /** The partition of the managed-policy ARN, and the role's permissions boundary. */
    scope: AwsScope;
}

/**
 * The role the EKS control plane assumes to manage the cluster's AWS resources: AmazonEKSClusterPolicy,
 * as @pulumi/eks would attach to the role it otherwise creates itself. The same trust (eks.amazonaws.com,
 * `sts:AssumeRole` and `sts:TagSession`), plus the permissions boundary every platform role carries.
 */
export class ClusterServiceRole extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;

    constructor(name: string, args: ClusterServiceRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:cluster:ClusterServiceRole", name, {}, opts);
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
            { parent: this },
        );
        new aws.iam.RolePolicyAttachment(
            `${name}-cluster-policy`,
            { role: this.role.name, policyArn: `arn:${args.scope.partition}:iam::aws:policy/AmazonEKSClusterPolicy` },
            { parent: this },
        );
        this.registerOutputs({ roleArn: this.role.arn });
    }
}
