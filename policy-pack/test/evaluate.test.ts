import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { PULUMI_UNKNOWN_STRING, UNKNOWN, evaluate, evaluateWithUndecided, loadStackConfig, type PlannedResource } from "../evaluate";
import { compliantAwsCluster, compliantComponentCluster } from "./fixtures/eks";
import { compliantLaunchTemplate } from "./fixtures/nodes";
import { deployment, restrictedContainer, restrictedPodSpec } from "./fixtures/kubernetes";
import { planned } from "./fixtures/types";

const SG = "aws:ec2/securityGroup:SecurityGroup";

describe("evaluate: the insecure stack", () => {
    const insecure: PlannedResource[] = [
        planned(
            "aws:eks/cluster:Cluster",
            { roleArn: "arn:aws:iam::111122223333:role/eks", vpcConfig: { subnetIds: ["subnet-a"], publicAccessCidrs: ["0.0.0.0/0"] } },
            "cluster",
        ),
        planned("aws:ec2/launchTemplate:LaunchTemplate", { instanceType: "m7i.large", metadataOptions: { httpTokens: "optional" } }, "nodes"),
        planned("aws:efs/fileSystem:FileSystem", { encrypted: false }, "shared"),
        planned("kubernetes:storage.k8s.io/v1:StorageClass", { provisioner: "ebs.csi.aws.com", parameters: { type: "gp3" } }, "gp3"),
        deployment(restrictedPodSpec({ containers: [restrictedContainer({}, { privileged: true })] })),
    ];

    it("yields the expected mandatory violations, each on its resource", async () => {
        const mandatory = (await evaluate(insecure, { stack: "prod" })).filter((violation) => violation.enforcementLevel === "mandatory");
        const expected: Array<[string, string]> = [
            ["eks-public-endpoint-restricted", "cluster"],
            ["cluster-no-public-endpoint", "cluster"],
            ["launch-template-imdsv2", "nodes"],
            ["launch-template-encrypted-volumes", "nodes"],
            ["efs-encrypted-with-customer-key", "shared"],
            ["storage-class-encrypted-gp3", "gp3"],
            ["pss-privileged", "orders"],
        ];
        for (const [policy, resourceName] of expected) {
            const match = mandatory.find((violation) => violation.policy === policy && violation.urn?.endsWith(`::${resourceName}`));
            assert.ok(match, `expected a mandatory ${policy} violation on ${resourceName}`);
        }
    });

    it("reports controls on every violation", async () => {
        const violations = await evaluate(insecure, { stack: "prod" });
        const imds = violations.find((violation) => violation.policy === "launch-template-imdsv2");
        assert.deepEqual(imds?.controls, ["CKV_AWS_79", "AVD-AWS-0130"]);
        const privileged = violations.find((violation) => violation.policy === "pss-privileged");
        assert.ok(privileged?.controls.includes("CKV_K8S_16"));
        assert.ok(privileged?.controls.includes("PSS: Privileged Containers"));
    });
});

describe("evaluate: values unknown at preview", () => {
    it("reports a known violation next to an unknown value", async () => {
        const group = planned(SG, {
            ingress: [
                { fromPort: 443, toPort: 443, cidrBlocks: [UNKNOWN] },
                { fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
            ],
        });
        const { violations, undecided } = await evaluateWithUndecided([group]);
        assert.deepEqual(
            violations.filter((v) => v.policy === "security-group-no-world-ingress").map((v) => v.message),
            ["ingress[1] admits 0.0.0.0/0."],
        );
        assert.deepEqual(
            undecided.map((u) => u.policy),
            ["security-group-no-world-ingress"],
        );
    });

    it("reports a known 0.0.0.0/0 beside an unknown CIDR in the same list", async () => {
        const group = planned(SG, { ingress: [{ fromPort: 22, toPort: 22, cidrBlocks: [UNKNOWN, "0.0.0.0/0"] }] });
        const violations = await evaluate([group]);
        assert.equal(violations.filter((v) => v.policy === "security-group-no-world-ingress").length, 1);
    });

    it("neither passes nor fails a rule that needs the unknown value", async () => {
        const cluster = compliantComponentCluster({ endpointPublicAccess: UNKNOWN, publicAccessCidrs: undefined });
        const { violations, undecided } = await evaluateWithUndecided([cluster]);
        assert.equal(violations.filter((v) => v.policy === "eks-public-endpoint-restricted").length, 0);
        assert.ok(undecided.some((u) => u.policy === "eks-public-endpoint-restricted" && /endpointPublicAccess/.test(u.reason)));
    });

    it("also recognises the Pulumi protocol's unknown sentinel that mocks see at preview", async () => {
        const cluster = compliantComponentCluster({ endpointPublicAccess: PULUMI_UNKNOWN_STRING, publicAccessCidrs: undefined });
        const { violations, undecided } = await evaluateWithUndecided([cluster]);
        assert.equal(violations.filter((v) => v.policy === "eks-public-endpoint-restricted").length, 0);
        assert.ok(undecided.some((u) => u.policy === "eks-public-endpoint-restricted"));
    });

    it("decides from known fields without touching the unknown one", async () => {
        const cluster = compliantComponentCluster({ endpointPublicAccess: false, publicAccessCidrs: UNKNOWN });
        const { violations, undecided } = await evaluateWithUndecided([cluster]);
        assert.equal(violations.filter((v) => v.policy === "eks-public-endpoint-restricted").length, 0);
        assert.equal(undecided.filter((u) => u.policy === "eks-public-endpoint-restricted").length, 0);
    });

    it("still reports a violation that the known fields establish", async () => {
        const template = compliantLaunchTemplate({ metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: UNKNOWN } });
        const { violations, undecided } = await evaluateWithUndecided([template]);
        assert.ok(violations.some((v) => v.policy === "launch-template-imdsv2"));
        assert.ok(undecided.some((u) => u.policy === "launch-template-imds-hop-limit"));
    });

    it("keeps deciding other containers when one container's values are unknown", async () => {
        const workload = deployment(
            restrictedPodSpec({
                containers: [restrictedContainer({ name: "a", securityContext: UNKNOWN }), restrictedContainer({ name: "b" }, { privileged: true })],
            }),
        );
        const { violations, undecided } = await evaluateWithUndecided([workload]);
        assert.deepEqual(
            violations.filter((v) => v.policy === "pss-privileged").map((v) => v.message),
            ['container "b" is privileged.'],
        );
        assert.ok(undecided.some((u) => u.policy === "pss-privileged"));
    });
});

describe("evaluate: absent means the provider default", () => {
    it("treats a cluster without vpcConfig flags as public to 0.0.0.0/0 and private endpoint off", async () => {
        const violations = await evaluate([planned("aws:eks/cluster:Cluster", { roleArn: "r", vpcConfig: { subnetIds: ["s"] } })]);
        assert.ok(violations.some((v) => v.policy === "eks-public-endpoint-restricted" && /0\.0\.0\.0\/0/.test(v.message)));
        assert.ok(violations.some((v) => v.policy === "eks-private-endpoint-enabled"));
    });

    it("treats a log group without retention as never expiring", async () => {
        const violations = await evaluate([planned("aws:cloudwatch/logGroup:LogGroup", { kmsKeyId: "k" })]);
        assert.ok(violations.some((v) => v.policy === "log-group-retention" && /never expire/.test(v.message)));
    });
});

describe("evaluate: configuration", () => {
    const logGroup = planned("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 90, kmsKeyId: "k" });

    it("takes per-policy parameters from the config", async () => {
        assert.ok((await evaluate([logGroup])).some((v) => v.policy === "log-group-retention"));
        assert.ok(
            !(await evaluate([logGroup], { config: { "log-group-retention": { minimumRetentionDays: 30 } } })).some((v) => v.policy === "log-group-retention"),
        );
    });

    it("does not run disabled policies", async () => {
        const violations = await evaluate([logGroup], { config: { "log-group-retention": "disabled" } });
        assert.ok(!violations.some((v) => v.policy === "log-group-retention"));
    });

    it("applies `all`, with per-policy levels taking precedence", async () => {
        const violations = await evaluate([logGroup, compliantAwsCluster({ version: undefined })], {
            config: { all: "advisory", "log-group-retention": { enforcementLevel: "mandatory" } },
        });
        assert.equal(violations.find((v) => v.policy === "log-group-retention")?.enforcementLevel, "mandatory");
        assert.equal(violations.find((v) => v.policy === "eks-supported-version")?.enforcementLevel, "advisory");
    });

    it("reads policy-pack/config/<environment>.json for a stack named after the environment", async () => {
        const fromStack = await evaluate([logGroup], { stack: "dev" });
        const fromConfig = await evaluate([logGroup], { config: loadStackConfig("dev") });
        assert.deepEqual(fromStack, fromConfig);
        assert.ok(!fromStack.some((v) => v.policy === "log-group-retention"), "dev accepts 90 days");
        assert.ok((await evaluate([logGroup], { stack: "prod" })).some((v) => v.policy === "log-group-retention"));
    });

    it("gives a stack that names no environment the strictest settings, and honours the environment its stack tag names", async () => {
        const strictest = await evaluate([logGroup], { stack: "team-sandbox" });
        assert.deepEqual(strictest, await evaluate([logGroup], { stack: "team-sandbox", config: loadStackConfig("prod") }));
        assert.ok(strictest.some((v) => v.policy === "log-group-retention"));
        const tagged = await evaluate([logGroup], { stack: "team-sandbox", stackTags: { "eks-platform:environment": "dev" } });
        assert.ok(!tagged.some((v) => v.policy === "log-group-retention"), "dev accepts 90 days");
    });

    it("refuses to load settings for an environment that has none", () => {
        assert.throws(() => loadStackConfig("qa"), /no policy-pack config for environment "qa" \(known: prod, staging, dev/);
    });

    it("gives resources without a URN a Pulumi-style one from stack, type and name", async () => {
        const violations = await evaluate([logGroup], { stack: "prod" });
        assert.equal(violations.find((v) => v.policy === "log-group-retention")?.urn, "urn:pulumi:prod::offline::aws:cloudwatch/logGroup:LogGroup::subject");
    });
});

describe("evaluate.ts is importable without starting the policy server", () => {
    it("exits on its own after import (a started gRPC server would keep the process alive)", () => {
        const root = path.resolve(__dirname, "../..");
        // Loaded as the plan loads it: through the compiled-module runner's require hook.
        const script = "require('./tools/compiled/cache.cjs').register(); require('./policy-pack/evaluate'); console.log('imported')";
        const result = spawnSync(process.execPath, ["-e", script], {
            cwd: root,
            encoding: "utf8",
            timeout: 30_000,
        });
        assert.equal(result.error, undefined, String(result.error));
        assert.equal(result.status, 0, result.stderr);
        assert.equal(result.stdout.trim(), "imported", "the policy server prints its port on stdout");
    });
});
