import { strict as assert } from "assert";
import { parse as parseYaml } from "yaml";
import { clusterAutoscalerPolicy, expanderPriorities } from "../components/compute/clusterAutoscaler";
import { instanceTypesNamedIn, isUnknownInstanceType } from "../components/compute/instanceTypeFacts";
import { interruptionEventPatterns, interruptionHandlerPolicy, interruptionQueuePolicy } from "../components/compute/interruptionHandler";
import { hasSpotCapacity, nodeLabels, nodeLabelsFlag, nodeTaints, nodeTemplateTags, registerWithTaintsFlag, SPOT_TAINT } from "../components/compute/labels";
import { describeGpus, GPU_TAINT, gpuCount, poolGpus } from "../components/compute/gpu";
import { kubeReserved } from "../components/compute/kubeletReserved";
import { maxPodsFor, poolMaxPods } from "../components/compute/maxPods";
import { nodePodAddresses, podSubnetCapacity, podSubnetDemand } from "../components/compute/podAddresses";
import { nodePoolSchema } from "../components/compute/settings";
import { amiParameterName, nodeUserData } from "../components/compute/userData";
import type { InstanceTypeFacts } from "../config";
import { offlineInstanceTypeFacts } from "../tools/harness/awsFacts";

const SCOPE = { region: "eu-west-1", accountId: "111122223333", partition: "aws", permissionsBoundaryArn: undefined };

/** The offline table's DescribeInstanceTypes figures, in the program's shape. */
function facts(type: string): InstanceTypeFacts {
    const known = offlineInstanceTypeFacts(type);
    assert.ok(known, `${type} is in the offline instance-type table`);
    return known;
}

describe("maxPods (custom networking: the primary ENI carries no pods)", () => {
    it("m5.large: (3-1) x (10-1) + 2 = 20 with secondary IPs, 110 with prefix delegation", () => {
        assert.equal(maxPodsFor(facts("m5.large"), false), 20);
        assert.equal(maxPodsFor(facts("m5.large"), true), 110);
    });
    it("m5.xlarge: (4-1) x (15-1) + 2 = 44, and 110 with prefix delegation", () => {
        assert.equal(maxPodsFor(facts("m5.xlarge"), false), 44);
        assert.equal(maxPodsFor(facts("m5.xlarge"), true), 110);
    });
    it("m5.8xlarge (32 vCPUs): (8-1) x (30-1) + 2 = 205, and 250 with prefix delegation", () => {
        assert.equal(maxPodsFor(facts("m5.8xlarge"), false), 205);
        assert.equal(maxPodsFor(facts("m5.8xlarge"), true), 250);
    });
    it("never exceeds what /28 prefixes on the secondary ENIs can address", () => {
        // 1 secondary ENI with 2 slots: 1 x 1 x 16 + 2 = 18 < 110.
        assert.equal(maxPodsFor({ vcpus: 2, maxNetworkInterfaces: 2, ipv4PerInterface: 2 }, true), 18);
    });
    it("rejects a type with no secondary ENI", () => {
        assert.throws(() => maxPodsFor({ vcpus: 2, maxNetworkInterfaces: 1, ipv4PerInterface: 4 }, false), /no room for pods/);
    });
    it("takes the smallest maxPods of a pool's types, as one launch template serves them all", () => {
        assert.equal(poolMaxPods([facts("m5.xlarge"), { ...facts("m5a.xlarge"), maxNetworkInterfaces: 3 }], false), 30);
    });
});

describe("kubelet reservations (nodeadm's formulas, from the pool's own maxPods)", () => {
    it("reserves CPU by slices of the cores: 6% of the first, 1% of the second, 0.5% of the next two, 0.25% above", () => {
        assert.equal(kubeReserved(1, 110).cpu, "60m");
        assert.equal(kubeReserved(2, 110).cpu, "70m");
        assert.equal(kubeReserved(3, 110).cpu, "75m");
        assert.equal(kubeReserved(4, 110).cpu, "80m");
        assert.equal(kubeReserved(8, 110).cpu, "90m");
        // 96 vCPUs: 60 + 10 + 10 + 92 cores x 2.5m.
        assert.equal(kubeReserved(96, 250).cpu, "310m");
    });
    it("reserves 11 MiB per pod plus 255 MiB, and 1Gi of ephemeral storage", () => {
        // The figures of nodeadm's own end-to-end cases on a 2-core machine: 44 pods -> 739Mi, 60 -> 915Mi.
        assert.deepEqual(kubeReserved(2, 44), { cpu: "70m", memory: "739Mi", "ephemeral-storage": "1Gi" });
        assert.deepEqual(kubeReserved(2, 60), { cpu: "70m", memory: "915Mi", "ephemeral-storage": "1Gi" });
        assert.equal(kubeReserved(8, 110).memory, "1465Mi");
        assert.equal(kubeReserved(48, 250).memory, "3005Mi");
    });
    it("refuses nonsense", () => {
        assert.throws(() => kubeReserved(0, 110), /whole positive/);
        assert.throws(() => kubeReserved(2, 1.5), /whole positive/);
    });
});

describe("pod-subnet addresses a node can hold (custom networking)", () => {
    it("prefix delegation: prefixes for maxPods plus the warm one, on as few ENIs as hold them, one block per ENI primary", () => {
        // m5.large: 9 prefix slots per secondary ENI; 110 pods -> 7 prefixes + 1 warm = 8, on 1 ENI.
        assert.deepEqual(nodePodAddresses(facts("m5.large"), 110, true), { enis: 1, prefixes: 8, secondaryIps: 0, units: 9 });
        // m5.8xlarge: 250 pods -> 16 + 1 = 17 prefixes, 29 slots per ENI.
        assert.deepEqual(nodePodAddresses(facts("m5.8xlarge"), 250, true), { enis: 1, prefixes: 17, secondaryIps: 0, units: 18 });
        // Never more prefixes than the secondary ENIs have slots: 1 ENI x 1 slot.
        assert.deepEqual(nodePodAddresses({ maxNetworkInterfaces: 2, ipv4PerInterface: 2 }, 18, true), { enis: 1, prefixes: 1, secondaryIps: 0, units: 2 });
        // More ENIs once one is full: 3 slots per ENI, 60 pods -> 4 + 1 prefixes on 2 ENIs.
        assert.deepEqual(nodePodAddresses({ maxNetworkInterfaces: 4, ipv4PerInterface: 4 }, 60, true), { enis: 2, prefixes: 5, secondaryIps: 0, units: 7 });
    });
    it("secondary IPs: whole ENIs until maxPods is covered, each with its primary address", () => {
        assert.deepEqual(nodePodAddresses(facts("m5.large"), 20, false), { enis: 2, prefixes: 0, secondaryIps: 18, units: 20 });
        assert.deepEqual(nodePodAddresses(facts("m5.xlarge"), 44, false), { enis: 3, prefixes: 0, secondaryIps: 42, units: 45 });
        // A pool whose kubelet admits fewer pods than a larger type could address fills fewer ENIs.
        assert.deepEqual(nodePodAddresses(facts("m5.xlarge"), 20, false), { enis: 2, prefixes: 0, secondaryIps: 28, units: 30 });
    });
    it("offers every aligned /28 of a pod subnet but the two with AWS's reserved addresses, or its usable addresses", () => {
        assert.equal(podSubnetCapacity(18, true), 1022);
        assert.equal(podSubnetCapacity(24, true), 14);
        assert.equal(podSubnetCapacity(28, true), 0);
        assert.equal(podSubnetCapacity(18, false), 16379);
    });
    it("counts each pool at maxSize over the zones, with its most demanding type", () => {
        const demand = podSubnetDemand(
            [
                { name: "a", maxSize: 10, maxPods: 110, instanceTypes: [{ name: "m5.large", facts: facts("m5.large") }] },
                {
                    name: "b",
                    maxSize: 3,
                    maxPods: 20,
                    instanceTypes: [
                        { name: "m5.large", facts: facts("m5.large") },
                        { name: "m5.xlarge", facts: facts("m5.xlarge") },
                    ],
                },
            ],
            3,
            false,
        );
        assert.deepEqual(
            demand.map((d) => [d.pool, d.nodesPerZone, d.instanceType, d.units]),
            [
                ["a", 4, "m5.large", 4 * 20],
                ["b", 1, "m5.xlarge", 30],
            ],
        );
    });
});

describe("GPU facts of a pool", () => {
    it("counts whole GPUs and names them for messages", () => {
        assert.equal(gpuCount(facts("g5.12xlarge")), 4);
        assert.equal(describeGpus(facts("g5.12xlarge")), "4 NVIDIA a10g GPUs");
        assert.equal(describeGpus(facts("g6.xlarge")), "1 NVIDIA l4 GPU");
        assert.equal(gpuCount(facts("g6f.large")), 0);
        assert.equal(describeGpus(facts("g6f.large")), "a fractional NVIDIA l4 GPU");
        assert.equal(describeGpus(facts("g4ad.xlarge")), "1 amd radeon-pro-v520 GPU");
    });
    it("labels the accelerator by model when the types share one, else nvidia", () => {
        assert.deepEqual(poolGpus([facts("g5.xlarge")]), { count: 1, accelerator: "nvidia-a10g" });
        assert.deepEqual(poolGpus([facts("g5.xlarge"), facts("g6.xlarge")]), { count: 1, accelerator: "nvidia" });
    });
    it("GPU pools carry the NoSchedule GPU taint and labels, and tell the autoscaler their GPUs and pods", () => {
        const gpuPool = pool({ accelerator: "nvidia", onDemandPercentageAboveBaseCapacity: 100 });
        const gpus = poolGpus([facts("g5.xlarge")]);
        assert.deepEqual(nodeTaints(gpuPool), [GPU_TAINT]);
        assert.deepEqual(nodeLabels(gpuPool, gpus), {
            "nvidia.com/gpu.present": "true",
            "k8s.amazonaws.com/accelerator": "nvidia-a10g",
            lifecycle: "OnDemand",
            "eks-platform/node-pool": "p",
        });
        assert.deepEqual(nodeTemplateTags({}, nodeTaints(gpuPool), { pods: 110, "nvidia.com/gpu": 1 }), {
            "k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu": "true:NoSchedule",
            "k8s.io/cluster-autoscaler/node-template/resources/pods": "110",
            "k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu": "1",
        });
        // A Spot GPU pool carries both taints.
        assert.deepEqual(nodeTaints(pool({ accelerator: "nvidia" })), [GPU_TAINT, SPOT_TAINT]);
    });
});

const pool = (overrides: Record<string, unknown>) => nodePoolSchema.parse({ name: "p", instanceTypes: ["m5.large"], maxSize: 3, ...overrides });

describe("labels and taints", () => {
    it("labels Spot-capable pools Ec2Spot with the PreferNoSchedule Spot taint", () => {
        const spot = pool({ labels: { team: "web" } });
        assert.ok(hasSpotCapacity(spot));
        assert.deepEqual(nodeLabels(spot, undefined), { team: "web", lifecycle: "Ec2Spot", "eks-platform/node-pool": "p" });
        assert.deepEqual(nodeTaints(spot), [SPOT_TAINT]);
    });
    it("labels all-On-Demand pools OnDemand, untainted", () => {
        const onDemand = pool({ onDemandPercentageAboveBaseCapacity: 100 });
        assert.equal(hasSpotCapacity(onDemand), false);
        assert.equal(nodeLabels(onDemand, undefined).lifecycle, "OnDemand");
        assert.deepEqual(nodeTaints(onDemand), []);
        // A base covering maxSize is all On-Demand too, whatever the percentage.
        assert.equal(hasSpotCapacity(pool({ onDemandBaseCapacity: 3, onDemandPercentageAboveBaseCapacity: 0 })), false);
    });
    it("writes kubelet flags and autoscaler node-template tags from the same labels and taints", () => {
        const p = pool({ taints: [{ key: "dedicated", value: "batch", effect: "NoSchedule" }] });
        assert.equal(nodeLabelsFlag(nodeLabels(p, undefined)), "--node-labels=eks-platform/node-pool=p,lifecycle=Ec2Spot");
        assert.equal(registerWithTaintsFlag(nodeTaints(p)), "--register-with-taints=dedicated=batch:NoSchedule,spotInstance=true:PreferNoSchedule");
        assert.deepEqual(nodeTemplateTags(nodeLabels(p, undefined), nodeTaints(p), {}), {
            "k8s.io/cluster-autoscaler/node-template/label/eks-platform/node-pool": "p",
            "k8s.io/cluster-autoscaler/node-template/label/lifecycle": "Ec2Spot",
            "k8s.io/cluster-autoscaler/node-template/taint/dedicated": "batch:NoSchedule",
            "k8s.io/cluster-autoscaler/node-template/taint/spotInstance": "true:PreferNoSchedule",
        });
    });
});

describe("node user data", () => {
    const args = {
        clusterName: "c1",
        apiServerEndpoint: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
        certificateAuthority: "Q0VSVA==",
        serviceCidr: "172.20.0.0/16",
        maxPods: 20,
        kubeReserved: { cpu: "70m", memory: "475Mi", "ephemeral-storage": "1Gi" },
        labels: { lifecycle: "Ec2Spot" },
        taints: [SPOT_TAINT],
    };
    it("is a MIME multi-part document with one nodeadm NodeConfig part", () => {
        const text = nodeUserData(args);
        const boundary = /boundary="([^"]+)"/.exec(text)?.[1];
        assert.ok(boundary);
        const parts = text.split(`--${boundary}`);
        assert.equal(parts.length, 3, "one part between the opening and closing boundary");
        assert.match(parts[1], /^\nContent-Type: application\/node\.eks\.aws\n\n---\n/);
        assert.ok(parts[2].startsWith("--"), "closing boundary");
        const config = parseYaml(parts[1].split("\n---\n")[1]);
        assert.deepEqual(config, {
            apiVersion: "node.eks.aws/v1alpha1",
            kind: "NodeConfig",
            spec: {
                cluster: { name: "c1", apiServerEndpoint: args.apiServerEndpoint, certificateAuthority: "Q0VSVA==", cidr: "172.20.0.0/16" },
                kubelet: {
                    config: { maxPods: 20, kubeReserved: { cpu: "70m", memory: "475Mi", "ephemeral-storage": "1Gi" } },
                    flags: ["--node-labels=lifecycle=Ec2Spot", "--register-with-taints=spotInstance=true:PreferNoSchedule"],
                },
            },
        });
    });
    it("omits --register-with-taints when a pool has no taints", () => {
        assert.doesNotMatch(nodeUserData({ ...args, taints: [] }), /register-with-taints/);
    });
    it("reads the AL2023 AMI from the public SSM parameter of the version, architecture and variant", () => {
        assert.equal(
            amiParameterName("1.35", "arm64", "standard"),
            "/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/arm64/standard/recommended/image_id",
        );
        assert.equal(amiParameterName("1.36", "x86_64", "nvidia"), "/aws/service/eks/optimized-ami/1.36/amazon-linux-2023/x86_64/nvidia/recommended/image_id");
        assert.equal(amiParameterName("1.36", "arm64", "nvidia"), "/aws/service/eks/optimized-ami/1.36/amazon-linux-2023/arm64/nvidia/recommended/image_id");
        // A dated release, as Karpenter's al2023@<version> alias resolves it.
        assert.equal(
            amiParameterName("1.35", "x86_64", "standard", "v20260930"),
            "/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.35-v20260930/image_id",
        );
        assert.equal(
            amiParameterName("1.35", "x86_64", "nvidia", "v20260930"),
            "/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/nvidia/amazon-eks-node-al2023-x86_64-nvidia-1.35-v20260930/image_id",
        );
    });
});

describe("instance types named in raw settings", () => {
    it("lists each well-formed type once, skipping malformed input for the schema to report", () => {
        const raw = {
            compute: {
                nodePools: [
                    { instanceTypes: ["m5.large", "c5.xlarge", 7] },
                    { instanceTypes: ["m5.large", "NOT A TYPE"] },
                    null,
                    { instanceTypes: "m5.large" },
                ],
            },
        };
        assert.deepEqual(instanceTypesNamedIn(raw), ["c5.xlarge", "m5.large"]);
        assert.deepEqual(instanceTypesNamedIn({}), []);
    });
    it("treats only EC2's InvalidInstanceType as an unknown type; other invoke failures stay errors", () => {
        const answer =
            "invoking aws:ec2/getInstanceType:getInstanceType: operation error EC2: DescribeInstanceTypes, https response error StatusCode: 400, api error InvalidInstanceType: The following supplied instance types do not exist: [m6i.huge]";
        assert.equal(isUnknownInstanceType(new Error(answer)), true);
        assert.equal(
            isUnknownInstanceType(
                new Error("operation error EC2: DescribeInstanceTypes, https response error StatusCode: 403, api error UnauthorizedOperation"),
            ),
            false,
        );
        assert.equal(isUnknownInstanceType(new Error("Throttling: Rate exceeded")), false);
    });
});

describe("termination handler wiring", () => {
    it("routes the five interruption sources, the ASG lifecycle rule only for this cluster's groups", () => {
        const patterns = interruptionEventPatterns(["c1-spot", "c1-base"]) as Record<
            string,
            { source: string[]; "detail-type": string[]; detail?: Record<string, unknown> }
        >;
        assert.deepEqual(Object.keys(patterns).sort(), ["asg-lifecycle", "instance-state", "rebalance", "scheduled-change", "spot-interruption"]);
        assert.deepEqual(patterns["spot-interruption"]["detail-type"], ["EC2 Spot Instance Interruption Warning"]);
        assert.deepEqual(patterns.rebalance["detail-type"], ["EC2 Instance Rebalance Recommendation"]);
        assert.deepEqual(patterns["instance-state"]["detail-type"], ["EC2 Instance State-change Notification"]);
        assert.deepEqual(patterns["scheduled-change"], {
            source: ["aws.health"],
            "detail-type": ["AWS Health Event"],
            detail: { service: ["EC2"], eventTypeCategory: ["scheduledChange"] },
        });
        assert.deepEqual(patterns["asg-lifecycle"].detail, { AutoScalingGroupName: ["c1-spot", "c1-base"] });
    });
    it("lets only the cluster's rules send to the queue, and only over TLS", () => {
        const policy = interruptionQueuePolicy("arn:aws:sqs:eu-west-1:111122223333:q", ["arn:aws:events:eu-west-1:111122223333:rule/r"]);
        const [allow, deny] = policy.Statement;
        assert.deepEqual(allow.Principal, { Service: "events.amazonaws.com" });
        assert.equal(allow.Action, "sqs:SendMessage");
        assert.deepEqual(allow.Condition, { ArnEquals: { "aws:SourceArn": ["arn:aws:events:eu-west-1:111122223333:rule/r"] } });
        assert.equal(deny.Effect, "Deny");
        assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
    });
    it("grants the queue processor exactly its documented actions, mutations scoped", () => {
        const policy = interruptionHandlerPolicy("arn:aws:sqs:eu-west-1:111122223333:q", { scope: SCOPE, clusterName: "c1", groupNamePrefix: "c1-" });
        const actions = policy.Statement.flatMap((s) => [s.Action].flat()).sort();
        assert.deepEqual(actions, [
            "autoscaling:CompleteLifecycleAction",
            "autoscaling:DescribeAutoScalingInstances",
            "autoscaling:DescribeTags",
            "ec2:DescribeInstances",
            "sqs:DeleteMessage",
            "sqs:ReceiveMessage",
        ]);
        const complete = policy.Statement.find((s) => s.Action === "autoscaling:CompleteLifecycleAction")!;
        assert.equal(complete.Resource, "arn:aws:autoscaling:eu-west-1:111122223333:autoScalingGroup:*:autoScalingGroupName/c1-*");
        assert.deepEqual(complete.Condition, { StringEquals: { "aws:ResourceTag/kubernetes.io/cluster/c1": "owned" } });
        const sqs = policy.Statement.find((s) => [s.Action].flat().includes("sqs:ReceiveMessage"))!;
        assert.equal(sqs.Resource, "arn:aws:sqs:eu-west-1:111122223333:q");
    });
});

describe("cluster autoscaler wiring", () => {
    it("conditions SetDesiredCapacity and TerminateInstanceInAutoScalingGroup on the cluster's ASG tags", () => {
        const policy = clusterAutoscalerPolicy({ scope: SCOPE, clusterName: "c1", groupNamePrefix: "c1-" });
        const mutating = policy.Statement.find((s) => [s.Action].flat().includes("autoscaling:SetDesiredCapacity"))!;
        assert.deepEqual([mutating.Action].flat().sort(), ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]);
        assert.deepEqual(mutating.Condition, {
            StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/c1": "owned", "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true" },
        });
        assert.notEqual(mutating.Resource, "*");
        // Everything on "*" is a read.
        policy.Statement.filter((s) => s.Resource === "*")
            .flatMap((s) => [s.Action].flat())
            .forEach((a) => assert.match(a, /:(Describe|Get)/, a));
    });
    it("ranks Spot groups above the others, with anchored, escaped names", () => {
        assert.deepEqual(expanderPriorities(["c1.x-spot"], ["c1.x-base"]), { 50: ["^c1\\.x-spot$"], 10: ["^c1\\.x-base$"] });
        assert.deepEqual(expanderPriorities([], ["c1-base"]), { 10: ["^c1-base$"] });
    });
});
