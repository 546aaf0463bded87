import { strict as assert } from "assert";
import * as fs from "fs";
import { policies } from "../evaluate";
import { END_MARKER, POLICY_DOCS_PATH, START_MARKER, renderPolicyDocs, withGeneratedDocs, withPolicyDocs } from "../tools/gen-docs";

describe("docs/guardrails.md policy table", () => {
    it("is current, and so is the control coverage (run `npm run docs:policies` after changing a policy, a config file or the catalog)", () => {
        const readme = fs.readFileSync(POLICY_DOCS_PATH, "utf8");
        assert.equal(readme, withGeneratedDocs(readme));
    });

    it("lists every policy with its controls and its level in each environment", () => {
        const docs = renderPolicyDocs();
        for (const policy of policies) {
            const row = docs.split("\n").find((line) => line.startsWith(`| \`${policy.name}\` |`));
            assert.ok(row, `${policy.name} is missing`);
            for (const control of policy.controls) {
                assert.ok(row.includes(control), `${policy.name} lacks ${control}`);
            }
            assert.equal(row.match(/\| (mandatory|advisory|disabled)/g)?.length, 3, `${policy.name} lacks per-environment levels`);
        }
    });

    it("replaces only the marked region", () => {
        const readme = `# Title\n\nbefore\n${START_MARKER}\nstale\n${END_MARKER}\nafter\n`;
        const updated = withPolicyDocs(readme);
        assert.ok(updated.startsWith(`# Title\n\nbefore\n${START_MARKER}\n`));
        assert.ok(updated.endsWith(`${END_MARKER}\nafter\n`));
        assert.ok(!updated.includes("stale"));
        assert.throws(() => withPolicyDocs("# no markers\n"), /lacks/);
    });
});
