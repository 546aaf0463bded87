import { defineCapability } from "../capability";
import { Flux } from "./flux";
import { gitopsSettingsSchema } from "./settings";
import { validateGitops } from "./validate";

/** eks-platform:gitops: Flux and the environment's bootstrap objects; nothing while `enabled` is false. */
export const gitopsCapability = defineCapability({
    key: "gitops",
    settings: gitopsSettingsSchema,
    validate: (gitops, facts) => validateGitops(gitops, facts.cluster.applicationNamespaces),
    deploy: (name, context, settings, opts) => (settings.enabled ? new Flux(name, { context, settings }, opts) : undefined),
});
