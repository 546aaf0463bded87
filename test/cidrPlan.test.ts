import { strict as assert } from "assert";
import { CidrPlanError, cidrContains, cidrsOverlap, planCidrs, usableIps } from "../components/network/cidrPlan";

const zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const base = {
    vpcCidr: "10.0.0.0/16",
    podCidr: "100.64.0.0/16",
    availabilityZones: zones,
    privateSubnetPrefix: 20,
    publicSubnetPrefix: 24,
    podSubnetPrefix: 18,
};

function problemsOf(input: typeof base): string[] {
    try {
        planCidrs(input);
    } catch (error) {
        assert.ok(error instanceof CidrPlanError);
        return error.problems.map((p) => `${p.path}: ${p.message}`);
    }
    assert.fail("expected a CidrPlanError");
}

describe("planCidrs", () => {
    it("lays out aligned, non-overlapping subnets per tier and AZ", () => {
        const plan = planCidrs(base);
        assert.deepEqual(
            plan.privateSubnets.map((s) => s.cidr),
            ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"],
        );
        assert.deepEqual(
            plan.publicSubnets.map((s) => s.cidr),
            ["10.0.48.0/24", "10.0.49.0/24", "10.0.50.0/24"],
        );
        assert.deepEqual(
            plan.podSubnets.map((s) => s.cidr),
            ["100.64.0.0/18", "100.64.64.0/18", "100.64.128.0/18"],
        );
        assert.deepEqual(
            plan.podSubnets.map((s) => s.availabilityZone),
            zones,
        );
        const all = [...plan.privateSubnets, ...plan.publicSubnets].map((s) => s.cidr);
        all.forEach((a, i) => all.slice(i + 1).forEach((b) => assert.ok(!cidrsOverlap(a, b))));
        all.forEach((c) => assert.ok(cidrContains(base.vpcCidr, c)));
    });

    it("reports usable pod IPs per AZ net of AWS's five reserved addresses", () => {
        assert.equal(planCidrs(base).usablePodIpsPerAz, 16384 - 5);
        assert.equal(usableIps(28), 11);
    });

    it("aligns a smaller tier placed after a larger one", () => {
        const plan = planCidrs({ ...base, privateSubnetPrefix: 24, publicSubnetPrefix: 26, availabilityZones: zones.slice(0, 2) });
        assert.deepEqual(
            plan.privateSubnets.map((s) => s.cidr),
            ["10.0.0.0/24", "10.0.1.0/24"],
        );
        assert.deepEqual(
            plan.publicSubnets.map((s) => s.cidr),
            ["10.0.2.0/26", "10.0.2.64/26"],
        );
    });

    it("rejects a pod CIDR outside 100.64.0.0/10 and 198.19.0.0/16", () => {
        assert.match(problemsOf({ ...base, podCidr: "10.1.0.0/16" })[0], /network\.podCidr: must lie inside 100\.64\.0\.0\/10 or 198\.19\.0\.0\/16/);
        assert.deepEqual(problemsOf({ ...base, podCidr: "198.18.0.0/16" }).length, 1);
        assert.doesNotThrow(() => planCidrs({ ...base, podCidr: "198.19.0.0/16" }));
    });

    it("rejects malformed CIDRs and host bits, listing every problem at once", () => {
        const problems = problemsOf({ ...base, vpcCidr: "10.0.0.1/16", podCidr: "100.64.0.0/33" });
        assert.equal(problems.length, 2);
        assert.match(problems[0], /network\.vpcCidr: is not an IPv4 CIDR in network form/);
        assert.match(problems[1], /network\.podCidr: is not an IPv4 CIDR/);
    });

    it("rejects subnets that do not fit the VPC or the pod CIDR", () => {
        const problems = problemsOf({ ...base, vpcCidr: "10.0.0.0/20", podCidr: "100.64.0.0/20" });
        assert.ok(
            problems.some((p) => /network\.privateSubnetPrefix: leaves no room: 3 private \/20 subnets/.test(p)),
            problems.join("\n"),
        );
        assert.ok(
            problems.some((p) => /network\.podSubnetPrefix: does not fit: 3 pod \/18 subnets/.test(p)),
            problems.join("\n"),
        );
    });

    it("rejects overlapping primary and secondary ranges", () => {
        assert.match(problemsOf({ ...base, vpcCidr: "100.64.0.0/16", podCidr: "100.64.0.0/16" }).join("\n"), /overlaps network\.vpcCidr/);
    });
});
