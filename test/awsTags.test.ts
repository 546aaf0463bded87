import { strict as assert } from "assert";
import * as path from "path";
import { awsTagsSchema } from "../components/common/awsTags";
import { ROOT } from "../tools/harness/render";
import { configErrorOf, projectStackFiles, renderStackFile } from "./support";

/** The tags a registration sets: its own `tags`, or a provider's default tags (serialized as JSON by the engine). */
function tagsOf(props: Record<string, unknown>): Record<string, unknown> {
    const defaults = typeof props.defaultTags === "string" ? (JSON.parse(props.defaultTags) as { tags?: unknown }) : props.defaultTags;
    const fromDefaults = (defaults as { tags?: Record<string, unknown> } | undefined)?.tags ?? {};
    // An Auto Scaling group lists its tags as { key, value, propagateAtLaunch }.
    const own = Array.isArray(props.tags)
        ? Object.fromEntries((props.tags as { key: string; value: unknown }[]).map(({ key, value }) => [key, value]))
        : props.tags && typeof props.tags === "object"
          ? (props.tags as Record<string, unknown>)
          : {};
    return { ...fromDefaults, ...own };
}

/** Why AWS would refuse these tags, one message per refused key or value; none when it accepts them. */
function tagProblems(tags: Record<string, unknown>): string[] {
    const result = awsTagsSchema().safeParse(tags);
    // A refused key is reported inside an invalid_key issue, with its own issues.
    const messages = (issues: readonly { message: string; issues?: readonly unknown[] }[]): string[] =>
        issues.flatMap((issue) => (issue.issues ? messages(issue.issues as typeof issues) : [issue.message]));
    return result.success ? [] : messages(result.error.issues);
}

describe("AWS tags", () => {
    it("accepts what AWS accepts and names what it refuses", () => {
        assert.deepEqual(tagProblems({ "eks-platform:environment": "arn:aws:iam::123456789012:role/a_b+c=d@e", empty: "" }), []);
        assert.match(tagProblems({ k: "reads; writes" }).join(), /letters, digits, spaces/);
        assert.match(tagProblems({ k: "x".repeat(257) }).join(), /256/);
        assert.match(tagProblems({ "aws:cloudformation:stack": "v" }).join(), /reserved/);
        assert.equal(tagProblems({ "": "v" }).length, 1);
        assert.match(tagProblems({ "cost,centre": "v" }).join(), /letters, digits, spaces/);
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
                Object.entries(tagsOf(resource.props)).flatMap(([key, value]) =>
                    tagProblems({ [key]: value }).map((problem) => `${resource.urn}: ${key}=${String(value)}: ${problem}`),
                ),
            );
            assert.deepEqual(problems, []);
        });
    }
});
