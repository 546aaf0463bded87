import { defineCapability } from "../capability";
import { Fargate } from "./fargate";
import { fargateSettingsSchema } from "./settings";
import { validateFargate } from "./validate";

/** eks-platform:fargate: Fargate profiles, their pod execution role and the Fargate log router. */
export const fargateCapability = defineCapability({
    key: "fargate",
    settings: fargateSettingsSchema,
    validate: validateFargate,
    deploy: (name, context, settings, opts) => (settings.profiles.length > 0 ? new Fargate(name, { context, settings }, opts) : undefined),
});
