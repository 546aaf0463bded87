import { strict as assert } from "assert";
import { configChecker, policies } from "../evaluate";
import { ENVIRONMENTS, environmentConfig } from "../lib/environments";

// The pack's config check (lib/config-check.ts), which Configure and the offline evaluator apply;
// policy-pack/test/protocol/ checks it over the analyzer protocol.

const withSettings = policies.filter((policy) => Object.keys(policy.configSchema ?? {}).length > 0);

describe("policy config check", () => {
    it("accepts levels, `all` and every policy's settings with their defaults", () => {
        const config: Record<string, unknown> = { all: "advisory" };
        for (const policy of policies) {
            const defaults = Object.fromEntries(
                Object.entries((policy.configSchema ?? {}) as Record<string, { default: unknown }>).map(([key, schema]) => [key, schema.default]),
            );
            config[policy.name] = { enforcementLevel: "mandatory", ...defaults };
        }
        assert.deepEqual(configChecker.problems(config), []);
    });

    for (const environment of ENVIRONMENTS) {
        it(`accepts policy-pack/config/${environment}.json, the settings the published pack applies to ${environment} stacks`, () => {
            assert.deepEqual(configChecker.problems(environmentConfig(environment)), []);
        });
    }

    it("names the value and the levels allowed for an unknown level", () => {
        assert.deepEqual(configChecker.problems({ [policies[0].name]: "strict", all: { enforcementLevel: "on" } }), [
            `${policies[0].name} = "strict": not an enforcement level; one of advisory, mandatory, remediate, disabled`,
            `all.enforcementLevel = "on": not an enforcement level; one of advisory, mandatory, remediate, disabled`,
        ]);
    });

    it("suggests the setting meant by a misspelt one", () => {
        const policy = withSettings[0];
        const setting = Object.keys(policy.configSchema!)[0];
        const [problem] = configChecker.problems({ [policy.name]: { [setting.slice(0, -1)]: 1 } });
        assert.match(problem, new RegExp(`^${policy.name}: no setting "${setting.slice(0, -1)}"; did you mean "${setting}"\\?`));
    });

    it("names the setting, the value and the bound for a value outside the schema", () => {
        const bounded = withSettings
            .flatMap((policy) =>
                Object.entries(policy.configSchema as Record<string, { minimum?: number }>).map(([setting, schema]) => ({ policy, setting, schema })),
            )
            .find(({ schema }) => schema.minimum !== undefined);
        assert.ok(bounded, "some setting has a minimum");
        const value = bounded.schema.minimum! - 1;
        assert.deepEqual(configChecker.problems({ [bounded.policy.name]: { [bounded.setting]: value } }), [
            `${bounded.policy.name}.${bounded.setting} = ${value}: must be >= ${bounded.schema.minimum}`,
        ]);
    });

    it("refuses settings for `all` and a config that is not an object", () => {
        assert.deepEqual(configChecker.problems({ all: { enforcementLevel: "advisory", minimumRetentionDays: 1 } }), [
            "all: sets only an enforcement level for every policy, not minimumRetentionDays",
        ]);
        assert.deepEqual(configChecker.problems(["mandatory"]), ['the config must be an object keyed by policy name, not ["mandatory"]']);
    });

    it("lists every problem at once in the error it throws", () => {
        assert.throws(
            () => configChecker.check({ "no-such-policy": "mandatory", [policies[0].name]: 3 }, "policy-pack/config/qa.json"),
            (error: Error) =>
                /^Invalid policy-pack\/config\/qa\.json \(2 problems\):\n {2}- unknown policy "no-such-policy".*\n {2}- .* = 3: must be an enforcement level/.test(
                    error.message,
                ),
        );
    });
});
