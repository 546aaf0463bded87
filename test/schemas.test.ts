import { strict as assert } from "assert";
import * as path from "path";
import { PlannedResource, ROOT } from "../tools/harness/render";
import { shippedCrdKinds, withUnknownFieldsForbidden } from "../tools/schemas/crdSchemas";
import { chartName } from "../tools/schemas/helmValues";
import { objectIdentity, schemaFindingsFor, SchemaFinding, validateKubernetesObjects } from "../tools/schemas/validate";
import { renderNamedStack, renderPlatformStackFile, renderStackWith, STACKS } from "./support";

const KUBERNETES_VERSION = "1.35";

/** A registration as the plan harness records it, for an object with the given props. */
function planned(type: string, props: Record<string, unknown>): PlannedResource {
    return {
        urn: `urn:pulumi:test::eks-platform::${type}::fixture`,
        type,
        name: "fixture",
        id: "fixture-id",
        custom: true,
        parent: null,
        dependsOn: [],
        provider: null,
        options: { protect: false, retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false },
        props,
    };
}

async function findingsOf(type: string, props: Record<string, unknown>): Promise<SchemaFinding[]> {
    return validateKubernetesObjects([planned(type, props)], KUBERNETES_VERSION);
}

/** path → message, for readable assertions. */
async function problemsOf(type: string, props: Record<string, unknown>): Promise<Record<string, string>> {
    return Object.fromEntries((await findingsOf(type, props)).map((f) => [f.path, f.message]));
}

const deployment = (containerSecurityContext: Record<string, unknown>) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "apps", labels: { "app.kubernetes.io/name": "web" }, annotations: { "example.com/owner": "platform" } },
    spec: {
        replicas: 2,
        selector: { matchLabels: { "app.kubernetes.io/name": "web" } },
        template: {
            metadata: { labels: { "app.kubernetes.io/name": "web" } },
            spec: {
                containers: [
                    {
                        name: "web",
                        image: "public.ecr.aws/nginx/nginx:1.29",
                        ports: [{ containerPort: 8080 }],
                        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
                        securityContext: containerSecurityContext,
                    },
                ],
            },
        },
    },
});

const storageClass = (overrides: Record<string, unknown>) => ({
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: "gp3" },
    provisioner: "ebs.csi.aws.com",
    parameters: { type: "gp3", encrypted: "true" },
    reclaimPolicy: "Retain",
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
    ...overrides,
});

const eniConfig = (spec: Record<string, unknown>) => ({
    apiVersion: "crd.k8s.amazonaws.com/v1alpha1",
    kind: "ENIConfig",
    metadata: { name: "eu-west-1a" },
    spec,
});

const httpRoute = (backendRef: Record<string, unknown>, rule: Record<string, unknown> = {}) => ({
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: "orders", namespace: "apps" },
    spec: {
        parentRefs: [{ name: "platform-lattice", sectionName: "http" }],
        rules: [
            { matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [{ name: "orders", kind: "Service", port: 8080, ...backendRef }], ...rule },
        ],
    },
});

describe("schema validation of Kubernetes objects", function () {
    this.timeout(120_000);

    describe("every stack", () => {
        for (const stack of STACKS) {
            it(`${stack}: every Kubernetes object it renders is schema-clean`, async () => {
                const rendered = await renderNamedStack(stack);
                assert.deepEqual(await schemaFindingsFor(rendered), []);
                // The check covers each family the program renders: built-in kinds, the VPC CNI's
                // ENIConfigs, Gateway API and Lattice policies, and a chart with a values schema.
                const checked = new Set(
                    rendered.resources.map(
                        (r) => objectIdentity(r)?.apiVersion ?? (r.type === "kubernetes:helm.sh/v4:Chart" ? chartName(String(r.props.chart)) : undefined),
                    ),
                );
                for (const family of [
                    "v1",
                    "storage.k8s.io/v1",
                    "crd.k8s.amazonaws.com/v1alpha1",
                    "gateway.networking.k8s.io/v1",
                    "application-networking.k8s.aws/v1alpha1",
                    "aws-gateway-controller-chart",
                ]) {
                    assert.ok(checked.has(family), `${stack} renders no ${family} object: the stack no longer exercises that schema family`);
                }
            });
        }
    });

    it("dev with compute's sample workload: its Deployment and PodDisruptionBudget are schema-clean", async () => {
        const rendered = await renderStackWith("dev", { "eks-platform:compute": { sampleWorkload: true } });
        assert.deepEqual(await schemaFindingsFor(rendered), []);
        const kinds = rendered.resources.map((r) => objectIdentity(r)?.kind);
        assert.ok(kinds.includes("Deployment") && kinds.includes("PodDisruptionBudget"));
    });

    it("examples/Pulumi.appmesh-demo.yaml: the App Mesh objects the program renders are schema-clean", async () => {
        const rendered = await renderPlatformStackFile(path.join(ROOT, "examples", "Pulumi.appmesh-demo.yaml"));
        assert.deepEqual(await schemaFindingsFor(rendered), []);
        const kinds = new Set(
            rendered.resources
                .map((r) => objectIdentity(r))
                .filter((id) => id?.apiVersion === "appmesh.k8s.aws/v1beta2")
                .map((id) => id!.kind),
        );
        assert.deepEqual([...kinds].sort(), ["Mesh", "VirtualNode", "VirtualRouter", "VirtualService"]);
    });

    describe("built-in kinds (kubernetes-models, Kubernetes 1.36 OpenAPI)", () => {
        it("accepts a valid Deployment, maps (labels, resources) included", async () => {
            assert.deepEqual(await findingsOf("kubernetes:apps/v1:Deployment", deployment({ runAsNonRoot: true, allowPrivilegeEscalation: false })), []);
        });

        it("reports a misspelt field (privilegd) with its path, though the package alone accepts it", async () => {
            const findings = await findingsOf("kubernetes:apps/v1:Deployment", deployment({ privilegd: true }));
            assert.deepEqual(findings, [
                {
                    urn: "urn:pulumi:test::eks-platform::kubernetes:apps/v1:Deployment::fixture",
                    apiVersion: "apps/v1",
                    kind: "Deployment",
                    path: "/spec/template/spec/containers/0/securityContext/privilegd",
                    message: "unknown field (the schema does not define it)",
                },
            ]);
        });

        it("reports a wrongly typed value with its path and the reason", async () => {
            const problems = await problemsOf("kubernetes:storage.k8s.io/v1:StorageClass", storageClass({ reclaimPolicy: 7 }));
            assert.deepEqual(Object.keys(problems), ["/reclaimPolicy"]);
            assert.equal(problems["/reclaimPolicy"], 'must be string; must be one of "Delete", "Recycle", "Retain"');
        });

        it("reports a value outside the enum, and a missing required field", async () => {
            const problems = await problemsOf("kubernetes:storage.k8s.io/v1:StorageClass", storageClass({ volumeBindingMode: "Lazy", provisioner: undefined }));
            assert.match(problems["/volumeBindingMode"], /must be one of "Immediate", "WaitForFirstConsumer"/);
            assert.equal(problems["/provisioner"], "required field is missing");
        });

        it("accepts free-form values under maps (ConfigMap data, StorageClass parameters)", async () => {
            const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "fluent-bit" }, data: { "fluent-bit.conf": "[SERVICE]\n" } };
            assert.deepEqual(await findingsOf("kubernetes:core/v1:ConfigMap", configMap), []);
            assert.deepEqual(await findingsOf("kubernetes:storage.k8s.io/v1:StorageClass", storageClass({ parameters: { anyKey: "anyValue" } })), []);
        });

        it("does not judge a value unknown at preview, but still reports a misspelt field beside it", async () => {
            const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // the Pulumi protocol's unknown string
            const problems = await problemsOf("kubernetes:core/v1:ConfigMap", {
                apiVersion: "v1",
                kind: "ConfigMap",
                metadata: { name: "x" },
                immutable: unknown,
                dta: {},
            });
            assert.deepEqual(problems, { "/dta": "unknown field (the schema does not define it)" });
        });

        it("reports a beta built-in API version (removed, or off by default on EKS)", async () => {
            const problems = await problemsOf("kubernetes:policy/v1beta1:PodDisruptionBudget", {
                apiVersion: "policy/v1beta1",
                kind: "PodDisruptionBudget",
                metadata: { name: "web" },
                spec: { minAvailable: 1 },
            });
            assert.match(problems["/apiVersion"], /beta\/alpha built-in API version/);
        });
    });

    describe("ENIConfig (VPC CNI CRD)", () => {
        it("accepts a valid ENIConfig", async () => {
            assert.deepEqual(
                await findingsOf(
                    "kubernetes:crd.k8s.amazonaws.com/v1alpha1:ENIConfig",
                    eniConfig({ subnet: "subnet-0a1b2c3d4e5f67890", securityGroups: ["sg-0123456789abcdef0"] }),
                ),
                [],
            );
        });

        it("reports spec.subnet as a number and a misspelt spec.securityGroup", async () => {
            const problems = await problemsOf(
                "kubernetes:crd.k8s.amazonaws.com/v1alpha1:ENIConfig",
                eniConfig({ subnet: 42, securityGroup: ["sg-0123456789abcdef0"] }),
            );
            assert.deepEqual(problems, { "/spec/subnet": "must be string", "/spec/securityGroup": "unknown field (the schema does not define it)" });
        });

        it("reports a missing subnet and checks a custom resource's metadata like a built-in's", async () => {
            const object = { ...eniConfig({ securityGroups: [] }), metadata: { name: "eu-west-1a", lables: { zone: "a" } } };
            const problems = await problemsOf("kubernetes:crd.k8s.amazonaws.com/v1alpha1:ENIConfig", object);
            assert.deepEqual(problems, { "/spec/subnet": "required field is missing", "/metadata/lables": "unknown field (the schema does not define it)" });
        });
    });

    describe("Gateway API (standard channel v1.5)", () => {
        it("accepts a valid HTTPRoute", async () => {
            assert.deepEqual(await findingsOf("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", httpRoute({ weight: 90 })), []);
        });

        it('reports a backendRef weight of "ten" and an unknown field', async () => {
            const problems = await problemsOf("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", httpRoute({ weight: "ten", wieght: 10 }));
            assert.deepEqual(problems, {
                "/spec/rules/0/backendRefs/0/weight": "must be integer",
                "/spec/rules/0/backendRefs/0/wieght": "unknown field (the schema does not define it)",
            });
        });

        it("reports a port out of range with the bound", async () => {
            const problems = await problemsOf("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", httpRoute({ port: 70000 }));
            assert.deepEqual(problems, { "/spec/rules/0/backendRefs/0/port": "must be <= 65535" });
        });

        it("reports a kind or version that only the experimental channel serves", async () => {
            const problems = await problemsOf("kubernetes:gateway.networking.k8s.io/v1alpha2:TCPRoute", {
                apiVersion: "gateway.networking.k8s.io/v1alpha2",
                kind: "TCPRoute",
                metadata: { name: "db" },
                spec: { parentRefs: [{ name: "platform-lattice" }], rules: [{ backendRefs: [{ name: "db", port: 5432 }] }] },
            });
            assert.match(problems[""], /not served by the Gateway API v1\.5 standard-channel CRDs/);
        });

        it("reports an experimental-channel field the standard-channel CRDs do not define", async () => {
            const problems = await problemsOf("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", httpRoute({}, { retry: { attempts: 2 } }));
            assert.match(problems["/spec/rules/0/retry"], /experimental-channel Gateway API field/);
        });
    });

    describe("AWS Gateway API Controller and App Mesh CRDs", () => {
        it("reports a TargetGroupPolicy health check interval below the CRD's minimum", async () => {
            const policy = {
                apiVersion: "application-networking.k8s.aws/v1alpha1",
                kind: "TargetGroupPolicy",
                metadata: { name: "orders", namespace: "apps" },
                spec: {
                    targetRef: { group: "", kind: "Service", name: "orders" },
                    protocol: "HTTP",
                    healthCheck: { enabled: true, intervalSeconds: 1, path: "/healthz" },
                },
            };
            assert.deepEqual(await problemsOf("kubernetes:application-networking.k8s.aws/v1alpha1:TargetGroupPolicy", policy), {
                "/spec/healthCheck/intervalSeconds": "must be >= 5",
            });
        });

        it("accepts a valid VirtualNode and reports a wrong listener protocol and an unknown field", async () => {
            const virtualNode = (listener: Record<string, unknown>) => ({
                apiVersion: "appmesh.k8s.aws/v1beta2",
                kind: "VirtualNode",
                metadata: { name: "orders", namespace: "apps" },
                spec: {
                    podSelector: { matchLabels: { app: "orders" } },
                    listeners: [{ portMapping: { port: 8080, protocol: "http" }, ...listener }],
                    serviceDiscovery: { dns: { hostname: "orders.apps.svc.cluster.local" } },
                },
            });
            assert.deepEqual(await findingsOf("kubernetes:appmesh.k8s.aws/v1beta2:VirtualNode", virtualNode({})), []);
            const problems = await problemsOf(
                "kubernetes:appmesh.k8s.aws/v1beta2:VirtualNode",
                virtualNode({ portMapping: { port: 8080, protocol: "https" }, healthcheck: {} }),
            );
            assert.deepEqual(Object.keys(problems).sort(), ["/spec/listeners/0/healthcheck", "/spec/listeners/0/portMapping/protocol"]);
        });

        it("reports an IngressClassParams with an unknown scheme, a misspelt field and a string where a list belongs", async () => {
            const params = (spec: Record<string, unknown>) => ({
                apiVersion: "elbv2.k8s.aws/v1beta1",
                kind: "IngressClassParams",
                metadata: { name: "alb" },
                spec,
            });
            const type = "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams";
            assert.deepEqual(await findingsOf(type, params({ scheme: "internal", targetType: "ip", loadBalancerAttributes: [{ key: "a", value: "b" }] })), []);
            assert.deepEqual(await problemsOf(type, params({ scheme: "public", targetTyp: "ip", inboundCIDRs: "0.0.0.0/0" })), {
                "/spec/scheme": 'must be one of "internal", "internet-facing"',
                "/spec/targetTyp": "unknown field (the schema does not define it)",
                "/spec/inboundCIDRs": "must be array",
            });
        });

        it("ships a schema, with its upstream source and version, for every CRD kind the program installs", () => {
            const kinds = shippedCrdKinds().map((k) => `${k.apiVersion}/${k.kind}`);
            for (const expected of [
                "crd.k8s.amazonaws.com/v1alpha1/ENIConfig",
                "application-networking.k8s.aws/v1alpha1/TargetGroupPolicy",
                "application-networking.k8s.aws/v1alpha1/IAMAuthPolicy",
                "application-networking.k8s.aws/v1alpha1/VpcAssociationPolicy",
                "application-networking.k8s.aws/v1alpha1/AccessLogPolicy",
                "application-networking.k8s.aws/v1alpha1/ServiceExport",
                "application-networking.k8s.aws/v1alpha1/ServiceImport",
                "appmesh.k8s.aws/v1beta2/Mesh",
                "appmesh.k8s.aws/v1beta2/VirtualNode",
                "appmesh.k8s.aws/v1beta2/VirtualService",
                "appmesh.k8s.aws/v1beta2/VirtualRouter",
                "appmesh.k8s.aws/v1beta2/VirtualGateway",
                "appmesh.k8s.aws/v1beta2/GatewayRoute",
                "elbv2.k8s.aws/v1beta1/IngressClassParams",
            ]) {
                assert.ok(kinds.includes(expected), `${expected} has no shipped schema`);
            }
            for (const { source } of shippedCrdKinds()) {
                assert.match(source.repository, /^https:\/\/github\.com\//);
                assert.ok(source.path && source.version);
            }
        });
    });

    describe("objects without a schema", () => {
        it("reports an object of an unknown kind, so nothing passes unchecked", async () => {
            const problems = await problemsOf("kubernetes:example.com/v1:Widget", {
                apiVersion: "example.com/v1",
                kind: "Widget",
                metadata: { name: "w" },
                spec: {},
            });
            assert.match(problems[""], /^unknown kind: no schema for example.com\/v1/);
        });

        it("reports an unknown kind in a group that has shipped schemas", async () => {
            const problems = await problemsOf("kubernetes:appmesh.k8s.aws/v1beta2:BackendGroup", {
                apiVersion: "appmesh.k8s.aws/v1beta2",
                kind: "BackendGroup",
                metadata: { name: "b" },
            });
            assert.match(problems[""], /has appmesh.k8s.aws\/v1beta2 but not the kind BackendGroup/);
        });

        it("does not treat providers, Helm charts or YAML groups as objects", () => {
            assert.equal(objectIdentity({ type: "pulumi:providers:kubernetes" }), undefined);
            assert.equal(objectIdentity({ type: "kubernetes:helm.sh/v4:Chart" }), undefined);
            assert.equal(objectIdentity({ type: "kubernetes:yaml/v2:ConfigFile" }), undefined);
            assert.deepEqual(objectIdentity({ type: "kubernetes:core/v1:Namespace" }), { apiVersion: "v1", kind: "Namespace" });
        });

        it("reports every object when the cluster's Kubernetes version is outside what the schemas cover", async () => {
            const findings = await validateKubernetesObjects(
                [planned("kubernetes:core/v1:Namespace", { apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" } })],
                "1.40",
            );
            assert.equal(findings.length, 1);
            assert.match(findings[0].message, /no built-in schemas for Kubernetes 1\.40/);
        });
    });

    describe("Helm values", () => {
        const chart = (version: string, values: Record<string, unknown>) =>
            planned("kubernetes:helm.sh/v4:Chart", {
                chart: "oci://public.ecr.aws/aws-application-networking-k8s/aws-gateway-controller-chart",
                version,
                namespace: "aws-application-networking-system",
                values,
            });

        it("validates the values of a chart that publishes a values schema", async () => {
            assert.deepEqual(
                await validateKubernetesObjects(
                    [chart("v2.1.3", { log: { level: "info" }, serviceAccount: { create: true, name: "gateway-api-controller" } })],
                    KUBERNETES_VERSION,
                ),
                [],
            );
            const findings = await validateKubernetesObjects(
                [chart("v2.1.3", { installScope: "everywhere", deployment: { containerPort: "8080" } })],
                KUBERNETES_VERSION,
            );
            assert.deepEqual(
                findings.map((f) => [f.kind, f.path, f.message]),
                [
                    ["Chart", "/values/deployment/containerPort", "must be integer"],
                    ["Chart", "/values/installScope", 'must be one of "cluster", "namespace"'],
                ],
            );
        });

        it("asks for the schema of a pinned chart version that is not shipped", async () => {
            const findings = await validateKubernetesObjects([chart("v9.9.9", {})], KUBERNETES_VERSION);
            assert.equal(findings.length, 1);
            assert.match(findings[0].message, /values schema of aws-gateway-controller-chart v2\.1\.3, not of the pinned v9\.9\.9/);
        });

        it("leaves charts without a published values schema alone", async () => {
            const nth = planned("kubernetes:helm.sh/v4:Chart", { chart: "aws-node-termination-handler", version: "0.27.2", values: { anything: true } });
            assert.deepEqual(await validateKubernetesObjects([nth], KUBERNETES_VERSION), []);
        });
    });

    describe("strictness injected into CRD schemas", () => {
        it("forbids unlisted fields except under preserve-unknown-fields and maps", () => {
            const schema = withUnknownFieldsForbidden({
                type: "object",
                "x-kubernetes-preserve-unknown-fields": true,
                properties: {
                    spec: { type: "object", properties: { labels: { type: "object", additionalProperties: { type: "string" } }, raw: { type: "object" } } },
                },
            }) as Record<string, any>;
            assert.equal(schema.additionalProperties, undefined);
            assert.equal(schema.properties.spec.additionalProperties, false);
            assert.deepEqual(schema.properties.spec.properties.labels.additionalProperties, { type: "string" });
            assert.equal(schema.properties.spec.properties.raw.additionalProperties, undefined);
        });
    });
});
