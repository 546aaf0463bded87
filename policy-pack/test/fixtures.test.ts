import { strict as assert } from "assert";
import { evaluate, policies, type PlannedResource, type Violation } from "../evaluate";
import { fixtures } from "./fixtures";
import type { Fixture } from "./fixtures/types";

function run(policyName: string, fixture: Fixture): Promise<Violation[]> {
    const config = fixture.config ? { [policyName]: fixture.config } : {};
    return evaluate(fixture.resources, { config, stackTags: fixture.stackTags });
}

function of(policyName: string, violations: Violation[]): Violation[] {
    return violations.filter((violation) => violation.policy === policyName);
}

describe("policy fixtures", () => {
    it("every policy has at least one passing and one failing fixture", () => {
        const incomplete = policies
            .filter((policy) => !fixtures[policy.name] || fixtures[policy.name].pass.length === 0 || fixtures[policy.name].fail.length === 0)
            .map((policy) => policy.name);
        assert.deepEqual(incomplete, []);
    });

    it("has no fixtures for policies that do not exist", () => {
        const names = new Set(policies.map((policy) => policy.name));
        assert.deepEqual(
            Object.keys(fixtures).filter((name) => !names.has(name)),
            [],
        );
    });

    for (const policy of policies) {
        describe(policy.name, () => {
            for (const fixture of fixtures[policy.name]?.pass ?? []) {
                it(`passes: ${fixture.title}`, async () => {
                    assert.deepEqual(of(policy.name, await run(policy.name, fixture)), []);
                });
            }
            for (const fixture of fixtures[policy.name]?.fail ?? []) {
                it(`fails: ${fixture.title}`, async () => {
                    const violations = of(policy.name, await run(policy.name, fixture));
                    assert.ok(violations.length > 0, "expected a violation");
                    for (const violation of violations) {
                        assert.deepEqual(violation.controls, [...policy.controls]);
                        assert.equal(violation.enforcementLevel, policy.enforcementLevel);
                        if (policy.kind === "resource") {
                            assert.ok(violation.urn, "violations of resource rules name the offending resource");
                        }
                        if (fixture.message) {
                            assert.match(violation.message, fixture.message);
                        }
                    }
                });
            }
        });
    }
});

describe("every control a policy lists is really checked", () => {
    for (const policy of policies) {
        it(`${policy.name}: each listed control has a failing fixture that demonstrates it`, () => {
            if (policy.controls.length === 0) {
                assert.ok(policy.platformSpecific, "a policy that lists no controls says why, in platformSpecific");
            } else {
                assert.equal(policy.platformSpecific, undefined, "a policy with controls is not platform-specific");
            }
            const failing = fixtures[policy.name]?.fail ?? [];
            for (const fixture of failing) {
                const foreign = fixture.demonstrates.filter((control) => !policy.controls.includes(control));
                assert.deepEqual(foreign, [], `failing fixture "${fixture.title}" demonstrates controls the policy does not list`);
            }
            const demonstrated = new Set(failing.flatMap((fixture) => fixture.demonstrates));
            assert.deepEqual(
                policy.controls.filter((control) => !demonstrated.has(control)),
                [],
                "listed controls that no failing fixture demonstrates",
            );
        });
    }
});

describe("resource policies decide from the resource alone", () => {
    // Every fixture resource, evaluated among all the others, must get exactly the verdicts it
    // gets on its own (stack policies aside, which are the only ones that look across resources).
    const everything: PlannedResource[] = Object.values(fixtures)
        .flatMap((set) => [...set.pass, ...set.fail])
        .filter((fixture) => !fixture.config)
        .flatMap((fixture, fixtureIndex) =>
            fixture.resources.map((resource, index) => ({ ...resource, urn: `urn:pulumi:test::fixtures::${resource.type}::f${fixtureIndex}-${index}` })),
        );
    const resourcePolicyNames = new Set(policies.filter((policy) => policy.kind === "resource").map((policy) => policy.name));
    const resourceVerdicts = (violations: Violation[], urn: string) =>
        violations
            .filter((violation) => violation.urn === urn && resourcePolicyNames.has(violation.policy))
            .map((violation) => `${violation.policy}: ${violation.message}`)
            .sort();

    it("gives each resource the same verdicts alone and in the whole set", async () => {
        const together = await evaluate(everything);
        for (const resource of everything) {
            const alone = await evaluate([resource]);
            assert.deepEqual(resourceVerdicts(together, resource.urn as string), resourceVerdicts(alone, resource.urn as string), resource.urn);
        }
    });
});
