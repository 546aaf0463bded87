import type { ConfigProblem } from "../../config/problems";
import type { ValidationFacts } from "../capability";
import type { MetricsServerSettings } from "./settings";

/** prod keeps the metrics API up through a drain; the sample workload's autoscaler needs the API at all. */
export function validateMetricsServer(settings: MetricsServerSettings, facts: Pick<ValidationFacts, "environment" | "compute">): ConfigProblem[] {
    if (!settings.enabled) {
        return facts.compute.sampleWorkload
            ? [
                  {
                      path: "metricsServer.enabled",
                      value: false,
                      message: "must be true while compute.sampleWorkload is on: the sample's HorizontalPodAutoscaler reads its metrics",
                  },
              ]
            : [];
    }
    return facts.environment === "prod" && settings.replicas < 2
        ? [
              {
                  path: "metricsServer.replicas",
                  value: settings.replicas,
                  message: "must be at least 2 in prod: with one, every drain of its node leaves the autoscalers blind",
              },
          ]
        : [];
}
