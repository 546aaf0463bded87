import { coversAllResources, grantsAllActions, isAllow, statementsOf } from "../../lib/iam";
import { resourceGuardrail } from "../../lib/policy";
import { asArray } from "../../lib/values";

/** AWS managed policies that amount to administering the account. */
const ADMIN_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];

function adminPolicyOf(policyArn: unknown): string | undefined {
    const match = typeof policyArn === "string" ? /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/.exec(policyArn) : null;
    return match && ADMIN_POLICIES.includes(match[1]) ? match[1] : undefined;
}

export const iamRoleNoStandingAdmin = resourceGuardrail({
    name: "iam-role-no-standing-admin",
    description:
        "No role holds standing administration: no AdministratorAccess, PowerUserAccess or IAMFullAccess attached, and no inline policy allowing every action (or every IAM action) on every resource.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_274"],
    remediation:
        "Grant the actions on the resources the role manages (the bootstrap project's deploy roles: the platform's services in one " +
        "account and region, IAM and S3 under the stack's name prefix), with a permissions boundary. Administrators get access " +
        "through short-lived, approved sessions, not a role a pipeline holds.",
    resourceTypes: ["aws:iam/role:Role", "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment"],
    validate: (resource, _config, report) => {
        const attached = resource.type === "aws:iam/role:Role" ? asArray(resource.props.managedPolicyArns as string[] | undefined) : [resource.props.policyArn];
        for (const policyArn of attached) {
            const admin = adminPolicyOf(policyArn);
            if (admin) {
                report(`${admin} is attached: the role administers the account.`);
            }
        }
        if (resource.type !== "aws:iam/role:Role") {
            return;
        }
        for (const [index, inline] of asArray(resource.props.inlinePolicies as { policy?: unknown }[] | undefined).entries()) {
            for (const statement of (statementsOf(inline.policy) ?? []).filter(isAllow)) {
                const allActions = grantsAllActions(statement) || asArray(statement.Action).includes("iam:*");
                if (allActions && coversAllResources(statement)) {
                    report(`inlinePolicies[${index}] allows ${asArray(statement.Action).join(", ")} on "*".`);
                }
            }
        }
    },
});
