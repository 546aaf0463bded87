import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { UnknownResourceTypeError } from "../tools/forcenew/table";
import { projectDirOf, readStackFile, RegistrationError, renderOtherProject, ROOT } from "../tools/harness/render";
import { failureReport } from "../tools/plan";

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

const plan = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tools", "plan.ts"), ...args], { cwd: ROOT, encoding: "utf8" });

describe("a registration that fails fails the render, never drops the resource", () => {
    it("a type the force-new table does not know: the resource and what waited for it are named, with how to regenerate the table (exit 3)", async () => {
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
        const report = failureReport(error);
        assert.equal(report.status, 3);
        assert.match(report.message, /Regenerate the table: npm run -s forcenew -- build/);
        // The message explains a stale table; no stack trace.
        assert.doesNotMatch(report.message, /\n\s+at /);
    });

    it("an input that cannot be resolved: a defect of the program, named with its cause and stack (exit 3)", async () => {
        const error = await renderFailure("input-error");
        assert.deepEqual(
            error.refused.map(({ type, name }) => `${type} ${name}`),
            ["aws:s3/bucket:Bucket bad-input"],
        );
        assert.match(error.message, /aws:s3\/bucket:Bucket "bad-input": error serializing property "bucket": the bucket name could not be computed/);
        const report = failureReport(error);
        assert.equal(report.status, 3);
        assert.match(report.message, /\n\s+at /);
    });

    it("a setting refused while the inputs resolve is bad input: the plan does not plan the stack and exits 2", () => {
        const result = plan("--config", stackFile("refused-setting"));
        assert.equal(result.status, 2, result.stderr);
        assert.match(
            result.stderr,
            /^refused-setting: not planned\n1 resource registration failed, so the plan would miss it:\n {2}aws:s3\/bucket:Bucket "refused-setting": .*Invalid stack configuration/,
        );
        assert.match(result.stderr, /bucketName = "Not A Bucket Name": must be lower case/);
    });
});
