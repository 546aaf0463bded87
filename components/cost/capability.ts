import { defineSection } from "../capability";
import { costSettingsSchema } from "./settings";

/**
 * eks-platform:cost: the assumptions of the offline plan's cost estimate and an optional budget.
 * It deploys nothing; tools/cost reads it from the validated configuration.
 */
export const costSection = defineSection({ key: "cost", settings: costSettingsSchema });
