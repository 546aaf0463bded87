import { strict as assert } from "assert";
import * as path from "path";
import { UnknownResourceTypeError } from "../tools/forcenew/table";
import { projectDirOf, readStackFile, RegistrationError, renderOtherProject, ROOT } from "../tools/harness/render";
import { failureReport } from "../tools/plan";
import { planInProcess, STACK_TRACE_LINE } from "./support";

const FIXTURE = path.join(ROOT, "test", "fixtures", "refused-registration");
const stackFile = (testCase: string) => path.join(FIXTURE, `Pulumi.${testCase}.yaml`);

/** Renders a case of the fixture program, expecting the render to fail; returns the error. */
async function renderFailure(testCase: string): Promise<RegistrationError> {
    const file = stackFile(testCase);
    try {
        const rendered = await renderOtherProject(readStackFile(file), projectDirOf(file));
        assert.fail(`${testCase}: the render succeeded with ${rendered.resources.length} resources`);
    } catch (error) {
        assert.ok(error instanceof RegistrationError, `${testCase}: ${String(error)}`);
        return error;
    }
}

describe("a registration that fails fails the render, never drops the resource", () => {
    it("a type the force-new table does not know: a stale table, exit 3 with the resources and how to regenerate the table, no stack trace", async () => {
        const error = await renderFailure("unknown-type");
        assert.deepEqual(
            error.refused.map(({ type, name }) => `${type} ${name}`),
            ["aws:made/up:Widget widget", "aws:s3/bucket:Bucket after-widget"],
        );
        assert.ok(error.refused[0].cause instanceof UnknownResourceTypeError);
        assert.match(
            error.message,
            /^2 resource registrations failed, so the plan would miss them:\n {2}aws:made\/up:Widget "widget": aws:made\/up:Widget has no entry/,
        );
        const result = await planInProcess("--config", stackFile("unknown-type"));
        assert.equal(result.status, 3, result.stderr);
        assert.match(
            result.stderr,
            /^internal error: the force-new table is older than the program \(a defect of this commit, not of your input\):\n2 resource/,
        );
        assert.match(result.stderr, /Regenerate the table: npm run -s forcenew -- build/);
        assert.doesNotMatch(result.stderr, STACK_TRACE_LINE);
    });

    it("an input that cannot be resolved: a bug of the program, named with its cause and how to get its stack (exit 3)", async () => {
        const error = await renderFailure("input-error");
        assert.deepEqual(
            error.refused.map(({ type, name }) => `${type} ${name}`),
            ["aws:s3/bucket:Bucket bad-input"],
        );
        assert.match(error.message, /aws:s3\/bucket:Bucket "bad-input": error serializing property "bucket": the bucket name could not be computed/);
        const report = failureReport(error);
        assert.equal(report.status, 3);
        assert.match(
            report.message,
            /^internal error \(a bug in the program or the plan, not in your input; please report it\):\n1 resource registration failed/,
        );
        // Renders run without stack traces (they cost most of a render); the report says how to get one.
        assert.doesNotMatch(report.message, STACK_TRACE_LINE);
        assert.match(report.message, /\(run again with PLAN_STACK_TRACES=1 for its stack trace\)$/);
    });

    it("with PLAN_STACK_TRACES=1 the same bug is reported with its stack", async () => {
        process.env.PLAN_STACK_TRACES = "1";
        try {
            const report = failureReport(await renderFailure("input-error"));
            assert.equal(report.status, 3);
            assert.match(report.message, STACK_TRACE_LINE);
            assert.doesNotMatch(report.message, /run again with PLAN_STACK_TRACES/);
        } finally {
            delete process.env.PLAN_STACK_TRACES;
        }
    });

    it("a setting refused while the inputs resolve is bad input: the stack is not planned, exit 2; what waited for it is named after it", async () => {
        const error = await renderFailure("refused-setting");
        // One error object fails all three; each registration is named, the one that failed first first.
        assert.deepEqual(
            error.refused.map(({ name }) => name),
            ["refused-setting", "reads-refused", "after-refused"],
        );
        const result = await planInProcess("--config", stackFile("refused-setting"));
        assert.equal(result.status, 2, result.stderr);
        assert.match(
            result.stderr,
            /^refused-setting: not planned\n3 resource registrations failed, so the plan would miss them:\n {2}aws:s3\/bucket:Bucket "refused-setting": error serializing property "bucket": Invalid stack configuration/,
        );
        assert.match(result.stderr, /bucketName = "Not A Bucket Name": must be lower case/);
        assert.match(result.stderr, /^ {2}aws:s3\/bucket:Bucket "after-refused": failed with aws:s3\/bucket:Bucket "refused-setting" \(the same error\)$/m);
        assert.doesNotMatch(result.stderr, STACK_TRACE_LINE);
    });

    it("any other error is a bug: exit 3 with its stack", () => {
        const report = failureReport(new TypeError("cannot read properties of undefined"));
        assert.equal(report.status, 3);
        assert.match(report.message, /^internal error \(a bug in the program or the plan[^\n]*\nTypeError: cannot read properties of undefined\n\s+at /);
    });
});
