import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { evaluate, evaluateWithUndecided, PolicyConfigError, policies } from "../../evaluate";
import { ENVIRONMENTS, environmentConfig } from "../../lib/environments";
import { enforcementLevelOf } from "../../lib/config";
import { fixtures } from "../fixtures";
import { analyzerProto, grpcStatus, type PolicyPackProcess } from "./analyzer";
import { configureFromFile, ORG_WIDE_CONFIG, policiesOf, previewOverProtocol } from "./drive";
import { configureRequest, parsePolicyPackConfig, reconcilePolicyPackConfig } from "./engine-config";
import { PACK_DIR } from "./published";
import { acquirePackProcess, FIXTURES_IDENTITY, publishedPack } from "./session";
import { planInProcess } from "../../../test/support";

// What the engine asks the pack before analysing anything (GetPluginInfo, GetAnalyzerInfo), and
// how the pack takes its configuration: the org-wide setup (no config) is accepted, a config the
// pack cannot honour is refused by Configure with a message naming each problem.

const PROTO_LEVEL = {
    advisory: analyzerProto.EnforcementLevel.ADVISORY,
    mandatory: analyzerProto.EnforcementLevel.MANDATORY,
    disabled: analyzerProto.EnforcementLevel.DISABLED,
    remediate: analyzerProto.EnforcementLevel.REMEDIATE,
};

/**
 * The engine policies the pack must register, from the environment files alone: every rule at the
 * strictest level any environment gives it (remediate counts as mandatory), and a `-advisory` twin
 * of each rule that is mandatory in one environment and advisory in another.
 */
function expectedRegistrations() {
    return policies.flatMap((policy) => {
        const levels = ENVIRONMENTS.map((environment) => enforcementLevelOf(policy, environmentConfig(environment))).map((level) =>
            level === "remediate" ? "mandatory" : level,
        );
        const strictest = (["mandatory", "advisory", "disabled"] as const).find((level) => levels.includes(level))!;
        const twin = strictest === "mandatory" && levels.includes("advisory");
        return [{ name: policy.name, level: strictest }, ...(twin ? [{ name: `${policy.name}-advisory`, level: "advisory" as const }] : [])].map(
            ({ name, level }) => ({
                name,
                description: policy.description,
                enforcementLevel: PROTO_LEVEL[level],
                type: policy.kind === "resource" ? analyzerProto.PolicyType.POLICY_TYPE_RESOURCE : analyzerProto.PolicyType.POLICY_TYPE_STACK,
                controls: [...policy.controls],
                remediation: policy.remediation,
                // Without defaults, so that the engine sends only what an engine config sets and the environment's file applies otherwise.
                schema: policy.configSchema
                    ? Object.fromEntries(
                          Object.entries(policy.configSchema).map(([key, schema]) => {
                              const withoutDefault: Record<string, unknown> = { ...schema };
                              delete withoutDefault.default;
                              return [key, JSON.parse(JSON.stringify(withoutDefault)) as object];
                          }),
                      )
                    : undefined,
                required: [],
            }),
        );
    });
}

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

    it("describes itself and every policy with the offline metadata (name, level, type, controls, remediation, config schema), with the advisory twins", async () => {
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
        const expected = expectedRegistrations();
        assert.ok(
            expected.some((policy) => policy.name.endsWith("-advisory")),
            "some rule's level differs between environments",
        );
        assert.deepEqual(described, expected);
    });

    it("takes the org-wide setup (enabled with no config): the engine's defaults pass its validation and Configure", async () => {
        await configureFromFile(pack, ORG_WIDE_CONFIG);
    });

    it("takes an engine config naming advisory twins, as the docs' way to disable such a rule org-wide", async () => {
        const twins = (await policiesOf(pack)).filter((policy) => policy.name.endsWith("-advisory"));
        const config = Object.fromEntries(
            twins.flatMap((twin) => [
                [twin.name, "disabled"],
                [twin.name.replace(/-advisory$/, ""), "disabled"],
            ]),
        );
        await configureFromFile(pack, JSON.stringify(config));
        await configureFromFile(pack, ORG_WIDE_CONFIG);
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

        it(`the offline plan refuses the same config (--policy-config) with exit 2 before it renders anything`, async () => {
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-")), "policy.json");
            fs.writeFileSync(file, JSON.stringify({ [misspelt]: "mandatory" }));
            const plan = await planInProcess("--stack", "dev", "--policy-config", file);
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
            // A resource rule's failing fixture that fails under the fixtures stack's own settings (prod's), without a config of its own.
            const urnsOf = (resources: (typeof fixtures)[string]["fail"][number]["resources"]) =>
                resources.map((resource, index) => ({ ...resource, urn: `urn:pulumi:fixtures::policy-fixtures::${resource.type}::refusal-${index}` }));
            const candidates = Object.entries(fixtures).filter(
                ([name, set]) => policies.find((policy) => policy.name === name)?.kind === "resource" && !set.fail[0].config,
            );
            let chosen: [string, ReturnType<typeof urnsOf>] | undefined;
            for (const [name, set] of candidates) {
                const resources = urnsOf(set.fail[0].resources);
                const { violations } = await evaluateWithUndecided(resources, { stack: FIXTURES_IDENTITY.stack });
                if (violations.some((violation) => violation.policy === name)) {
                    chosen = [name, resources];
                    break;
                }
            }
            assert.ok(chosen, "a resource rule's failing fixture fails under prod's settings");
            const [policyName, failing] = chosen;
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
