import { z } from "zod";

export const metricsServerSettingsSchema = z
    .strictObject({
        enabled: z
            .boolean()
            .default(true)
            .describe("Install metrics-server, the resource metrics API behind `kubectl top` and every HorizontalPodAutoscaler on CPU or memory."),
        replicas: z
            .int()
            .min(1)
            .max(5)
            .default(2)
            .describe(
                "metrics-server replicas, on different nodes and spread over zones; with 2 or more a disruption budget keeps one serving through a drain. At least 2 in prod.",
            ),
    })
    .prefault({})
    .describe("metrics-server: resource metrics for the HorizontalPodAutoscaler.");

export type MetricsServerSettings = z.output<typeof metricsServerSettingsSchema>;
