import { strict as assert } from "assert";
import { amiParameterName } from "../components/compute/userData";
import { evaluate, loadStackConfig } from "../policy-pack/evaluate";
import { HELM_CHARTS } from "../components/versions";
import { costOfPlan } from "../tools/cost";
import { loadPriceTable } from "../tools/cost/prices";
import { PlatformMocks } from "../tools/harness/mocks";
import type { PlannedResource, RenderedStack } from "../tools/harness/render";
import { schemaFindingsFor } from "../tools/schemas/validate";
import { configErrorOf, ofType, oneOfType, renderNamedStack, renderStackWith, STACKS, userDataOf } from "./support";

const GROUP = "aws:autoscaling/group:Group";
const TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const CHART = "kubernetes:helm.sh/v4:Chart";
const HOURS = 730;

type Tag = { key: string; value: string; propagateAtLaunch: boolean };
const tagsOf = (group: PlannedResource) => new Map((group.props.tags as Tag[]).map((t) => [t.key, t.value]));

const GPU_FAMILIES = ["m5", "m5a", "m6i", "m6a", "m7i", "g4dn", "g5", "g6", "g7", "g6f", "g4ad"];
/** dev's Spot pool plus an On-Demand GPU pool of two NVIDIA models with one GPU each, in us-east-1 where both are priced. */
const gpuPool = (pool: Record<string, unknown> = {}) => ({
    "eks-platform:compute": {
        allowedInstanceFamilies: GPU_FAMILIES,
        nodePools: [
            { name: "spot-general", instanceTypes: ["m5.large", "m5a.large", "m6i.large", "m6a.large", "m7i.large"], maxSize: 6, desiredSize: 2 },
            { name: "gpu", instanceTypes: ["g5.2xlarge", "g6.2xlarge"], maxSize: 2, onDemandPercentageAboveBaseCapacity: 100, accelerator: "nvidia", ...pool },
        ],
    },
});

describe("GPU node pools (accelerator: nvidia)", () => {
    let rendered: RenderedStack;
    before(async () => {
        rendered = await renderStackWith("dev", { "aws:region": "us-east-1", ...gpuPool() });
    });

    it("launch from the AL2023 NVIDIA AMI of the pool's minor and architecture; other pools keep the standard one", () => {
        const mocks = new PlatformMocks("us-east-1");
        const amiOf = (name: string) => mocks.call({ token: "aws:ssm/getParameter:getParameter", inputs: { name } }).value;
        const version = rendered.program.config.cluster.kubernetesVersion;
        assert.equal(oneOfType(rendered.resources, TEMPLATE, "-gpu").props.imageId, amiOf(amiParameterName(version, "x86_64", "nvidia")));
        assert.equal(oneOfType(rendered.resources, TEMPLATE, "-spot-general").props.imageId, amiOf(amiParameterName(version, "x86_64", "standard")));
    });

    it("register with the nvidia.com/gpu NoSchedule taint and the GPU labels", () => {
        const userData = userDataOf(oneOfType(rendered.resources, TEMPLATE, "-gpu"));
        assert.match(userData, /--register-with-taints=nvidia\.com\/gpu=true:NoSchedule(\n|$)/);
        // Two models (A10G and L4): the autoscaler's accelerator label names the maker only.
        assert.match(
            userData,
            /--node-labels=eks-platform\/node-pool=gpu,k8s\.amazonaws\.com\/accelerator=nvidia,lifecycle=OnDemand,nvidia\.com\/gpu\.present=true/,
        );
        assert.doesNotMatch(userDataOf(oneOfType(rendered.resources, TEMPLATE, "-spot-general")), /nvidia/);
    });

    it("tell the Cluster Autoscaler the GPU resource, labels and taint, so it can scale the pool up from zero", () => {
        const tags = tagsOf(oneOfType(rendered.resources, GROUP, "-gpu"));
        assert.equal(tags.get("k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu"), "1");
        assert.equal(tags.get("k8s.io/cluster-autoscaler/node-template/resources/pods"), "110");
        assert.equal(tags.get("k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu"), "true:NoSchedule");
        assert.equal(tags.get("k8s.io/cluster-autoscaler/node-template/label/nvidia.com/gpu.present"), "true");
        assert.equal(tags.get("k8s.io/cluster-autoscaler/node-template/label/k8s.amazonaws.com/accelerator"), "nvidia");
        assert.equal(
            tagsOf(oneOfType(rendered.resources, GROUP, "-spot-general")).get("k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu"),
            undefined,
        );
    });

    it("install the NVIDIA device plugin at its pinned chart in a privileged namespace of its own that denies all traffic", () => {
        const chart = oneOfType(rendered.resources, CHART, "-nvidia-device-plugin");
        assert.equal(chart.props.chart, "nvidia-device-plugin");
        assert.equal(chart.props.version, HELM_CHARTS.nvidiaDevicePlugin.version);
        assert.deepEqual(chart.props.repositoryOpts, { repo: "https://nvidia.github.io/k8s-device-plugin" });
        assert.equal(chart.props.name, "nvidia-device-plugin");
        const values = chart.props.values as Record<string, unknown>;
        assert.deepEqual(values.tolerations, [{ operator: "Exists" }]);
        assert.deepEqual(values.podSecurityContext, { seccompProfile: { type: "RuntimeDefault" } });
        // Not kube-system (EKS's): its own namespace, privileged for the kubelet's device-plugin socket directory.
        assert.equal(chart.props.namespace, "nvidia-device-plugin");
        const namespace = ofType(rendered.resources, "kubernetes:core/v1:Namespace").find((n) => (n.props.metadata as any).name === "nvidia-device-plugin");
        assert.ok(namespace);
        assert.equal((namespace.props.metadata as any).labels["pod-security.kubernetes.io/enforce"], "privileged");
        assert.ok(chart.dependsOn.includes(namespace.urn));
        const policies = ofType(rendered.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter(
            (p) => (p.props.metadata as any).namespace === "nvidia-device-plugin",
        );
        assert.deepEqual(policies.map((p) => (p.props.metadata as any).name).sort(), ["allow-dns", "default-deny"]);
        // A DaemonSet: it does not wait for the pools, which may all start at zero.
        const groups = ofType(rendered.resources, GROUP).map((g) => g.urn);
        assert.ok(!chart.dependsOn.some((urn) => groups.includes(urn)));
    });

    it("render schema-clean objects and pass the dev guardrails once the GPU families are allowed", async () => {
        assert.deepEqual(await schemaFindingsFor(rendered), []);
        const config = { ...loadStackConfig("dev"), "node-instance-family-allowed": { allowedFamilies: GPU_FAMILIES } };
        const mandatory = (await evaluate(rendered.resources, { stack: "dev", config })).filter((v) => v.enforcementLevel === "mandatory");
        assert.deepEqual(mandatory, []);
    });

    it("are priced like any pool, at the region's GPU On-Demand price", () => {
        const cost = costOfPlan(rendered.resources, "us-east-1", rendered.program.config.cost);
        const group = oneOfType(rendered.resources, GROUP, "-gpu");
        const priced = cost.byResource.find((r) => r.urn === group.urn);
        assert.ok(priced, "the GPU group is priced");
        const hourly = loadPriceTable("us-east-1")?.ec2OnDemandHourly["g5.2xlarge"];
        assert.ok(hourly && hourly > 0.5, "a GPU price, not a CPU one");
        // desiredSize defaults to minSize 0; at max size two On-Demand nodes of the first override.
        assert.equal(priced.monthly, 0);
        assert.equal(priced.monthlyAtMaxSize, Math.round(2 * hourly * HOURS * 100) / 100);
        assert.ok(!cost.unpriced.some((u) => u.urn === group.urn && u.what === "EC2 instances"));
    });

    it("are absent from the shipped stacks, which install no device plugin", async () => {
        for (const stack of STACKS) {
            const { resources } = await renderNamedStack(stack);
            assert.equal(ofType(resources, CHART).filter((c) => c.props.chart === "nvidia-device-plugin").length, 0, stack);
        }
    });
});

describe("GPU node pool validation", () => {
    const withGpuPool = (pool: Record<string, unknown>) => gpuPool(pool);

    it("refuses types with different GPU counts, naming the type and both counts", async () => {
        // One shape (48 vCPU / 192 GiB), but the g7 has two GPUs where the others have four.
        const message = await configErrorOf("dev", withGpuPool({ instanceTypes: ["g5.12xlarge", "g6.12xlarge", "g7.12xlarge"] }));
        assert.match(
            message,
            /compute\.nodePools\[1\]\.instanceTypes\[2\] = "g7\.12xlarge": has 2 NVIDIA rtx-pro-4500 GPUs but g5\.12xlarge has 4 NVIDIA a10g GPUs; the Cluster Autoscaler sizes the pool from one node template \(k8s\.io\/cluster-autoscaler\/node-template\/resources\/nvidia\.com\/gpu\)/,
        );
        assert.doesNotMatch(message, /instanceTypes\[1\]/, "same count, different model: allowed");
    });

    it("refuses a GPU type in a pool without accelerator: nvidia, and a type without NVIDIA GPUs in one with it", async () => {
        const unmarked = await configErrorOf("dev", withGpuPool({ accelerator: "none" }));
        assert.match(unmarked, /compute\.nodePools\[1\]\.instanceTypes\[0\] = "g5\.2xlarge": has 1 NVIDIA a10g GPU; set accelerator: nvidia on the pool/);
        const cpu = await configErrorOf("dev", withGpuPool({ instanceTypes: ["g5.2xlarge", "m5.2xlarge"] }));
        assert.match(
            cpu,
            /compute\.nodePools\[1\]\.instanceTypes\[1\] = "m5\.2xlarge": has no GPU; a pool with accelerator: nvidia takes NVIDIA GPU types only/,
        );
        const amd = await configErrorOf("dev", withGpuPool({ instanceTypes: ["g4ad.xlarge"] }));
        assert.match(amd, /"g4ad\.xlarge": has 1 amd radeon-pro-v520 GPU; a pool with accelerator: nvidia takes NVIDIA GPU types only/);
        const fractional = await configErrorOf("dev", withGpuPool({ instanceTypes: ["g6f.large"] }));
        assert.match(fractional, /"g6f\.large": has a fractional NVIDIA l4 GPU \(EC2 reports 0 whole GPUs\)/);
    });

    it("refuses an architecture the GPU types do not run, and GPU labels or taints set by hand", async () => {
        const arm = await configErrorOf("dev", withGpuPool({ instanceTypes: ["g5.2xlarge"], architecture: "arm64" }));
        assert.match(arm, /compute\.nodePools\[1\]\.instanceTypes\[0\] = "g5\.2xlarge": runs x86_64, but the pool's architecture is arm64/);
        const manual = await configErrorOf(
            "dev",
            withGpuPool({ labels: { "nvidia.com/gpu.present": "true" }, taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }] }),
        );
        assert.match(manual, /compute\.nodePools\[1\]\.labels\.nvidia\.com\/gpu\.present = "true": is set by the platform on every NVIDIA pool/);
        assert.match(manual, /compute\.nodePools\[1\]\.taints\[0\] = .*: is set by the platform on every NVIDIA pool \(nvidia\.com\/gpu=true:NoSchedule\)/);
    });

    it("does not count a GPU pool as a home for the platform's own pods", async () => {
        const message = await configErrorOf("dev", {
            "eks-platform:compute": {
                allowedInstanceFamilies: GPU_FAMILIES,
                nodePools: [
                    { name: "gpu", instanceTypes: ["g5.2xlarge"], minSize: 1, maxSize: 2, onDemandPercentageAboveBaseCapacity: 100, accelerator: "nvidia" },
                ],
            },
        });
        assert.match(
            message,
            /compute\.nodePools = .*: start no node: CoreDNS, the termination handler and the Cluster Autoscaler itself need one to run on; give at least one pool without GPUs/,
        );
    });
});
