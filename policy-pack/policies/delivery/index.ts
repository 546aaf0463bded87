// Guardrails of the delivery foundation (the bootstrap project) that no general rule covers: who GitHub
// Actions can be, the cap on what CI roles may do, the CodeBuild projects that host its runners, and
// what a Pulumi state bucket needs beyond every bucket's protections. Standing administrator access
// is iam-no-managed-admin-policy's; a deploy role's IAM administration is bounded by the settings of
// iam-no-admin-wildcard and iam-no-privilege-escalation.
import type { Guardrail } from "../../lib/policy";
import { codebuildNoPrivilegedMode, codebuildProjectEncrypted, codebuildProjectLogged } from "./codebuild";
import { githubOidcRoleBounded } from "./github-oidc-role-bounded";
import { githubOidcTrustScoped } from "./github-oidc-trust-scoped";
import { pulumiStateBucketProtected } from "./state-bucket-protected";

export const deliveryPolicies: readonly Guardrail[] = [
    githubOidcTrustScoped,
    githubOidcRoleBounded,
    codebuildProjectEncrypted,
    codebuildProjectLogged,
    codebuildNoPrivilegedMode,
    pulumiStateBucketProtected,
];
