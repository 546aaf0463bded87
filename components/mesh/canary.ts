import type { KubeObject } from "./kube";
import type { MeshBackend, MeshCanary, MeshService, MeshSettings } from "./settings";

/**
 * Flagger rendering of the declared canaries, checked against Flagger v1.44.0 (`flagger.app/v1beta1`
 * CRDs of charts/flagger/crds/crd.yaml; routers pkg/router/gateway_api.go and appmesh_v1beta2.go).
 *
 * Ownership. For a canary of service S, Flagger creates and owns the Services S, S-primary and
 * S-canary and the Deployment <target>-primary, and the route callers address: on Lattice the
 * HTTPRoute S, attached to the mesh Gateway through `service.gatewayRefs`; on App Mesh the
 * VirtualNodes S-primary and S-canary and the VirtualRouters and VirtualServices S and S-canary.
 * Flagger's Gateway API router does not only set weights: on every reconcile it compares the whole
 * HTTPRoute spec (weights ignored) with the one it derives from the Canary and replaces it when they
 * differ. A platform-rendered HTTPRoute of that name would be rewritten on each side's turn, and
 * `ignoreChanges` on the weights would not stop it. So the platform renders no route and no virtual
 * node for a canaried service; it renders the Canary, which is the declaration of that route.
 *
 * Metrics. Flagger's `cloudwatch` provider runs a GetMetricData query. VPC Lattice publishes request
 * metrics per target group and service (namespace AWS/VpcLattice), but their dimension values are
 * the Lattice ids the Gateway API controller creates at run time, unknown when the platform renders
 * the template. Container Insights (the `amazon-cloudwatch-observability` add-on of the logging
 * capability) publishes per-workload metrics under dimensions the platform knows in advance:
 * ClusterName, Namespace and PodName (the pod's owner, here the canary Deployment's name).
 */

const FLAGGER_API = "flagger.app/v1beta1";

/** Flagger's provider name for each mesh backend (the Canary CRD's `provider` enum). */
export const FLAGGER_PROVIDERS = { lattice: "gatewayapi:v1", appmesh: "appmesh:v1beta2" } as const satisfies Record<Exclude<MeshBackend, "none">, string>;

/** The Services Flagger creates besides the apex (Canary.GetServiceNames): the route's backends. */
export function flaggerServiceNames(service: string): [string, string] {
    return [`${service}-primary`, `${service}-canary`];
}

/** The canary declared for a service, if any. */
function canaryOf(mesh: Pick<MeshSettings, "canaries">, service: Pick<MeshService, "name" | "namespace">): MeshCanary | undefined {
    return mesh.canaries.find((canary) => canary.service === service.name && canary.namespace === service.namespace);
}

export function isCanaried(mesh: Pick<MeshSettings, "canaries">, service: Pick<MeshService, "name" | "namespace">): boolean {
    return canaryOf(mesh, service) !== undefined;
}

/** The Deployment a canary watches: targetDeployment, or the service's name. */
export function canaryTarget(canary: MeshCanary): string {
    return canary.targetDeployment ?? canary.service;
}

export interface CanaryRenderOptions {
    backend: Exclude<MeshBackend, "none">;
    /** The mesh Gateway's listener (lattice): the parent of Flagger's HTTPRoute. */
    gatewayRef?: Record<string, string>;
    /** Cluster name: the ClusterName dimension of Container Insights metrics. */
    clusterName: string;
    /** Region the metrics are read in (the MetricTemplate's provider region). */
    region: string;
}

/** One GetMetricData query of a Container Insights pod metric of the canary's Deployment, per interval. */
function containerInsightsQuery(metricName: string, stat: string, canary: MeshCanary, clusterName: string): string {
    const dimensions = [
        { Name: "ClusterName", Value: clusterName },
        { Name: "Namespace", Value: canary.namespace },
        { Name: "PodName", Value: canaryTarget(canary) },
    ];
    // Flagger reads the first value of the first result: the newest datapoint of this query.
    return JSON.stringify([
        {
            Id: "canary",
            MetricStat: {
                Metric: { Namespace: "ContainerInsights", MetricName: metricName, Dimensions: dimensions },
                Period: canary.intervalMinutes * 60,
                Stat: stat,
            },
            ReturnData: true,
        },
    ]);
}

interface CanaryCheck {
    /** Suffix of the MetricTemplate's name and the metric's name in the Canary. */
    name: string;
    query: string;
    max: number;
}

function checksOf(canary: MeshCanary, clusterName: string): CanaryCheck[] {
    const { maxContainerRestarts, maxCpuOverLimitPercent } = canary.metrics;
    return [
        { name: "restarts", query: containerInsightsQuery("pod_number_of_container_restarts", "Maximum", canary, clusterName), max: maxContainerRestarts },
        ...(maxCpuOverLimitPercent === undefined
            ? []
            : [
                  {
                      name: "cpu",
                      query: containerInsightsQuery("pod_cpu_utilization_over_pod_limit", "Average", canary, clusterName),
                      max: maxCpuOverLimitPercent,
                  },
              ]),
    ];
}

function metricTemplateName(canary: MeshCanary, check: CanaryCheck): string {
    return `${canary.service}-${check.name}`;
}

function canaryObject(canary: MeshCanary, service: MeshService, checks: CanaryCheck[], options: CanaryRenderOptions): KubeObject {
    return {
        apiVersion: FLAGGER_API,
        kind: "Canary",
        metadata: { name: canary.service, namespace: canary.namespace },
        spec: {
            provider: FLAGGER_PROVIDERS[options.backend],
            targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: canaryTarget(canary) },
            progressDeadlineSeconds: canary.progressDeadlineSeconds,
            // Removing a canary from the stack deletes the Canary: Flagger then scales the Deployment back up and
            // points Service <service> at it (pkg/controller/finalizer.go) instead of leaving it at zero replicas.
            revertOnDeletion: true,
            service: {
                name: canary.service,
                port: service.port,
                targetPort: service.port,
                ...(options.backend === "lattice" && options.gatewayRef ? { gatewayRefs: [options.gatewayRef] } : {}),
                // Flagger's App Mesh router lists these as its virtual nodes' backends, by name in the canary's namespace.
                ...(options.backend === "appmesh" && service.calls.length > 0 ? { backends: service.calls } : {}),
            },
            analysis: {
                interval: `${canary.intervalMinutes}m`,
                threshold: canary.threshold,
                maxWeight: canary.maxWeight,
                stepWeight: canary.stepWeight,
                metrics: checks.map((check) => ({
                    name: check.name,
                    templateRef: { name: metricTemplateName(canary, check), namespace: canary.namespace },
                    thresholdRange: { max: check.max },
                    interval: `${canary.intervalMinutes}m`,
                })),
            },
        },
    };
}

/** Per canary: its MetricTemplates (CloudWatch, Container Insights), then the Canary that references them. */
export function renderCanaries(mesh: MeshSettings, options: CanaryRenderOptions): KubeObject[] {
    return mesh.canaries.flatMap((canary) => {
        const service = mesh.services.find((s) => s.name === canary.service && s.namespace === canary.namespace);
        if (!service) {
            throw new Error(`canary ${canary.namespace}/${canary.service} names no declared service; validateMesh rejects this`);
        }
        const checks = checksOf(canary, options.clusterName);
        const templates: KubeObject[] = checks.map((check) => ({
            apiVersion: FLAGGER_API,
            kind: "MetricTemplate",
            metadata: { name: metricTemplateName(canary, check), namespace: canary.namespace },
            spec: { provider: { type: "cloudwatch", region: options.region }, query: check.query },
        }));
        return [...templates, canaryObject(canary, service, checks, options)];
    });
}
