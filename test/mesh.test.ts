import { strict as assert } from "assert";
import { renderAppMesh, SIDECAR_INJECTION_LABEL } from "../components/mesh/appmesh";
import { appMeshDuration, parseDuration } from "../components/mesh/duration";
import type { KubeObject, RenderedMesh } from "../components/mesh/kube";
import { LATTICE_CONTROLLER_NAME, renderLattice } from "../components/mesh/lattice";
import { meshSettingsSchema, MeshSettings } from "../components/mesh/settings";
import { unsupportedFeatures, validateMesh } from "../components/mesh/validate";
import { validateKubernetesObjects } from "../tools/schemas/validate";

/** One declaration: a catalog with a header-pinned canary and a 90/10 split, and a frontend calling it. */
const DECLARATION = {
    services: [
        { name: "catalog-v1", namespace: "shop", port: 8080, healthCheck: { path: "/ready", intervalSeconds: 15, timeoutSeconds: 3 } },
        { name: "catalog-v2", namespace: "shop", port: 8080 },
        { name: "frontend", namespace: "web", port: 3000, podSelector: { app: "storefront" }, calls: ["catalog"] },
    ],
    routes: [
        {
            name: "catalog",
            namespace: "shop",
            rules: [
                {
                    match: { pathPrefix: "/", headers: [{ name: "x-canary", exact: "always" }] },
                    targets: [{ service: "catalog-v2", weight: 100 }],
                    timeout: "1m30s",
                },
                {
                    targets: [
                        { service: "catalog-v1", weight: 90 },
                        { service: "catalog-v2", weight: 10 },
                    ],
                    timeout: "15s",
                    retries: { maxRetries: 2, perTryTimeout: "500ms" },
                },
            ],
            iamAuth: { allowedPrincipals: ["arn:aws:iam::111122223333:role/storefront"] },
        },
    ],
};

function declaration(backend: "lattice" | "appmesh", extra: Record<string, unknown> = {}): MeshSettings {
    return meshSettingsSchema.parse({ backend, ...DECLARATION, ...extra });
}

function only(rendered: RenderedMesh, kind: string, name?: string): KubeObject {
    const found = rendered.objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
    assert.equal(found.length, 1, `expected one ${kind}${name ? ` ${name}` : ""}, found ${found.length}`);
    return found[0];
}

/** Every object the renderer emits, checked strictly against the schemas the plan uses (tools/schemas). */
async function assertConformsToCrds(rendered: RenderedMesh): Promise<void> {
    assert.ok(rendered.objects.length > 0);
    const planned = rendered.objects.map((object) => {
        const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["core", object.apiVersion];
        const type = `kubernetes:${group}/${version}:${object.kind}`;
        const urn = `urn:pulumi:test::eks-platform::${type}::${object.metadata.namespace ?? ""}/${object.metadata.name}`;
        return { urn, type, name: object.metadata.name, id: "", custom: true, parent: null, dependsOn: [], provider: null, options: { protect: false, retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false }, props: { ...object } };
    });
    const findings = await validateKubernetesObjects(planned, "1.35");
    assert.deepEqual(findings.map((f) => `${f.kind} ${f.urn.split("::").pop()}${f.path}: ${f.message}`), []);
}

describe("Mesh durations", () => {
    it("parses Gateway API durations to milliseconds and App Mesh units", () => {
        assert.equal(parseDuration("15s"), 15_000);
        assert.equal(parseDuration("500ms"), 500);
        assert.equal(parseDuration("1m30s"), 90_000);
        assert.equal(parseDuration("1h"), 3_600_000);
        assert.equal(parseDuration("1.5s"), undefined);
        assert.equal(parseDuration("15"), undefined);
        assert.equal(parseDuration("123456s"), undefined);
        assert.deepEqual(appMeshDuration(90_000), { unit: "s", value: 90 });
        assert.deepEqual(appMeshDuration(1_500), { unit: "ms", value: 1_500 });
    });
});

describe("Mesh declaration on the lattice backend", () => {
    const rendered = renderLattice(declaration("lattice"), { meshName: "platform-dev", gatewayNamespace: "platform-system", kubernetesVersion: "1.35" });

    it("renders objects that conform to the Gateway API v1.5.0 and Lattice controller v2.1.3 CRD schemas", async () => {
        await assertConformsToCrds(rendered);
    });

    it("binds a GatewayClass to the AWS controller and names the Gateway after the service network", () => {
        assert.deepEqual(only(rendered, "GatewayClass").spec, { controllerName: LATTICE_CONTROLLER_NAME });
        const gateway = only(rendered, "Gateway");
        assert.equal(gateway.apiVersion, "gateway.networking.k8s.io/v1");
        assert.equal(gateway.metadata.name, "platform-dev");
        assert.deepEqual(gateway.spec, {
            gatewayClassName: "amazon-vpc-lattice",
            listeners: [{ name: "http", protocol: "HTTP", port: 80, allowedRoutes: { namespaces: { from: "Selector", selector: { matchLabels: { "eks-platform/mesh": "platform-dev" } } } } }],
        });
    });

    it("renders the route as an HTTPRoute with ordered rules, exact header matches and weighted Service backends", () => {
        const route = only(rendered, "HTTPRoute", "catalog");
        assert.equal(route.apiVersion, "gateway.networking.k8s.io/v1");
        assert.equal(route.metadata.namespace, "shop");
        assert.deepEqual(route.spec, {
            parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "platform-dev", namespace: "platform-system", sectionName: "http" }],
            rules: [
                {
                    matches: [{ path: { type: "PathPrefix", value: "/" }, headers: [{ type: "Exact", name: "x-canary", value: "always" }] }],
                    backendRefs: [{ group: "", kind: "Service", name: "catalog-v2", port: 8080, weight: 100 }],
                },
                {
                    matches: [{ path: { type: "PathPrefix", value: "/" } }],
                    backendRefs: [
                        { group: "", kind: "Service", name: "catalog-v1", port: 8080, weight: 90 },
                        { group: "", kind: "Service", name: "catalog-v2", port: 8080, weight: 10 },
                    ],
                },
            ],
        });
    });

    it("puts each service's health check in a TargetGroupPolicy with the declared values and defaults", () => {
        const v1 = only(rendered, "TargetGroupPolicy", "catalog-v1");
        assert.equal(v1.apiVersion, "application-networking.k8s.aws/v1alpha1");
        assert.deepEqual(v1.spec, {
            targetRef: { group: "", kind: "Service", name: "catalog-v1" },
            protocol: "HTTP",
            protocolVersion: "HTTP1",
            healthCheck: { enabled: true, path: "/ready", protocol: "HTTP", protocolVersion: "HTTP1", intervalSeconds: 15, timeoutSeconds: 3, healthyThresholdCount: 3, unhealthyThresholdCount: 2 },
        });
        const v2 = only(rendered, "TargetGroupPolicy", "catalog-v2");
        assert.equal((v2.spec.healthCheck as Record<string, unknown>).path, "/healthz");
        assert.equal(rendered.objects.filter((o) => o.kind === "TargetGroupPolicy").length, 3);
    });

    it("attaches an IAM auth policy allowing only the declared principals to invoke the route", () => {
        const policy = only(rendered, "IAMAuthPolicy", "catalog");
        assert.deepEqual(policy.spec.targetRef, { group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "catalog", namespace: "shop" });
        assert.deepEqual(JSON.parse(policy.spec.policy as string), {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { AWS: ["arn:aws:iam::111122223333:role/storefront"] }, Action: "vpc-lattice-svcs:Invoke", Resource: "*" }],
        });
    });

    it("never renders timeouts or retries, and names every one as unsupported", () => {
        const text = JSON.stringify(rendered.objects);
        assert.ok(!text.includes("timeouts") && !text.includes("retry"));
        assert.deepEqual(
            unsupportedFeatures(declaration("lattice")).map((f) => f.path),
            ["mesh.routes[0].rules[0].timeout", "mesh.routes[0].rules[1].timeout", "mesh.routes[0].rules[1].retries"],
        );
    });

    it("labels the declared namespaces as mesh members under the restricted Pod Security profile", () => {
        assert.deepEqual(
            rendered.namespaces.map((n) => n.name),
            ["shop", "web"],
        );
        for (const namespace of rendered.namespaces) {
            assert.equal(namespace.labels["eks-platform/mesh"], "platform-dev");
            assert.equal(namespace.labels["pod-security.kubernetes.io/enforce"], "restricted");
            assert.equal(namespace.labels["pod-security.kubernetes.io/enforce-version"], "v1.35");
        }
    });
});

describe("Mesh declaration on the appmesh backend", () => {
    const rendered = renderAppMesh(declaration("appmesh"), { meshName: "platform-dev", kubernetesVersion: "1.35" });

    it("renders objects that conform to the appmesh.k8s.aws/v1beta2 CRD schemas of appmesh-controller 1.13.3", async () => {
        await assertConformsToCrds(rendered);
    });

    it("selects the member namespaces from the Mesh and turns on sidecar injection there", () => {
        const mesh = only(rendered, "Mesh");
        assert.equal(mesh.apiVersion, "appmesh.k8s.aws/v1beta2");
        assert.deepEqual(mesh.spec, { namespaceSelector: { matchLabels: { "eks-platform/mesh": "platform-dev" } }, egressFilter: { type: "ALLOW_ALL" } });
        for (const namespace of rendered.namespaces) {
            assert.equal(namespace.labels[SIDECAR_INJECTION_LABEL], "enabled");
            assert.equal(namespace.labels["eks-platform/mesh"], "platform-dev");
            // proxyinit adds NET_ADMIN: no profile below privileged admits the injected pods.
            assert.equal(namespace.labels["pod-security.kubernetes.io/enforce"], "privileged");
            assert.equal(namespace.labels["pod-security.kubernetes.io/warn"], "baseline");
        }
    });

    it("renders each service as a VirtualNode with DNS discovery, the health check in milliseconds and the longest inbound timeout", () => {
        const v1 = only(rendered, "VirtualNode", "catalog-v1");
        assert.deepEqual(v1.spec, {
            podSelector: { matchLabels: { "app.kubernetes.io/name": "catalog-v1" } },
            listeners: [
                {
                    portMapping: { port: 8080, protocol: "http" },
                    healthCheck: { protocol: "http", path: "/ready", port: 8080, intervalMillis: 15_000, timeoutMillis: 3_000, healthyThreshold: 3, unhealthyThreshold: 2 },
                    timeout: { http: { perRequest: { unit: "s", value: 15 } } },
                },
            ],
            serviceDiscovery: { dns: { hostname: "catalog-v1.shop.svc.cluster.local" } },
            backends: [],
        });
        // catalog-v2 takes the 90 s canary rule and the 15 s split: its listener allows the longer.
        const v2 = only(rendered, "VirtualNode", "catalog-v2");
        assert.deepEqual((v2.spec.listeners as { timeout: unknown }[])[0].timeout, { http: { perRequest: { unit: "s", value: 90 } } });
        const frontend = only(rendered, "VirtualNode", "frontend");
        assert.deepEqual(frontend.spec.podSelector, { matchLabels: { app: "storefront" } });
        assert.deepEqual(frontend.spec.backends, [{ virtualService: { virtualServiceRef: { name: "catalog", namespace: "shop" } } }]);
        assert.equal((frontend.spec.listeners as { timeout?: unknown }[])[0].timeout, undefined);
    });

    it("renders the route as a VirtualRouter with prioritised matches, weighted targets, retries and timeouts", () => {
        const router = only(rendered, "VirtualRouter", "catalog-router");
        assert.deepEqual(router.spec, {
            listeners: [{ portMapping: { port: 8080, protocol: "http" } }],
            routes: [
                {
                    name: "catalog-0",
                    priority: 0,
                    httpRoute: {
                        match: { prefix: "/", headers: [{ name: "x-canary", match: { exact: "always" } }] },
                        action: { weightedTargets: [{ virtualNodeRef: { name: "catalog-v2", namespace: "shop" }, weight: 100 }] },
                        timeout: { perRequest: { unit: "s", value: 90 } },
                    },
                },
                {
                    name: "catalog-1",
                    priority: 1,
                    httpRoute: {
                        match: { prefix: "/" },
                        action: {
                            weightedTargets: [
                                { virtualNodeRef: { name: "catalog-v1", namespace: "shop" }, weight: 90 },
                                { virtualNodeRef: { name: "catalog-v2", namespace: "shop" }, weight: 10 },
                            ],
                        },
                        retryPolicy: { maxRetries: 2, perRetryTimeout: { unit: "ms", value: 500 }, httpRetryEvents: ["server-error", "gateway-error"], tcpRetryEvents: ["connection-error"] },
                        timeout: { perRequest: { unit: "s", value: 15 } },
                    },
                },
            ],
        });
    });

    it("fronts the router with a VirtualService and a selector-less Service that gives its name DNS", () => {
        const service = only(rendered, "VirtualService", "catalog");
        assert.deepEqual(service.spec, { awsName: "catalog.shop.svc.cluster.local", provider: { virtualRouter: { virtualRouterRef: { name: "catalog-router", namespace: "shop" } } } });
        const dns = only(rendered, "Service", "catalog");
        assert.equal(dns.apiVersion, "v1");
        assert.deepEqual(dns.spec, { type: "ClusterIP", ports: [{ name: "http", port: 8080, targetPort: 8080, protocol: "TCP" }] });
    });

    it("names IAM auth as unsupported and renders nothing for it", () => {
        assert.deepEqual(
            unsupportedFeatures(declaration("appmesh")).map((f) => f.path),
            ["mesh.routes[0].iamAuth"],
        );
        assert.ok(!JSON.stringify(rendered.objects).includes("storefront\"]"));
        assert.ok(!rendered.objects.some((o) => o.kind.includes("Auth")));
    });
});

describe("Mesh declaration validation", () => {
    const problemsOf = (backend: "lattice" | "appmesh", extra: Record<string, unknown> = {}) => validateMesh(declaration(backend, extra), ["apps"]);

    it("accepts the declaration on either backend once unsupported features may be dropped with a warning", () => {
        assert.deepEqual(problemsOf("lattice", { onUnsupported: "warn" }), []);
        assert.deepEqual(problemsOf("appmesh", { onUnsupported: "warn" }), []);
    });

    it("rejects by default what the selected backend cannot apply, naming the setting and the way out", () => {
        const lattice = problemsOf("lattice");
        assert.deepEqual(
            lattice.map((p) => p.path),
            ["mesh.routes[0].rules[0].timeout", "mesh.routes[0].rules[1].timeout", "mesh.routes[0].rules[1].retries"],
        );
        assert.match(lattice[0].message, /backend "lattice".*no per-request timeout.*mesh\.onUnsupported to "warn"/);
        const appmesh = problemsOf("appmesh");
        assert.deepEqual(
            appmesh.map((p) => p.path),
            ["mesh.routes[0].iamAuth"],
        );
        assert.match(appmesh[0].message, /use backend "lattice"/);
    });
});
