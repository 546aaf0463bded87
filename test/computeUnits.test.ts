import { strict as assert } from "assert";
import { parse as parseYaml } from "yaml";
import { clusterAutoscalerPolicy, expanderPriorities } from "../components/compute/clusterAutoscaler";
import { instanceTypesNamedIn, isUnknownInstanceType } from "../components/compute/instanceTypeFacts";
import { interruptionEventPatterns, interruptionHandlerPolicy, interruptionQueuePolicy } from "../components/compute/interruptionHandler";
import { hasSpotCapacity, nodeLabels, nodeLabelsFlag, nodeTaints, nodeTemplateTags, registerWithTaintsFlag, SPOT_TAINT } from "../components/compute/labels";
import { maxPodsFor, poolMaxPods } from "../components/compute/maxPods";
import { nodePoolSchema } from "../components/compute/settings";
import { amiParameterName, nodeUserData } from "../components/compute/userData";
import type { InstanceTypeFacts } from "../config";
import { offlineInstanceTypeFacts } from "../tools/harness/awsFacts";

const SCOPE = { region: "eu-west-1", accountId: "111122223333", partition: "aws" };

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

const pool = (overrides: Record<string, unknown>) => nodePoolSchema.parse({ name: "p", instanceTypes: ["m5.large"], maxSize: 3, ...overrides });

describe("labels and taints", () => {
    it("labels Spot-capable pools Ec2Spot with the PreferNoSchedule Spot taint", () => {
        const spot = pool({ labels: { team: "web" } });
        assert.ok(hasSpotCapacity(spot));
        assert.deepEqual(nodeLabels(spot), { team: "web", lifecycle: "Ec2Spot", "eks-platform/node-pool": "p" });
        assert.deepEqual(nodeTaints(spot), [SPOT_TAINT]);
    });
    it("labels all-On-Demand pools OnDemand, untainted", () => {
        const onDemand = pool({ onDemandPercentageAboveBaseCapacity: 100 });
        assert.equal(hasSpotCapacity(onDemand), false);
        assert.equal(nodeLabels(onDemand).lifecycle, "OnDemand");
        assert.deepEqual(nodeTaints(onDemand), []);
        // A base covering maxSize is all On-Demand too, whatever the percentage.
        assert.equal(hasSpotCapacity(pool({ onDemandBaseCapacity: 3, onDemandPercentageAboveBaseCapacity: 0 })), false);
    });
    it("writes kubelet flags and autoscaler node-template tags from the same labels and taints", () => {
        const p = pool({ taints: [{ key: "dedicated", value: "batch", effect: "NoSchedule" }] });
        assert.equal(nodeLabelsFlag(nodeLabels(p)), "--node-labels=eks-platform/node-pool=p,lifecycle=Ec2Spot");
        assert.equal(registerWithTaintsFlag(nodeTaints(p)), "--register-with-taints=dedicated=batch:NoSchedule,spotInstance=true:PreferNoSchedule");
        assert.deepEqual(nodeTemplateTags(nodeLabels(p), nodeTaints(p)), {
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
                kubelet: { config: { maxPods: 20 }, flags: ["--node-labels=lifecycle=Ec2Spot", "--register-with-taints=spotInstance=true:PreferNoSchedule"] },
            },
        });
    });
    it("omits --register-with-taints when a pool has no taints", () => {
        assert.doesNotMatch(nodeUserData({ ...args, taints: [] }), /register-with-taints/);
    });
    it("reads the AL2023 AMI from the public SSM parameter of the version and architecture", () => {
        assert.equal(amiParameterName("1.35", "arm64"), "/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/arm64/standard/recommended/image_id");
        // A dated release, as Karpenter's al2023@<version> alias resolves it.
        assert.equal(
            amiParameterName("1.35", "x86_64", "v20260930"),
            "/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.35-v20260930/image_id",
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
