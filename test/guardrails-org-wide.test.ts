import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import type { ResourceValidation } from "@pulumi/policy";
import { evaluateWithUndecided, isUnknown } from "../policy-pack/evaluate";
import { ADVISORY_TWIN_SUFFIX, enginePoliciesOf, type EnginePolicy } from "../policy-pack/lib/engine";
import { ENVIRONMENT_TAG, isEnvironment } from "../policy-pack/lib/environments";
import { policies } from "../policy-pack/policies";
import { listStacks, readStack, readStackFile, ROOT, type StackSource } from "../tools/harness/render";
import { runPlan } from "../tools/plan";
import { planDocument, type PlanDocument } from "../tools/plan/document";
import { evaluatePlan, policyConfigFile } from "../tools/plan/guardrails";
import { bootstrapStackFiles } from "./bootstrapSupport";
import { renderNamedStack } from "./support";

// The enforcement the docs publish (docs/guardrails.md, "Enforcement across the organization"): the
// pack published once and enabled for every stack with no config; this project's stacks are named
// after their environment; any other stack of the platform carries the stack tag
// eks-platform:environment; another project's stack carries nothing. Each shipped stack and example
// goes through @pulumi/policy's own Analyze and AnalyzeStack handlers (deserialization, unknown
// proxy, enforcement levels, not-applicable results) and must get exactly the verdicts of its
// per-stack offline plan, which judges it by its own eks-platform:environment settings.

// @pulumi/policy marks these @internal, so its typings omit them; they are what the gRPC server serves.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the typings do not declare these exports
const server = require("@pulumi/policy/server") as {
    makeAnalyzeRpcFun: (pack: string, version: string, level: string, policies: EnginePolicy[]) => RpcFunction;
    makeAnalyzeStackRpcFun: (pack: string, version: string, level: string, policies: EnginePolicy[]) => RpcFunction;
};
type RpcFunction = (call: { request: unknown }, callback: (error: unknown, response?: AnalyzeResponse) => void) => Promise<void>;
interface AnalyzeResponse {
    getDiagnosticsList(): Array<{ getPolicyname(): string; getEnforcementlevel(): number; getMessage(): string; getUrn(): string }>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- generated protobuf modules, loaded as the policy server loads them
const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb") as Record<string, new () => Record<string, (...args: unknown[]) => unknown>>;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the package ships no typings
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(value: unknown): unknown } };
// eslint-disable-next-line @typescript-eslint/no-require-imports -- @internal in @pulumi/policy's typings
const { unknownStringValue } = require("@pulumi/policy/proxy") as { unknownStringValue: string };

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];

/** The tags a stack carries under the documented setup. */
function publishedStackTags(document: PlanDocument, source: StackSource): Map<string, string> {
    const environment = source.config["eks-platform:environment"];
    if (document.project !== "eks-platform" || isEnvironment(document.stack) || typeof environment !== "string") {
        return new Map();
    }
    return new Map([[ENVIRONMENT_TAG, environment]]);
}

/** ConfigureStack only stores the tags that every validation then receives; this stands in for it. */
function withStackTags(policy: EnginePolicy, tags: Map<string, string>): EnginePolicy {
    if ("validateStack" in policy) {
        const stackPolicy = policy;
        return { ...stackPolicy, validateStack: (args, report) => stackPolicy.validateStack({ ...args, stackTags: tags }, report) };
    }
    const validate = policy.validateResource as ResourceValidation;
    return { ...policy, validateResource: (args, report) => validate({ ...args, stackTags: tags }, report) };
}

/** Plan props as the engine sends them: unknowns as the protocol's unknown string. */
function wire(value: unknown): unknown {
    if (isUnknown(value)) {
        return unknownStringValue;
    }
    if (Array.isArray(value)) {
        return value.map(wire);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).flatMap(([key, member]) => (member === undefined ? [] : [[key, wire(member)]])));
    }
    return value;
}

function message(name: string, fill: (request: Record<string, (...args: unknown[]) => unknown>) => void) {
    const request = new analyzerProto[name]();
    fill(request);
    return request;
}

function options(protect: boolean) {
    return message("AnalyzerResourceOptions", (o) => o.setProtect(protect));
}

function call(fn: RpcFunction, request: unknown): Promise<AnalyzeResponse> {
    return new Promise((resolve, reject) => {
        void fn({ request }, (error, response) => (error ? reject(error instanceof Error ? error : new Error(JSON.stringify(error))) : resolve(response!)));
    });
}

interface Verdict {
    policy: string;
    enforcementLevel: string;
    urn: string | null;
    message: string;
}

/**
 * A finding only the offline plan can raise: the engine does not show policies retainOnDelete, so
 * stateful-resources-protected reports its absence apart from a missing protect.
 */
const planOnly = (verdict: Verdict) => verdict.policy === "stateful-resources-protected" && verdict.message.endsWith("lacks retainOnDelete.");

const key = (verdict: Verdict) => `${verdict.enforcementLevel} ${verdict.policy} ${verdict.urn} ${verdict.message}`;

/** What the published pack reports for a stack, through the policy server's own handlers. */
async function orgWideVerdicts(document: PlanDocument, tags: Map<string, string>): Promise<{ violations: Verdict[]; cannotRun: string[] }> {
    const engine = policies.flatMap(enginePoliciesOf).map((policy) => withStackTags(policy, tags));
    const analyze = server.makeAnalyzeRpcFun("eks-platform-guardrails", "0.1.0", "advisory", engine);
    const analyzeStack = server.makeAnalyzeStackRpcFun("eks-platform-guardrails", "0.1.0", "advisory", engine);
    const diagnostics: Array<{ diagnostic: ReturnType<AnalyzeResponse["getDiagnosticsList"]>[number]; urn: string | null }> = [];
    for (const resource of document.resources) {
        const request = message("AnalyzeRequest", (r) => {
            r.setType(resource.type);
            r.setProperties(Struct.fromJavaScript(wire(resource.props)));
            r.setUrn(resource.urn);
            r.setName(resource.name);
            r.setOptions(options(resource.options.protect));
        });
        // A resource's diagnostics carry no URN; the engine attaches the analyzed resource's.
        diagnostics.push(...(await call(analyze, request)).getDiagnosticsList().map((diagnostic) => ({ diagnostic, urn: resource.urn })));
    }
    const stackRequest = message("AnalyzeStackRequest", (r) =>
        r.setResourcesList(
            document.resources.map((resource) =>
                message("AnalyzerResource", (a) => {
                    a.setType(resource.type);
                    // AnalyzeStack sees outputs, which for the AWS provider's resources include their ID.
                    a.setProperties(Struct.fromJavaScript(wire(resource.id ? { ...resource.props, id: resource.id } : resource.props)));
                    a.setUrn(resource.urn);
                    a.setName(resource.name);
                    a.setOptions(options(resource.options.protect));
                    a.setParent(resource.parent ?? "");
                    a.setDependenciesList(resource.dependsOn);
                }),
            ),
        ),
    );
    diagnostics.push(...(await call(analyzeStack, stackRequest)).getDiagnosticsList().map((diagnostic) => ({ diagnostic, urn: diagnostic.getUrn() || null })));
    const cannotRun = diagnostics.filter(({ diagnostic }) => diagnostic.getMessage().startsWith("can't run policy"));
    const description = (policy: string) => policies.find((candidate) => candidate.name === policy)?.description ?? "";
    return {
        violations: diagnostics
            .filter((entry) => !cannotRun.includes(entry))
            .map(({ diagnostic, urn }) => {
                const policy = diagnostic.getPolicyname().replace(new RegExp(`${ADVISORY_TWIN_SUFFIX}$`), "");
                return {
                    policy,
                    enforcementLevel: LEVELS[diagnostic.getEnforcementlevel()],
                    urn,
                    // The server prefixes the policy's description; the adapter appends the controls.
                    message: diagnostic
                        .getMessage()
                        .replace(`${description(policy)}\n`, "")
                        .replace(/ \[controls: [^\]]*\]$/, ""),
                };
            }),
        cannotRun: cannotRun.map(({ diagnostic, urn }) => `${diagnostic.getPolicyname()} ${urn}`),
    };
}

function exampleStackFiles(directory: string): string[] {
    return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(directory, entry.name);
        return entry.isDirectory() ? exampleStackFiles(full) : /^Pulumi\.[^.]+\.yaml$/.test(entry.name) ? [full] : [];
    });
}

describe("org-wide enforcement: one published pack gives every stack its own environment's verdicts", function () {
    this.timeout(240_000);
    // The bootstrap project's stacks too: its own project, named after no environment, so they get prod.
    const sources = [
        ...listStacks().map(readStack),
        ...exampleStackFiles(path.join(ROOT, "examples")).map(readStackFile),
        ...bootstrapStackFiles().map(readStackFile),
    ];
    const plans = new Map<StackSource, Promise<PlanDocument>>();
    // The plan's own guardrail step (the environment's settings file); shipped stacks come from the shared render cache.
    const perStackPlan = async (source: StackSource): Promise<PlanDocument> => {
        if (source.file) {
            return (await runPlan([source])).documents[0];
        }
        const rendered = await renderNamedStack(source.stack);
        return planDocument(rendered, await evaluatePlan(rendered.resources, rendered.stack, policyConfigFile(rendered.program.config.environment)), []);
    };
    const planOf = (source: StackSource) => {
        if (!plans.has(source)) {
            plans.set(source, perStackPlan(source));
        }
        return plans.get(source)!;
    };

    for (const source of sources) {
        const label = source.file ? path.relative(ROOT, source.file) : source.stack;
        it(`${label}: the same verdicts as its per-stack plan`, async () => {
            const document = await planOf(source);
            const { violations, cannotRun } = await orgWideVerdicts(document, publishedStackTags(document, source));
            assert.deepEqual(
                violations.map(key).sort(),
                document.violations
                    .filter((violation) => !planOnly(violation))
                    .map(key)
                    .sort(),
            );
            const { undecided } = await evaluateWithUndecided(document.resources, {
                stack: document.stack,
                stackTags: Object.fromEntries(publishedStackTags(document, source)),
            });
            assert.deepEqual(
                cannotRun.sort(),
                undecided
                    .filter((u) => u.urn !== null)
                    .map((u) => `${u.policy} ${u.urn}`)
                    .sort(),
            );
        });
    }

    it("passes dev, staging, prod, the examples and the bootstrap stacks without a mandatory violation, and stops the insecure example", async () => {
        for (const document of await Promise.all(sources.map(planOf))) {
            const mandatory = document.violations.filter((violation) => violation.enforcementLevel === "mandatory");
            if (document.project === "insecure-example") {
                assert.ok(mandatory.length > 0, "the insecure example must fail");
            } else {
                assert.deepEqual(mandatory, [], `${document.stack} has mandatory violations`);
            }
        }
    });
});
