import { type ConfigProblem, REDACTED } from "../../config/problems";
import type { GitopsSettings } from "./settings";

/** The namespace Flux runs in: Flux's own convention, which its CLI and documentation assume. */
export const FLUX_NAMESPACE = "flux-system";

/** An ECR repository as an OCI source: `oci://<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>`. */
const ECR_OCI_URL = /^oci:\/\/(\d{12})\.dkr\.ecr\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?\/([a-z0-9]+(?:[._/-][a-z0-9]+)*)$/;

/** The ECR repository an OCI source URL names, or undefined when it names none. */
export function ecrRepositoryOf(url: string): { accountId: string; region: string; repository: string } | undefined {
    const match = ECR_OCI_URL.exec(url);
    return match ? { accountId: match[1], region: match[2], repository: match[3] } : undefined;
}

/**
 * Shapes of credentials that must never sit in a stack file: GitHub tokens (classic, fine-grained,
 * OAuth, app), GitLab and Bitbucket tokens, AWS access keys and PEM private keys. A match is
 * reported without its value, so the error does not repeat the leak.
 */
const LITERAL_CREDENTIALS: { name: string; pattern: RegExp }[] = [
    { name: "a GitHub token", pattern: /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/ },
    { name: "a GitLab token", pattern: /\bglpat-[A-Za-z0-9_-]{20,}/ },
    { name: "a Bitbucket app password", pattern: /\bATBB[A-Za-z0-9]{24,}/ },
    { name: "an AWS access key id", pattern: /\b(AKIA|ASIA)[A-Z0-9]{16}\b/ },
    { name: "a private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
];

/** Every string in a settings value with its dotted path. */
function stringsOf(value: unknown, path: string): { path: string; text: string }[] {
    if (typeof value === "string") {
        return [{ path, text: value }];
    }
    if (Array.isArray(value)) {
        return value.flatMap((item, index) => stringsOf(item, `${path}[${index}]`));
    }
    if (value !== null && typeof value === "object") {
        return Object.entries(value).flatMap(([key, item]) => stringsOf(item, `${path}.${key}`));
    }
    return [];
}

/** Where a settings section holds something shaped like a credential, and what it looks like. */
export function literalCredentials(section: unknown, path: string): ConfigProblem[] {
    return stringsOf(section, path).flatMap(({ path: at, text }) => {
        const found = LITERAL_CREDENTIALS.find((shape) => shape.pattern.test(text));
        return found
            ? [
                  {
                      path: at,
                      value: REDACTED,
                      message: `holds what looks like ${found.name}: credentials never go in a stack file. Revoke it, store it in a Kubernetes Secret in ${FLUX_NAMESPACE} and name that Secret in gitops.source.secretName`,
                  },
              ]
            : [];
    });
}

/** The user-info part of a URL (`user:token@`), or undefined when it has none or is no URL. */
function userInfoOf(url: string): { username: string; password: string } | undefined {
    try {
        const parsed = new URL(url);
        return parsed.username || parsed.password ? { username: parsed.username, password: parsed.password } : undefined;
    } catch {
        return undefined;
    }
}

function sourceProblems(settings: GitopsSettings): ConfigProblem[] {
    const { source } = settings;
    const problems: ConfigProblem[] = [];
    const problem = (setting: string, value: unknown, message: string) => problems.push({ path: `gitops.source.${setting}`, value, message });
    if (source.url === "") {
        problem("url", undefined, "is required when gitops.enabled is true: the Git repository or ECR OCI repository the environment is reconciled from");
        return problems;
    }
    const userInfo = userInfoOf(source.url);
    // ssh://git@host/… names the SSH user, which is no secret; any password, or user info over HTTPS, is one.
    if (userInfo && (userInfo.password !== "" || !source.url.startsWith("ssh://"))) {
        problem(
            "url",
            REDACTED,
            `carries credentials in its user-info part: credentials never go in a stack file. Use the URL without them and name a Kubernetes Secret in ${FLUX_NAMESPACE} in gitops.source.secretName`,
        );
    } else if (source.kind === "git" && !/^(https|ssh):\/\/[^/]+\/.+/.test(source.url)) {
        problem(
            "url",
            source.url,
            "must be an https:// or ssh:// Git URL with a repository path (plain http:// and git:// are unauthenticated and unencrypted)",
        );
    } else if (source.kind === "oci" && !ecrRepositoryOf(source.url)) {
        problem(
            "url",
            source.url,
            "must be an Amazon ECR repository, oci://<account>.dkr.ecr.<region>.amazonaws.com/<repository>: OCI sources authenticate with the source-controller's IRSA role, which only ECR accepts",
        );
    }
    if (source.kind === "oci") {
        if (source.tag === undefined) {
            problem("tag", undefined, "is required with kind oci: the artifact tag the environment follows");
        }
        if (source.secretName !== undefined) {
            problem("secretName", source.secretName, "is not used with kind oci, which pulls from ECR with the source-controller's IRSA role; remove it");
        }
    } else if (source.tag !== undefined) {
        problem("tag", source.tag, "applies to kind oci only; a git source follows gitops.source.branch");
    }
    return problems;
}

function tenantProblems(settings: GitopsSettings, applicationNamespaces: string[]): ConfigProblem[] {
    return settings.tenants.flatMap((tenant, index): ConfigProblem[] => {
        const path = `gitops.tenants[${index}].namespace`;
        if (!applicationNamespaces.includes(tenant.namespace)) {
            return [
                {
                    path,
                    value: tenant.namespace,
                    message: `is not an application namespace (cluster.applicationNamespaces: ${applicationNamespaces.join(", ") || "none"}); a team deploys only to a namespace the platform created and isolated`,
                },
            ];
        }
        if (settings.tenants.findIndex((other) => other.namespace === tenant.namespace) !== index) {
            return [{ path, value: tenant.namespace, message: "is listed twice; one tenant per namespace" }];
        }
        return [];
    });
}

/**
 * Checks of the GitOps section: a source that exists and carries no credentials, references the
 * controllers can resolve, and tenants confined to application namespaces. Literal credentials
 * are refused whether GitOps is on or not: a token in a stack file has leaked either way.
 */
export function validateGitops(settings: GitopsSettings, applicationNamespaces: string[]): ConfigProblem[] {
    const problems = literalCredentials(settings, "gitops");
    if (!settings.enabled) {
        return problems;
    }
    const clash = applicationNamespaces.indexOf(FLUX_NAMESPACE);
    if (clash >= 0) {
        problems.push({
            path: `cluster.applicationNamespaces[${clash}]`,
            value: FLUX_NAMESPACE,
            message: "is the namespace Flux runs in when gitops.enabled is true; choose another name",
        });
    }
    return [...problems, ...sourceProblems(settings), ...tenantProblems(settings, applicationNamespaces)];
}
