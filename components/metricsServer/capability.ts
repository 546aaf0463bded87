import { defineCapability } from "../capability";
import { MetricsServer, METRICS_SERVER_IMAGE } from "./metricsServer";
import { metricsServerSettingsSchema } from "./settings";
import { validateMetricsServer } from "./validate";

/** eks-platform:metricsServer: the resource metrics API for the HorizontalPodAutoscaler. */
export const metricsServerCapability = defineCapability({
    key: "metricsServer",
    settings: metricsServerSettingsSchema,
    validate: validateMetricsServer,
    images: (settings) =>
        settings.enabled
            ? [{ repository: METRICS_SERVER_IMAGE, reason: "metrics-server", chart: { key: "metricsServer", valuesPath: "image.repository" } }]
            : [],
    deploy: (name, context, settings, opts) => (settings.enabled ? new MetricsServer(name, { context, settings }, opts) : undefined),
});
