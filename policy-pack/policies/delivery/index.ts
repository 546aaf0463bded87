// Guardrails of the delivery foundation (the bootstrap project): who CI can be, and where state lives.
import type { Guardrail } from "../../lib/policy";
import { githubOidcRoleBounded } from "./github-oidc-role-bounded";
import { githubOidcTrustScoped } from "./github-oidc-trust-scoped";
import { iamRoleNoStandingAdmin } from "./role-no-standing-admin";
import { pulumiStateBucketProtected } from "./state-bucket-protected";

export const deliveryPolicies: readonly Guardrail[] = [githubOidcTrustScoped, githubOidcRoleBounded, iamRoleNoStandingAdmin, pulumiStateBucketProtected];
