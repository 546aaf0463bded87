import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument } from "../../components/iam/policyDocument";
import {
    deployBoundaryName,
    deployRoleName,
    GITHUB_OIDC_ISSUER,
    previewBoundaryName,
    previewRoleName,
    runnerBoundaryName,
    runnerProjectName,
    STS_AUDIENCE,
    workloadBoundaryName,
} from "../delivery";
import {
    deployBoundary,
    deployPolicy,
    deployTrustPolicy,
    previewBoundary,
    previewPolicy,
    previewTrustPolicy,
    workloadBoundary,
    type DeliveryScope,
} from "../iam";

/** ARN patterns of every IAM resource of the delivery foundation, which the deploy boundaries forbid touching. */
export function deliveryIamArns(partition: string, accountId: string, project: string): string[] {
    const iam = (resource: string) => `arn:${partition}:iam::${accountId}:${resource}`;
    return [
        iam(`role/${deployRoleName(project, "*")}`),
        iam(`role/${previewRoleName(project)}`),
        iam(`role/${runnerProjectName(project, "*")}`),
        iam(`policy/${deployBoundaryName(project)}`),
        iam(`policy/${previewBoundaryName(project)}`),
        iam(`policy/${workloadBoundaryName(project)}`),
        iam(`policy/${runnerBoundaryName(runnerProjectName(project, "*"))}`),
        iam(`oidc-provider/${GITHUB_OIDC_ISSUER}`),
    ];
}

export interface DeliveryIdentitiesArgs {
    project: string;
    owner: string;
    repository: string;
    environments: string[];
    /** Everything the policies need but the OIDC provider, which this component creates. */
    scope: pulumi.Output<Omit<DeliveryScope, "oidcProviderArn">>;
    tags: Record<string, string>;
}

/**
 * GitHub Actions' OIDC provider and the roles it may assume: per environment a deploy role that only
 * a job running in that GitHub environment of this repository can assume, and one preview role for
 * the repository's pull requests. The permissions boundaries cap what any policy attached to these
 * roles, now or later by hand, can grant, and hold the guards that protect the foundation itself.
 */
export class DeliveryIdentities extends pulumi.ComponentResource {
    readonly oidcProviderArn: pulumi.Output<string>;
    readonly deployRoleArns: Record<string, pulumi.Output<string>>;
    readonly previewRoleArn: pulumi.Output<string>;
    /** The boundary every role of the platform stacks carries (their `iam.permissionsBoundaryArn`). */
    readonly workloadBoundaryArn: pulumi.Output<string>;

    constructor(name: string, args: DeliveryIdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:bootstrap:DeliveryIdentities", name, {}, opts);
        // AWS validates GitHub's issuer against its own trusted CAs; no thumbprint is pinned.
        const provider = new aws.iam.OpenIdConnectProvider(
            `${name}-github`,
            { url: `https://${GITHUB_OIDC_ISSUER}`, clientIdLists: [STS_AUDIENCE], tags: args.tags },
            { parent: this },
        );
        this.oidcProviderArn = provider.arn;
        const scope = pulumi.all([args.scope, provider.arn]).apply(([partial, oidcProviderArn]): DeliveryScope => ({ ...partial, oidcProviderArn }));
        const { project, owner, repository } = args;

        const boundary = (resourceName: string, policyName: string, document: pulumi.Output<PolicyDocument>, description: string) =>
            new aws.iam.Policy(
                resourceName,
                {
                    name: policyName,
                    description,
                    policy: document.apply((d) => JSON.stringify(d)),
                    tags: args.tags,
                },
                { parent: this },
            );
        const role = (
            resourceName: string,
            roleName: string,
            description: string,
            bounded: aws.iam.Policy,
            trust: pulumi.Output<PolicyDocument>,
            policy: pulumi.Output<PolicyDocument>,
        ) => {
            const created = new aws.iam.Role(
                resourceName,
                {
                    name: roleName,
                    description,
                    assumeRolePolicy: trust.apply((d) => JSON.stringify(d)),
                    permissionsBoundary: bounded.arn,
                    // Credentials that outlive a job are of no use to it: one hour.
                    maxSessionDuration: 3600,
                    tags: args.tags,
                },
                { parent: this },
            );
            // By name: the policy pack recognizes the deploy roles by the names its settings list.
            new aws.iam.RolePolicy(resourceName, { role: created.name, policy: policy.apply((d) => JSON.stringify(d)) }, { parent: this });
            return created.arn;
        };

        const deliveryBoundary = "Permissions boundary of the delivery roles";
        const deployBounds = boundary(`${name}-deploy-boundary`, deployBoundaryName(project), scope.apply(deployBoundary), deliveryBoundary);
        this.deployRoleArns = Object.fromEntries(
            args.environments.map((environment) => [
                environment,
                role(
                    `${name}-deploy-${environment}`,
                    deployRoleName(project, environment),
                    `Deploys platform stack ${environment} from GitHub environment ${environment} of ${owner}/${repository}`,
                    deployBounds,
                    scope.apply((s) => deployTrustPolicy(s.oidcProviderArn, owner, repository, environment)),
                    scope.apply((s) => deployPolicy(s, environment)),
                ),
            ]),
        );
        this.previewRoleArn = role(
            `${name}-preview`,
            previewRoleName(project),
            `Previews the platform stacks for pull requests of ${owner}/${repository}`,
            boundary(`${name}-preview-boundary`, previewBoundaryName(project), scope.apply(previewBoundary), deliveryBoundary),
            scope.apply((s) => previewTrustPolicy(s.oidcProviderArn, owner, repository)),
            scope.apply(previewPolicy),
        );
        // Its name is fixed (the deploy roles' conditions name its ARN), so it exists before any deploy role can use it.
        this.workloadBoundaryArn = boundary(
            `${name}-workload-boundary`,
            workloadBoundaryName(project),
            scope.apply(workloadBoundary),
            "Permissions boundary of every IAM role the platform stacks create",
        ).arn;
        this.registerOutputs({ oidcProviderArn: this.oidcProviderArn, previewRoleArn: this.previewRoleArn, workloadBoundaryArn: this.workloadBoundaryArn });
    }
}
