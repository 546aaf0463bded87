import { defineCapability } from "../capability";
import { chartImageUses } from "../common/chartImages";
import { Logging } from "./logging";
import { loggingSettingsSchema } from "./settings";
import { loggingNames, validateLogging } from "./validate";

/** eks-platform:logging: Fluent Bit to program-owned log groups and an S3 archive; Container Insights. */
export const loggingCapability = defineCapability({
    key: "logging",
    settings: loggingSettingsSchema,
    validate: validateLogging,
    names: loggingNames,
    awsServices: (settings) => [
        ...(settings.fluentBit.enabled ? [{ service: "logs", reason: "Fluent Bit: writes container, host and data-plane logs" }] : []),
        ...(settings.fluentBit.enabled && settings.s3.enabled ? [{ service: "s3", reason: "Fluent Bit: archives logs to S3" }] : []),
        ...(settings.containerInsights.enabled
            ? [
                  { service: "monitoring", reason: "CloudWatch agent (Container Insights): PutMetricData" },
                  { service: "logs", reason: "CloudWatch agent (Container Insights): performance log events" },
                  { service: "ec2", reason: "CloudWatch agent (Container Insights): instance tags and volumes" },
              ]
            : []),
    ],
    images: (settings) => (settings.fluentBit.enabled ? chartImageUses("fluentBit", "aws-for-fluent-bit") : []),
    deploy: (name, context, settings, opts) => new Logging(name, { context, settings }, opts),
});
