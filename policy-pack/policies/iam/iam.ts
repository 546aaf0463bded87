import { resourceGuardrail } from "../../lib/policy";
import {
    IRSA_ACTION,
    conditionValues,
    coversAllResources,
    grantsAllActions,
    irsaTrustStatements,
    isAllow,
    statementsOf,
    trustedServiceAccounts,
} from "../../lib/iam";

export const iamNoAdminWildcard = resourceGuardrail({
    name: "iam-no-admin-wildcard",
    description: 'No IAM policy allows action "*" on resource "*" (full administrator).',
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_355", "AVD-AWS-0057"],
    remediation: "List the actions and resource ARNs the principal needs; use AWS managed job-function policies for humans.",
    resourceTypes: ["aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy"],
    validate: (resource, _config, report) => {
        const statements = statementsOf(resource.props.policy);
        if (!statements) {
            report("The policy document is not valid JSON.");
            return;
        }
        for (const statement of statements) {
            if (isAllow(statement) && grantsAllActions(statement) && coversAllResources(statement)) {
                report(`Statement ${statement.Sid ?? "<no Sid>"} allows "*" on "*".`);
            }
        }
    },
});

export const irsaTrustScoped = resourceGuardrail({
    name: "irsa-trust-scoped",
    description: "A role assumable through the cluster's OIDC provider (IRSA) trusts exactly one service account, by sub and aud.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_60", "CIS EKS 5.2.1"],
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
