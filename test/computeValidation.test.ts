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

    it("an undersized pod subnet, named with the pools, their nodes per zone and the /28 arithmetic", async () => {
        // Each /24 pod subnet has 16 aligned /28 blocks, 14 without the two holding AWS's reserved addresses.
        // An m5.large node at 110 pods takes 7 prefixes + 1 warm + 1 block its ENI's primary address may spoil.
        const network = { "eks-platform:network": { podCidr: "100.64.0.0/22", podSubnetPrefix: 24 } };
        const message = await configErrorOf("dev", { ...network, ...withPool({ instanceTypes: SPOT_TYPES, maxSize: 4 }) });
        assert.match(
            message,
            /network\.podSubnetPrefix = 24: makes each pod subnet too small for the node pools at maxSize: eks-platform-dev-pods-eu-west-1a \(100\.64\.0\.0\/24\), eks-platform-dev-pods-eu-west-1b \(100\.64\.1\.0\/24\), eks-platform-dev-pods-eu-west-1c \(100\.64\.2\.0\/24\) each hold 14 \/28 prefix blocks/,
        );
        assert.match(
            message,
            /but one zone needs 18: pool spot-general: 2 node\(s\) per zone at maxSize × m5\.large \(7 prefix\(es\) for 110 pods \+ 1 warm \+ 1 for ENI primary address\(es\) = 9 blocks\) = 18/,
        );
        // One node per zone fits.
        parseStackWith("dev", { ...network, ...withPool({ instanceTypes: SPOT_TYPES, maxSize: 3 }) });
    });

    it("sums every pool in the zone", async () => {
        const network = { "eks-platform:network": { podCidr: "100.64.0.0/22", podSubnetPrefix: 24 } };
        const pools = [
            { name: "a", instanceTypes: ["m5.large"], onDemandPercentageAboveBaseCapacity: 100, minSize: 1, maxSize: 3 },
            { name: "b", instanceTypes: ["m5.large"], onDemandPercentageAboveBaseCapacity: 100, maxSize: 3 },
        ];
        const message = await configErrorOf("dev", { ...network, "eks-platform:compute": { nodePools: pools } });
        assert.match(message, /one zone needs 18: pool a: 1 node\(s\) per zone .* = 9; pool b: 1 node\(s\) per zone .* = 9/);
    });

    it("without prefix delegation, counts the addresses of every secondary ENI a node fills", async () => {
        // m5.large: 2 secondary ENIs x (9 pod addresses + 1 primary) = 20 per node; 900 nodes per AZ need 18000 of a /18's 16379.
        const message = await configErrorOf("dev", {
            "eks-platform:cluster": { prefixDelegation: false },
            ...withPool({ instanceTypes: SPOT_TYPES, maxSize: 2700 }),
        });
        assert.match(message, /each hold 16379 pod addresses .* but one zone needs 18000: pool spot-general: 900 node\(s\) per zone/);
        parseStackWith("dev", { "eks-platform:cluster": { prefixDelegation: false }, ...withPool({ instanceTypes: SPOT_TYPES, maxSize: 2400 }) });
    });

    it("large nodes with prefix delegation reserve 250 pods' worth of /28 blocks, not 110", async () => {
        const bigPool = { name: "big", instanceTypes: ["m5.8xlarge"], onDemandPercentageAboveBaseCapacity: 100, minSize: 1, maxSize: 200 };
        const message = await configErrorOf("dev", { "eks-platform:compute": { nodePools: [bigPool] } });
        // 67 nodes per AZ x (16 prefixes for 250 pods + 1 warm + 1 ENI primary) = 1206 of 1022 blocks.
        assert.match(
            message,
            /each hold 1022 \/28 prefix blocks .* but one zone needs 1206: pool big: 67 node\(s\) per zone at maxSize × m5\.8xlarge \(16 prefix\(es\) for 250 pods/,
        );
    });

    it("prefix delegation refuses instance types that are not Nitro, naming the type", async () => {
        const message = await configErrorOf(
            "dev",
            withPool(
                { instanceTypes: ["m5.large", "m4.large", "t2.large"], onDemandPercentageAboveBaseCapacity: 100 },
                { allowedInstanceFamilies: ["m5", "m4", "t2"] },
            ),
        );
        assert.match(
            message,
            /compute\.nodePools\[0\]\.instanceTypes\[1\] = "m4\.large": runs on the xen hypervisor; VPC CNI prefix delegation \(cluster\.prefixDelegation, on by default\)/,
        );
        assert.match(message, /compute\.nodePools\[0\]\.instanceTypes\[2\] = "t2\.large": runs on the xen hypervisor/);
        assert.doesNotMatch(message, /instanceTypes\[0\]/);
        // Without prefix delegation Xen types are fine.
        parseStackWith("dev", {
            "eks-platform:cluster": { prefixDelegation: false },
            ...withPool({ instanceTypes: ["m4.large", "t2.large"], onDemandPercentageAboveBaseCapacity: 100 }, { allowedInstanceFamilies: ["m4", "t2"] }),
        });
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
