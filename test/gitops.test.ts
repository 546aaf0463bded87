import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROLE_ARN_ANNOTATION } from "../components/iam/irsa";
import { TENANT_RULES } from "../components/gitops/flux";
import { gitopsSettingsSchema } from "../components/gitops/settings";
import { literalCredentials } from "../components/gitops/validate";
import { HELM_CHARTS } from "../components/versions";
import { evaluate } from "../policy-pack/evaluate";
import type { PlannedResource } from "../tools/harness/render";
import { kindsOf } from "../tools/schemas/crdGenerate";
import { configErrorOf, ofType, oneOfType, parseStackWith, physicalName, renderNamedStack } from "./support";

const FLUX_NAMESPACE = "flux-system";
const CUSTOM = (apiVersion: string, kind: string) => `kubernetes:${apiVersion}:${kind}`;

function inNamespace(resources: PlannedResource[], type: string, namespace: string): PlannedResource[] {
    return ofType(resources, type).filter((r) => (r.props.metadata as { namespace?: string }).namespace === namespace);
}

function named(resources: PlannedResource[], type: string, name: string): PlannedResource {
    const found = ofType(resources, type).filter((r) => (r.props.metadata as { name: string }).name === name);
    assert.equal(found.length, 1, `${type} ${name}`);
    return found[0];
}

const GITHUB_TOKEN = "ghp_" + "0123456789abcdefghijABCDEFGHIJ012345";

describe("GitOps (Flux)", () => {
    describe("validation", () => {
        it("is off by default and in dev, on in staging and prod", () => {
            assert.equal(gitopsSettingsSchema.parse(undefined).enabled, false);
            assert.equal(parseStackWith("dev").gitops.enabled, false);
            assert.equal(parseStackWith("staging").gitops.enabled, true);
            assert.equal(parseStackWith("prod").gitops.enabled, true);
        });

        it("refuses credentials in the URL without repeating them", async () => {
            const message = await configErrorOf("staging", {
                "eks-platform:gitops": { source: { url: "https://x-access-token:s3cret-value@github.com/example-org/gitops.git" } },
            });
            assert.match(message, /gitops\.source\.url = "\(redacted\)": carries credentials in its user-info part/);
            assert.doesNotMatch(message, /s3cret-value/);
            // A user over HTTPS is a credential prompt waiting for a token; ssh://git@ names the SSH user, which is fine.
            assert.match(
                await configErrorOf("staging", { "eks-platform:gitops": { source: { url: "https://deploy@github.com/example-org/gitops.git" } } }),
                /carries credentials/,
            );
            assert.equal(
                parseStackWith("staging", { "eks-platform:gitops": { source: { url: "ssh://git@github.com/example-org/gitops.git" } } }).gitops.source.url,
                "ssh://git@github.com/example-org/gitops.git",
            );
        });

        it("refuses anything shaped like a token anywhere in the section, even with GitOps off", async () => {
            const message = await configErrorOf("dev", { "eks-platform:gitops": { source: { branch: GITHUB_TOKEN } } });
            assert.match(message, /gitops\.source\.branch = "\(redacted\)": holds what looks like a GitHub token/);
            assert.doesNotMatch(message, new RegExp(GITHUB_TOKEN));
            assert.deepEqual(
                literalCredentials({ a: "-----BEGIN OPENSSH PRIVATE KEY-----\nabc", b: ["AKIAIOSFODNN7EXAMPLE"], c: "glpat-abcdefghij0123456789" }, "x").map(
                    (p) => [p.path, /looks like (.*?):/.exec(p.message)?.[1]],
                ),
                [
                    ["x.a", "a private key"],
                    ["x.b[0]", "an AWS access key id"],
                    ["x.c", "a GitLab token"],
                ],
            );
            assert.deepEqual(literalCredentials({ secretName: "gitops-credentials", url: "https://github.com/o/r.git" }, "x"), []);
        });

        it("needs a URL of the source's kind, a tag for OCI, and no secret with OCI", async () => {
            const problems = [
                [{ enabled: true, source: { url: "" } }, /gitops\.source\.url = \(not set\): is required when gitops\.enabled is true/],
                [{ source: { url: "http://github.com/example-org/gitops.git" } }, /must be an https:\/\/ or ssh:\/\/ Git URL/],
                [{ source: { kind: "oci", url: "oci://ghcr.io/example-org/gitops", tag: "x" } }, /must be an Amazon ECR repository/],
            ] as const;
            for (const [gitops, expected] of problems) {
                assert.match(await configErrorOf("staging", { "eks-platform:gitops": gitops }), expected);
            }
            const oci = await configErrorOf("prod", { "eks-platform:gitops": { source: { tag: undefined, secretName: "gitops-credentials" } } });
            assert.match(oci, /gitops\.source\.tag = \(not set\): is required with kind oci/);
            assert.match(oci, /gitops\.source\.secretName = "gitops-credentials": is not used with kind oci/);
            assert.match(
                await configErrorOf("staging", { "eks-platform:gitops": { source: { tag: "v1" } } }),
                /gitops\.source\.tag = "v1": applies to kind oci only/,
            );
        });

        it("confines tenants to application namespaces, one tenant each, and keeps flux-system for Flux", async () => {
            const message = await configErrorOf("staging", {
                "eks-platform:cluster": { applicationNamespaces: ["apps", "flux-system"] },
                "eks-platform:gitops": {
                    tenants: [
                        { namespace: "apps", path: "./apps/a" },
                        { namespace: "kube-system", path: "./apps/b" },
                        { namespace: "apps", path: "./apps/c" },
                    ],
                },
            });
            assert.match(message, /cluster\.applicationNamespaces\[1\] = "flux-system": is the namespace Flux runs in/);
            assert.match(
                message,
                /gitops\.tenants\[1\]\.namespace = "kube-system": is not an application namespace \(cluster\.applicationNamespaces: apps, flux-system\)/,
            );
            assert.match(message, /gitops\.tenants\[2\]\.namespace = "apps": is listed twice/);
            assert.match(
                await configErrorOf("staging", { "eks-platform:gitops": { tenants: [{ namespace: "apps", path: "../other-team" }] } }),
                /gitops\.tenants\[0\]\.path/,
            );
        });
    });

    describe("what staging renders (Git over HTTPS, a Secret reference)", () => {
        it("installs the pinned flux2 chart in a restricted, default-deny flux-system without the chart's permissive policies", async () => {
            const { resources } = await renderNamedStack("staging");
            const namespace = named(resources, "kubernetes:core/v1:Namespace", FLUX_NAMESPACE);
            const labels = (namespace.props.metadata as { labels: Record<string, string> }).labels;
            assert.equal(labels["pod-security.kubernetes.io/enforce"], "restricted");
            const chart = oneOfType(resources, "kubernetes:helm.sh/v4:Chart", "-flux");
            assert.deepEqual([chart.props.chart, chart.props.version, chart.props.namespace], ["flux2", HELM_CHARTS.flux.version, FLUX_NAMESPACE]);
            assert.ok(chart.dependsOn.includes(namespace.urn));
            const values = chart.props.values as Record<string, Record<string, unknown>>;
            assert.deepEqual(values.policies, { create: false });
            assert.deepEqual(values.imageAutomationController, { create: false });
            // Every controller (and the pre-install check) from the configured mirror, bounded.
            for (const [key, image] of [
                ["sourceController", "source-controller"],
                ["kustomizeController", "kustomize-controller"],
                ["helmController", "helm-controller"],
                ["notificationController", "notification-controller"],
                ["cli", "flux-cli"],
            ]) {
                assert.equal(values[key].image, `111122223333.dkr.ecr.eu-west-1.amazonaws.com/ghcr/fluxcd/${image}`, key);
                assert.deepEqual(values[key].resources, { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "1000m", memory: "1Gi" } }, key);
            }
            // No ECR source in staging: the source-controller has no role.
            assert.equal((values.sourceController.serviceAccount as { annotations?: unknown }).annotations, undefined);
            const policies = inNamespace(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy", FLUX_NAMESPACE);
            assert.deepEqual(policies.map((p) => (p.props.metadata as { name: string }).name).sort(), [
                "allow-dns",
                "allow-flux-controllers",
                "allow-flux-sources",
                "default-deny",
            ]);
            const sources = policies.find((p) => (p.props.metadata as { name: string }).name === "allow-flux-sources")!;
            assert.deepEqual((sources.props.spec as { egress: { ports: unknown[] }[] }).egress[0].ports, [{ protocol: "TCP", port: 443 }]);
        });

        it("points a GitRepository at the configured branch with the Secret by name, and the platform's Kustomization at the environment's path", async () => {
            const { resources } = await renderNamedStack("staging");
            const source = oneOfType(resources, CUSTOM("source.toolkit.fluxcd.io/v1", "GitRepository"));
            assert.deepEqual(source.props.spec, {
                url: "https://github.com/example-org/eks-platform-gitops.git",
                ref: { branch: "main" },
                interval: "5m",
                secretRef: { name: "gitops-credentials" },
            });
            assert.equal(ofType(resources, "kubernetes:core/v1:Secret").length, 0, "the program creates no credentials Secret");
            const kustomizations = ofType(resources, CUSTOM("kustomize.toolkit.fluxcd.io/v1", "Kustomization"));
            const platform = kustomizations.find((k) => (k.props.metadata as { name: string }).name === "platform")!;
            assert.deepEqual(platform.props.spec, {
                interval: "10m",
                path: "./clusters/staging",
                prune: true,
                sourceRef: { kind: "GitRepository", name: "platform" },
                wait: true,
                timeout: "5m",
            });
            const chart = oneOfType(resources, "kubernetes:helm.sh/v4:Chart", "-flux");
            for (const object of [source, ...kustomizations]) {
                assert.ok(object.dependsOn.includes(chart.urn), `${object.name} may be created before the CRDs`);
            }
        });

        it("gives each tenant a Kustomization applying as its own account, which holds a Role in its namespace only", async () => {
            const { resources } = await renderNamedStack("staging");
            const tenant = named(resources, CUSTOM("kustomize.toolkit.fluxcd.io/v1", "Kustomization"), "tenant-apps");
            assert.deepEqual(
                [tenant.props.spec].map((s) => {
                    const spec = s as Record<string, unknown>;
                    return [spec.path, spec.serviceAccountName, spec.targetNamespace];
                }),
                [["./apps/staging", "tenant-apps", "apps"]],
            );
            const account = named(resources, "kubernetes:core/v1:ServiceAccount", "tenant-apps");
            assert.equal((account.props.metadata as { namespace: string }).namespace, FLUX_NAMESPACE);
            assert.equal(account.props.automountServiceAccountToken, false);
            const role = named(resources, "kubernetes:rbac.authorization.k8s.io/v1:Role", "flux-tenant");
            assert.equal((role.props.metadata as { namespace: string }).namespace, "apps");
            const granted = (role.props.rules as { resources: string[] }[]).flatMap((rule) => rule.resources);
            for (const forbidden of ["secrets", "roles", "rolebindings", "networkpolicies", "namespaces"]) {
                assert.ok(!granted.includes(forbidden), `tenants must not manage ${forbidden}`);
            }
            assert.deepEqual(role.props.rules, TENANT_RULES);
            const binding = named(resources, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "flux-tenant");
            assert.deepEqual(binding.props.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "flux-tenant" });
            assert.deepEqual(binding.props.subjects, [{ kind: "ServiceAccount", name: "tenant-apps", namespace: FLUX_NAMESPACE }]);
            assert.equal(ofType(resources, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").length, 0);
        });

        it("passes its own guardrail, which refuses the same stack with a token in the URL or a Secret it creates", async () => {
            const { resources } = await renderNamedStack("staging");
            const verdicts = (found: { policy: string }[]) => found.filter((v) => v.policy === "gitops-credentials-by-reference");
            assert.deepEqual(verdicts(await evaluate(resources, { stack: "staging" })), []);
            const source = oneOfType(resources, CUSTOM("source.toolkit.fluxcd.io/v1", "GitRepository"));
            const spec = source.props.spec as Record<string, unknown>;
            const leaked = { ...source, props: { ...source.props, spec: { ...spec, url: `https://git:${GITHUB_TOKEN}@github.com/example-org/gitops.git` } } };
            const secret = {
                ...source,
                urn: source.urn.replace("GitRepository", "Secret"),
                type: "kubernetes:core/v1:Secret",
                props: { metadata: { name: "gitops-credentials", namespace: FLUX_NAMESPACE }, stringData: { password: "x" } },
            };
            const others = resources.filter((r) => r !== source);
            assert.equal(verdicts(await evaluate([...others, leaked], { stack: "staging" })).length, 1);
            assert.equal(verdicts(await evaluate([...resources, secret], { stack: "staging" })).length, 1);
        });
    });

    describe("what prod renders (an OCI artifact in ECR, IRSA)", () => {
        it("pulls an OCIRepository with provider aws, and gives the source-controller a role trusted by it alone", async () => {
            const { resources } = await renderNamedStack("prod");
            const source = oneOfType(resources, CUSTOM("source.toolkit.fluxcd.io/v1", "OCIRepository"));
            assert.deepEqual(source.props.spec, {
                url: "oci://111122223333.dkr.ecr.eu-west-1.amazonaws.com/platform/gitops",
                ref: { tag: "prod" },
                provider: "aws",
                interval: "5m",
            });
            const chart = oneOfType(resources, "kubernetes:helm.sh/v4:Chart", "-flux");
            const account = (chart.props.values as { sourceController: { serviceAccount: { annotations: Record<string, string> } } }).sourceController
                .serviceAccount;
            const role = ofType(resources, "aws:iam/role:Role").find((r) => account.annotations[ROLE_ARN_ANNOTATION].endsWith(`/${physicalName(r)}`));
            assert.ok(role, "the annotation names the source-controller's role");
            const trust = JSON.parse(String(role.props.assumeRolePolicy)) as { Statement: { Condition: { StringEquals: Record<string, string> } }[] };
            assert.ok(Object.values(trust.Statement[0].Condition.StringEquals).includes("system:serviceaccount:flux-system:source-controller"));
        });
    });

    describe("the Flux CRD schemas", () => {
        it("are what tools/schemas/crdGenerate.ts makes of a CRD: kept constraints, dropped descriptions and CEL, sorted keys", () => {
            const manifest = [
                "{{- if .Values.installCRDs }}",
                "apiVersion: apiextensions.k8s.io/v1",
                "kind: CustomResourceDefinition",
                "metadata: { name: widgets.example.com }",
                "spec:",
                "  group: example.com",
                "  names: { kind: Widget }",
                "  versions:",
                "    - name: v1",
                "      served: true",
                "      schema:",
                "        openAPIV3Schema:",
                "          type: object",
                "          description: dropped",
                "          x-kubernetes-validations: [{ rule: 'self.spec.size > 0' }]",
                "          properties:",
                "            spec:",
                "              type: object",
                "              required: [size]",
                "              properties:",
                "                size: { type: integer, format: int32, minimum: 1, description: dropped }",
                "                mode: { type: string, enum: [a, b], default: a }",
                "{{- end }}",
            ].join("\n");
            assert.deepEqual(kindsOf(manifest, "example.com/v1"), {
                Widget: {
                    properties: {
                        spec: {
                            properties: { mode: { default: "a", enum: ["a", "b"], type: "string" }, size: { minimum: 1, type: "integer" } },
                            required: ["size"],
                            type: "object",
                        },
                    },
                    type: "object",
                },
            });
            assert.deepEqual(kindsOf(manifest, "example.com/v2"), {});
        });

        it("ship the kinds the platform renders, from the pinned chart's version", () => {
            for (const [file, kinds] of [
                ["source.toolkit.fluxcd.io_v1.json", ["GitRepository", "OCIRepository"]],
                ["kustomize.toolkit.fluxcd.io_v1.json", ["Kustomization"]],
            ] as const) {
                const data = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "tools", "schemas", "data", "crds", file), "utf8")) as {
                    source: { version: string };
                    kinds: Record<string, unknown>;
                };
                assert.match(data.source.version, new RegExp(`^flux2 ${HELM_CHARTS.flux.version.replace(/\./g, "\\.")} `));
                for (const kind of kinds) {
                    assert.ok(data.kinds[kind], `${file} has ${kind}`);
                }
            }
        });
    });
});
