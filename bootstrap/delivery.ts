/**
 * The contract between the bootstrap project, the GitHub workflows and the CI matrix script
 * (tools/delivery/matrix.ts): the names each side creates and the other reads. Everything here is
 * a pure function of configuration, so the workflows can compute a runner label or a variable
 * name from committed files, and the tests can check both sides against the same definitions.
 */

/** The GitHub OIDC token issuer (github.com; GitHub Enterprise Cloud with data residency uses token.actions.<subdomain>.ghe.com). */
export const GITHUB_OIDC_ISSUER = "token.actions.githubusercontent.com";

/** The audience configure-aws-credentials requests, and the only one the deploy and preview roles accept. */
export const STS_AUDIENCE = "sts.amazonaws.com";

/**
 * The tag on every resource of the delivery foundation (tooling network, runners, buckets, keys):
 * deploy roles may change nothing that carries it, and may neither add nor remove it.
 */
export const FOUNDATION_TAG = { key: "eks-platform:delivery", value: "foundation" } as const;

/** The check that branch protection requires on the default branch: the `name` of the pull-request workflow's verdict job. */
export const PLAN_CHECK = "plan-check";

/**
 * Actions from outside GitHub's own `actions/` organisation that the workflows use. The repository
 * allows these and GitHub-owned actions only, each pinned to a full commit SHA.
 */
export const THIRD_PARTY_ACTIONS = ["aws-actions/configure-aws-credentials", "pulumi/actions"] as const;

/** Variables of each GitHub environment (one per platform stack), read by the deploy job that runs in it. */
export const ENVIRONMENT_VARIABLES = {
    deployRoleArn: "AWS_DEPLOY_ROLE_ARN",
    region: "AWS_REGION",
    accountId: "AWS_ACCOUNT_ID",
    backendUrl: "PULUMI_BACKEND_URL",
    stack: "PULUMI_STACK",
} as const;

/**
 * First words an environment name may not have: the platform's IAM names of environment <env> start
 * with `<project>-<env>-`, and the delivery foundation's own names start with these words, so an
 * environment named after one would have its deploy role's IAM scope cover the foundation.
 */
export const RESERVED_ENVIRONMENT_WORDS = ["deploy", "preview", "runner", "delivery", "tooling", "workload"] as const;

/** Environment names: lower-case words joined by hyphens, short enough for every name derived from them. */
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const ENVIRONMENT_NAME_MAX = 24;

/**
 * Pull-request jobs run in no GitHub environment (an environment's protection rules would hold
 * every preview, and its OIDC subject would be the deploy role's), so what a preview needs comes
 * from one repository variable per environment, holding {@link PreviewTarget} as JSON.
 */
export function previewVariableName(environment: string): string {
    return `PREVIEW_${environment.toUpperCase().replace(/-/g, "_")}`;
}

/** The value of a {@link previewVariableName} variable. */
export interface PreviewTarget {
    roleArn: string;
    region: string;
    accountId: string;
    backendUrl: string;
    stack: string;
}

export function deployRoleName(project: string, environment: string): string {
    return `${project}-deploy-${environment}`;
}

export function previewRoleName(project: string): string {
    return `${project}-preview`;
}

/** One boundary for every deploy role of the account: the envelope; each role's own policy narrows it to its stack. */
export function deployBoundaryName(project: string): string {
    return `${project}-deploy-boundary`;
}

export function previewBoundaryName(project: string): string {
    return `${project}-preview-boundary`;
}

/**
 * The permissions boundary every IAM role of the platform stacks must carry: a deploy role may create
 * or grant a role only with this boundary, so no role it makes can do more than the boundary allows.
 */
export function workloadBoundaryName(project: string): string {
    return `${project}-workload-boundary`;
}

/** The ARN the platform stack files set as `iam.permissionsBoundaryArn` (the bootstrap exports it too). */
export function workloadBoundaryArn(partition: string, accountId: string, project: string): string {
    return `arn:${partition}:iam::${accountId}:policy/${workloadBoundaryName(project)}`;
}

/**
 * The name every IAM role, instance profile and policy of one platform stack starts with (its
 * cluster name): the deploy role of that environment may write IAM only under this prefix.
 */
export function platformResourcePrefix(project: string, environment: string): string {
    return `${project}-${environment}`;
}

/** The permissions boundary of a runner project's service role: its own policy, so nothing attached later widens it. */
export function runnerBoundaryName(runnerProject: string): string {
    return `${runnerProject}-boundary`;
}

/** The CodeBuild project that hosts an environment's GitHub Actions runners. */
export function runnerProjectName(project: string, environment: string): string {
    return `${project}-runner-${environment}`;
}

/**
 * The `runs-on` label of a job on a CodeBuild-hosted runner: CodeBuild starts a build of the
 * named project for each queued job carrying it, and the run ID and attempt keep two runs'
 * jobs apart. The workflows build the same string with `format()`; a test compares them.
 */
export function runnerLabel(runnerProject: string, runId: string, runAttempt: string): string {
    return `codebuild-${runnerProject}-${runId}-${runAttempt}`;
}

/** The fully qualified stack name `pulumi` addresses: DIY backends use the literal organisation "organization". */
export function qualifiedStackName(backend: { kind: "s3" } | { kind: "pulumiCloud"; organization: string }, project: string, stack: string): string {
    return `${backend.kind === "s3" ? "organization" : backend.organization}/${project}/${stack}`;
}

/** The subject GitHub puts in the OIDC token of a job that runs in a GitHub environment. */
export function environmentSubject(owner: string, repository: string, environment: string): string {
    return `repo:${owner}/${repository}:environment:${environment}`;
}

/** The subject of a job triggered by a pull request (no environment). */
export function pullRequestSubject(owner: string, repository: string): string {
    return `repo:${owner}/${repository}:pull_request`;
}
