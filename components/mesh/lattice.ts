import { podSecurityLabels } from "../cluster/namespaces";
import { flaggerServiceNames, isCanaried } from "./canary";
import { declaredNamespaces, KubeObject, MESH_MEMBER_LABEL, RenderedMesh } from "./kube";
import type { MeshRoute, MeshService, MeshSettings } from "./settings";

/**
 * VPC Lattice rendering of a mesh declaration, checked against the Gateway API v1.5.0 standard-channel
 * CRDs (the version the AWS Gateway API Controller v2.1.3 builds against, go.mod) and the
 * controller's own CRDs (application-networking.k8s.aws/v1alpha1, helm/crds at v2.1.3).
 */

/** The GatewayClass the controller's docs install (files/controller-installation/gatewayclass.yaml). */
const LATTICE_GATEWAY_CLASS = "amazon-vpc-lattice";
export const LATTICE_CONTROLLER_NAME = "application-networking.k8s.aws/gateway-api-controller";
/** The one Gateway listener routes attach to; Lattice gives each route its own service and DNS name on it. */
const LATTICE_LISTENER = { name: "http", protocol: "HTTP", port: 80 } as const;

const GATEWAY_API = "gateway.networking.k8s.io";
const LATTICE_API = "application-networking.k8s.aws/v1alpha1";

/** The controller's Truncate: the first `length` characters, without leading or trailing hyphens (pkg/utils/common.go at v2.1.3). */
function truncate(name: string, length: number): string {
    return name.slice(0, length).replace(/^-+|-+$/g, "");
}

/** The VPC Lattice service the controller creates for a route: "<route[:20]>-<namespace[:18]>" (pkg/utils LatticeServiceName). */
export function latticeServiceName(route: string, namespace: string): string {
    return `${truncate(route, 20)}-${truncate(namespace, 18)}`;
}

/**
 * The VPC Lattice target group the controller creates for a route's backend Service:
 * "k8s-<namespace[:55]>-<service[:55]>-<10 random letters>" (pkg/model/lattice/targetgroup.go
 * GenerateTgName at v2.1.3); the random part is shown as x's.
 */
export function latticeTargetGroupName(namespace: string, service: string): string {
    return `k8s-${truncate(namespace, 55)}-${truncate(service, 55)}-${"x".repeat(10)}`;
}

export interface LatticeRenderOptions {
    /** Gateway name, which the controller resolves to the VPC Lattice service network of the same name. */
    meshName: string;
    /** Namespace the Gateway lives in (the controller's). */
    gatewayNamespace: string;
    /** Cluster minor version, pinned in the namespaces' Pod Security labels. */
    kubernetesVersion: string;
}

/** The mesh Gateway's listener as an HTTPRoute parent: where the platform's routes and Flagger's attach. */
export function latticeParentRef(meshName: string, gatewayNamespace: string) {
    return { group: GATEWAY_API, kind: "Gateway", name: meshName, namespace: gatewayNamespace, sectionName: LATTICE_LISTENER.name };
}

function httpRoute(route: MeshRoute, services: MeshService[], { meshName, gatewayNamespace }: LatticeRenderOptions): KubeObject {
    const portOf = (name: string) => services.find((s) => s.name === name && s.namespace === route.namespace)?.port;
    return {
        apiVersion: `${GATEWAY_API}/v1`,
        kind: "HTTPRoute",
        metadata: { name: route.name, namespace: route.namespace },
        spec: {
            parentRefs: [latticeParentRef(meshName, gatewayNamespace)],
            // Rule order is priority order: the controller numbers Lattice listener rules in the order given.
            // Timeouts and retries are never rendered: Lattice cannot apply them (validate.ts rejects or reports them).
            rules: route.rules.map((rule) => ({
                // The controller accepts exactly one match per rule.
                matches: [
                    {
                        path: { type: "PathPrefix", value: rule.match.pathPrefix },
                        ...(rule.match.headers.length > 0 ? { headers: rule.match.headers.map((h) => ({ type: "Exact", name: h.name, value: h.exact })) } : {}),
                    },
                ],
                backendRefs: rule.targets.map((target) => ({
                    group: "",
                    kind: "Service",
                    name: target.service,
                    port: portOf(target.service),
                    weight: target.weight,
                })),
            })),
        },
    };
}

/** Health checks and protocol of the Lattice target group the controller creates for a Service (`target`, by default the service's own). */
function targetGroupPolicy(service: MeshService, target = service.name): KubeObject {
    const check = service.healthCheck;
    return {
        apiVersion: LATTICE_API,
        kind: "TargetGroupPolicy",
        metadata: { name: target, namespace: service.namespace },
        spec: {
            targetRef: { group: "", kind: "Service", name: target },
            protocol: "HTTP",
            protocolVersion: "HTTP1",
            healthCheck: {
                enabled: true,
                // No port: Lattice then probes the port each target receives traffic on.
                path: check.path,
                protocol: "HTTP",
                protocolVersion: "HTTP1",
                intervalSeconds: check.intervalSeconds,
                timeoutSeconds: check.timeoutSeconds,
                healthyThresholdCount: check.healthyThreshold,
                unhealthyThresholdCount: check.unhealthyThreshold,
            },
        },
    };
}

/** The Lattice auth policy of a route's service: only SigV4-signed calls from the listed principals. */
function latticeAuthPolicyDocument(principals: string[]): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: principals }, Action: "vpc-lattice-svcs:Invoke", Resource: "*" }],
    });
}

function iamAuthPolicy(route: MeshRoute, principals: string[]): KubeObject {
    return {
        apiVersion: LATTICE_API,
        kind: "IAMAuthPolicy",
        metadata: { name: route.name, namespace: route.namespace },
        spec: {
            // Attaching it switches the route's Lattice service to auth type AWS_IAM (authpolicy_types.go).
            targetRef: { group: GATEWAY_API, kind: "HTTPRoute", name: route.name, namespace: route.namespace },
            policy: latticeAuthPolicyDocument(principals),
        },
    };
}

/**
 * The GatewayClass, the Gateway (= service network), and per declaration: one HTTPRoute per route,
 * one TargetGroupPolicy per service (two for a canaried service: Flagger's primary and canary
 * Services), one IAMAuthPolicy per route with iamAuth. A canaried service's HTTPRoute is Flagger's,
 * never rendered here (canary.ts).
 */
export function renderLattice(mesh: MeshSettings, options: LatticeRenderOptions): RenderedMesh {
    const memberLabels = { [MESH_MEMBER_LABEL]: options.meshName };
    const gatewayClass: KubeObject = {
        apiVersion: `${GATEWAY_API}/v1`,
        kind: "GatewayClass",
        metadata: { name: LATTICE_GATEWAY_CLASS },
        spec: { controllerName: LATTICE_CONTROLLER_NAME },
    };
    const gateway: KubeObject = {
        apiVersion: `${GATEWAY_API}/v1`,
        kind: "Gateway",
        metadata: { name: options.meshName, namespace: options.gatewayNamespace },
        spec: {
            gatewayClassName: LATTICE_GATEWAY_CLASS,
            listeners: [
                {
                    ...LATTICE_LISTENER,
                    // Only namespaces this mesh declares may attach routes to its service network.
                    allowedRoutes: { namespaces: { from: "Selector", selector: { matchLabels: memberLabels } } },
                },
            ],
        },
    };
    return {
        // Plain workloads: nothing in them needs more than the restricted profile.
        namespaces: declaredNamespaces(mesh.services, mesh.routes).map((name) => ({
            name,
            labels: { ...memberLabels, ...podSecurityLabels("restricted", options.kubernetesVersion) },
        })),
        objects: [
            gatewayClass,
            gateway,
            // A canaried service's route (Flagger's) sends requests to Flagger's primary and canary Services, so those carry the health check.
            ...mesh.services.flatMap((service) =>
                isCanaried(mesh, service)
                    ? flaggerServiceNames(service.name).map((target) => targetGroupPolicy(service, target))
                    : [targetGroupPolicy(service)],
            ),
            ...mesh.routes.map((route) => httpRoute(route, mesh.services, options)),
            ...mesh.routes.flatMap((route) => (route.iamAuth ? [iamAuthPolicy(route, route.iamAuth.allowedPrincipals)] : [])),
        ],
    };
}
