import { strict as assert } from "assert";
import { evaluateWithUndecided, policies, UNKNOWN, type PlannedResource } from "../../evaluate";
import { enginePoliciesOf } from "../../lib/engine";
import type { PolicyPackProcess } from "./analyzer";
import { configureRequest, enginePolicies, parsePolicyPackConfig, reconcilePolicyPackConfig, type EnginePolicyInfo } from "./engine-config";
import { effectiveConfig, environmentOf, servedName, type StackScope } from "./org-wide";
import {
    analyzeRequest,
    analyzeStackRequest,
    decodeResponse,
    differences,
    emptyOutcomes,
    expectedOutcomes,
    secret,
    type Outcomes,
    type WireResource,
} from "./wire";

// One `pulumi preview --policy-pack` over the protocol, and the offline evaluation it must match.

/** In-flight Analyze calls; the engine analyzes resources as their registrations arrive, concurrently. */
const CONCURRENCY = 8;

/** Every engine policy's description (a twin has its rule's), which the pack puts before each violation's message. */
const descriptions = new Map(policies.flatMap((policy) => enginePoliciesOf(policy).map((served) => [served.name, policy.description])));
const stackPolicies = new Set(policies.filter((policy) => policy.kind === "stack").map((policy) => policy.name));

/** GetAnalyzerInfo per pack process: the engine asks once and caches the answer. */
const analyzerInfo = new WeakMap<PolicyPackProcess, Promise<EnginePolicyInfo[]>>();

export function policiesOf(pack: PolicyPackProcess): Promise<EnginePolicyInfo[]> {
    let info = analyzerInfo.get(pack);
    if (!info) {
        info = pack.getAnalyzerInfo().then(enginePolicies);
        analyzerInfo.set(pack, info);
    }
    return info;
}

/** The org-wide setup the docs publish: `pulumi policy enable` without --config; the engine still sends Configure, with every policy's defaults. */
export const ORG_WIDE_CONFIG = "{}";

/**
 * Configures the pack as the engine does for `--policy-pack-config <file>` with this content:
 * GetAnalyzerInfo, then defaults and the file's settings reconciled and validated, then Configure.
 */
export async function configureFromFile(pack: PolicyPackProcess, content: string): Promise<void> {
    const { config, validationErrors } = reconcilePolicyPackConfig(await policiesOf(pack), {}, parsePolicyPackConfig(content));
    assert.deepEqual(validationErrors, [], "the engine refuses this config before Configure");
    await pack.configure(configureRequest(config));
}

/** Remediate and Analyze for every resource, then AnalyzeStack over all of them, as a preview does. */
export async function previewOverProtocol(pack: PolicyPackProcess, resources: WireResource[], options: { remediate?: boolean } = {}): Promise<Outcomes> {
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    const outcomes = emptyOutcomes();
    const remediations: string[] = [];
    let next = 0;
    const worker = async () => {
        while (next < resources.length) {
            const resource = resources[next++];
            const request = analyzeRequest(resource, byUrn);
            if (options.remediate) {
                const remediated = await pack.remediate(request);
                remediations.push(...remediated.getRemediationsList().map((remediation) => `${remediation.getPolicyname()} remediated ${resource.urn}`));
            }
            decodeResponse(await pack.analyze(request), resource.urn, descriptions, outcomes);
        }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    decodeResponse(await pack.analyzeStack(analyzeStackRequest(resources)), null, descriptions, outcomes);
    // The pack has no remediations; the engine would apply any it returned before Analyze.
    outcomes.violations.push(...remediations);
    return outcomes;
}

/** The facts the analyzer protocol carries: it has no field for retainOnDelete (AnalyzerResourceOptions). */
export function engineVisible(resource: WireResource): WireResource {
    return { ...resource, options: { ...resource.options, protect: resource.options?.protect === true, retainOnDelete: undefined } };
}

/**
 * The offline evaluator's verdicts on the same resources, in the protocol's terms: judged by the
 * stack's environment (chosen by the evaluator from the stack's name and tags, as the pack chooses),
 * or, for a pack configured with an engine config, by that environment's settings overlaid with it;
 * each verdict under the name the engine reports it by there (`asServed`) and under its rule's name (`byRule`, as the plan names it).
 */
export async function offlineOutcomes(
    resources: WireResource[],
    scope: StackScope,
    engineConfigFile?: string,
): Promise<{ asServed: Outcomes; byRule: Outcomes }> {
    const planned: PlannedResource[] = resources.map((resource) => ({ ...resource, parent: resource.parent ?? undefined }));
    const environment = environmentOf(scope);
    const engineConfig = engineConfigFile === undefined ? {} : parsePolicyPackConfig(engineConfigFile);
    const { violations, undecided } = await evaluateWithUndecided(planned, {
        stack: scope.stack,
        stackTags: scope.tags,
        config: Object.keys(engineConfig).length > 0 ? effectiveConfig(policies, environment, engineConfig) : undefined,
    });
    const byName = new Map(policies.map((policy) => [policy.name, policy]));
    return {
        asServed: expectedOutcomes(violations, undecided, resources, stackPolicies, (name) => servedName(byName.get(name)!, environment)),
        byRule: expectedOutcomes(violations, undecided, resources, stackPolicies, (name) => name),
    };
}

/**
 * Facts an offline plan records that the analyzer protocol has no field for, and the findings that
 * rest on them: only the plan can report these (AnalyzerResourceOptions carries no retainOnDelete).
 */
const PLAN_ONLY_FINDINGS = [
    {
        policy: "stateful-resources-protected",
        message: /lacks retainOnDelete\.$/,
        holds: (resource: WireResource) => resource.options?.retainOnDelete === false,
    },
];

const VIOLATION_LINE = /^(\S+) \[\w+\] (\S+): (.*) \{controls: .*\}$/s;

/**
 * Fails unless the plan's violations are the engine-visible ones plus plan-only findings, each
 * resting on a fact the plan records for that resource; names every other difference.
 */
export function assertNoPlanOnlyFindingsBut(plan: string[], engineVisible: Outcomes, resources: WireResource[], what: string): void {
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    const planOnly = "only in the plan (violations): ";
    const lines = differences(
        { violations: plan, undecided: [], notApplicable: [] },
        { violations: engineVisible.violations, undecided: [], notApplicable: [] },
        ["in the plan", "from engine-visible facts"],
    ).filter((line) => {
        const [, policy, urn, message] = VIOLATION_LINE.exec(line.slice(planOnly.length)) ?? [];
        const resource = byUrn.get(urn ?? "");
        return !(
            line.startsWith(planOnly) &&
            resource &&
            PLAN_ONLY_FINDINGS.some((gap) => gap.policy === policy && gap.message.test(message) && gap.holds(resource))
        );
    });
    if (lines.length > 0) {
        assert.fail(`${what}: the plan's verdicts and those from the facts the engine shows policies disagree:\n  ${lines.join("\n  ")}`);
    }
}

/** Fails naming every policy and resource on which the two sides disagree. */
export function assertSameOutcomes(overProtocol: Outcomes, offline: Outcomes, what: string): void {
    const lines = differences(overProtocol, offline);
    if (lines.length > 0) {
        assert.fail(`${what}: the pack over the analyzer protocol and the offline evaluator disagree:\n  ${lines.join("\n  ")}`);
    }
}

/**
 * The stack as a first preview sees it: no resource exists yet, so every provider ID (and every
 * input that carries another resource's ID) is unknown.
 */
export function firstPreview(resources: WireResource[]): WireResource[] {
    const ids = new Set(resources.map((resource) => resource.id).filter((id): id is string => Boolean(id)));
    const hide = (value: unknown): unknown => {
        if (typeof value === "string") {
            return ids.has(value) ? UNKNOWN : value;
        }
        if (Array.isArray(value)) {
            return value.map(hide);
        }
        if (typeof value === "object" && value !== null) {
            return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, hide(member)]));
        }
        return value;
    };
    return resources.map((resource) => ({
        ...resource,
        id: resource.id ? (UNKNOWN as unknown as string) : resource.id,
        props: hide(resource.props) as Record<string, unknown>,
    }));
}

/** The stack with every input a program could mark secret marked secret. */
export function allSecret(resources: WireResource[]): WireResource[] {
    return resources.map((resource) => ({
        ...resource,
        props: Object.fromEntries(Object.entries(resource.props).map(([key, value]) => [key, secret(value)])),
    }));
}
