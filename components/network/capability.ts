import { defineSection } from "../capability";
import { networkSettingsSchema } from "./settings";

/**
 * eks-platform:network. Checked by validateNetwork (./validate.ts), which the parser runs before
 * every other check because they read the CIDR plan it lays out.
 */
export const networkSection = defineSection({ key: "network", settings: networkSettingsSchema });
