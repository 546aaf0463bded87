import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { ENVIRONMENT_VARIABLES, PLAN_CHECK, previewVariableName, THIRD_PARTY_ACTIONS, type PreviewTarget } from "../delivery";
import type { EnvironmentSettings } from "../settings";

type VariableName = (typeof ENVIRONMENT_VARIABLES)[keyof typeof ENVIRONMENT_VARIABLES];

export interface DeliveryEnvironment {
    settings: EnvironmentSettings;
    /** Values of the environment's variables, by variable name. */
    variables: Record<VariableName, pulumi.Input<string>>;
    /** What a pull-request preview of this environment's stack needs. */
    preview: pulumi.Input<PreviewTarget>;
}

export interface RepositorySettingsArgs {
    owner: string;
    repository: string;
    defaultBranch: string;
    /** Whether this stack also owns the repository-wide settings. */
    manageRepository: boolean;
    requiredApprovals: number;
    environments: DeliveryEnvironment[];
}

/**
 * The repository as the pipeline needs it, as code: per platform stack a GitHub environment that
 * only the default branch may deploy to, approved by its reviewers (admins included), holding the
 * variables its deploy job reads; the preview variables pull requests read; and, from the one
 * stack that manages the repository, branch protection requiring the plan check, Actions limited
 * to SHA-pinned GitHub-owned and listed actions, a read-only default token, and GitHub's default
 * OIDC subject, the one the roles' trust policies name.
 */
export class RepositorySettings extends pulumi.ComponentResource {
    constructor(name: string, args: RepositorySettingsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:bootstrap:RepositorySettings", name, {}, opts);
        const provider = new github.Provider(name, { owner: args.owner }, { parent: this });
        const options = { parent: this, provider };
        const repository = args.repository;

        for (const { settings, variables, preview } of args.environments) {
            const environmentName = settings.name;
            const teams = settings.reviewers.teams.map((slug) => github.getTeamOutput({ slug, summaryOnly: true }, options).apply((team) => Number(team.id)));
            const users = settings.reviewers.users.map((username) => github.getUserOutput({ username }, options).apply((user) => Number(user.id)));
            const hasReviewers = teams.length + users.length > 0;
            const environment = new github.RepositoryEnvironment(
                `${name}-${environmentName}`,
                {
                    repository,
                    environment: environmentName,
                    reviewers: hasReviewers ? [{ teams, users }] : [],
                    preventSelfReview: settings.preventSelfReview,
                    waitTimer: settings.waitTimerMinutes,
                    // Protection rules bind administrators too.
                    canAdminsBypass: false,
                    deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
                },
                options,
            );
            new github.RepositoryEnvironmentDeploymentPolicy(
                `${name}-${environmentName}`,
                { repository, environment: environment.environment, branchPattern: args.defaultBranch },
                options,
            );
            for (const [variableName, value] of Object.entries(variables)) {
                new github.ActionsEnvironmentVariable(
                    `${name}-${environmentName}-${variableName}`,
                    { repository, environment: environment.environment, variableName, value },
                    options,
                );
            }
            new github.ActionsVariable(
                `${name}-${previewVariableName(environmentName)}`,
                { repository, variableName: previewVariableName(environmentName), value: pulumi.output(preview).apply((target) => JSON.stringify(target)) },
                options,
            );
        }

        if (args.manageRepository) {
            new github.BranchProtection(
                `${name}-${args.defaultBranch}`,
                {
                    repositoryId: repository,
                    pattern: args.defaultBranch,
                    enforceAdmins: true,
                    allowsDeletions: false,
                    allowsForcePushes: false,
                    requireConversationResolution: true,
                    requiredStatusChecks: [{ strict: true, contexts: [PLAN_CHECK] }],
                    requiredPullRequestReviews: [
                        { requiredApprovingReviewCount: args.requiredApprovals, dismissStaleReviews: true, requireLastPushApproval: true },
                    ],
                },
                options,
            );
            new github.ActionsRepositoryPermissions(
                name,
                {
                    repository,
                    enabled: true,
                    allowedActions: "selected",
                    allowedActionsConfig: {
                        githubOwnedAllowed: true,
                        verifiedAllowed: false,
                        patternsAlloweds: THIRD_PARTY_ACTIONS.map((action) => `${action}@*`),
                    },
                    shaPinningRequired: true,
                },
                options,
            );
            new github.WorkflowRepositoryPermissions(name, { repository, defaultWorkflowPermissions: "read", canApprovePullRequestReviews: false }, options);
            new github.ActionsRepositoryOidcSubjectClaimCustomizationTemplate(name, { repository, useDefault: true }, options);
        }
        this.registerOutputs({});
    }
}
