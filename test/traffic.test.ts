// How an application gets traffic and scales on the platform, shown by the sample workload: an internal
// ALB Ingress and an internal NLB Service with pod IP targets, a HorizontalPodAutoscaler on metrics-server's
// metrics, in dev and staging (where the stacks run it) and in prod (rendered with it on, once).
import { strict as assert } from "assert";
import * as fs from "fs";
import { evaluate } from "../policy-pack/evaluate";
import { HELM_CHARTS } from "../components/versions";
import { validateKubernetesObjects } from "../tools/schemas/validate";
import { policyConfigFile } from "../tools/plan/guardrails";
import type { PlannedResource, RenderedStack } from "../tools/harness/render";
import { configErrorOf, ofType, oneOfType, renderNamedStack, renderStackWith, STACKS } from "./support";

type Values = Record<string, any>;

const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const SERVICE = "kubernetes:core/v1:Service";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

let prodWithSample: Promise<RenderedStack> | undefined;

/** Prod as its stack file has it, with the sample on: what the sample looks like under prod's settings and guardrails. */
function renderProdWithSample(): Promise<RenderedStack> {
    prodWithSample ??= renderStackWith("prod", { "eks-platform:compute": { sampleWorkload: true } });
    return prodWithSample;
}

const RENDERINGS: [string, () => Promise<RenderedStack>][] = [
    ...STACKS.filter((stack) => stack !== "prod").map((stack): [string, () => Promise<RenderedStack>] => [stack, () => renderNamedStack(stack)]),
    ["prod with the sample on", renderProdWithSample],
];

const metadataOf = (resource: PlannedResource) => resource.props.metadata as Values;
const sampleOf = (resources: PlannedResource[], type: string, name = "nginx-spot-sample") =>
    ofType(resources, type).find((r) => metadataOf(r).name === name && metadataOf(r).namespace === "spot-sample")!;

describe("metrics-server", () => {
    for (const stack of STACKS) {
        it(`${stack}: runs the pinned chart in platform-system, on separate nodes across zones, with a disruption budget from 2 replicas`, async () => {
            const rendered = await renderNamedStack(stack);
            const chart = oneOfType(rendered.resources, "kubernetes:helm.sh/v4:Chart", "-metrics-server");
            assert.equal(chart.props.chart, HELM_CHARTS.metricsServer.chart);
            assert.equal(chart.props.version, HELM_CHARTS.metricsServer.version);
            assert.equal(chart.props.namespace, "platform-system");
            const values = chart.props.values as Values;
            const replicas = rendered.program.config.metricsServer.replicas;
            assert.equal(values.replicas, replicas);
            assert.deepEqual(values.podDisruptionBudget, { enabled: replicas > 1, maxUnavailable: 1 });
            assert.deepEqual(
                (values.topologySpreadConstraints as Values[]).map((c) => [c.topologyKey, c.whenUnsatisfiable]),
                [
                    ["topology.kubernetes.io/zone", "ScheduleAnyway"],
                    ["kubernetes.io/hostname", "DoNotSchedule"],
                ],
            );
            assert.equal(values.resources.requests.memory, "200Mi");
            for (const group of ofType(rendered.resources, "aws:autoscaling/group:Group")) {
                assert.ok(chart.dependsOn.includes(group.urn), `waits for ${group.name}`);
            }
            if (rendered.program.config.environment === "prod") {
                assert.ok(replicas >= 2);
            }
        });
    }

    it("refuses fewer than 2 replicas in prod, and turning it off while the sample's autoscaler needs it", async () => {
        assert.match(await configErrorOf("prod", { "eks-platform:metricsServer": { replicas: 1 } }), /metricsServer\.replicas = 1: must be at least 2 in prod/);
        assert.match(
            await configErrorOf("dev", { "eks-platform:metricsServer": { enabled: false } }),
            /metricsServer\.enabled = false: must be true while compute\.sampleWorkload is on/,
        );
    });
});

describe("The sample workload: exposed and autoscaled", () => {
    for (const [name, render] of RENDERINGS) {
        describe(name, () => {
            it("is exposed through an internal ALB Ingress of the platform's default class, with pod IP targets", async () => {
                const { resources } = await render();
                const ingress = sampleOf(resources, INGRESS);
                assert.equal((ingress.props.spec as Values).ingressClassName, "alb");
                const params = ofType(resources, "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams").find((p) => metadataOf(p).name === "alb")!;
                assert.equal((params.props.spec as Values).scheme, "internal");
                assert.equal((params.props.spec as Values).targetType, "ip");
                assert.deepEqual(JSON.parse(metadataOf(ingress).annotations["alb.ingress.kubernetes.io/listen-ports"]), [{ HTTP: 80 }]);
                const backend = sampleOf(resources, SERVICE);
                assert.equal((backend.props.spec as Values).type, "ClusterIP");
            });

            it("is exposed through an internal NLB Service of the controller's class, with pod IP targets and the platform's attributes", async () => {
                const { resources, program } = await render();
                const service = sampleOf(resources, SERVICE, "nginx-spot-sample-nlb");
                const spec = service.props.spec as Values;
                assert.equal(spec.type, "LoadBalancer");
                assert.equal(spec.loadBalancerClass, "service.k8s.aws/nlb");
                const annotations = metadataOf(service).annotations as Record<string, string>;
                assert.equal(annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"], "internal");
                assert.equal(annotations["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"], "ip");
                const attributes = annotations["service.beta.kubernetes.io/aws-load-balancer-attributes"];
                assert.match(attributes, /access_logs\.s3\.enabled=true,access_logs\.s3\.bucket=[a-z0-9.-]+-lb-logs-111122223333,access_logs\.s3\.prefix=nlb/);
                assert.match(attributes, new RegExp(`deletion_protection\\.enabled=${String(program.config.environment === "prod")}`));
            });

            it("creates the Ingress and the Service only once the controller's webhooks answer and its classes exist", async () => {
                const { resources } = await render();
                const chart = oneOfType(resources, "kubernetes:helm.sh/v4:Chart", "-lb-controller");
                const classes = ofType(resources, "kubernetes:networking.k8s.io/v1:IngressClass");
                for (const object of [sampleOf(resources, INGRESS), sampleOf(resources, SERVICE, "nginx-spot-sample-nlb")]) {
                    assert.ok(object.dependsOn.includes(chart.urn), `${object.name} does not wait for the controller`);
                    for (const ingressClass of classes) {
                        assert.ok(object.dependsOn.includes(ingressClass.urn), `${object.name} does not wait for ${ingressClass.name}`);
                    }
                }
            });

            it("lets the load balancers in past the namespace's default deny, from the VPC's addresses, on the pods' port only", async () => {
                const { resources, program } = await render();
                const policy = ofType(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").find(
                    (p) => metadataOf(p).name === "allow-from-load-balancers",
                )!;
                assert.deepEqual((policy.props.spec as Values).ingress, [
                    { from: [{ ipBlock: { cidr: program.config.network.vpcCidr } }], ports: [{ protocol: "TCP", port: 8080 }] },
                ]);
                const namespace = ofType(resources, "kubernetes:core/v1:Namespace").find((n) => metadataOf(n).name === "spot-sample")!;
                assert.equal(metadataOf(namespace).labels["elbv2.k8s.aws/pod-readiness-gate-inject"], "enabled");
            });

            it("scales on CPU and memory with an autoscaling/v2 HPA, from requests that make utilization meaningful", async () => {
                const { resources } = await render();
                const hpa = sampleOf(resources, HPA);
                const spec = hpa.props.spec as Values;
                assert.deepEqual(spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: "nginx-spot-sample" });
                assert.ok(spec.minReplicas >= 3 && spec.maxReplicas > spec.minReplicas);
                assert.deepEqual(
                    (spec.metrics as Values[]).map((m) => [m.resource.name, m.resource.target.type]),
                    [
                        ["cpu", "Utilization"],
                        ["memory", "Utilization"],
                    ],
                );
                assert.equal(spec.behavior.scaleUp.stabilizationWindowSeconds, 0);
                assert.ok(spec.behavior.scaleDown.stabilizationWindowSeconds >= 300);
                const deployment = sampleOf(resources, DEPLOYMENT);
                // The autoscaler owns the replicas; a value in the Deployment would reset them at every `up`.
                assert.equal((deployment.props.spec as Values).replicas, undefined);
                const container = (deployment.props.spec as Values).template.spec.containers[0];
                assert.ok(container.resources.requests.cpu && container.resources.requests.memory);
                // The HPA reads metrics-server's metrics: created after it.
                assert.ok(hpa.dependsOn.includes(oneOfType(resources, "kubernetes:helm.sh/v4:Chart", "-metrics-server").urn));
            });

            it("renders objects that pass the strict schema checks and the environment's guardrails", async () => {
                const { resources, program } = await render();
                const sample = resources.filter((r) => r.urn.includes("SampleWorkload") || r.urn.includes("LoadBalancerController"));
                assert.deepEqual(await validateKubernetesObjects(sample, program.config.cluster.kubernetesVersion), []);
                const config = JSON.parse(fs.readFileSync(policyConfigFile(program.config.environment), "utf8"));
                const traffic = (await evaluate(resources, { config })).filter(
                    (v) => v.policy.startsWith("load-balancer-") && v.enforcementLevel === "mandatory",
                );
                assert.deepEqual(traffic, []);
            });
        });
    }

    it("is off unless asked for: prod's stack file runs no sample", async () => {
        const { resources } = await renderNamedStack("prod");
        assert.equal(ofType(resources, HPA).length, 0);
        assert.equal(ofType(resources, INGRESS).length, 0);
    });
});
