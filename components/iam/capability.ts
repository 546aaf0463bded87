import { defineSection } from "../capability";
import { iamSettingsSchema } from "./settings";
import { validateIam } from "./validate";

/** eks-platform:iam: what every IAM role the platform creates carries (a foundation: every other foundation creates roles). */
export const iamSection = defineSection({ key: "iam", settings: iamSettingsSchema, validate: validateIam });
