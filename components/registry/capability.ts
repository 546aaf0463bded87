import { defineSection } from "../capability";
import { registrySettingsSchema } from "./settings";
import { validateRegistry } from "./validate";

/**
 * eks-platform:registry: the account's ECR as the stack uses it (a foundation: the node pools'
 * controllers pull their images through its cache, so it exists before them).
 */
export const registrySection = defineSection({ key: "registry", settings: registrySettingsSchema, validate: validateRegistry });
