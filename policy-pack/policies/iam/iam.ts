import { resourceGuardrail } from "../../lib/policy";
import { IDENTITY_POLICY_TYPES, IRSA_ACTION, conditionValues, coversAllResources, irsaTrustStatements, isAllow, trustedServiceAccounts } from "../../lib/iam";
import { asArray } from "../../lib/values";
import { DEPLOY_ROLE_SCHEMA, deployRoleMayAdminister, isDeployRoleDocument, type DeployRoleSettings } from "./deploy-roles";
import { forEachStatement, known } from "./documents";

export const iamNoAdminWildcard = resourceGuardrail<DeployRoleSettings>({
    name: "iam-no-admin-wildcard",
    description:
        'No identity policy (managed, inline, role, user or group) allows every action ("*", on any resource, full administrator on "*"), ' +
        'every IAM action ("iam:*", which grants itself the rest) or every S3 action ("s3:*"); the named deploy roles only on the resources they name.',
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_62", "CKV_AWS_63", "CKV2_AWS_40", "AVD-AWS-0345"],
    remediation:
        "List the actions and resource ARNs the principal needs; use AWS managed job-function policies for humans. A role that runs `pulumi up` " +
        "and so manages IAM roles and buckets is named in deployRoles (its boundary in deployRoleBoundaries) and scopes those statements to its stack's resources.",
    configSchema: DEPLOY_ROLE_SCHEMA,
    resourceTypes: IDENTITY_POLICY_TYPES,
    validate: (resource, config, report) =>
        forEachStatement(resource.type, resource.props, report, ({ statement, label, kind }) => {
            if (kind !== "identity" || !isAllow(statement)) {
                return;
            }
            const actions = asArray(statement.Action).map((action) => known(action, `${label} action`));
            if (actions.some((action) => action === "*" || action === "*:*")) {
                report(`${label} allows "*"${coversAllResources(statement) ? ' on "*": full administrator' : ""}.`);
            }
            const services = [
                { action: "iam:*", why: "every IAM action, so the principal can grant itself anything" },
                { action: "s3:*", why: "every S3 action, bucket policies and deletion included" },
            ].filter(({ action }) => actions.some((candidate) => candidate.toLowerCase() === action));
            // Read only when there is something to excuse: a deploy role's name may be unknown at preview.
            if (services.length === 0 || (deployRoleMayAdminister(statement) && isDeployRoleDocument(resource, config))) {
                return;
            }
            for (const { action, why } of services) {
                report(`${label} allows "${action}": ${why}.`);
            }
        }),
});

export const irsaTrustScoped = resourceGuardrail({
    name: "irsa-trust-scoped",
    description: "A role assumable through the cluster's OIDC provider (IRSA) trusts exactly one service account, by sub and aud.",
    enforcementLevel: "mandatory",
    controls: ["CIS EKS 5.2.1"],
    remediation:
        `In the trust policy's ${IRSA_ACTION} statement, set Condition.StringEquals with "<issuer>:sub": ` +
        '"system:serviceaccount:<namespace>:<name>" and "<issuer>:aud": "sts.amazonaws.com". StringLike and wildcards ' +
        "let other service accounts assume the role.",
    resourceTypes: ["aws:iam/role:Role"],
    validate: (role, _config, report) => {
        for (const statement of irsaTrustStatements(role.props.assumeRolePolicy)) {
            const serviceAccounts = trustedServiceAccounts(statement);
            if (serviceAccounts.length !== 1 || conditionValues(statement, "StringEquals", ":sub").length !== 1) {
                report(`The web-identity trust names ${serviceAccounts.length} service accounts with StringEquals on sub; exactly one is required.`);
            }
            if (conditionValues(statement, "StringLike", ":sub").length > 0) {
                report("The web-identity trust matches sub with StringLike.");
            }
            const audiences = conditionValues(statement, "StringEquals", ":aud");
            if (audiences.length !== 1 || audiences[0] !== "sts.amazonaws.com") {
                report('The web-identity trust does not pin aud to "sts.amazonaws.com".');
            }
        }
    },
});
