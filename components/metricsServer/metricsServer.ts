import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "../capability";
import { irsaChart } from "../common/irsaChart";
import { spreadOverZonesAndNodes } from "../common/placement";
import { HELM_CHARTS } from "../versions";
import type { MetricsServerSettings } from "./settings";

/** The chart's pod selector labels (its selectorLabels helper) with the release named after the chart. */
const SELECTOR = { "app.kubernetes.io/name": HELM_CHARTS.metricsServer.chart, "app.kubernetes.io/instance": HELM_CHARTS.metricsServer.chart };

/**
 * metrics-server in the platform's controller namespace: the Metrics API (`metrics.k8s.io`) that the
 * HorizontalPodAutoscaler reads every 15 seconds. Replicas on different nodes, spread over zones, with a
 * disruption budget of one. It calls no AWS API, so no role. Its serving certificate is its own
 * (self-signed, `tls.type: metrics-server`): nothing changes between renders.
 */
export class MetricsServer extends pulumi.ComponentResource {
    readonly chart: k8s.helm.v4.Chart;

    constructor(name: string, args: { context: PlatformContext; settings: MetricsServerSettings }, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:metricsServer:MetricsServer", name, {}, opts);
        const { context, settings } = args;
        const { chart } = irsaChart(
            `${name}-metrics-server`,
            context,
            {
                chart: HELM_CHARTS.metricsServer,
                releaseName: HELM_CHARTS.metricsServer.chart,
                namespace: context.controllerNamespace,
                serviceAccount: "metrics-server",
                values: (serviceAccount) => ({
                    serviceAccount,
                    replicas: settings.replicas,
                    podDisruptionBudget: { enabled: settings.replicas > 1, maxUnavailable: 1 },
                    topologySpreadConstraints: spreadOverZonesAndNodes(SELECTOR),
                    // The chart's request (metrics-server's sizing for up to 100 nodes) with a ceiling.
                    resources: { requests: { cpu: "100m", memory: "200Mi" }, limits: { memory: "400Mi" } },
                }),
                // A Deployment behind an APIService: ready only once it runs on a node.
                waitForNodes: true,
            },
            this,
        );
        this.chart = chart;
        this.registerOutputs({});
    }
}
