// Which trust statements admit a GitHub Actions OIDC token, and what they admit.
import { isAllow, principalsOf, statementsOf, type PolicyStatement } from "./iam";
import { asArray } from "./values";

/** Issuers of GitHub Actions tokens: github.com, and GitHub Enterprise Cloud with data residency. */
const GITHUB_ISSUER = /^(token\.actions\.githubusercontent\.com|token\.actions\.[a-z0-9-]+\.ghe\.com)$/;

/** Whether an OIDC issuer (the host of a provider ARN) mints GitHub Actions tokens. */
export function isGitHubActionsIssuer(issuer: string): boolean {
    return GITHUB_ISSUER.test(issuer);
}

/** A web-identity trust statement for GitHub Actions, with the issuer its condition keys start with. */
export interface GitHubTrust {
    statement: PolicyStatement;
    issuer: string;
}

function grantsWebIdentity(statement: PolicyStatement): boolean {
    return asArray(statement.Action).some((action) => action === "*" || action === "sts:*" || action === "sts:AssumeRoleWithWebIdentity");
}

/** The Allow statements of a trust policy through which a GitHub Actions OIDC token assumes the role. */
export function githubTrusts(assumeRolePolicy: unknown): GitHubTrust[] {
    return (statementsOf(assumeRolePolicy) ?? []).filter(isAllow).flatMap((statement) => {
        if (!grantsWebIdentity(statement)) {
            return [];
        }
        return principalsOf(statement).flatMap((principal) => {
            const issuer = /^Federated:arn:[^:]+:iam::\d{12}:oidc-provider\/(.+)$/.exec(principal)?.[1];
            return issuer && isGitHubActionsIssuer(issuer) ? [{ statement, issuer }] : [];
        });
    });
}

/** Condition values of `<issuer>:<claim>` under an operator (keys match case-insensitively, as IAM's do). */
export function claimValues(trust: GitHubTrust, operator: string, claim: string): string[] {
    const key = `${trust.issuer}:${claim}`.toLowerCase();
    return Object.entries(trust.statement.Condition?.[operator] ?? {})
        .filter(([name]) => name.toLowerCase() === key)
        .flatMap(([, values]) => asArray(values));
}

/** Operators (other than StringEquals) under which a statement tests the claim. */
export function otherOperatorsOn(trust: GitHubTrust, claim: string): string[] {
    const key = `${trust.issuer}:${claim}`.toLowerCase();
    return Object.entries(trust.statement.Condition ?? {})
        .filter(([operator, block]) => operator !== "StringEquals" && Object.keys(block ?? {}).some((name) => name.toLowerCase() === key))
        .map(([operator]) => operator);
}

/**
 * A subject that names one repository and one kind of run: a GitHub environment, a branch, a tag or
 * a pull request. The repository part is `owner/name`, or GitHub's immutable `owner@id/name@id`.
 */
export const SCOPED_SUBJECT = /^repo:([^/:*?\s]+\/[^/:*?\s]+):(environment:[^:*?\s]+|ref:refs\/(heads|tags)\/[^*?\s]+|pull_request)$/;
