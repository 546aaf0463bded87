import { defineSection } from "../capability";
import { computeNames } from "./declaredNames";
import { computeSettingsSchema } from "./settings";
import { validateCompute } from "./validate";

/** eks-platform:compute: node pools and their controllers (a foundation: it yields nodesReady). */
export const computeSection = defineSection({ key: "compute", settings: computeSettingsSchema, validate: validateCompute, names: computeNames });
