import { strict as assert } from "assert";
import { ConfigError } from "../config";
import { parseStackConfig } from "../config/stack";
import { identityOf, mockRegionFacts, renderNamedStack, renderStackWith, stackSettingsOf } from "./support";

function devSettings(): Record<string, unknown> {
    return stackSettingsOf("dev").settings;
}

function problemsOf(settings: Record<string, unknown>): string[] {
    try {
        parseStackConfig(settings, mockRegionFacts(settings, "eu-west-1", "dev"), identityOf("dev"), { source: "test" });
    } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        return error.problems.map((p) => `${p.path} = ${JSON.stringify(p.value)}: ${p.message}`);
    }
    assert.fail("expected a ConfigError");
}

describe("stack configuration", () => {
    it("applies the schema defaults where a stack file is silent", async () => {
        const { program } = await renderNamedStack("prod");
        assert.equal(program.config.network.azCount, 3);
        assert.equal(program.config.cluster.endpointAccess, "private");
        assert.equal(program.config.compute.nodePools[1].spotAllocationStrategy, "price-capacity-optimized");
        assert.equal(program.config.clusterName, "eks-platform-prod");
    });

    it("rejects unknown keys, naming the path and the keys allowed there", () => {
        const settings = devSettings();
        (settings.network as Record<string, unknown>).natGateway = "single";
        settings.clustr = {};
        const problems = problemsOf(settings);
        assert.ok(
            problems.some((p) =>
                /^network\.natGateway = "single": is not a known setting; did you mean "natGateways"\? allowed here: vpcCidr, podCidr, azCount, .*natGateways/.test(
                    p,
                ),
            ),
            problems.join("\n"),
        );
        assert.ok(
            problems.some((p) =>
                /^clustr = \{\}: is not a known setting; did you mean "cluster"\? allowed here: environment, tags, iam, network, cluster/.test(p),
            ),
            problems.join("\n"),
        );
    });

    it("rejects a secondary CIDR outside the ranges AWS allows for pods", () => {
        const settings = devSettings();
        (settings.network as Record<string, unknown>).podCidr = "10.99.0.0/16";
        assert.match(problemsOf(settings).join("\n"), /network\.podCidr = "10\.99\.0\.0\/16": must lie inside 100\.64\.0\.0\/10 or 198\.19\.0\.0\/16/);
    });

    it("rejects an AZ count below two", () => {
        const settings = devSettings();
        (settings.network as Record<string, unknown>).azCount = 1;
        assert.match(problemsOf(settings).join("\n"), /network\.azCount = 1: must be at least 2/);
    });

    it("rejects pod subnets too small for the pods the node pools can place in one AZ", () => {
        const settings = devSettings();
        // Without prefix delegation an m5.large node fills its 2 secondary ENIs: 2 x 9 pod addresses + 2 ENI primaries.
        (settings.cluster as Record<string, unknown>).prefixDelegation = false;
        Object.assign(settings.network as Record<string, unknown>, { podCidr: "100.64.0.0/24", podSubnetPrefix: 26 });
        ((settings.compute as Record<string, unknown>).nodePools as Record<string, unknown>[])[0].maxSize = 9;
        assert.match(
            problemsOf(settings).join("\n"),
            /network\.podSubnetPrefix = 26: makes each pod subnet too small .* each hold 59 pod addresses .* but one zone needs 60: pool spot-general: 3 node\(s\) per zone at maxSize × m5\.large \(18 pod addresses \+ 2 ENI primary address\(es\) = 20 addresses\) = 60/,
        );
    });

    it("rejects a service CIDR overlapping the VPC", () => {
        const settings = devSettings();
        (settings.cluster as Record<string, unknown>).serviceCidr = "10.10.128.0/20";
        assert.match(problemsOf(settings).join("\n"), /cluster\.serviceCidr = "10\.10\.128\.0\/20": overlaps network\.vpcCidr 10\.10\.0\.0\/16/);
    });

    it("rejects a CloudWatch retention CloudWatch does not accept", () => {
        const settings = devSettings();
        (settings.cluster as Record<string, unknown>).logRetentionDays = 45;
        assert.match(problemsOf(settings).join("\n"), /cluster\.logRetentionDays = 45: must be one of CloudWatch's retention periods: 1, 3, 5/);
    });

    it("rejects min > max and desired outside the range in a node pool", () => {
        const settings = devSettings();
        const pool = ((settings.compute as Record<string, unknown>).nodePools as Record<string, unknown>[])[0];
        Object.assign(pool, { minSize: 5, maxSize: 3, desiredSize: 4 });
        const problems = problemsOf(settings).join("\n");
        assert.match(problems, /compute\.nodePools\[0\]\.minSize = 5: must be at most maxSize \(3\)/);
        assert.match(problems, /compute\.nodePools\[0\]\.desiredSize = 4: must lie between minSize \(5\) and maxSize \(3\)/);
    });

    it("lists every problem in one message rather than stopping at the first", () => {
        const settings = devSettings();
        settings.environment = "qa";
        (settings.network as Record<string, unknown>).natGateways = "two";
        const problems = problemsOf(settings);
        assert.equal(problems.length, 2, problems.join("\n"));
        assert.equal(problems[0], 'environment = "qa": must be one of "dev", "staging", "prod"');
    });

    it("fails a stack before any resource registers", async () => {
        const message = await renderStackWith("prod", { "eks-platform:cluster": { kubernetesVersion: "1.29" } }).then(
            () => assert.fail("the stack rendered"),
            (error: Error) => error.message,
        );
        assert.match(message, /^Invalid stack configuration in stacks\/Pulumi\.prod\.yaml \(with test overrides\) \(1 problem\):/);
        assert.match(
            message,
            /cluster\.kubernetesVersion = "1\.29": must be a Kubernetes version in EKS standard support .*: 1\.34 \(standard support until 2026-12-02\), 1\.35/,
        );
    });
});
