import { podSecurityLabels } from "../cluster/namespaces";
import { isCanaried } from "./canary";
import { appMeshDuration, parseDuration } from "./duration";
import { declaredNamespaces, KubeObject, MESH_MEMBER_LABEL, RenderedMesh, serviceHostname } from "./kube";
import { MeshRoute, MeshService, MeshSettings, podSelectorOf } from "./settings";

/**
 * App Mesh rendering of a mesh declaration, checked against the appmesh.k8s.aws/v1beta2 CRDs the
 * appmesh-controller chart 1.13.3 ships (eks-charts stable/appmesh-controller/crds/crds.yaml).
 * AWS discontinued App Mesh on 2026-09-30; this exists for teams still running it and to migrate from.
 */

const APPMESH_API = "appmesh.k8s.aws/v1beta2";

/** Namespace label that turns on Envoy sidecar injection for every pod (pkg/inject/inject.go). */
export const SIDECAR_INJECTION_LABEL = "appmesh.k8s.aws/sidecarInjectorWebhook";

/** Envoy retries on these (App Mesh needs at least one event type; these are the transient failures). */
const RETRY_HTTP_EVENTS = ["server-error", "gateway-error"];
const RETRY_TCP_EVENTS = ["connection-error"];

export interface AppMeshRenderOptions {
    /** Name of the App Mesh mesh (the Mesh object and the AWS mesh). */
    meshName: string;
    /** Cluster minor version, pinned in the namespaces' Pod Security labels. */
    kubernetesVersion: string;
}

export function virtualRouterName(route: Pick<MeshRoute, "name">): string {
    return `${route.name}-router`;
}

/** The port callers use for a route: its first target's (the VirtualRouter listener and the DNS Service). */
function routePort(route: MeshRoute, services: MeshService[]): number {
    const first = route.rules[0].targets[0].service;
    const service = services.find((s) => s.name === first && s.namespace === route.namespace);
    if (!service) {
        throw new Error(`route ${route.name} targets undeclared service ${first}; validateMesh rejects this`);
    }
    return service.port;
}

/** Milliseconds of a declared duration; the declaration was validated, so it parses. */
function milliseconds(duration: string): number {
    const value = parseDuration(duration);
    if (value === undefined) {
        throw new Error(`unvalidated duration ${duration}`);
    }
    return value;
}

function virtualNode(service: MeshService, mesh: MeshSettings): KubeObject {
    const check = service.healthCheck;
    // App Mesh wants a per-request timeout above the 15 s default set on every hop, so a node's
    // listener carries the longest timeout of any rule that routes to it.
    const inboundTimeouts = mesh.routes
        .filter((route) => route.namespace === service.namespace)
        .flatMap((route) => route.rules)
        .filter((rule) => rule.timeout !== undefined && rule.targets.some((t) => t.service === service.name))
        .map((rule) => milliseconds(rule.timeout as string));
    // A call names a route or a canaried service (whose VirtualService is Flagger's).
    const callee = (name: string) => mesh.routes.find((route) => route.name === name) ?? mesh.canaries.find((canary) => canary.service === name);
    return {
        apiVersion: APPMESH_API,
        kind: "VirtualNode",
        metadata: { name: service.name, namespace: service.namespace },
        spec: {
            podSelector: { matchLabels: podSelectorOf(service) },
            listeners: [
                {
                    portMapping: { port: service.port, protocol: "http" },
                    healthCheck: {
                        protocol: "http",
                        path: check.path,
                        port: service.port,
                        intervalMillis: check.intervalSeconds * 1000,
                        timeoutMillis: check.timeoutSeconds * 1000,
                        healthyThreshold: check.healthyThreshold,
                        unhealthyThreshold: check.unhealthyThreshold,
                    },
                    ...(inboundTimeouts.length > 0 ? { timeout: { http: { perRequest: appMeshDuration(Math.max(...inboundTimeouts)) } } } : {}),
                },
            ],
            serviceDiscovery: { dns: { hostname: serviceHostname(service.name, service.namespace) } },
            backends: service.calls.map((name) => ({
                virtualService: { virtualServiceRef: { name, namespace: callee(name)?.namespace ?? service.namespace } },
            })),
        },
    };
}

function virtualRouter(route: MeshRoute, services: MeshService[]): KubeObject {
    return {
        apiVersion: APPMESH_API,
        kind: "VirtualRouter",
        metadata: { name: virtualRouterName(route), namespace: route.namespace },
        spec: {
            listeners: [{ portMapping: { port: routePort(route, services), protocol: "http" } }],
            routes: route.rules.map((rule, index) => ({
                name: `${route.name}-${index}`,
                // Declaration order is priority order, as on Lattice (0 is App Mesh's highest).
                priority: index,
                httpRoute: {
                    match: {
                        prefix: rule.match.pathPrefix,
                        ...(rule.match.headers.length > 0 ? { headers: rule.match.headers.map((h) => ({ name: h.name, match: { exact: h.exact } })) } : {}),
                    },
                    action: {
                        weightedTargets: rule.targets.map((target) => ({
                            virtualNodeRef: { name: target.service, namespace: route.namespace },
                            weight: target.weight,
                        })),
                    },
                    ...(rule.retries
                        ? {
                              retryPolicy: {
                                  maxRetries: rule.retries.maxRetries,
                                  perRetryTimeout: appMeshDuration(milliseconds(rule.retries.perTryTimeout)),
                                  httpRetryEvents: RETRY_HTTP_EVENTS,
                                  tcpRetryEvents: RETRY_TCP_EVENTS,
                              },
                          }
                        : {}),
                    ...(rule.timeout !== undefined ? { timeout: { perRequest: appMeshDuration(milliseconds(rule.timeout)) } } : {}),
                },
            })),
        },
    };
}

function virtualService(route: MeshRoute): KubeObject {
    return {
        apiVersion: APPMESH_API,
        kind: "VirtualService",
        metadata: { name: route.name, namespace: route.namespace },
        spec: {
            awsName: serviceHostname(route.name, route.namespace),
            provider: { virtualRouter: { virtualRouterRef: { name: virtualRouterName(route), namespace: route.namespace } } },
        },
    };
}

/**
 * Envoy intercepts calls by hostname, but the application still resolves the name first: App Mesh
 * needs a Kubernetes Service named after each virtual service. It selects no pods; it exists for DNS.
 */
function dnsService(route: MeshRoute, services: MeshService[]): KubeObject {
    const port = routePort(route, services);
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: route.name, namespace: route.namespace, labels: { "app.kubernetes.io/part-of": "app-mesh" } },
        spec: { type: "ClusterIP", ports: [{ name: "http", port, targetPort: port, protocol: "TCP" }] },
    };
}

/**
 * The Mesh (selecting the declared namespaces), and per declaration: one VirtualNode per service
 * without a canary (Flagger renders a canaried service's, canary.ts), one VirtualRouter,
 * VirtualService and DNS Service per route. IAM auth has no App Mesh form
 * (validate.ts rejects or reports it).
 */
export function renderAppMesh(mesh: MeshSettings, { meshName, kubernetesVersion }: AppMeshRenderOptions): RenderedMesh {
    const memberLabels = { [MESH_MEMBER_LABEL]: meshName };
    const meshObject: KubeObject = {
        apiVersion: APPMESH_API,
        kind: "Mesh",
        metadata: { name: meshName },
        spec: {
            namespaceSelector: { matchLabels: memberLabels },
            // Meshed pods still reach AWS APIs and databases outside the mesh, as they would on Lattice.
            egressFilter: { type: "ALLOW_ALL" },
        },
    };
    return {
        namespaces: declaredNamespaces(mesh.services, mesh.routes).map((name) => ({
            name,
            // The injected proxyinit container adds NET_ADMIN to redirect traffic through Envoy, which
            // both the restricted and the baseline profile forbid; baseline violations are still reported.
            labels: {
                ...memberLabels,
                [SIDECAR_INJECTION_LABEL]: "enabled",
                ...podSecurityLabels("privileged", kubernetesVersion),
                "pod-security.kubernetes.io/audit": "baseline",
                "pod-security.kubernetes.io/warn": "baseline",
            },
        })),
        objects: [
            meshObject,
            // Flagger creates a canaried service's virtual nodes (<service>-primary and -canary) itself.
            ...mesh.services.filter((service) => !isCanaried(mesh, service)).map((service) => virtualNode(service, mesh)),
            ...mesh.routes.flatMap((route) => [virtualRouter(route, mesh.services), virtualService(route), dnsService(route, mesh.services)]),
        ],
    };
}
