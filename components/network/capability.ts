import { defineSection } from "../capability";
import { networkSettingsSchema } from "./settings";
import { validateNetworkAccess } from "./validate";

/**
 * eks-platform:network. Its layout is checked by validateNetwork (./validate.ts), which the parser
 * runs before every other check because they read the CIDR plan it lays out; its endpoints and the
 * runner's path by validateNetworkAccess, with the other sections.
 */
export const networkSection = defineSection({ key: "network", settings: networkSettingsSchema, validate: validateNetworkAccess });
