import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_DIRECTORY, loadStackConfig, policies } from "../evaluate";

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];
const STACKS = ["dev", "staging", "prod"];

function typeOf(value: unknown): string {
    if (Array.isArray(value)) {
        return "array";
    }
    return Number.isInteger(value) ? "integer" : typeof value;
}

describe("policy-pack config files", () => {
    it("exist for every stack and nothing else", () => {
        const files = fs
            .readdirSync(CONFIG_DIRECTORY)
            .filter((file) => file.endsWith(".json"))
            .sort();
        assert.deepEqual(files, STACKS.map((stack) => `${stack}.json`).sort());
    });

    for (const stack of STACKS) {
        describe(stack, () => {
            const config = loadStackConfig(stack);

            it("only names policies of the pack (or all), with valid levels", () => {
                const names = new Set(policies.map((policy) => policy.name));
                for (const [key, entry] of Object.entries(config)) {
                    assert.ok(key === "all" || names.has(key), `unknown policy ${key}`);
                    const level = typeof entry === "string" ? entry : entry.enforcementLevel;
                    assert.ok(level === undefined || LEVELS.includes(level), `${key}: level ${level}`);
                }
            });

            it("sets only properties of each policy's config schema, with the schema's types", () => {
                for (const [key, entry] of Object.entries(config)) {
                    if (typeof entry === "string") {
                        continue;
                    }
                    const schema = policies.find((policy) => policy.name === key)?.configSchema ?? {};
                    for (const [property, value] of Object.entries(entry)) {
                        if (property === "enforcementLevel") {
                            continue;
                        }
                        const propertySchema = (schema as Record<string, { type?: string }>)[property];
                        assert.ok(propertySchema, `${key}.${property} is not in the schema`);
                        const actual = typeOf(value);
                        const matches = actual === propertySchema.type || (propertySchema.type === "number" && actual === "integer");
                        assert.ok(matches, `${key}.${property} is ${actual}, the schema says ${propertySchema.type}`);
                    }
                }
            });
        });
    }

    it("requires one year of log retention in prod, as CIS and CKV_AWS_338 ask", () => {
        const entry = loadStackConfig("prod")["log-group-retention"];
        assert.ok(typeof entry === "object" && (entry.minimumRetentionDays as number) >= 365);
    });

    it("never relaxes prod below the policy defaults", () => {
        for (const [key, entry] of Object.entries(loadStackConfig("prod"))) {
            const level = typeof entry === "string" ? entry : entry.enforcementLevel;
            assert.notEqual(level, "disabled", `${key} is disabled in prod`);
            const policy = policies.find((candidate) => candidate.name === key);
            if (level === "advisory") {
                assert.equal(policy?.enforcementLevel, "advisory", `${key} is downgraded in prod`);
            }
        }
    });

    it("documents every environment difference in config/README.md", () => {
        const readme = fs.readFileSync(path.join(CONFIG_DIRECTORY, "README.md"), "utf8");
        const configured = new Set(STACKS.flatMap((stack) => Object.keys(loadStackConfig(stack))));
        for (const key of configured) {
            assert.ok(readme.includes(key), `${key} is configured but not explained`);
        }
    });
});
