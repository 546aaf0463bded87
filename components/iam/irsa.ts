import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument } from "./policyDocument";

/** The cluster's IAM OIDC identity provider: its ARN and its issuer, taken together from one cluster. */
interface ClusterOidc {
    /** ARN of the cluster's IAM OIDC provider. */
    oidcProviderArn: pulumi.Input<string>;
    /** The issuer without its scheme, e.g. oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE. */
    oidcIssuer: pulumi.Input<string>;
    /** The permissions boundary the role carries; undefined: none. */
    permissionsBoundaryArn: string | undefined;
}

export interface IrsaRoleArgs {
    /** The cluster whose service account assumes the role (a ClusterHandle satisfies this). */
    cluster: ClusterOidc;
    /** Namespace of the one service account that may assume the role. */
    namespace: string;
    /** Name of that service account. */
    serviceAccount: string;
    /** AWS-managed or customer-managed policies to attach. Default none. */
    managedPolicyArns?: pulumi.Input<string>[];
    /** Inline policy: the role's own least-privilege grants. Default none. */
    policy?: pulumi.Input<PolicyDocument>;
    /** What the role is for, shown in IAM. */
    description: string;
}

/** The annotation the EKS Pod Identity webhook reads: the role a service account's pods assume. */
export const ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";

/** What a service account's role may do and why, for the helpers that create the role with what it serves. */
export interface ServiceAccountRole extends Pick<IrsaRoleArgs, "managedPolicyArns" | "policy" | "description"> {
    /** Resource name of the role. Default: the name of what it serves (the add-on or chart resource). */
    name?: string;
}

/**
 * Trust policy for IAM Roles for Service Accounts: only tokens the cluster issued for exactly this
 * namespace/service account, minted for STS, may assume the role. Without the `sub` condition any
 * pod in the cluster could take it; without `aud`, a token meant for another audience could.
 */
function irsaTrustPolicy(oidcProviderArn: string, oidcIssuer: string, namespace: string, serviceAccount: string): PolicyDocument {
    const issuer = oidcIssuer.replace(/^https:\/\//, "");
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: oidcProviderArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
                        [`${issuer}:aud`]: "sts.amazonaws.com",
                    },
                },
            },
        ],
    };
}

/** An IAM role that exactly one Kubernetes service account assumes through the cluster's OIDC provider. */
export class IrsaRole extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;
    readonly arn: pulumi.Output<string>;

    constructor(name: string, args: IrsaRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:iam:IrsaRole", name, {}, opts);
        this.role = new aws.iam.Role(
            name,
            {
                description: args.description,
                assumeRolePolicy: pulumi
                    .all([args.cluster.oidcProviderArn, args.cluster.oidcIssuer])
                    .apply(([providerArn, issuer]) => JSON.stringify(irsaTrustPolicy(providerArn, issuer, args.namespace, args.serviceAccount))),
                permissionsBoundary: args.cluster.permissionsBoundaryArn,
                tags: { "eks-platform:service-account": `${args.namespace}/${args.serviceAccount}` },
            },
            { parent: this },
        );
        (args.managedPolicyArns ?? []).forEach((policyArn, index) => {
            new aws.iam.RolePolicyAttachment(`${name}-managed-${index}`, { role: this.role.name, policyArn }, { parent: this });
        });
        if (args.policy) {
            new aws.iam.RolePolicy(
                name,
                { role: this.role.id, policy: pulumi.output(args.policy).apply((document) => JSON.stringify(document)) },
                { parent: this },
            );
        }
        this.arn = this.role.arn;
        this.registerOutputs({ arn: this.arn });
    }
}

/**
 * The role of one service account, for a helper that creates it together with what it serves:
 * named after that (`name`) unless the spec names it.
 */
export function serviceAccountRole(
    name: string,
    cluster: ClusterOidc,
    serviceAccount: { namespace: string; name: string },
    role: ServiceAccountRole,
    parent: pulumi.Resource,
): IrsaRole {
    return new IrsaRole(
        role.name ?? name,
        {
            cluster,
            namespace: serviceAccount.namespace,
            serviceAccount: serviceAccount.name,
            managedPolicyArns: role.managedPolicyArns,
            policy: role.policy,
            description: role.description,
        },
        { parent },
    );
}
