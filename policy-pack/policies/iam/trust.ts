import { conditionValues, isAllow, principalsOf, type PolicyStatement } from "../../lib/iam";
import { resourceGuardrail } from "../../lib/policy";
import { forEachStatement, known } from "./documents";

/** An account's root principal: every identity of the account that its own policies let assume the role. */
const ACCOUNT_ROOT = /^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:root)$/;
const GITHUB_ACTIONS_ISSUER = "token.actions.githubusercontent.com";

/** Values of every condition on keys ending in `suffix`, under any operator. */
function conditionOn(statement: PolicyStatement, suffix: string): string[] {
    return Object.keys(statement.Condition ?? {}).flatMap((operator) => conditionValues(statement, operator, suffix));
}

/** The issuer (host/path) a federated OIDC provider ARN names; undefined for SAML and Cognito. */
function oidcIssuer(principal: string): string | undefined {
    return /^Federated:arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/(.+)$/.exec(principal)?.[1];
}

/** A GitHub Actions `sub` that names one repository and a ref, environment or pull request context. */
const GITHUB_SUBJECT = /^repo:[^/*?]+\/[^/*?:]+:(ref:refs\/(heads|tags)\/[^*?]+|environment:[^*?]+|pull_request)$/;

export const iamTrustRestricted = resourceGuardrail({
    name: "iam-trust-restricted",
    description:
        "Role trust policies name who may assume them: never any principal (*), never a whole account without conditions, and an OIDC provider only with audience and subject conditions (for GitHub Actions, one repository's ref or environment).",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_60", "CKV_AWS_61", "CKV_AWS_393"],
    remediation:
        "Name the role or service principals that assume the role. Trust another account only with a condition (aws:PrincipalArn, " +
        "sts:ExternalId, aws:PrincipalOrgID). For OIDC, add StringEquals on <issuer>:aud and <issuer>:sub; for GitHub Actions, " +
        '"token.actions.githubusercontent.com:sub": "repo:<org>/<repo>:environment:<env>" (or :ref:refs/heads/main).',
    resourceTypes: ["aws:iam/role:Role"],
    validate: (role, _config, report) =>
        forEachStatement(role.type, role.props, report, ({ statement, label, kind }) => {
            if (kind !== "trust" || !isAllow(statement)) {
                return;
            }
            const principals = principalsOf(statement).map((principal) => known(principal, `${label} principal`));
            const conditioned = Object.keys(statement.Condition ?? {}).length > 0;
            if (principals.some((principal) => principal === "AWS:*")) {
                report(`${label} lets any principal (*) assume the role.`);
            }
            for (const principal of principals.filter((candidate) => candidate.startsWith("AWS:") && ACCOUNT_ROOT.test(candidate.slice(4)))) {
                if (!conditioned) {
                    report(`${label} trusts the whole account ${principal.slice(4)} without a condition.`);
                }
            }
            for (const issuer of principals.map(oidcIssuer).filter((candidate): candidate is string => candidate !== undefined)) {
                const audiences = conditionOn(statement, `${issuer}:aud`);
                const subjects = conditionOn(statement, `${issuer}:sub`);
                if (audiences.length === 0 || audiences.some((value) => value === "*")) {
                    report(`${label} trusts ${issuer} without an audience (${issuer}:aud) condition.`);
                }
                if (subjects.length === 0 || subjects.every((value) => /^[*?]+$/.test(value))) {
                    report(`${label} trusts ${issuer} without a subject (${issuer}:sub) condition.`);
                } else if (issuer === GITHUB_ACTIONS_ISSUER) {
                    const loose = subjects.filter((subject) => !GITHUB_SUBJECT.test(subject));
                    if (loose.length > 0) {
                        report(`${label} lets GitHub Actions workflows beyond one repository's ref or environment assume the role (sub ${loose.join(", ")}).`);
                    }
                }
            }
        }),
});
