// The roles that run `pulumi up` create the platform's IAM roles, policies and buckets. No policy can
// grant that without also granting what iam-no-admin-wildcard and iam-no-privilege-escalation refuse
// (iam:*, s3:*, policy writes, iam:PassRole with ec2:RunInstances), so those two rules accept it from
// the deploy roles the environment's settings name, on the resources their statements name, never on
// "*". What keeps such a role in bounds is checked elsewhere: its trust (github-oidc-trust-scoped) and
// its permissions boundary (github-oidc-role-bounded), whose own statements are exempt alike: a
// boundary caps what a role may do and grants nothing by itself.
import { onAnyResource, type PolicyStatement } from "../../lib/iam";
import type { ConfigSchema, ResourceView } from "../../lib/policy";

export interface DeployRoleSettings {
    deployRoles: string[];
    deployRoleBoundaries: string[];
}

export const DEPLOY_ROLE_SCHEMA: ConfigSchema<DeployRoleSettings> = {
    deployRoles: {
        type: "array",
        items: { type: "string" },
        description:
            "Names of the roles that run `pulumi up` (the bootstrap project's deploy roles): their policies may grant IAM and S3 administration " +
            "on the resources they name.",
        default: [],
    },
    deployRoleBoundaries: {
        type: "array",
        items: { type: "string" },
        description: "Names of the managed policies that are the deploy roles' permissions boundaries.",
        default: [],
    },
};

/** Whether the resource's policy documents are a named deploy role's (its inline policies) or its boundary. */
export function isDeployRoleDocument(resource: ResourceView, settings: DeployRoleSettings): boolean {
    switch (resource.type) {
        case "aws:iam/rolePolicy:RolePolicy":
            return settings.deployRoles.includes(String(resource.props.role));
        case "aws:iam/role:Role":
            return settings.deployRoles.includes(String(resource.props.name));
        case "aws:iam/policy:Policy":
            return settings.deployRoleBoundaries.includes(String(resource.props.name));
        default:
            return false;
    }
}

/** Whether a deploy role's statement may hold administration: it names its resources (no "*", no NotResource). */
export function deployRoleMayAdminister(statement: PolicyStatement): boolean {
    return !onAnyResource(statement);
}
