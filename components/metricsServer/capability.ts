import { defineCapability } from "../capability";
import { chartImageUses } from "../common/chartImages";
import { MetricsServer } from "./metricsServer";
import { metricsServerSettingsSchema } from "./settings";
import { validateMetricsServer } from "./validate";

/** eks-platform:metricsServer: the resource metrics API for the HorizontalPodAutoscaler. */
export const metricsServerCapability = defineCapability({
    key: "metricsServer",
    settings: metricsServerSettingsSchema,
    validate: validateMetricsServer,
    images: (settings) => (settings.enabled ? chartImageUses("metricsServer", "metrics-server") : []),
    deploy: (name, context, settings, opts) => (settings.enabled ? new MetricsServer(name, { context, settings }, opts) : undefined),
});
