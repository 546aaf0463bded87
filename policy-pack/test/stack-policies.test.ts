import { strict as assert } from "assert";
import { UNKNOWN, evaluateWithUndecided, type PlannedResource } from "../evaluate";
import { compliantAwsCluster, compliantComponentCluster } from "./fixtures/eks";
import { irsaRole } from "./fixtures/iam";
import { spotGroup } from "./fixtures/nodes";
import { eniConfig, subnet, vpcEndpoint } from "./fixtures/stack";
import { ebsStorageClass } from "./fixtures/storage";
import { planned } from "./fixtures/types";

async function verdict(policy: string, resources: PlannedResource[], config: Record<string, unknown> = {}) {
    const { violations, undecided } = await evaluateWithUndecided(resources, { config });
    return {
        violations: violations.filter((violation) => violation.policy === policy),
        undecided: undecided.filter((entry) => entry.policy === policy),
    };
}

function named(resource: PlannedResource, name: string): PlannedResource {
    return { ...resource, name, urn: `urn:pulumi:test::stack::${resource.type}::${name}` };
}

describe("stack policy: cluster-spans-availability-zones", () => {
    const policy = "cluster-spans-availability-zones";

    it("is undecided, not passed, when the cluster's subnets cannot be found in the stack", async () => {
        const { violations, undecided } = await verdict(policy, [compliantComponentCluster()]);
        assert.equal(violations.length, 0);
        assert.equal(undecided.length, 1);
    });

    it("falls back to the cluster tag when subnet IDs are unknown at preview", async () => {
        const cluster = compliantComponentCluster({ name: "platform", privateSubnetIds: [UNKNOWN, UNKNOWN] });
        const subnets = [
            subnet("s1", "eu-west-1a", { "kubernetes.io/cluster/platform": "owned" }),
            subnet("s2", "eu-west-1a", { "kubernetes.io/cluster/platform": "owned" }),
        ];
        const { violations, undecided } = await verdict(policy, [cluster, ...subnets]);
        assert.equal(undecided.length, 0);
        assert.equal(violations.length, 1);
    });

    it("judges each cluster on its own subnets and reports on that cluster", async () => {
        const good = named(compliantComponentCluster({ privateSubnetIds: ["a1", "b1"] }), "good");
        const bad = named(compliantAwsCluster({}, { subnetIds: ["a2", "a3"] }), "bad");
        const subnets = [subnet("a1", "eu-west-1a"), subnet("b1", "eu-west-1b"), subnet("a2", "eu-west-1a"), subnet("a3", "eu-west-1a")];
        const { violations } = await verdict(policy, [good, bad, ...subnets]);
        assert.deepEqual(
            violations.map((violation) => violation.urn),
            [bad.urn],
        );
    });
});

describe("stack policy: cluster-no-public-endpoint", () => {
    it("reports each public cluster, including ones whose endpoint is public only by default", async () => {
        const implicit = named(planned("aws:eks/cluster:Cluster", { roleArn: "r", vpcConfig: { subnetIds: ["s"] } }), "implicit");
        const privateOne = named(compliantComponentCluster(), "private");
        const { violations } = await verdict("cluster-no-public-endpoint", [implicit, privateOne]);
        assert.deepEqual(
            violations.map((violation) => violation.urn),
            [implicit.urn],
        );
    });
});

describe("stack policy: private-cluster-vpc-endpoints", () => {
    const policy = "private-cluster-vpc-endpoints";

    it("does not apply to a public cluster", async () => {
        const { violations } = await verdict(policy, [compliantAwsCluster({}, { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] })]);
        assert.equal(violations.length, 0);
    });

    it("names the missing services, honouring a configured list", async () => {
        const { violations } = await verdict(policy, [compliantComponentCluster(), vpcEndpoint("s3")], {
            [policy]: { requiredServices: ["s3", "autoscaling"] },
        });
        assert.equal(violations.length, 1);
        assert.match(violations[0].message, /for: autoscaling\.$/);
    });
});

describe("stack policy: spot-interruption-handler", () => {
    it("reports every Spot group when no handler is installed, and none once the chart is", async () => {
        const groups = [named(spotGroup(), "spot-a"), named(spotGroup(), "spot-b")];
        assert.equal((await verdict("spot-interruption-handler", groups)).violations.length, 2);
        const handler = planned("kubernetes:helm.sh/v3:Release", { chart: "aws-node-termination-handler" });
        assert.equal((await verdict("spot-interruption-handler", [...groups, handler])).violations.length, 0);
    });

    it("is undecided when a chart whose name is unknown could be the handler", async () => {
        const unnamedChart = planned("kubernetes:helm.sh/v4:Chart", { chart: UNKNOWN });
        const { violations, undecided } = await verdict("spot-interruption-handler", [spotGroup(), unnamedChart]);
        assert.equal(violations.length, 0);
        assert.equal(undecided.length, 1);
    });

    it("still reports a known Spot group when another group's distribution is unknown", async () => {
        const known = named(spotGroup(), "known");
        const unknown = named(planned("aws:autoscaling/group:Group", { mixedInstancesPolicy: UNKNOWN }), "unknown");
        const { violations, undecided } = await verdict("spot-interruption-handler", [known, unknown]);
        assert.deepEqual(
            violations.map((violation) => violation.urn),
            [known.urn],
        );
        assert.equal(undecided.length, 1);
    });
});

describe("stack policy: storage-class-driver-installed", () => {
    it("accepts the driver installed as a Helm chart", async () => {
        const chart = planned("kubernetes:helm.sh/v4:Chart", {
            chart: "aws-ebs-csi-driver",
            repositoryOpts: { repo: "https://kubernetes-sigs.github.io/aws-ebs-csi-driver" },
        });
        assert.equal((await verdict("storage-class-driver-installed", [ebsStorageClass(), chart])).violations.length, 0);
    });
});

describe("stack policy: irsa-one-role-per-service-account", () => {
    it("reports every role that shares a service account, and none of the others", async () => {
        const shared = [named(irsaRole("a"), "a"), named(irsaRole("b"), "b")];
        const alone = named(irsaRole("c", "system:serviceaccount:orders:orders"), "c");
        const { violations } = await verdict("irsa-one-role-per-service-account", [...shared, alone]);
        assert.deepEqual(violations.map((violation) => violation.urn).sort(), shared.map((role) => role.urn).sort());
    });
});

describe("stack policy: vpc-flow-logs-enabled", () => {
    it("is undecided while the VPC has no ID (preview)", async () => {
        const vpc = planned("aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.0/16" });
        const { violations, undecided } = await verdict("vpc-flow-logs-enabled", [vpc, planned("aws:ec2/flowLog:FlowLog", { vpcId: UNKNOWN })]);
        assert.equal(violations.length, 0);
        assert.equal(undecided.length, 1);
    });

    it("reports a VPC with no flow log at all", async () => {
        const vpc: PlannedResource = { type: "aws:ec2/vpc:Vpc", name: "vpc", id: "vpc-9", props: {} };
        assert.equal((await verdict("vpc-flow-logs-enabled", [vpc])).violations.length, 1);
    });
});

describe("stack policy: custom-networking-complete", () => {
    const policy = "custom-networking-complete";
    const subnets = [subnet("subnet-a", "eu-west-1a"), subnet("subnet-b", "eu-west-1b")];

    it("reads custom networking from an eks.VpcCniAddon", async () => {
        const addOn = planned("eks:index:VpcCniAddon", {
            clusterName: "platform",
            cniCustomNetworkCfg: true,
            eniConfigLabelDef: "topology.kubernetes.io/zone",
        });
        const { violations } = await verdict(policy, [compliantComponentCluster(), addOn, ...subnets, eniConfig("eu-west-1a")]);
        assert.deepEqual(
            violations.map((violation) => violation.message),
            ["No ENIConfig for AZ(s) eu-west-1b."],
        );
    });

    it("ignores vpc-cni add-ons that leave custom networking off", async () => {
        const addOn = planned("aws:eks/addon:Addon", {
            addonName: "vpc-cni",
            configurationValues: JSON.stringify({ env: { ENABLE_PREFIX_DELEGATION: "true" } }),
        });
        assert.equal((await verdict(policy, [compliantAwsCluster(), addOn, ...subnets])).violations.length, 0);
    });
});

describe("stack policy: node-pool-pod-density", () => {
    const policy = "node-pool-pod-density";
    const group = (launchTemplateId: unknown) =>
        planned("aws:autoscaling/group:Group", {
            maxSize: 3,
            mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { launchTemplateId }, overrides: [{ instanceType: "m5.large" }] } },
        });

    it("is undecided when the group's launch template ID is unknown and nothing else links it", async () => {
        const template = planned("aws:ec2/launchTemplate:LaunchTemplate", { userData: Buffer.from("kind: NodeConfig # node.eks.aws").toString("base64") });
        const { violations, undecided } = await verdict(policy, [template, group(UNKNOWN)]);
        assert.equal(violations.length, 0);
        assert.equal(undecided.length, 1);
    });

    it("passes a group whose launch template lives outside the stack", async () => {
        const { violations, undecided } = await verdict(policy, [group("lt-elsewhere")]);
        assert.deepEqual([violations, undecided], [[], []]);
    });
});
