import { strict as assert } from "assert";
import * as path from "path";
import { tagKeyProblem, tagValueProblem } from "../components/common/awsTags";
import { ROOT } from "../tools/harness/render";
import { configErrorOf, projectStackFiles, renderStackFile } from "./support";

/** The tags a registration sets: its own `tags`, or a provider's default tags (serialized as JSON by the engine). */
function tagsOf(props: Record<string, unknown>): Record<string, unknown> {
    const defaults = typeof props.defaultTags === "string" ? (JSON.parse(props.defaultTags) as { tags?: unknown }) : props.defaultTags;
    const fromDefaults = (defaults as { tags?: Record<string, unknown> } | undefined)?.tags ?? {};
    const own = props.tags && typeof props.tags === "object" ? (props.tags as Record<string, unknown>) : {};
    return { ...fromDefaults, ...own };
}

describe("AWS tags", () => {
    it("accepts what AWS accepts and names what it refuses", () => {
        assert.equal(tagKeyProblem("eks-platform:environment"), undefined);
        assert.equal(tagValueProblem("arn:aws:iam::123456789012:role/a_b+c=d@e"), undefined);
        assert.equal(tagValueProblem(""), undefined);
        assert.match(tagValueProblem("reads; writes") ?? "", /letters, digits, spaces/);
        assert.match(tagValueProblem("x".repeat(257)) ?? "", /at most 256/);
        assert.match(tagKeyProblem("aws:cloudformation:stack") ?? "", /reserved/);
        assert.match(tagKeyProblem("") ?? "", /1-128/);
        assert.match(tagKeyProblem("cost,centre") ?? "", /letters, digits, spaces/);
    });

    it("refuses a stack's tag that AWS would refuse, naming it", async () => {
        const message = await configErrorOf("dev", { "eks-platform:tags": { "cost-centre": "platform; shared" } });
        assert.match(message, /tags/);
        assert.match(message, /platform; shared|letters, digits, spaces/);
    });

    for (const file of projectStackFiles()) {
        it(`${path.relative(ROOT, file)}: every tag the stack sets is one AWS accepts`, async () => {
            const { resources } = await renderStackFile(file);
            const problems = resources.flatMap((resource) =>
                Object.entries(tagsOf(resource.props)).flatMap(([key, value]) => {
                    const problem = tagKeyProblem(key) ?? (typeof value === "string" ? tagValueProblem(value) : undefined);
                    return problem ? [`${resource.urn}: ${key}=${String(value)}: ${problem}`] : [];
                }),
            );
            assert.deepEqual(problems, []);
        });
    }
});
