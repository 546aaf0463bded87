import { strict as assert } from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { renderAppMesh, SIDECAR_INJECTION_LABEL } from "../components/mesh/appmesh";
import { appMeshDuration, parseDuration } from "../components/mesh/duration";
import type { KubeObject, RenderedMesh } from "../components/mesh/kube";
import { LATTICE_CONTROLLER_NAME, renderLattice } from "../components/mesh/lattice";
import { meshSettingsSchema, MeshSettings } from "../components/mesh/settings";
import { unsupportedFeatures, validateMesh } from "../components/mesh/validate";
import { PlannedResource, readStackFile, renderStack, ROOT } from "../tools/harness/render";
import {
    configErrorOf,
    ofType,
    schemaFindingsOf,
    oneOfType,
    physicalName,
    renderNamedStack,
    renderPlatformStackFile,
    renderStackWith,
    STACKS,
} from "./support";

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
    assert.deepEqual(await schemaFindingsOf(rendered.objects), []);
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
            listeners: [
                {
                    name: "http",
                    protocol: "HTTP",
                    port: 80,
                    allowedRoutes: { namespaces: { from: "Selector", selector: { matchLabels: { "eks-platform/mesh": "platform-dev" } } } },
                },
            ],
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
            healthCheck: {
                enabled: true,
                path: "/ready",
                protocol: "HTTP",
                protocolVersion: "HTTP1",
                intervalSeconds: 15,
                timeoutSeconds: 3,
                healthyThresholdCount: 3,
                unhealthyThresholdCount: 2,
            },
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
            Statement: [
                { Effect: "Allow", Principal: { AWS: ["arn:aws:iam::111122223333:role/storefront"] }, Action: "vpc-lattice-svcs:Invoke", Resource: "*" },
            ],
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
                    healthCheck: {
                        protocol: "http",
                        path: "/ready",
                        port: 8080,
                        intervalMillis: 15_000,
                        timeoutMillis: 3_000,
                        healthyThreshold: 3,
                        unhealthyThreshold: 2,
                    },
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
                        retryPolicy: {
                            maxRetries: 2,
                            perRetryTimeout: { unit: "ms", value: 500 },
                            httpRetryEvents: ["server-error", "gateway-error"],
                            tcpRetryEvents: ["connection-error"],
                        },
                        timeout: { perRequest: { unit: "s", value: 15 } },
                    },
                },
            ],
        });
    });

    it("fronts the router with a VirtualService and a selector-less Service that gives its name DNS", () => {
        const service = only(rendered, "VirtualService", "catalog");
        assert.deepEqual(service.spec, {
            awsName: "catalog.shop.svc.cluster.local",
            provider: { virtualRouter: { virtualRouterRef: { name: "catalog-router", namespace: "shop" } } },
        });
        const dns = only(rendered, "Service", "catalog");
        assert.equal(dns.apiVersion, "v1");
        assert.deepEqual(dns.spec, { type: "ClusterIP", ports: [{ name: "http", port: 8080, targetPort: 8080, protocol: "TCP" }] });
    });

    it("names IAM auth as unsupported and renders nothing for it", () => {
        assert.deepEqual(
            unsupportedFeatures(declaration("appmesh")).map((f) => f.path),
            ["mesh.routes[0].iamAuth"],
        );
        assert.ok(!JSON.stringify(rendered.objects).includes('storefront"]'));
        assert.ok(!rendered.objects.some((o) => o.kind.includes("Auth")));
    });
});

describe("Mesh declaration validation", () => {
    const problemsOf = (backend: "lattice" | "appmesh", extra: Record<string, unknown> = {}) => validateMesh(declaration(backend, extra), ["apps"], true);

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

type Props = Record<string, unknown>;
const CHART = "kubernetes:helm.sh/v4:Chart";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EXAMPLE = path.join(ROOT, "examples", "Pulumi.appmesh-demo.yaml");

function customResources(resources: PlannedResource[], kind: string): PlannedResource[] {
    return resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && r.type.endsWith(`:${kind}`));
}

function specOf(resource: PlannedResource): Props {
    return resource.props.spec as Props;
}

/** The role an IrsaRole created, its trust policy and its inline policy. */
function irsa(resources: PlannedResource[], namePart: string) {
    const role = oneOfType(resources, "aws:iam/role:Role", namePart);
    const inline = oneOfType(resources, "aws:iam/rolePolicy:RolePolicy", namePart);
    return { role, trust: JSON.parse(String(role.props.assumeRolePolicy)), policy: JSON.parse(String(inline.props.policy)) };
}

describe("Mesh component on VPC Lattice, per environment", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            it("installs the pinned Gateway API CRDs, then the pinned controller chart with its IRSA role in platform-system", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const crds = oneOfType(resources, "kubernetes:yaml/v2:ConfigFile", "gateway-api-crds");
                assert.match(
                    String(crds.props.file),
                    /^https:\/\/github\.com\/kubernetes-sigs\/gateway-api\/releases\/download\/v\d+\.\d+\.\d+\/standard-install\.yaml$/,
                );
                const chart = oneOfType(resources, CHART, "gateway-controller");
                assert.equal(chart.props.chart, "oci://public.ecr.aws/aws-application-networking-k8s/aws-gateway-controller-chart");
                assert.equal(chart.props.namespace, "platform-system");
                assert.ok(chart.dependsOn.includes(crds.urn), "chart before its CRDs");
                const { role, trust } = irsa(resources, "gateway-controller");
                const values = chart.props.values as Props;
                assert.deepEqual(values.serviceAccount, {
                    create: true,
                    name: "gateway-api-controller",
                    annotations: { "eks.amazonaws.com/role-arn": `arn:aws:iam::111122223333:role/${physicalName(role)}` },
                });
                assert.equal(values.awsRegion, program.config.region);
                assert.equal(values.awsAccountId, "111122223333");
                assert.equal(values.clusterName, program.config.clusterName);
                assert.match(String(values.clusterVpcId), /vpc/);
                const condition = trust.Statement[0].Condition.StringEquals as Record<string, string>;
                assert.ok(
                    Object.entries(condition).some(
                        ([key, value]) => key.endsWith(":sub") && value === "system:serviceaccount:platform-system:gateway-api-controller",
                    ),
                );
            });

            it("grants the controller Lattice in its region and only the Lattice service-linked role in IAM", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const { policy } = irsa(resources, "gateway-controller");
                const statements = policy.Statement as {
                    Action: string | string[];
                    Resource: string | string[];
                    Condition?: Record<string, Record<string, string>>;
                }[];
                const actions = statements.flatMap((s) => [s.Action].flat());
                assert.ok(actions.includes("vpc-lattice:*"));
                assert.ok(
                    !actions.some((a) => a.startsWith("logs:") || a.startsWith("s3:") || a.startsWith("firehose:")),
                    "no access-log permissions without AccessLogPolicies",
                );
                for (const statement of statements) {
                    if ([statement.Action].flat().some((a) => a.startsWith("iam:"))) {
                        assert.equal(
                            statement.Resource,
                            "arn:aws:iam::111122223333:role/aws-service-role/vpc-lattice.amazonaws.com/AWSServiceRoleForVpcLattice",
                        );
                    } else if (statement.Resource === "*") {
                        assert.equal(statement.Condition?.StringEquals["aws:RequestedRegion"], program.config.region);
                    } else {
                        assert.equal(statement.Resource, `arn:aws:vpc-lattice:${program.config.region}:111122223333:*`);
                    }
                }
            });

            it("owns the service network named after the Gateway and associates it with the cluster VPC", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const network = oneOfType(resources, "aws:vpclattice/serviceNetwork:ServiceNetwork");
                assert.equal(network.props.name, program.config.clusterName);
                const association = oneOfType(resources, "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation");
                assert.equal(association.props.vpcIdentifier, await valueOf(program.platform.network.vpcId));
                const gateway = customResources(resources, "Gateway")[0];
                assert.equal((gateway.props.metadata as Props).name, network.props.name);
                assert.ok(gateway.dependsOn.includes(association.urn), "Gateway before the service network is in the VPC");
            });

            it("admits both VPC Lattice prefix lists to the node security group on exactly the service ports", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const nodeGroupId = await valueOf(program.platform.cluster.nodeSecurityGroupId);
                const rules = ofType(resources, INGRESS).filter((r) => r.props.prefixListId !== undefined);
                const ports = [...new Set(program.config.mesh.services.map((s) => s.port))].sort();
                assert.equal(rules.length, ports.length * 2);
                for (const rule of rules) {
                    assert.equal(rule.props.securityGroupId, nodeGroupId);
                    assert.equal(rule.props.ipProtocol, "tcp");
                    assert.equal(rule.props.fromPort, rule.props.toPort);
                    assert.match(String(rule.props.prefixListId), /^pl-0[0-9a-f]{16}$/);
                }
                assert.deepEqual([...new Set(rules.map((r) => r.props.fromPort))].sort(), ports);
                assert.equal(new Set(rules.map((r) => r.props.prefixListId)).size, 2, "IPv4 and IPv6 lists");
            });

            it("creates the declared objects as they render, with the cluster's provider, after the controller and their namespace", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const chart = oneOfType(resources, CHART, "gateway-controller");
                const expected = renderLattice(program.config.mesh, {
                    meshName: program.config.clusterName,
                    gatewayNamespace: "platform-system",
                    kubernetesVersion: program.platform.cluster.kubernetesVersion,
                });
                const kubeProvider = chart.provider;
                assert.ok(kubeProvider);
                for (const object of expected.objects) {
                    const found = customResources(resources, object.kind).filter((r) => (r.props.metadata as Props).name === object.metadata.name);
                    assert.equal(found.length, 1, `${object.kind} ${object.metadata.name}`);
                    assert.deepEqual(found[0].props.spec, object.spec);
                    assert.equal(found[0].provider, kubeProvider);
                    assert.ok(found[0].dependsOn.includes(chart.urn), `${object.kind} after the controller`);
                }
                const shop = ofType(resources, "kubernetes:core/v1:Namespace").find((n) => (n.props.metadata as Props).name === "shop");
                assert.ok(shop);
                assert.equal(((shop.props.metadata as Props).labels as Record<string, string>)["eks-platform/mesh"], program.config.clusterName);
                const route = customResources(resources, "HTTPRoute")[0];
                assert.ok(route.dependsOn.includes(shop.urn));
                assert.deepEqual(
                    ((specOf(route).rules as Props[])[1].backendRefs as Props[]).map((b) => [b.name, b.weight]),
                    [
                        ["catalog-v1", 90],
                        ["catalog-v2", 10],
                    ],
                );
                assert.equal(customResources(resources, "IAMAuthPolicy").length, stack === "dev" ? 0 : 1);
            });
        });
    }
});

describe("Mesh component on App Mesh (examples/Pulumi.appmesh-demo.yaml)", () => {
    const example = () => renderPlatformStackFile(EXAMPLE);

    it("installs the pinned appmesh-controller chart from eks-charts with its IRSA role, in a baseline namespace", async () => {
        const { resources } = await example();
        const chart = oneOfType(resources, CHART, "appmesh-controller");
        assert.equal(chart.props.chart, "appmesh-controller");
        assert.deepEqual(chart.props.repositoryOpts, { repo: "https://aws.github.io/eks-charts" });
        assert.equal(chart.props.namespace, "appmesh-system");
        assert.notEqual(chart.props.skipCrds, true, "the chart's crds/ carry the App Mesh CRDs");
        const { role, trust } = irsa(resources, "appmesh-controller");
        assert.equal(
            ((chart.props.values as Props).serviceAccount as Props).annotations &&
                (((chart.props.values as Props).serviceAccount as Props).annotations as Props)["eks.amazonaws.com/role-arn"],
            `arn:aws:iam::111122223333:role/${physicalName(role)}`,
        );
        assert.ok(Object.values(trust.Statement[0].Condition.StringEquals).includes("system:serviceaccount:appmesh-system:appmesh-controller"));
        const namespace = ofType(resources, "kubernetes:core/v1:Namespace").find((n) => (n.props.metadata as Props).name === "appmesh-system");
        assert.equal(((namespace?.props.metadata as Props).labels as Record<string, string>)["pod-security.kubernetes.io/enforce"], "baseline");
        assert.ok(chart.dependsOn.includes(String(namespace?.urn)));
    });

    it("scopes the controller to its mesh, without Cloud Map, and gives Envoy a policy for the mesh's virtual nodes", async () => {
        const { resources, program } = await example();
        const mesh = `arn:aws:appmesh:${program.config.region}:111122223333:mesh/${program.config.clusterName}`;
        const { policy } = irsa(resources, "appmesh-controller");
        const statements = policy.Statement as { Action: string | string[]; Resource: string | string[] }[];
        for (const statement of statements) {
            const actions = [statement.Action].flat();
            assert.ok(!actions.some((a) => a.startsWith("servicediscovery:") || a.startsWith("route53:")));
            if (actions.some((a) => a.startsWith("appmesh:") && a !== "appmesh:ListMeshes")) {
                assert.deepEqual(statement.Resource, [mesh, `${mesh}/*`]);
            }
        }
        const envoy = oneOfType(resources, "aws:iam/policy:Policy", "envoy");
        assert.deepEqual(JSON.parse(String(envoy.props.policy)).Statement[0], {
            Sid: "StreamMeshConfig",
            Effect: "Allow",
            Action: "appmesh:StreamAggregatedResources",
            Resource: `${mesh}/virtualNode/*`,
        });
    });

    it("creates the Mesh first, then virtual nodes, routers and services as they render, and nothing of Lattice", async () => {
        const { resources, program } = await example();
        const meshObject = customResources(resources, "Mesh");
        assert.equal(meshObject.length, 1);
        const expected = renderAppMesh(program.config.mesh, {
            meshName: program.config.clusterName,
            kubernetesVersion: program.platform.cluster.kubernetesVersion,
        });
        for (const object of expected.objects.filter((o) => o.apiVersion === "appmesh.k8s.aws/v1beta2")) {
            const found = customResources(resources, object.kind).filter((r) => (r.props.metadata as Props).name === object.metadata.name);
            assert.equal(found.length, 1, `${object.kind} ${object.metadata.name}`);
            assert.deepEqual(found[0].props.spec, object.spec);
            if (object.kind !== "Mesh") {
                assert.ok(found[0].dependsOn.includes(meshObject[0].urn), `${object.kind} ${object.metadata.name} after the Mesh`);
            }
        }
        const router = customResources(resources, "VirtualRouter")[0];
        const split = (specOf(router).routes as Props[])[1].httpRoute as Props;
        assert.deepEqual(split.retryPolicy, {
            maxRetries: 2,
            perRetryTimeout: { unit: "s", value: 5 },
            httpRetryEvents: ["server-error", "gateway-error"],
            tcpRetryEvents: ["connection-error"],
        });
        assert.deepEqual(split.timeout, { perRequest: { unit: "s", value: 15 } });
        const dns = ofType(resources, "kubernetes:core/v1:Service").find((s) => (s.props.metadata as Props).name === "catalog");
        assert.ok(dns, "a Service gives the virtual service's name DNS");
        const shop = ofType(resources, "kubernetes:core/v1:Namespace").find((n) => (n.props.metadata as Props).name === "shop");
        assert.equal(((shop?.props.metadata as Props).labels as Record<string, string>)["appmesh.k8s.aws/sidecarInjectorWebhook"], "enabled");
        assert.equal(ofType(resources, "aws:vpclattice/serviceNetwork:ServiceNetwork").length, 0);
        assert.equal(ofType(resources, INGRESS).filter((r) => r.props.prefixListId !== undefined).length, 0);
        assert.equal(ofType(resources, "kubernetes:yaml/v2:ConfigFile").length, 0);
    });

    it("switches to Lattice with the one backend line, and Lattice names each timeout and retry it cannot apply", async () => {
        const source = readStackFile(EXAMPLE);
        const mesh = source.config["eks-platform:mesh"] as Props;
        const message = await renderStack({ ...source, config: { ...source.config, "eks-platform:mesh": { ...mesh, backend: "lattice" } } }).then(
            () => "rendered",
            (error: Error) => error.message,
        );
        assert.match(message, /mesh\.routes\[0\]\.rules\[0\]\.timeout = "15s": cannot be applied by backend "lattice"/);
        assert.match(message, /mesh\.routes\[0\]\.rules\[1\]\.retries = .*cannot be applied by backend "lattice"/);
        assert.match(message, /\(3 problems\)/);
        const { resources, program } = await renderStack({
            ...source,
            config: { ...source.config, "eks-platform:mesh": { ...mesh, backend: "lattice", onUnsupported: "warn" } },
        });
        assert.equal(program.platform.addOns.mesh?.unsupported.length, 3);
        assert.equal(customResources(resources, "HTTPRoute").length, 1);
        assert.ok(!JSON.stringify(customResources(resources, "HTTPRoute")[0].props).includes("timeouts"));
    });

    it("renders dev's declaration on App Mesh by changing the backend alone", async () => {
        const { resources } = await renderStackWith("dev", { "eks-platform:mesh": { backend: "appmesh" } });
        assert.equal(customResources(resources, "VirtualNode").length, 3);
        assert.equal(customResources(resources, "VirtualRouter").length, 1);
        assert.equal(customResources(resources, "HTTPRoute").length, 0);
    });
});

describe("Mesh configuration errors", () => {
    const mesh = (routes: unknown, extra: Props = {}) => ({
        "eks-platform:mesh": {
            services: [
                { name: "catalog-v1", namespace: "shop", port: 8080 },
                { name: "catalog-v2", namespace: "shop", port: 8080 },
            ],
            routes,
            ...extra,
        },
    });
    const route = (rule: Props) => [{ name: "catalog", namespace: "shop", rules: [rule] }];

    it("rejects weights that do not sum to 100", async () => {
        const message = await configErrorOf(
            "dev",
            mesh(
                route({
                    targets: [
                        { service: "catalog-v1", weight: 90 },
                        { service: "catalog-v2", weight: 5 },
                    ],
                }),
            ),
        );
        assert.match(message, /mesh\.routes\[0\]\.rules\[0\]\.targets = \["catalog-v1=90","catalog-v2=5"\]: weights sum to 95; they must sum to 100/);
    });

    it("rejects a route to an undeclared service, listing the declared ones", async () => {
        const message = await configErrorOf("dev", mesh(route({ targets: [{ service: "catalog-v3", weight: 100 }] })));
        assert.match(
            message,
            /mesh\.routes\[0\]\.rules\[0\]\.targets\[0\]\.service = "catalog-v3": is not a declared service in namespace shop \(declared there: catalog-v1, catalog-v2\)/,
        );
    });

    it("rejects timeouts that are not Go-style durations, or zero", async () => {
        const targets = [{ service: "catalog-v1", weight: 100 }];
        const extra = { backend: "appmesh" };
        assert.match(
            await configErrorOf("dev", mesh(route({ targets, timeout: "15" }), extra)),
            /rules\[0\]\.timeout = "15": is not a duration: write whole numbers with units h, m, s or ms/,
        );
        assert.match(await configErrorOf("dev", mesh(route({ targets, timeout: "1.5s" }), extra)), /timeout = "1\.5s": is not a duration/);
        assert.match(await configErrorOf("dev", mesh(route({ targets, timeout: "0s" }), extra)), /timeout = "0s": must be longer than 0/);
        assert.match(
            await configErrorOf("dev", mesh(route({ targets, timeout: "2s", retries: { maxRetries: 2, perTryTimeout: "3s" } }), extra)),
            /retries\.perTryTimeout = "3s": is longer than the rule's timeout \(2s\)/,
        );
    });

    it("rejects path prefixes Gateway API refuses and a header matched twice", async () => {
        const targets = [{ service: "catalog-v1", weight: 100 }];
        assert.match(
            await configErrorOf("dev", mesh(route({ targets, match: { pathPrefix: "/a//b" } }))),
            /match\.pathPrefix = "\/a\/\/b": must not contain "\/\/"/,
        );
        const twice = {
            pathPrefix: "/",
            headers: [
                { name: "X-Canary", exact: "a" },
                { name: "x-canary", exact: "b" },
            ],
        };
        assert.match(
            await configErrorOf("dev", mesh(route({ targets, match: twice }))),
            /match\.headers\[1\]\.name = "x-canary": is matched twice in this rule/,
        );
    });

    it("rejects a rule that an earlier catch-all shadows", async () => {
        const message = await configErrorOf(
            "dev",
            mesh([
                {
                    name: "catalog",
                    namespace: "shop",
                    rules: [
                        { targets: [{ service: "catalog-v1", weight: 100 }] },
                        { match: { headers: [{ name: "x-canary", exact: "true" }] }, targets: [{ service: "catalog-v2", weight: 100 }] },
                    ],
                },
            ]),
        );
        assert.match(message, /mesh\.routes\[0\]\.rules\[1\]\.match = .*can never match: rules\[0\] comes first/);
    });

    it("rejects a declared mesh with backend none, and a namespace the cluster already creates", async () => {
        assert.match(
            await configErrorOf("dev", mesh([], { backend: "none" })),
            /mesh\.services = .*: is set, but mesh\.backend is "none", so the feature is off and this setting would be ignored: set mesh\.backend to another value/,
        );
        const message = await configErrorOf("dev", { "eks-platform:mesh": { services: [{ name: "api", namespace: "apps", port: 80 }] } });
        assert.match(message, /mesh\.services\[0\]\.namespace = "apps": is also listed in cluster\.applicationNamespaces/);
        assert.match(
            await configErrorOf("dev", { "eks-platform:mesh": { services: [{ name: "api", namespace: "kube-system", port: 80 }] } }),
            /is a system or platform namespace/,
        );
    });

    it("rejects unknown keys and IAM auth on App Mesh with the allowed alternatives", async () => {
        assert.match(
            await configErrorOf("dev", mesh(route({ targets: [{ service: "catalog-v1", weight: 100 }], retry: {} }))),
            /mesh\.routes\[0\]\.rules\[0\]\.retry = \{\}: is not a known setting; allowed here: match, targets, timeout, retries/,
        );
        const iam = [
            {
                name: "catalog",
                namespace: "shop",
                rules: [{ targets: [{ service: "catalog-v1", weight: 100 }] }],
                iamAuth: { allowedPrincipals: ["111122223333"] },
            },
        ];
        assert.match(
            await configErrorOf("dev", mesh(iam, { backend: "appmesh" })),
            /mesh\.routes\[0\]\.iamAuth = .*cannot be applied by backend "appmesh": App Mesh cannot authorize callers by IAM identity/,
        );
    });
});

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}
