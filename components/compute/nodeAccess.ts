import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsScope } from "../capability";

export interface NodeAccessArgs {
    /** EKS cluster name (an output of the cluster, so the access entry waits for it). */
    clusterName: pulumi.Input<string>;
    /** The partition of the managed-policy ARNs, and the role's permissions boundary. */
    scope: AwsScope;
    /** Also attach AmazonSSMManagedInstanceCore for Session Manager. Default false. */
    ssmSessionManager?: boolean;
    /** Customer-managed policies to attach as well, by a name for their attachment (the registry's cache grant). Default none. */
    additionalPolicies?: Record<string, pulumi.Input<string>>;
}

/**
 * AWS managed policies a self-managed node needs and no more: the kubelet's EC2/EKS reads and ECR
 * pulls. AmazonEKS_CNI_Policy is deliberately absent: the VPC CNI has its own IRSA role, so pods
 * reaching the node's credentials could not manage ENIs.
 */
const NODE_MANAGED_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"] as const;
const SSM_MANAGED_POLICY = "AmazonSSMManagedInstanceCore";

/** The Pulumi name of the node role, its instance profile and its access entry (the role and profile are auto-named from it). */
export function nodeRoleName(name: string): string {
    return `${name}-node`;
}

/**
 * The identity every node pool's instances carry: an IAM role for EC2, its instance profile, and an
 * EKS access entry of type EC2_LINUX, which maps the role to system:nodes so nodes join without the
 * aws-auth ConfigMap.
 */
export class NodeAccess extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;
    readonly instanceProfile: aws.iam.InstanceProfile;
    readonly accessEntry: aws.eks.AccessEntry;

    constructor(name: string, args: NodeAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:compute:NodeAccess", name, {}, opts);
        const roleName = nodeRoleName(name);
        this.role = new aws.iam.Role(
            roleName,
            {
                description: "Instance role of the EKS platform's self-managed nodes",
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
                permissionsBoundary: args.scope.permissionsBoundaryArn,
            },
            { parent: this },
        );
        const policies = [...NODE_MANAGED_POLICIES, ...(args.ssmSessionManager ? [SSM_MANAGED_POLICY] : [])];
        const attachments = policies.map(
            (policy) =>
                new aws.iam.RolePolicyAttachment(
                    `${roleName}-${policy}`,
                    { role: this.role.name, policyArn: `arn:${args.scope.partition}:iam::aws:policy/${policy}` },
                    { parent: this },
                ),
        );
        for (const [purpose, policyArn] of Object.entries(args.additionalPolicies ?? {})) {
            attachments.push(new aws.iam.RolePolicyAttachment(`${roleName}-${purpose}`, { role: this.role.name, policyArn }, { parent: this }));
        }
        this.instanceProfile = new aws.iam.InstanceProfile(roleName, { role: this.role.name }, { parent: this });
        this.accessEntry = new aws.eks.AccessEntry(
            roleName,
            { clusterName: args.clusterName, principalArn: this.role.arn, type: "EC2_LINUX" },
            // A node that joins before its role can pull images or describe EC2 stays NotReady.
            { parent: this, dependsOn: attachments },
        );
        this.registerOutputs({ roleArn: this.role.arn, instanceProfileArn: this.instanceProfile.arn });
    }
}
