import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { evaluate, policies, type PlannedResource } from "../evaluate";
import { kindOf } from "../lib/kubernetes";
import type { ResourceGuardrail, ResourceView } from "../lib/policy";
import { podTemplateOf, WORKLOAD_KINDS, WORKLOAD_TYPES } from "../lib/workloads";
import { fixtures } from "./fixtures";
import { deployment, restrictedPodSpec } from "./fixtures/kubernetes";

/** Every type token @pulumi/kubernetes registers, read from its generated resource classes. */
function sdkTypeTokens(): string[] {
    const root = path.dirname(require.resolve("@pulumi/kubernetes/package.json"));
    const tokens: string[] = [];
    const walk = (directory: string) => {
        for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
            const full = path.join(directory, entry.name);
            if (entry.isDirectory() && entry.name !== "node_modules") {
                walk(full);
            } else if (entry.name.endsWith(".js")) {
                for (const match of fs.readFileSync(full, "utf8").matchAll(/__pulumiType = '(kubernetes:[^']+)'/g)) {
                    tokens.push(match[1]);
                }
            }
        }
    };
    walk(root);
    return tokens;
}

function viewOf(resource: PlannedResource): ResourceView {
    return { type: resource.type, name: resource.name, urn: "", props: resource.props as Record<string, any>, dependsOn: [] };
}

/** The same pod template, declared as a resource of another workload type. */
function asType(type: string, template: { metadata: Record<string, any>; spec: Record<string, any> }, namespace: unknown): PlannedResource {
    const metadata = { name: "subject", ...(namespace === undefined ? {} : { namespace }) };
    const kind = kindOf({ type });
    const props =
        kind === "Pod"
            ? { metadata: { ...metadata, ...template.metadata, namespace }, spec: template.spec }
            : kind === "PodTemplate"
              ? { metadata, template }
              : kind === "CronJob"
                ? { metadata, spec: { schedule: "0 * * * *", jobTemplate: { spec: { template } } } }
                : { metadata, spec: { selector: { matchLabels: template.metadata.labels ?? {} }, template } };
    return { type, name: "subject", props };
}

const workloadRules = policies.filter(
    (policy): policy is ResourceGuardrail<unknown> => policy.kind === "resource" && WORKLOAD_TYPES.every((type) => policy.resourceTypes.includes(type)),
);

/** The policy's messages for the resource alone; every other policy is switched off to keep the replay fast. */
async function messagesOf(policy: string, resource: PlannedResource, config?: Record<string, unknown>): Promise<string[]> {
    const violations = await evaluate([resource], { config: { all: "disabled", [policy]: { enforcementLevel: "mandatory", ...config } } });
    return violations
        .filter((violation) => violation.policy === policy)
        .map((violation) => violation.message)
        .sort();
}

describe("workload kinds", () => {
    it("lists every pod-bearing type of @pulumi/kubernetes, Patch types included, and nothing else", () => {
        // Every Kubernetes kind that embeds a pod template (the API's PodTemplateSpec, or a Job's).
        const podBearingKinds = ["Pod", "PodTemplate", "ReplicationController", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"];
        assert.deepEqual([...WORKLOAD_KINDS].sort(), [...podBearingKinds].sort());
        const sdk = sdkTypeTokens().filter((token) => podBearingKinds.includes(kindOf({ type: token })));
        assert.ok(sdk.length > 0, "no workload types found in @pulumi/kubernetes");
        assert.deepEqual([...new Set(sdk)].sort(), [...WORKLOAD_TYPES].sort());
    });

    it("every container and pod rule applies to every workload type", () => {
        assert.ok(workloadRules.length >= 20, `only ${workloadRules.length} workload rules found`);
        for (const policy of workloadRules) {
            assert.deepEqual(
                WORKLOAD_TYPES.filter((type) => !policy.resourceTypes.includes(type)),
                [],
                policy.name,
            );
        }
    });

    describe("each failing workload fixture fails the same way in every kind", () => {
        for (const policy of workloadRules) {
            it(policy.name, async () => {
                for (const fixture of fixtures[policy.name].fail) {
                    const original = fixture.resources.find((resource) => WORKLOAD_TYPES.includes(resource.type));
                    if (!original) {
                        continue;
                    }
                    const template = podTemplateOf(viewOf(original));
                    const namespace = (original.props.metadata as Record<string, unknown> | undefined)?.namespace;
                    const expected = await messagesOf(policy.name, original, fixture.config);
                    for (const type of WORKLOAD_TYPES) {
                        const found = await messagesOf(policy.name, asType(type, template, namespace), fixture.config);
                        if (type.endsWith("Patch")) {
                            // A patch is judged on what it sets: never more than the full object, and still on what it sets wrong.
                            assert.ok(
                                found.every((message) => expected.includes(message)),
                                `${fixture.title} as ${type}: ${found.join("; ")}`,
                            );
                        } else if (policy.name === "container-probes" && ["Job", "CronJob"].includes(kindOf({ type }))) {
                            assert.deepEqual(found, [], `${fixture.title} as ${type}`);
                        } else {
                            assert.deepEqual(found, expected, `${fixture.title} as ${type}`);
                        }
                    }
                }
            });
        }
    });

    it("a patch that sets a forbidden value fails in every Patch type", async () => {
        const template = {
            metadata: {},
            spec: { containers: [{ name: "app", securityContext: { privileged: true, allowPrivilegeEscalation: true } }], hostPID: true },
        };
        for (const type of WORKLOAD_TYPES.filter((candidate) => candidate.endsWith("Patch"))) {
            const violations = await evaluate([asType(type, template, "orders")]);
            const failed = new Set(violations.map((violation) => violation.policy));
            for (const policy of ["pss-privileged", "pss-privilege-escalation", "pss-host-namespaces"]) {
                assert.ok(failed.has(policy), `${type} passes ${policy}`);
            }
        }
    });

    it("a compliant pod template passes every workload rule in every kind", async () => {
        const template = podTemplateOf(viewOf(deployment(restrictedPodSpec())));
        for (const type of WORKLOAD_TYPES) {
            // The policies' own defaults, as the fixtures use them: prod's settings require digests, which the template does not pin.
            const violations = (await evaluate([asType(type, template, "orders")], { config: {} })).filter((violation) =>
                workloadRules.some((policy) => policy.name === violation.policy),
            );
            assert.deepEqual(
                violations.map((violation) => `${violation.policy}: ${violation.message}`),
                [],
                type,
            );
        }
    });
});
