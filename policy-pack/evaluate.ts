// Offline evaluation of the policy pack. Runs the very rules that
// index.ts hands to the Pulumi policy engine, without starting the policy server: this module
// must never import index.ts.
import { policies } from "./policies";
import { enforcementLevelOf, parametersOf, type PolicyPackConfig } from "./lib/config";
import { PolicyConfigChecker } from "./lib/config-check";
import { ENVIRONMENT_CONFIG_DIRECTORY, ENVIRONMENTS, environmentConfig, isEnvironment, selectEnvironment } from "./lib/environments";
import { appliesToType, type ResourceView } from "./lib/policy";
import { runResourceGuardrail, runStackGuardrail } from "./lib/run";

export { PULUMI_UNKNOWN_STRING, UNKNOWN, isUnknown } from "./lib/unknown";
export { policies } from "./policies";
export type { Guardrail, ResourceGuardrail, StackGuardrail } from "./lib/policy";
export type { PolicyPackConfig } from "./lib/config";
export { PolicyConfigError } from "./lib/config-check";
export { ENVIRONMENT_TAG, ENVIRONMENTS, STRICTEST_ENVIRONMENT, selectEnvironment } from "./lib/environments";

export interface PlannedResource {
    type: string;
    name: string;
    urn?: string;
    /** Provider ID when the plan knows it (e.g. a mock ID); stack rules link resources by it. */
    id?: string;
    /** Resource inputs; values unknown at preview are `UNKNOWN` (or the protocol's `PULUMI_UNKNOWN_STRING`). */
    props: Record<string, unknown>;
    parent?: string | null;
    dependsOn?: string[];
    /** Resource options as the plan recorded them (Contract 1's `options`). */
    options?: { protect?: boolean; retainOnDelete?: boolean };
}

export interface Violation {
    policy: string;
    enforcementLevel: "mandatory" | "advisory";
    controls: string[];
    /** The offending resource, or null for a stack-level violation. */
    urn: string | null;
    message: string;
}

/** A policy that could not decide because a value it needs is unknown at preview. */
export interface Undecided {
    policy: string;
    urn: string | null;
    reason: string;
}

export interface EvaluateOptions {
    /** Names the stack, as the URNs do; with `stackTags`, it selects the environment as the engine does. */
    stack?: string;
    /** The stack's tags (`eks-platform:environment` names its environment). */
    stackTags?: Record<string, string>;
    /**
     * A complete policy-pack config (the format of config/<environment>.json). Without it, the
     * settings of the environment the stack selects apply (lib/environments.ts), exactly as the
     * published pack chooses them for a stack.
     */
    config?: object;
}

export const CONFIG_DIRECTORY = ENVIRONMENT_CONFIG_DIRECTORY;

/** The check the pack applies at Configure; the offline path refuses the same configs. */
export const configChecker = new PolicyConfigChecker(policies.map((policy) => ({ name: policy.name, settings: policy.configSchema })));

/** An environment's settings file; refuses a name that has none. */
export function loadStackConfig(environment: string): PolicyPackConfig {
    if (!isEnvironment(environment)) {
        throw new Error(`no policy-pack config for environment "${environment}" (known: ${ENVIRONMENTS.join(", ")}; files in ${CONFIG_DIRECTORY})`);
    }
    return environmentConfig(environment);
}

export async function evaluate(resources: PlannedResource[], options: EvaluateOptions = {}): Promise<Violation[]> {
    return (await evaluateWithUndecided(resources, options)).violations;
}

/** As `evaluate`, and also lists what could not be decided at preview. */
// eslint-disable-next-line @typescript-eslint/require-await -- asynchronous by contract, so that rules may become asynchronous without an API change
export async function evaluateWithUndecided(
    resources: PlannedResource[],
    options: EvaluateOptions = {},
): Promise<{ violations: Violation[]; undecided: Undecided[] }> {
    const selection = selectEnvironment({ stack: options.stack, tags: new Map(Object.entries(options.stackTags ?? {})) });
    // A given config is refused as Configure refuses it; the environment files are checked by the pack's tests.
    if (options.config) {
        configChecker.check(options.config);
    }
    const config = (options.config ?? environmentConfig(selection.environment)) as PolicyPackConfig;
    const views = resources.map((resource) => toView(resource, options.stack));
    // Each policy matches its type patterns against each type once, not against every resource.
    const types = [...new Set(views.map((view) => view.type))];
    const violations: Violation[] = [];
    const undecided: Undecided[] = [];

    for (const policy of policies) {
        const configuredLevel = enforcementLevelOf(policy, config);
        if (configuredLevel === "disabled") {
            continue;
        }
        // Like the engine, which reports a remediation policy's leftover violations as mandatory.
        const enforcementLevel = configuredLevel === "remediate" ? "mandatory" : configuredLevel;
        const parameters = parametersOf(policy, config[policy.name]);
        const violation = (message: string, urn: string | null): Violation => ({
            policy: policy.name,
            enforcementLevel,
            controls: [...policy.controls],
            urn,
            message,
        });

        if (policy.kind === "resource") {
            const applies = new Set(types.filter((type) => appliesToType(policy, type)));
            for (const view of views.filter((candidate) => applies.has(candidate.type))) {
                const unknownRead = runResourceGuardrail(policy, view, parameters, (message) => violations.push(violation(message, view.urn)));
                if (unknownRead) {
                    undecided.push({ policy: policy.name, urn: view.urn, reason: unknownRead.message });
                }
            }
        } else {
            const unknownRead = runStackGuardrail(policy, views, parameters, (message, urn) => violations.push(violation(message, urn ?? null)), selection);
            if (unknownRead) {
                undecided.push({ policy: policy.name, urn: null, reason: unknownRead.message });
            }
        }
    }
    return { violations, undecided };
}

/** Pulumi's signature key and the signature of a secret value. */
const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

/**
 * A plan records a secret input as Pulumi's secret envelope (`{ <signature key>: <secret signature>, value }`),
 * while @pulumi/policy hands rules the plain value; rules must see the same data on both paths.
 */
function withoutSecretEnvelopes(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(withoutSecretEnvelopes);
    }
    if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype) {
        return value;
    }
    const record = value as Record<string, unknown>;
    if (record[SIGNATURE_KEY] === SECRET_SIGNATURE) {
        return withoutSecretEnvelopes(record.value);
    }
    return Object.fromEntries(Object.entries(record).map(([key, member]) => [key, withoutSecretEnvelopes(member)]));
}

function toView(resource: PlannedResource, stack: string | undefined): ResourceView {
    const props = withoutSecretEnvelopes(resource.props) as Record<string, unknown>;
    return {
        type: resource.type,
        name: resource.name,
        // Pulumi URN format, so that callers without URNs still get stable, readable ones.
        urn: resource.urn ?? `urn:pulumi:${stack ?? "offline"}::offline::${resource.type}::${resource.name}`,
        id: resource.id ?? (typeof props.id === "string" ? props.id : undefined),
        props,
        parent: resource.parent ?? undefined,
        dependsOn: resource.dependsOn ?? [],
        options: resource.options,
    };
}
