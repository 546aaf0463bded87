import { strict as assert } from "assert";
import { maxPodsFor } from "../components/compute/maxPods";
import { evaluate } from "../policy-pack/evaluate";
import { instanceTypeRecord, instanceTypeTable, maxPodsWithPrefixDelegation } from "../policy-pack/lib/instance-types";
import { offlineInstanceTypeFacts } from "../tools/harness/awsFacts";
import { planDocument, planSummary, podCapacityLine } from "../tools/plan/document";
import { renderStackMarkdown } from "../tools/plan/markdown";
import { ofType, renderNamedStack, renderStackWith, STACKS } from "./support";

const POLICY = "node-pool-pod-density";
const GROUP = "aws:autoscaling/group:Group";

describe("pod density guardrail (node-pool-pod-density) on rendered stacks", () => {
    it("counts what the program's launch templates set: both agree on every Nitro type under custom networking", () => {
        // The pack is published on its own and carries its own arithmetic; it must never disagree with the program's.
        const types = Object.keys(instanceTypeTable().instanceTypes).filter((type) => {
            const facts = offlineInstanceTypeFacts(type);
            return facts?.prefixDelegationSupported && facts.maxNetworkInterfaces >= 2;
        });
        assert.ok(types.length > 1000, `${types.length} Nitro types`);
        const disagreeing = types.filter((type) => {
            const record = instanceTypeRecord(type);
            const facts = offlineInstanceTypeFacts(type);
            return !record || !facts || maxPodsWithPrefixDelegation(record, true) !== maxPodsFor(facts, true);
        });
        assert.deepEqual(disagreeing, []);
    });

    it("is quiet on the shipped stacks, whose pools run 110 pods with prefix delegation", async () => {
        for (const stack of STACKS) {
            const { resources } = await renderNamedStack(stack);
            const violations = (await evaluate(resources, { stack })).filter((v) => v.policy === POLICY);
            assert.deepEqual(violations, [], stack);
        }
    });

    it("advises on every pool of a copy of prod with prefix delegation turned off, naming the setting", async () => {
        const { resources } = await renderStackWith("prod", { "eks-platform:cluster": { prefixDelegation: false } });
        const violations = (await evaluate(resources, { stack: "prod" })).filter((v) => v.policy === POLICY);
        const groups = ofType(resources, GROUP);
        assert.deepEqual(violations.map((v) => v.urn).sort(), groups.map((g) => g.urn).sort());
        for (const violation of violations) {
            assert.equal(violation.enforcementLevel, "advisory");
            // m*.2xlarge: 44 pods on secondary addresses under custom networking, 110 with prefixes.
            assert.match(violation.message, /^maxPods is 44 \(the NodeConfig of launch template eks-platform-prod-[a-z-]+\), under 50% of the 110 pods/);
            assert.match(
                violation.message,
                /Prefix delegation is off in eks-platform-prod-vpc-cni \(ENABLE_PREFIX_DELEGATION; on this platform eks-platform:cluster prefixDelegation\)/,
            );
        }
    });
});

describe("plan summary: pod capacity per pool", () => {
    it("shows nodes × maxPods at desired and at max size, in the terminal and in markdown", async () => {
        const rendered = await renderNamedStack("prod");
        const summary = planSummary(rendered.program.config);
        assert.deepEqual(
            summary.nodePools.map((pool) => [pool.name, pool.desiredSize, pool.maxSize, pool.maxPods]),
            [
                ["on-demand-base", 3, 9, 110],
                ["spot-general", 3, 30, 110],
            ],
        );
        const document = planDocument(rendered, [], [], summary);
        assert.deepEqual(podCapacityLine(document), [
            "  pods: on-demand-base 3 × 110 = 330 pods at desired size, 9 × 110 = 990 at max size; spot-general 3 × 110 = 330 pods at desired size, 30 × 110 = 3300 at max size",
        ]);
        const markdown = renderStackMarkdown(document);
        assert.match(markdown, /\| pod capacity of spot-general \| `3 × 110 = 330 pods at desired size, 30 × 110 = 3300 at max size` \|/);
    });
});
