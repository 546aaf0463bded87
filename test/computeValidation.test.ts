import { strict as assert } from "assert";
import { configErrorOf, ofType, parseStackWith, renderStackWith } from "./support";

/** The dev stack's compute settings with its one pool replaced by `pool` (plus top-level overrides). */
const withPool = (pool: Record<string, unknown>, compute: Record<string, unknown> = {}) => ({
    "eks-platform:compute": { nodePools: [{ name: "spot-general", maxSize: 6, desiredSize: 1, ...pool }], ...compute },
});
const SPOT_TYPES = ["m5.large", "m5a.large", "m6i.large", "m6a.large"];

describe("compute validation rejects bad node pools with messages naming the setting", () => {
    it("mixed shapes: a type whose vCPU or memory differs from the pool's first", async () => {
        const message = await configErrorOf("dev", withPool({ instanceTypes: ["m5.large", "m5a.large", "m6i.large", "r5.large", "m5.xlarge"] }));
        assert.match(message, /compute\.nodePools\[0\]\.instanceTypes\[3\] = "r5\.large": has 2 vCPU \/ 16 GiB but m5\.large has 2 vCPU \/ 8 GiB/);
        assert.match(message, /compute\.nodePools\[0\]\.instanceTypes\[4\] = "m5\.xlarge": has 4 vCPU \/ 16 GiB/);
    });

    it("too few types for a pool with Spot capacity", async () => {
        const message = await configErrorOf("dev", withPool({ instanceTypes: ["m5.large", "m5a.large"] }));
        assert.match(message, /compute\.nodePools\[0\]\.instanceTypes = .*needs at least 4 distinct instance types \(compute\.minSpotInstanceTypes\)/);
    });

    it("accepts few types on an all-On-Demand pool, and honours a lower minSpotInstanceTypes", async () => {
        for (const overrides of [
            withPool({ instanceTypes: ["m5.large"], onDemandPercentageAboveBaseCapacity: 100 }),
            withPool({ instanceTypes: ["m5.large", "m5a.large"] }, { minSpotInstanceTypes: 2 }),
        ]) {
            const { resources } = await renderStackWith("dev", overrides);
            assert.equal(ofType(resources, "aws:autoscaling/group:Group").length, 1);
        }
    });

    it("min > max and desired outside [min, max]", async () => {
        const message = await configErrorOf("dev", withPool({ instanceTypes: SPOT_TYPES, minSize: 5, maxSize: 2, desiredSize: 1 }));
        assert.match(message, /compute\.nodePools\[0\]\.minSize = 5: must be at most maxSize \(2\)/);
        assert.match(message, /compute\.nodePools\[0\]\.desiredSize = 1: must lie between minSize \(5\) and maxSize \(2\)/);
    });

    it("an instance type EC2 does not know (at pulumi up), named by its index", () => {
        // lookUpInstanceTypes turns EC2's InvalidInstanceType answer into unknownInstanceTypes, which the
        // parser's facts hold for a type the offline table lacks.
        assert.throws(
            () => parseStackWith("dev", withPool({ instanceTypes: [...SPOT_TYPES, "m6i.huge"] })),
            /compute\.nodePools\[0\]\.instanceTypes\[4\] = "m6i\.huge": is not an EC2 instance type offered in this region/,
        );
    });

    it("an instance type the offline table does not know is refused as such, never as EC2's answer", async () => {
        const message = await renderStackWith("dev", withPool({ instanceTypes: [...SPOT_TYPES, "m6i.huge"] })).then(
            () => assert.fail("the stack rendered"),
            (error: Error) => error.message,
        );
        assert.match(message, /The offline plan has no data for 1 instance type in stacks\/Pulumi\.dev\.yaml \(with test overrides\):/);
        assert.match(
            message,
            /compute\.nodePools\[0\]\.instanceTypes\[4\] = "m6i\.huge": not in the offline instance-type table; check the spelling \(m6i comes in large, xlarge, 2xlarge, /,
        );
        assert.match(message, /npm run -s facts:generate/);
        assert.doesNotMatch(message, /InvalidInstanceType|offered in this region/);
    });

    it("a type whose architecture is not the pool's", async () => {
        const message = await configErrorOf(
            "dev",
            withPool(
                { instanceTypes: ["m6g.xlarge", "m7g.xlarge", "m8g.xlarge", "m6i.xlarge"], architecture: "arm64" },
                { allowedInstanceFamilies: ["m6g", "m7g", "m8g", "m6i"] },
            ),
        );
        assert.match(message, /compute\.nodePools\[0\]\.instanceTypes\[3\] = "m6i\.xlarge": runs x86_64, but the pool's architecture is arm64/);
    });

    it("a family outside allowedInstanceFamilies, and a type listed twice", async () => {
        const message = await configErrorOf("dev", withPool({ instanceTypes: ["m5.large", "m5.large", "m6i.large", "m6a.large", "t3.large"] }));
        assert.match(message, /compute\.nodePools\[0\]\.instanceTypes\[4\] = "t3\.large": is of family "t3", not in compute\.allowedInstanceFamilies/);
        assert.match(
            message,
            /compute\.nodePools\[0\]\.instanceTypes\[1\] = "m5\.large": is listed twice \(also at compute\.nodePools\[0\]\.instanceTypes\[0\]\)/,
        );
    });

    it("duplicate pool names", async () => {
        const pool = { name: "same", instanceTypes: SPOT_TYPES, maxSize: 2 };
        const message = await configErrorOf("dev", { "eks-platform:compute": { nodePools: [pool, pool] } });
        assert.match(message, /compute\.nodePools\[1\]\.name = "same": repeats compute\.nodePools\[0\] \(name "same"\)/);
    });

    it("a pool kubelet newer than the control plane, or more than three minors older", async () => {
        const newer = await configErrorOf("dev", {
            ...withPool({ instanceTypes: SPOT_TYPES, kubernetesVersion: "1.36" }),
            "eks-platform:cluster": { kubernetesVersion: "1.35" },
        });
        assert.match(newer, /compute\.nodePools\[0\]\.kubernetesVersion = "1\.36": is newer than the control plane/);
        const older = await configErrorOf("dev", withPool({ instanceTypes: SPOT_TYPES, kubernetesVersion: "1.31" }));
        assert.match(
            older,
            /compute\.nodePools\[0\]\.kubernetesVersion = "1\.31": is 5 minors behind the control plane \(1\.36\); the version-skew policy allows at most 3/,
        );
    });

    it("pools whose pods cannot fit the pod subnets, counted from each type's maxPods", async () => {
        // m5.large holds 20 pods under custom networking: 900 nodes per AZ need 18000 of a /18's 16379.
        const message = await configErrorOf("dev", withPool({ instanceTypes: SPOT_TYPES, maxSize: 2700 }));
        assert.match(
            message,
            /network\.podSubnetPrefix = 18: gives 16379 pod IPs per AZ, but the node pools at maxSize put up to 900 nodes in one AZ needing 18000/,
        );
        await renderStackWith("dev", withPool({ instanceTypes: SPOT_TYPES, maxSize: 2400 }));
    });

    it("large nodes with prefix delegation reserve 250 pods' worth of /28 blocks, not 110", async () => {
        const bigPool = { name: "big", instanceTypes: ["m5.8xlarge"], onDemandPercentageAboveBaseCapacity: 100, minSize: 1, maxSize: 200 };
        const message = await configErrorOf("dev", { "eks-platform:cluster": { prefixDelegation: true }, "eks-platform:compute": { nodePools: [bigPool] } });
        // 67 nodes per AZ x 256 addresses (16 blocks of 16) = 17152.
        assert.match(
            message,
            /network\.podSubnetPrefix = 18: gives 16379 pod IPs per AZ, but the node pools at maxSize put up to 67 nodes in one AZ needing 17152/,
        );
    });

    it("the price expander, which AWS does not implement", async () => {
        const message = await configErrorOf("dev", withPool({ instanceTypes: SPOT_TYPES }, { clusterAutoscaler: { expander: "price" } }));
        assert.match(message, /compute\.clusterAutoscaler\.expander = "price": the price expander has no AWS implementation/);
    });
});

describe("compute validation of the first nodes", () => {
    it("rejects pools that would all start empty, since the system pods need a node", async () => {
        const message = await configErrorOf("dev", withPool({ instanceTypes: SPOT_TYPES, minSize: 0, desiredSize: 0 }));
        assert.match(message, /compute\.nodePools = .*: start no node: CoreDNS, the termination handler and the Cluster Autoscaler itself need one/);
    });
});
