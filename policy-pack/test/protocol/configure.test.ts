import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CONFIG_DIRECTORY, evaluate, PolicyConfigError, policies } from "../../evaluate";
import { fixtures } from "../fixtures";
import { analyzerProto, grpcStatus, type PolicyPackProcess } from "./analyzer";
import { configureFromFile, policiesOf, previewOverProtocol } from "./drive";
import { configureRequest, parsePolicyPackConfig, reconcilePolicyPackConfig } from "./engine-config";
import { PACK_DIR } from "./published";
import { acquirePackProcess, FIXTURES_IDENTITY, publishedPack } from "./session";

// What the engine asks the pack before analysing anything (GetPluginInfo, GetAnalyzerInfo), and
// how the pack takes its configuration: every shipped config is accepted, a config the pack cannot
// honour is refused by Configure with a message naming each problem.

const manifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { version: string; dependencies: Record<string, string> };

/** A setting of some policy's schema, with a value of the wrong type for it. */
function wrongTypeSetting(): { policy: string; setting: string; value: unknown; type: string } {
    for (const policy of policies) {
        for (const [setting, schema] of Object.entries((policy.configSchema ?? {}) as Record<string, { type?: string }>)) {
            if (schema.type) {
                return { policy: policy.name, setting, value: schema.type === "string" ? 42 : "not-a-valid-value", type: schema.type };
            }
        }
    }
    throw new Error("no policy has a typed config setting");
}

/** Configure with what the engine would send for this file if it did not validate settings first. */
async function configureUnchecked(pack: PolicyPackProcess, content: string): Promise<{ validationErrors: string[]; configured: Promise<unknown> }> {
    const { config, validationErrors } = reconcilePolicyPackConfig(await policiesOf(pack), {}, parsePolicyPackConfig(content));
    return { validationErrors, configured: pack.configure(configureRequest(config)) };
}

/** The problems a Configure refusal lists. */
async function refusal(configured: Promise<unknown>): Promise<string[]> {
    const error = (await configured.then(
        () => assert.fail("Configure accepted the config"),
        (rejection: unknown) => rejection,
    )) as { code: number; details: string };
    assert.equal(error.code, grpcStatus.INVALID_ARGUMENT, error.details);
    assert.match(error.details, /^eks-platform-guardrails refuses this policy config:\n/);
    return error.details
        .split("\n")
        .slice(1)
        .map((line) => line.replace(/^ {2}- /, ""));
}

async function offlineProblems(config: object): Promise<string[]> {
    try {
        await evaluate([], { config });
    } catch (error) {
        assert.ok(error instanceof PolicyConfigError, String(error));
        return error.problems;
    }
    return assert.fail("the offline evaluator accepted the config");
}

describe("policy pack over the analyzer protocol: plugin info, analyzer info and configuration", function () {
    this.timeout(300_000);
    let pack: PolicyPackProcess;
    let release: () => void = () => undefined;

    before(async () => {
        ({ pack, release } = await acquirePackProcess(FIXTURES_IDENTITY));
    });

    after(() => release());

    it("reports the @pulumi/policy version the published package installed as its plugin version", async () => {
        const installed = JSON.parse(fs.readFileSync(path.join((await publishedPack()).dir, "node_modules", "@pulumi", "policy", "package.json"), "utf8")) as {
            version: string;
        };
        assert.equal((await pack.getPluginInfo()).getVersion(), installed.version.replace(/^v/, ""));
        assert.equal(installed.version.replace(/^v/, ""), manifest.dependencies["@pulumi/policy"]);
    });

    it("describes itself and every policy with the offline metadata: name, level, type, controls, remediation, config schema", async () => {
        const info = await pack.getAnalyzerInfo();
        assert.equal(info.getName(), "eks-platform-guardrails");
        assert.equal(info.getVersion(), manifest.version);
        assert.equal(info.getSupportsconfig(), true);
        assert.equal(info.getProvider(), "aws");
        const described = info.getPoliciesList().map((policy) => ({
            name: policy.getName(),
            description: policy.getDescription(),
            enforcementLevel: policy.getEnforcementlevel(),
            type: policy.getPolicyType(),
            controls: policy.getTagsList(),
            remediation: policy.getRemediationSteps(),
            schema: policy.getConfigschema()?.getProperties()?.toJavaScript(),
            required: policy.getConfigschema()?.getRequiredList() ?? [],
        }));
        const expected = policies.map((policy) => ({
            name: policy.name,
            description: policy.description,
            enforcementLevel: policy.enforcementLevel === "mandatory" ? analyzerProto.EnforcementLevel.MANDATORY : analyzerProto.EnforcementLevel.ADVISORY,
            type: policy.kind === "resource" ? analyzerProto.PolicyType.POLICY_TYPE_RESOURCE : analyzerProto.PolicyType.POLICY_TYPE_STACK,
            controls: [...policy.controls],
            remediation: policy.remediation,
            schema: policy.configSchema ? (JSON.parse(JSON.stringify(policy.configSchema)) as object) : undefined,
            required: [],
        }));
        assert.deepEqual(described, expected);
    });

    describe("shipped configurations", () => {
        const files = fs
            .readdirSync(CONFIG_DIRECTORY)
            .filter((file) => file.endsWith(".json"))
            .sort();

        it("are there to test", () => assert.ok(files.length > 0));

        for (const file of files) {
            it(`policy-pack/config/${file} passes the engine's validation and Configure`, async () => {
                await configureFromFile(pack, fs.readFileSync(path.join(CONFIG_DIRECTORY, file), "utf8"));
            });
        }
    });

    describe("configurations the pack refuses", () => {
        const wrong = wrongTypeSetting();
        const aPolicy = policies.find((policy) => policy.configSchema)!;
        const misspelt = `${aPolicy.name.slice(0, -2)}${aPolicy.name.slice(-1)}`;

        it(`a setting of the wrong type (${wrong.policy}.${wrong.setting}): the engine stops before Configure, and Configure refuses it too`, async () => {
            const config = { [wrong.policy]: { [wrong.setting]: wrong.value } };
            const { validationErrors, configured } = await configureUnchecked(pack, JSON.stringify(config));
            assert.ok(
                validationErrors.some((error) => error.startsWith(`${wrong.policy}: /${wrong.setting} `)),
                `the engine's check: ${validationErrors.join("; ")}`,
            );
            const problems = await refusal(configured);
            assert.deepEqual(problems, [`${wrong.policy}.${wrong.setting} = ${JSON.stringify(wrong.value)}: must be ${wrong.type}`]);
            assert.deepEqual(await offlineProblems(config), problems, "the offline evaluator refuses it alike");
        });

        it(`an unknown policy name ("${misspelt}"): the engine passes it on, Configure refuses it and names the policy meant`, async () => {
            const config = { [misspelt]: "mandatory" };
            const { validationErrors, configured } = await configureUnchecked(pack, JSON.stringify(config));
            assert.deepEqual(validationErrors, [], "the engine does not check policy names");
            const problems = await refusal(configured);
            assert.deepEqual(problems, [
                `unknown policy "${misspelt}"; did you mean "${aPolicy.name}"? (the pack's policies are listed in docs/guardrails.md)`,
            ]);
            assert.deepEqual(await offlineProblems(config), problems, "the offline evaluator refuses it alike");
        });

        it(`a setting the policy does not have (${aPolicy.name}.notASetting): the engine passes it on, Configure refuses it`, async () => {
            const config = { [aPolicy.name]: { notASetting: 1 } };
            const { validationErrors, configured } = await configureUnchecked(pack, JSON.stringify(config));
            assert.deepEqual(validationErrors, [], "the engine allows settings outside the schema");
            const problems = await refusal(configured);
            assert.equal(problems.length, 1);
            assert.match(problems[0], new RegExp(`^${aPolicy.name}: no setting "notASetting" \\(its settings are .+, and enforcementLevel\\)$`));
            assert.deepEqual(await offlineProblems(config), problems, "the offline evaluator refuses it alike");
        });

        it(`the offline plan refuses the same config (--policy-config) with exit 2 before it renders anything`, () => {
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-")), "policy.json");
            fs.writeFileSync(file, JSON.stringify({ [misspelt]: "mandatory" }));
            const plan = spawnSync(
                process.execPath,
                ["--import", "tsx", path.join(PACK_DIR, "..", "tools", "plan.ts"), "--stack", "dev", "--policy-config", file],
                {
                    encoding: "utf8",
                },
            );
            assert.equal(plan.status, 2, plan.stderr);
            assert.equal(
                plan.stderr.trim(),
                `Invalid --policy-config ${file} (1 problem):\n  - unknown policy "${misspelt}"; did you mean "${aPolicy.name}"? (the pack's policies are listed in docs/guardrails.md)`,
            );
            assert.equal(plan.stdout, "");
        });

        it("an invalid enforcement level: the engine refuses the file before it starts the pack", () => {
            assert.throws(() => parsePolicyPackConfig(JSON.stringify({ [aPolicy.name]: "strict" })), /"strict" is not a valid enforcement level/);
        });

        it("a refused Configure leaves the previous configuration in force", async () => {
            const [policyName, set] = Object.entries(fixtures).find(([name]) => policies.find((policy) => policy.name === name)?.kind === "resource")!;
            const failing = set.fail[0].resources.map((resource, index) => ({
                ...resource,
                urn: `urn:pulumi:fixtures::policy-fixtures::${resource.type}::refusal-${index}`,
            }));
            const reported = async () => (await previewOverProtocol(pack, failing)).violations.filter((line) => line.startsWith(`${policyName} `));

            await configureFromFile(pack, JSON.stringify({ [policyName]: "disabled" }));
            assert.deepEqual(await reported(), []);
            await refusal(pack.configure(configureRequest({ [misspelt]: { enforcementLevel: "mandatory" } })));
            assert.deepEqual(await reported(), [], `${policyName} is still disabled`);
            await configureFromFile(pack, "{}");
            assert.ok((await reported()).length > 0, `${policyName} reports its failing fixture again`);
        });
    });
});
