import { strict as assert } from "assert";
import * as path from "path";
import { FLAGGER_PROVIDERS, renderCanaries } from "../components/mesh/canary";
import { renderAppMesh } from "../components/mesh/appmesh";
import { renderLattice } from "../components/mesh/lattice";
import { meshSettingsSchema, type MeshSettings } from "../components/mesh/settings";
import { validateMesh } from "../components/mesh/validate";
import * as fs from "fs";
import { toValidatorSchema } from "../tools/schemas/crdGenerate";
import { HELM_CHARTS } from "../components/versions";
import { type PlannedResource, ROOT } from "../tools/harness/render";
import { configErrorOf, ofType, oneOfType, renderNamedStack, renderPlatformStackFile, schemaFindingsOf } from "./support";

type Props = Record<string, unknown>;
const CANARY = "kubernetes:flagger.app/v1beta1:Canary";
const METRIC_TEMPLATE = "kubernetes:flagger.app/v1beta1:MetricTemplate";
const HTTP_ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
const TARGET_GROUP_POLICY = "kubernetes:application-networking.k8s.aws/v1alpha1:TargetGroupPolicy";
const APPMESH_EXAMPLE = path.join(ROOT, "examples", "Pulumi.appmesh-demo.yaml");

/** A shop with a route to a catalog, and a reviews service shipped by canary, which the storefront calls. */
function shop(backend: "lattice" | "appmesh", extra: Record<string, unknown> = {}): MeshSettings {
    return meshSettingsSchema.parse({
        backend,
        services: [
            { name: "catalog-v1", namespace: "shop", port: 8080 },
            { name: "reviews", namespace: "shop", port: 9090, healthCheck: { path: "/ready" } },
            { name: "storefront", namespace: "shop", port: 3000, calls: ["catalog", "reviews"] },
        ],
        routes: [{ name: "catalog", namespace: "shop", rules: [{ targets: [{ service: "catalog-v1", weight: 100 }] }] }],
        flagger: { enabled: true },
        canaries: [{ service: "reviews", namespace: "shop", stepWeight: 20, maxWeight: 60, metrics: { maxCpuOverLimitPercent: 80 } }],
        ...extra,
    });
}

const OPTIONS = { clusterName: "eks-platform-dev", region: "eu-west-1" };
const GATEWAY_REF = { group: "gateway.networking.k8s.io", kind: "Gateway", name: "mesh", namespace: "platform-system", sectionName: "http" };

function specOf(resource: PlannedResource | { spec: unknown }): Props {
    return ("props" in resource ? resource.props.spec : resource.spec) as Props;
}

describe("Progressive delivery: canaries rendered for Flagger", () => {
    it("renders a Canary on the Gateway API provider that attaches Flagger's HTTPRoute to the mesh Gateway", () => {
        const objects = renderCanaries(shop("lattice"), { backend: "lattice", gatewayRef: GATEWAY_REF, ...OPTIONS });
        assert.deepEqual(
            objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`),
            ["MetricTemplate shop/reviews-restarts", "MetricTemplate shop/reviews-cpu", "Canary shop/reviews"],
        );
        const spec = specOf(objects[2]);
        assert.equal(spec.provider, "gatewayapi:v1");
        assert.deepEqual(spec.targetRef, { apiVersion: "apps/v1", kind: "Deployment", name: "reviews" });
        assert.equal(spec.revertOnDeletion, true, "removing the canary hands the Deployment back serving");
        assert.deepEqual(spec.service, { name: "reviews", port: 9090, targetPort: 9090, gatewayRefs: [GATEWAY_REF] });
        const analysis = spec.analysis as Props;
        assert.deepEqual([analysis.interval, analysis.threshold, analysis.stepWeight, analysis.maxWeight], ["1m", 5, 20, 60]);
        assert.deepEqual(
            (analysis.metrics as Props[]).map((m) => [m.name, (m.templateRef as Props).name, (m.thresholdRange as Props).max]),
            [
                ["restarts", "reviews-restarts", 0],
                ["cpu", "reviews-cpu", 80],
            ],
        );
    });

    it("queries Container Insights for the canary Deployment's pods, per analysis interval, in the stack's region", () => {
        const objects = renderCanaries(
            shop("lattice", { canaries: [{ service: "reviews", namespace: "shop", targetDeployment: "reviews-api", intervalMinutes: 2 }] }),
            {
                backend: "lattice",
                gatewayRef: GATEWAY_REF,
                ...OPTIONS,
            },
        );
        const template = objects.find((o) => o.kind === "MetricTemplate")!;
        assert.deepEqual(specOf(template).provider, { type: "cloudwatch", region: "eu-west-1" });
        // Flagger unmarshals the query into GetMetricData's MetricDataQueries.
        const [query] = JSON.parse(String(specOf(template).query)) as Props[];
        const stat = query.MetricStat as { Metric: Props; Period: number; Stat: string };
        assert.equal(stat.Metric.Namespace, "ContainerInsights");
        assert.equal(stat.Metric.MetricName, "pod_number_of_container_restarts");
        assert.deepEqual(stat.Metric.Dimensions, [
            { Name: "ClusterName", Value: "eks-platform-dev" },
            { Name: "Namespace", Value: "shop" },
            { Name: "PodName", Value: "reviews-api" },
        ]);
        assert.deepEqual([stat.Period, stat.Stat], [120, "Maximum"]);
        assert.equal(objects.filter((o) => o.kind === "MetricTemplate").length, 1, "no CPU check unless maxCpuOverLimitPercent is set");
    });

    it("renders a Canary on the App Mesh provider, with the service's calls as its virtual nodes' backends", () => {
        const canary = renderCanaries(
            shop("appmesh", { services: [...shop("appmesh").services.slice(0, 1), { name: "reviews", namespace: "shop", port: 9090, calls: ["catalog"] }] }),
            {
                backend: "appmesh",
                ...OPTIONS,
            },
        ).find((o) => o.kind === "Canary")!;
        assert.equal(specOf(canary).provider, FLAGGER_PROVIDERS.appmesh);
        assert.deepEqual(specOf(canary).service, { name: "reviews", port: 9090, targetPort: 9090, backends: ["catalog"] });
    });

    it("leaves a canaried service's route to Flagger: health checks on Flagger's primary and canary Services, no virtual node", () => {
        const lattice = renderLattice(shop("lattice"), { meshName: "mesh", gatewayNamespace: "platform-system", kubernetesVersion: "1.35" });
        assert.deepEqual(
            lattice.objects.filter((o) => o.kind === "TargetGroupPolicy").map((o) => [o.metadata.name, (specOf(o).targetRef as Props).name]),
            [
                ["catalog-v1", "catalog-v1"],
                ["reviews-primary", "reviews-primary"],
                ["reviews-canary", "reviews-canary"],
                ["storefront", "storefront"],
            ],
        );
        assert.equal((specOf(lattice.objects.find((o) => o.metadata.name === "reviews-canary")!).healthCheck as Props).path, "/ready");
        assert.deepEqual(
            lattice.objects.filter((o) => o.kind === "HTTPRoute").map((o) => o.metadata.name),
            ["catalog"],
            "Flagger owns the HTTPRoute reviews",
        );
        const appmesh = renderAppMesh(shop("appmesh"), { meshName: "mesh", kubernetesVersion: "1.35" });
        assert.deepEqual(
            appmesh.objects.filter((o) => o.kind === "VirtualNode").map((o) => o.metadata.name),
            ["catalog-v1", "storefront"],
        );
        const storefront = appmesh.objects.find((o) => o.kind === "VirtualNode" && o.metadata.name === "storefront")!;
        assert.deepEqual(specOf(storefront).backends, [
            { virtualService: { virtualServiceRef: { name: "catalog", namespace: "shop" } } },
            { virtualService: { virtualServiceRef: { name: "reviews", namespace: "shop" } } },
        ]);
    });

    it("renders objects the Flagger v1.44.0 CRDs accept, strictly", async () => {
        const objects = [
            ...renderCanaries(shop("lattice"), { backend: "lattice", gatewayRef: GATEWAY_REF, ...OPTIONS }),
            ...renderCanaries(shop("appmesh"), { backend: "appmesh", ...OPTIONS }),
        ];
        assert.deepEqual(await schemaFindingsOf(objects), []);
        // The check is real: a provider Flagger does not know is a finding.
        const canary = objects[2];
        assert.match(
            (await schemaFindingsOf([{ ...canary, spec: { ...canary.spec, provider: "lattice" } }])).join("\n"),
            /^Canary shop\/reviews\/spec\/provider/,
        );
    });
});

describe("Progressive delivery: validation", () => {
    const problemsOf = (settings: MeshSettings, containerInsights = true) =>
        validateMesh(settings, [], containerInsights).map((p) => `${p.path}: ${p.message}`);

    it("accepts the shop on either backend", () => {
        assert.deepEqual(problemsOf(shop("lattice")), []);
        assert.deepEqual(problemsOf(shop("appmesh")), []);
    });

    it("refuses a canary for a service the mesh does not declare, naming those it does", () => {
        const problems = problemsOf(shop("lattice", { canaries: [{ service: "ratings", namespace: "shop" }] }));
        assert.deepEqual(problems, [
            "mesh.canaries[0].service: is not a declared service in namespace shop (declared there: catalog-v1, reviews, storefront); a canary shifts the requests of a service the mesh declares, so declare it under mesh.services",
            // reviews has no canary now, so the storefront's call to it resolves to nothing either.
            "mesh.services[2].calls[1]: is not a declared route or canaried service (routes: catalog; canaried services: ratings)",
        ]);
    });

    it("refuses canaries while Flagger is off", () => {
        assert.match(problemsOf(shop("lattice", { flagger: { enabled: false } })).join("\n"), /^mesh\.canaries: need Flagger.*mesh\.flagger\.enabled to true/);
    });

    it("refuses a step larger than the weight at which Flagger promotes", () => {
        const problems = problemsOf(shop("lattice", { canaries: [{ service: "reviews", namespace: "shop", stepWeight: 60, maxWeight: 50 }] }));
        assert.deepEqual(problems, [
            "mesh.canaries[0].stepWeight: is more than maxWeight (50); the first step would already pass the weight at which Flagger promotes: use at most 50",
        ]);
    });

    it("refuses a canary without the Container Insights metrics it is judged on", () => {
        assert.match(
            problemsOf(shop("lattice"), false).join("\n"),
            /^mesh\.canaries\[0\]: is judged on Container Insights metrics.*logging\.containerInsights\.enabled/,
        );
    });

    it("refuses a route that splits a canaried service's traffic itself, and a pod selector Flagger would ignore", () => {
        const settings = shop("lattice", {
            routes: [
                {
                    name: "catalog",
                    namespace: "shop",
                    rules: [
                        {
                            targets: [
                                { service: "catalog-v1", weight: 50 },
                                { service: "reviews-primary", weight: 50 },
                            ],
                        },
                    ],
                },
            ],
        });
        settings.services[1].podSelector = { app: "reviews" };
        assert.deepEqual(problemsOf(settings), [
            "mesh.services[1].podSelector: cannot be applied to a canaried service: Flagger selects the pods of reviews and reviews-primary by their app label itself; remove it",
            'mesh.routes[0].rules[0].targets[1].service: is the canaried service reviews (or one of Flagger\'s Services of it): Flagger owns its route and weights, so callers address "reviews" itself; remove this target',
        ]);
    });

    it("refuses a canaried service whose Lattice service name would be a route's", () => {
        const settings = shop("lattice", {
            services: [
                { name: "catalog-v1", namespace: "shop", port: 8080 },
                { name: "reviews-service-of-the-shop-a", namespace: "shop", port: 9090 },
            ],
            routes: [{ name: "reviews-service-of-the-shop-b", namespace: "shop", rules: [{ targets: [{ service: "catalog-v1", weight: 100 }] }] }],
            canaries: [{ service: "reviews-service-of-the-shop-a", namespace: "shop" }],
        });
        assert.match(
            problemsOf(settings).join("\n"),
            /mesh\.routes\[0\]\.name: shares its VPC Lattice service name "reviews-service-of-t-shop" with canaried service "reviews-service-of-the-shop-a"/,
        );
    });

    it("refuses, on App Mesh, a canaried service calling another namespace, which Flagger's backends cannot name", () => {
        const settings = shop("appmesh", {
            services: [
                { name: "catalog-v1", namespace: "catalog", port: 8080 },
                { name: "reviews", namespace: "shop", port: 9090, calls: ["catalog"] },
            ],
            routes: [{ name: "catalog", namespace: "catalog", rules: [{ targets: [{ service: "catalog-v1", weight: 100 }] }] }],
            canaries: [{ service: "reviews", namespace: "shop" }],
        });
        assert.match(problemsOf(settings).join("\n"), /^mesh\.services\[1\]\.calls\[0\]: is in namespace catalog, but reviews has a canary/);
    });

    it("refuses canaries through the stack parser: with the mesh off, with Flagger off, and weights out of range", async () => {
        const canary = { service: "catalog-v1", namespace: "shop" };
        assert.match(await configErrorOf("dev", { "eks-platform:mesh": { backend: "none", canaries: [canary] } }), /mesh\.canaries = .*backend/);
        assert.match(await configErrorOf("dev", { "eks-platform:mesh": { canaries: [canary] } }), /mesh\.canaries = .*need Flagger/);
        assert.match(
            await configErrorOf("dev", { "eks-platform:mesh": { flagger: { enabled: true }, canaries: [{ ...canary, maxWeight: 101 }] } }),
            /mesh\.canaries\[0\]\.maxWeight = 101: .*1 to 100/,
        );
    });
});

describe("Progressive delivery in the rendered stacks", () => {
    it("prod: Flagger from its pinned chart in the restricted controller namespace, on the Gateway API provider", async () => {
        const { resources } = await renderNamedStack("prod");
        const chart = oneOfType(resources, "kubernetes:helm.sh/v4:Chart", "flagger");
        assert.deepEqual(
            [chart.props.chart, chart.props.version, chart.props.namespace, chart.props.name],
            ["flagger", HELM_CHARTS.flagger.version, "platform-system", "flagger"],
        );
        assert.deepEqual(chart.props.repositoryOpts, { repo: "https://flagger.app" });
        const values = chart.props.values as Props;
        assert.equal(values.meshProvider, "gatewayapi:v1");
        assert.deepEqual((values.securityContext as Props).context, {
            readOnlyRootFilesystem: true,
            runAsUser: 10001,
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
        const canary = oneOfType(resources, CANARY, "reviews");
        assert.ok(canary.dependsOn.includes(chart.urn), "the Canary waits for Flagger's CRDs");
        assert.deepEqual((specOf(canary).service as Props).gatewayRefs, [
            { group: "gateway.networking.k8s.io", kind: "Gateway", name: "eks-platform-prod", namespace: "platform-system", sectionName: "http" },
        ]);
        assert.equal(ofType(resources, METRIC_TEMPLATE).length, 1);
        // Flagger owns the route of reviews; the platform renders only the catalog's, and health checks for Flagger's Services.
        assert.deepEqual(
            ofType(resources, HTTP_ROUTE).map((r) => (r.props.metadata as Props).name),
            ["catalog"],
        );
        const policies = ofType(resources, TARGET_GROUP_POLICY).map((r) => (r.props.metadata as Props).name);
        assert.ok(policies.includes("reviews-primary") && policies.includes("reviews-canary") && !policies.includes("reviews"), policies.join());
    });

    it("prod: declares what Flagger reaches, so a stack without NAT gets it: CloudWatch and STS endpoints, and its one image", async () => {
        const { program } = await renderNamedStack("prod");
        const flaggerServices = program.config.awsServices.filter((use) => use.reason.startsWith("Flagger")).map((use) => use.service);
        assert.deepEqual(flaggerServices, ["monitoring", "sts"]);
        const flaggerImages = program.config.images.filter((use) => use.chart?.key === "flagger").map((use) => use.repository);
        assert.deepEqual(flaggerImages, ["ghcr.io/fluxcd/flagger"], "not the chart's Prometheus image, which prometheus.install (off) would run");
    });

    it("prod: Flagger's role may only read CloudWatch metrics, in its region", async () => {
        const { resources, program } = await renderNamedStack("prod");
        const role = oneOfType(resources, "aws:iam/role:Role", "flagger");
        const trust = JSON.parse(String(role.props.assumeRolePolicy)) as { Statement: { Condition: { StringEquals: Record<string, string> } }[] };
        assert.ok(Object.values(trust.Statement[0].Condition.StringEquals).includes("system:serviceaccount:platform-system:flagger"));
        const policy = JSON.parse(String(oneOfType(resources, "aws:iam/rolePolicy:RolePolicy", "flagger").props.policy)) as { Statement: Props[] };
        assert.deepEqual(policy.Statement, [
            {
                Sid: "ReadCanaryMetrics",
                Effect: "Allow",
                Action: "cloudwatch:GetMetricData",
                Resource: "*",
                Condition: { StringEquals: { "aws:RequestedRegion": program.config.region } },
            },
        ]);
    });

    it("dev and staging run no Flagger", async () => {
        for (const stack of ["dev", "staging"]) {
            const { resources } = await renderNamedStack(stack);
            assert.equal(ofType(resources, CANARY).length, 0, stack);
            assert.ok(!ofType(resources, "kubernetes:helm.sh/v4:Chart").some((c) => c.props.chart === "flagger"), stack);
        }
    });

    it("the App Mesh example: a Canary on Flagger's App Mesh provider, and no virtual node of reviews from the platform", async () => {
        const { resources } = await renderPlatformStackFile(APPMESH_EXAMPLE);
        assert.equal(specOf(oneOfType(resources, CANARY, "reviews")).provider, "appmesh:v1beta2");
        assert.equal(
            oneOfType(resources, "kubernetes:helm.sh/v4:Chart", "flagger").props.values &&
                (oneOfType(resources, "kubernetes:helm.sh/v4:Chart", "flagger").props.values as Props).meshProvider,
            "appmesh:v1beta2",
        );
        const nodes = ofType(resources, "kubernetes:appmesh.k8s.aws/v1beta2:VirtualNode").map((r) => (r.props.metadata as Props).name);
        assert.ok(!nodes.includes("reviews") && nodes.includes("storefront"), nodes.join());
    });
});

describe("Progressive delivery: the Flagger CRD schemas", () => {
    it("are generated from the pinned chart's CRDs, with the kinds the platform renders", () => {
        const data = JSON.parse(fs.readFileSync(path.join(ROOT, "tools", "schemas", "data", "crds", "flagger.app_v1beta1.json"), "utf8")) as {
            source: { path: string; version: string };
            kinds: Record<string, unknown>;
        };
        assert.equal(data.source.path, "charts/flagger/crds/crd.yaml");
        assert.match(data.source.version, new RegExp(`^v${HELM_CHARTS.flagger.version.replace(/\./g, "\\.")} `));
        assert.deepEqual(Object.keys(data.kinds), ["AlertProvider", "Canary", "MetricTemplate"]);
    });

    it("read Kubernetes' int-or-string and branch-only `required` as the API server does", () => {
        assert.deepEqual(toValidatorSchema({ "x-kubernetes-int-or-string": true, description: "Container target port name" }), {
            anyOf: [{ type: "integer" }, { type: "string" }],
        });
        // A oneOf branch that only requires fields applies to objects.
        assert.deepEqual(toValidatorSchema({ oneOf: [{ required: ["interval", "stepWeight"] }] }), {
            oneOf: [{ required: ["interval", "stepWeight"], type: "object" }],
        });
        // `required` on an array (Flagger's service.mirror) never applies; Kubernetes ignores it.
        assert.deepEqual(toValidatorSchema({ type: "array", required: ["backendRef"], items: { type: "object" } }), {
            items: { type: "object" },
            type: "array",
        });
        assert.throws(() => toValidatorSchema({ type: "string", nullable: true }), /nullable is not supported/);
    });
});
