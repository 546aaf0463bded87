import { isGitHubActionsIssuer } from "../../lib/github-oidc";
import { conditionValues, isAllow, principalsOf, type PolicyStatement } from "../../lib/iam";
import { resourceGuardrail } from "../../lib/policy";
import { forEachStatement, known } from "./documents";

/** An account's root principal: every identity of the account that its own policies let assume the role. */
const ACCOUNT_ROOT = /^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:root)$/;

/** Values of every condition on keys ending in `suffix`, under any operator. */
function conditionOn(statement: PolicyStatement, suffix: string): string[] {
    return Object.keys(statement.Condition ?? {}).flatMap((operator) => conditionValues(statement, operator, suffix));
}

/** The issuer (host/path) a federated OIDC provider ARN names; undefined for SAML and Cognito. */
function oidcIssuer(principal: string): string | undefined {
    return /^Federated:arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/(.+)$/.exec(principal)?.[1];
}

export const iamTrustRestricted = resourceGuardrail({
    name: "iam-trust-restricted",
    description:
        "Role trust policies name who may assume them: never any principal (*), never a whole account without conditions, and an OIDC provider only with audience and subject conditions (GitHub Actions' trusts are github-oidc-trust-scoped's).",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_60", "CKV_AWS_61"],
    remediation:
        "Name the role or service principals that assume the role. Trust another account only with a condition (aws:PrincipalArn, " +
        "sts:ExternalId, aws:PrincipalOrgID). For OIDC, add StringEquals on <issuer>:aud and <issuer>:sub.",
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
            // GitHub Actions' trusts need more than an audience and a subject (one repository, StringEquals);
            // github-oidc-trust-scoped judges them, so that each problem is reported once.
            const issuers = principals.map(oidcIssuer).filter((candidate): candidate is string => candidate !== undefined && !isGitHubActionsIssuer(candidate));
            for (const issuer of issuers) {
                const audiences = conditionOn(statement, `${issuer}:aud`);
                const subjects = conditionOn(statement, `${issuer}:sub`);
                if (audiences.length === 0 || audiences.some((value) => value === "*")) {
                    report(`${label} trusts ${issuer} without an audience (${issuer}:aud) condition.`);
                }
                if (subjects.length === 0 || subjects.every((value) => /^[*?]+$/.test(value))) {
                    report(`${label} trusts ${issuer} without a subject (${issuer}:sub) condition.`);
                }
            }
        }),
});
