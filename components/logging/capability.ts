import { defineCapability } from "../capability";
import { Logging } from "./logging";
import { loggingSettingsSchema } from "./settings";
import { loggingNames, validateLogging } from "./validate";

/** eks-platform:logging: Fluent Bit to program-owned log groups and an S3 archive; Container Insights. */
export const loggingCapability = defineCapability({
    key: "logging",
    settings: loggingSettingsSchema,
    validate: validateLogging,
    names: loggingNames,
    deploy: (name, context, settings, opts) => new Logging(name, { context, settings }, opts),
});
