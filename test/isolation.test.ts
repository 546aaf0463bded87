import { strict as assert } from "assert";
import { declaredAllows, platformAllows } from "../components/cluster/isolation";
import { clusterSettingsSchema } from "../components/cluster/settings";
import { appMeshDataPlaneAllows, latticeDataPlaneAllows } from "../components/mesh/isolation";
import { meshSettingsSchema } from "../components/mesh/settings";
import { evaluate } from "../policy-pack/evaluate";
import type { PlannedResource } from "../tools/harness/render";
import { validateKubernetesObjects } from "../tools/schemas/validate";
import { configErrorOf, ofType, parseStackWith, renderAppMeshVariant, renderNamedStack, renderStackWith, STACKS } from "./support";

const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

interface Policy {
    metadata: { name: string; namespace: string };
    spec: Record<string, unknown>;
}

function policiesIn(resources: PlannedResource[], namespace: string): Map<string, Policy["spec"]> {
    return new Map(
        ofType(resources, NETWORK_POLICY)
            .map((resource) => resource.props as unknown as Policy)
            .filter((policy) => policy.metadata.namespace === namespace)
            .map((policy) => [policy.metadata.name, policy.spec]),
    );
}

const isolation = (settings: unknown) => clusterSettingsSchema.parse({ namespaceIsolation: settings }).namespaceIsolation;

const renderAppMesh = renderAppMeshVariant;

describe("Namespaces isolated by default", () => {
    describe("the platform's allows and the declared ones (pure)", () => {
        it("admits the scrapers' namespaces (on every port unless metricsPorts lists some) and the VPC's primary CIDR", () => {
            const allows = platformAllows(isolation({}), "10.20.0.0/16");
            assert.deepEqual(allows, [
                {
                    name: "allow-metrics-scraping",
                    spec: {
                        podSelector: {},
                        policyTypes: ["Ingress"],
                        ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "amazon-cloudwatch" } } }] }],
                    },
                },
                {
                    name: "allow-load-balancer-targets",
                    spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "10.20.0.0/16" } }] }] },
                },
            ]);
            const narrowed = platformAllows(isolation({ metricsPorts: [9090], loadBalancerTargets: false }), "10.20.0.0/16");
            assert.deepEqual(
                narrowed.map((allow) => [allow.name, (allow.spec.ingress as { ports?: unknown }[])[0].ports]),
                [["allow-metrics-scraping", [{ protocol: "TCP", port: 9090 }]]],
            );
            assert.deepEqual(platformAllows(isolation({ metricsScrapers: [], loadBalancerTargets: false }), "10.20.0.0/16"), []);
        });

        it("turns a declared allow into one NetworkPolicy of its namespace, in its direction", () => {
            const settings = isolation({
                allows: [
                    {
                        namespace: "apps",
                        name: "allow-orders-db",
                        direction: "egress",
                        podLabels: { app: "orders" },
                        peers: [{ cidr: "10.30.0.0/16" }],
                        ports: [{ port: 5432 }],
                    },
                    {
                        namespace: "apps",
                        name: "allow-from-web",
                        direction: "ingress",
                        peers: [{ namespace: "web", podLabels: { app: "storefront" } }, { podLabels: { app: "worker" } }],
                    },
                    { namespace: "other", name: "allow-x", direction: "ingress", peers: [{ namespace: "web" }] },
                ],
            });
            assert.deepEqual(declaredAllows(settings, "apps"), [
                {
                    name: "allow-orders-db",
                    spec: {
                        podSelector: { matchLabels: { app: "orders" } },
                        policyTypes: ["Egress"],
                        egress: [{ to: [{ ipBlock: { cidr: "10.30.0.0/16" } }], ports: [{ protocol: "TCP", port: 5432 }] }],
                    },
                },
                {
                    name: "allow-from-web",
                    spec: {
                        podSelector: {},
                        policyTypes: ["Ingress"],
                        ingress: [
                            {
                                from: [
                                    {
                                        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "web" } },
                                        podSelector: { matchLabels: { app: "storefront" } },
                                    },
                                    { podSelector: { matchLabels: { app: "worker" } } },
                                ],
                            },
                        ],
                    },
                },
            ]);
        });

        it("opens the Lattice data plane to the prefix lists' addresses on the namespace's service ports, and the listener to every pod", () => {
            const mesh = meshSettingsSchema.parse({
                backend: "lattice",
                services: [
                    { name: "catalog", namespace: "shop", port: 8080 },
                    { name: "storefront", namespace: "shop", port: 3000 },
                    { name: "web", namespace: "web", port: 8080 },
                ],
                routes: [{ name: "catalog", namespace: "shop", rules: [{ targets: [{ service: "catalog", weight: 100 }] }] }],
            });
            const allows = latticeDataPlaneAllows(mesh, "shop", ["169.254.171.0/24"]);
            assert.deepEqual(
                allows.map((allow) => allow.name),
                ["allow-vpc-lattice-ingress", "allow-vpc-lattice-egress"],
            );
            const ingress = (allows[0].spec.ingress as { ports: unknown }[])[0];
            assert.deepEqual(ingress.ports, [
                { protocol: "TCP", port: 3000 },
                { protocol: "TCP", port: 8080 },
            ]);
            assert.deepEqual((allows[1].spec.egress as { ports: unknown }[])[0].ports, [{ protocol: "TCP", port: 80 }]);
            // A namespace holding only routes receives nothing from Lattice, and still calls it.
            assert.deepEqual(
                latticeDataPlaneAllows(mesh, "routes-only", ["169.254.171.0/24"]).map((allow) => allow.name),
                ["allow-vpc-lattice-egress"],
            );
        });

        it("opens the App Mesh data plane between the mesh's namespaces on service ports, callers only, and Envoy's control plane on 443", () => {
            const mesh = meshSettingsSchema.parse({
                backend: "appmesh",
                services: [
                    { name: "catalog", namespace: "shop", port: 8080 },
                    { name: "storefront", namespace: "web", port: 3000, calls: ["catalog"] },
                ],
                routes: [{ name: "catalog", namespace: "shop", rules: [{ targets: [{ service: "catalog", weight: 100 }] }] }],
            });
            const shop = appMeshDataPlaneAllows(mesh, "shop", "m");
            assert.deepEqual(
                shop.map((allow) => allow.name),
                ["allow-app-mesh-envoy", "allow-app-mesh-ingress"],
            );
            assert.deepEqual(shop[1].spec.ingress, [
                { from: [{ namespaceSelector: { matchLabels: { "eks-platform/mesh": "m" } } }], ports: [{ protocol: "TCP", port: 8080 }] },
            ]);
            const web = appMeshDataPlaneAllows(mesh, "web", "m");
            assert.deepEqual(
                web.map((allow) => allow.name),
                ["allow-app-mesh-envoy", "allow-app-mesh-ingress", "allow-app-mesh-egress"],
            );
            assert.deepEqual((web[2].spec.egress as { ports: unknown }[])[0].ports, [
                { protocol: "TCP", port: 3000 },
                { protocol: "TCP", port: 8080 },
            ]);
        });
    });

    describe("validation", () => {
        it("accepts the defaults of every shipped stack", () => {
            for (const stack of STACKS) {
                assert.deepEqual(parseStackWith(stack).cluster.namespaceIsolation.allows, []);
            }
        });

        it("refuses an allow for a namespace the platform does not isolate, a reused or platform name, and a malformed peer", async () => {
            const message = await configErrorOf("dev", {
                "eks-platform:cluster": {
                    namespaceIsolation: {
                        allows: [
                            { namespace: "kube-system", name: "allow-a", direction: "ingress", peers: [{ namespace: "web" }] },
                            { namespace: "apps", name: "allow-dns", direction: "egress", peers: [{ cidr: "10.30.0.0/16" }] },
                            {
                                namespace: "apps",
                                name: "allow-b",
                                direction: "egress",
                                peers: [{ cidr: "10.30.0.1/16" }, { cidr: "10.0.0.0/8", namespace: "web" }, {}],
                            },
                            { namespace: "apps", name: "allow-b", direction: "egress", peers: [{ cidr: "10.30.0.0/16" }] },
                        ],
                    },
                },
            });
            const expected = [
                /allows\[0\]\.namespace = "kube-system": is not an application namespace \(applicationNamespaces: apps\)/,
                /allows\[1\]\.name = "allow-dns": is a policy the platform puts in every application namespace/,
                /allows\[2\]\.peers\[0\]\.cidr = "10\.30\.0\.1\/16": is not an IPv4 CIDR in network form/,
                /allows\[2\]\.peers\[1\] = .*: names both an address range and pods/,
                /allows\[2\]\.peers\[2\] = \{\}: names nobody/,
                /allows\[3\]\.name = "allow-b": is declared twice in namespace apps/,
            ];
            for (const pattern of expected) {
                assert.match(message, pattern);
            }
            assert.match(
                await configErrorOf("dev", {
                    "eks-platform:cluster": { namespaceIsolation: { allows: [{ namespace: "apps", name: "x", direction: "egress", peers: [] }] } },
                }),
                /peers/,
            );
        });
    });

    describe("what the stacks render", () => {
        for (const stack of STACKS) {
            it(`${stack}: every application and mesh namespace is default-deny both ways with DNS, scraping and load balancer allows, and passes the guardrail with no mesh exemption`, async () => {
                const rendered = await renderNamedStack(stack);
                const { resources, program } = rendered;
                const meshNamespaces = [...new Set(program.config.mesh.services.map((service) => service.namespace))];
                for (const namespace of [...program.config.cluster.applicationNamespaces, ...meshNamespaces]) {
                    const policies = policiesIn(resources, namespace);
                    assert.deepEqual(policies.get("default-deny"), { podSelector: {}, policyTypes: ["Ingress", "Egress"] }, `${stack} ${namespace}`);
                    for (const name of ["allow-dns", "allow-metrics-scraping", "allow-load-balancer-targets"]) {
                        assert.ok(policies.has(name), `${stack} ${namespace} lacks ${name}`);
                    }
                    const lb = policies.get("allow-load-balancer-targets") as { ingress: { from: { ipBlock: { cidr: string } }[] }[] };
                    assert.equal(lb.ingress[0].from[0].ipBlock.cidr, program.config.network.vpcCidr);
                }
                for (const namespace of meshNamespaces) {
                    assert.ok(policiesIn(resources, namespace).has("allow-vpc-lattice-ingress"), `${stack} ${namespace}`);
                }
                const violations = await evaluate(resources, { stack });
                assert.deepEqual(
                    violations.filter((v) => v.policy === "namespace-default-deny-network-policy").map((v) => v.message),
                    [],
                );
                assert.deepEqual(await validateKubernetesObjects(ofType(resources, NETWORK_POLICY), program.config.cluster.kubernetesVersion), []);
            });
        }

        it("renders a declared allow in its namespace after the namespace", async () => {
            const { resources } = await renderStackWith("dev", {
                "eks-platform:cluster": {
                    namespaceIsolation: {
                        allows: [
                            { namespace: "apps", name: "allow-orders-db", direction: "egress", peers: [{ cidr: "10.30.0.0/16" }], ports: [{ port: 5432 }] },
                        ],
                    },
                },
            });
            const policy = ofType(resources, NETWORK_POLICY).find((r) => (r.props as unknown as Policy).metadata.name === "allow-orders-db");
            assert.ok(policy);
            assert.equal((policy.props as unknown as Policy).metadata.namespace, "apps");
            const namespace = ofType(resources, "kubernetes:core/v1:Namespace").find((r) => (r.props.metadata as { name: string }).name === "apps")!;
            assert.ok(policy.dependsOn.includes(namespace.urn));
        });

        it("isolates App Mesh namespaces too, with the Envoy and mesh allows", async () => {
            const { resources } = await renderAppMesh();
            const shop = policiesIn(resources, "shop");
            for (const name of ["default-deny", "allow-dns", "allow-app-mesh-envoy", "allow-app-mesh-ingress", "allow-app-mesh-egress"]) {
                assert.ok(shop.has(name), name);
            }
            const violations = await evaluate(resources, { stack: "dev" });
            assert.deepEqual(
                violations.filter((v) => v.policy === "namespace-default-deny-network-policy"),
                [],
            );
        });
    });
});
