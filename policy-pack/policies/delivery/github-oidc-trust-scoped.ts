import { resourceGuardrail } from "../../lib/policy";
import { claimValues, githubTrusts, otherOperatorsOn, SCOPED_SUBJECT } from "../../lib/github-oidc";

export const githubOidcTrustScoped = resourceGuardrail({
    name: "github-oidc-trust-scoped",
    description:
        "A role that GitHub Actions' OIDC tokens can assume trusts exactly one repository, and in it one environment, branch, tag or " +
        "pull requests (StringEquals on sub, no wildcard), with the audience pinned to sts.amazonaws.com.",
    enforcementLevel: "mandatory",
    // CKV_AWS_393 is Checkov's check of GitHub claims in a role's trust policy; its twin CKV_AWS_358 reads
    // the aws_iam_policy_document data source, which a Pulumi program does not have.
    controls: ["CKV_AWS_393"],
    remediation:
        'In the trust statement for the token.actions.githubusercontent.com provider, set Condition.StringEquals "<issuer>:sub" to ' +
        '"repo:<owner>/<repo>:environment:<env>" (deploy roles) or "repo:<owner>/<repo>:pull_request" (read-only preview roles) and ' +
        '"<issuer>:aud" to "sts.amazonaws.com". Without a sub condition, or with StringLike and a wildcard, any repository on GitHub ' +
        "(or any branch and pull request of yours) can assume the role.",
    resourceTypes: ["aws:iam/role:Role"],
    validate: (role, _config, report) => {
        for (const trust of githubTrusts(role.props.assumeRolePolicy)) {
            const subjects = claimValues(trust, "StringEquals", "sub");
            const loose = otherOperatorsOn(trust, "sub");
            if (subjects.length === 0 && loose.length === 0) {
                report(`The trust of ${trust.issuer} has no condition on sub: every GitHub repository's workflows can assume the role.`);
            }
            for (const operator of loose) {
                const values = claimValues(trust, operator, "sub");
                report(
                    values.some((value) => /[*?]/.test(value))
                        ? `The trust matches sub with ${operator} and a wildcard (${values.join(", ")}): more than one repository or context can assume the role.`
                        : `The trust matches sub with ${operator}; use StringEquals so no pattern can widen it.`,
                );
            }
            const unscoped = subjects.filter((subject) => !SCOPED_SUBJECT.test(subject));
            if (unscoped.length > 0) {
                report(`The trust admits ${unscoped.join(", ")}, which names no single repository with an environment, branch, tag or pull request.`);
            }
            const repositories = new Set(subjects.flatMap((subject) => SCOPED_SUBJECT.exec(subject)?.[1].toLowerCase() ?? []));
            if (repositories.size > 1) {
                report(`The trust admits ${repositories.size} repositories (${[...repositories].join(", ")}); a role serves one repository.`);
            }
            const audiences = claimValues(trust, "StringEquals", "aud");
            if (audiences.length !== 1 || audiences[0] !== "sts.amazonaws.com") {
                report(`The trust does not pin aud to "sts.amazonaws.com" with StringEquals (found ${JSON.stringify(audiences)}).`);
            }
        }
    },
});
