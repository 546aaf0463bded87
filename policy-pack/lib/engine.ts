import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { enforcementLevelOf, parametersOf } from "./config";
import { ENVIRONMENTS, environmentConfig, selectEnvironment, stackOfUrn, type Environment, type EnvironmentSelection } from "./environments";
import { appliesToType, withControls, type Guardrail, type ResourceView } from "./policy";
import { runResourceGuardrail, runStackGuardrail } from "./run";
import { UNKNOWN, type UnknownValueError } from "./unknown";

// Adapts the pack's guardrails to @pulumi/policy. The engine hands rules a proxy that throws
// its own UnknownValueError on values unknown at preview; the adapter copies the props into
// plain data with UNKNOWN in those places, runs the rule exactly as the offline evaluator
// does, and, when the rule could not decide, rethrows the engine's error so that the engine
// reports "can't run policy during preview" (advisory) as it would for any other policy.
// A stack rule that cannot link resources (e.g. subnets defined in another stack) is
// undecided without any engine unknown; the engine is then told the policy is not applicable.

// @pulumi/policy marks this class @internal, so its typings omit it; the policy server
// recognises unknowns by `instanceof` against this very class.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the typings do not declare the module's exports
const { UnknownValueError: EngineUnknownValueError } = require("@pulumi/policy/proxy") as {
    UnknownValueError: new (...args: never[]) => Error;
};

interface Snapshot {
    value: Record<string, unknown>;
    /** The engine's unknown errors by property path, spelled as `guardUnknowns` spells it. */
    unknownsByPath: Map<string, Error>;
}

function snapshotOf(props: Record<string, unknown>): Snapshot {
    const unknownsByPath = new Map<string, Error>();
    const copy = (source: unknown, path: string): unknown => {
        if (typeof source !== "object" || source === null) {
            return source;
        }
        const members = source as Record<string, unknown>;
        const target: Record<string, unknown> | unknown[] = Array.isArray(source) ? [] : {};
        for (const key of Object.keys(members)) {
            const memberPath = Array.isArray(source) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
            try {
                (target as Record<string, unknown>)[key] = copy(members[key], memberPath);
            } catch (error) {
                if (!(error instanceof EngineUnknownValueError)) {
                    throw error;
                }
                unknownsByPath.set(memberPath, error);
                (target as Record<string, unknown>)[key] = UNKNOWN;
            }
        }
        return target;
    };
    return { value: copy(props, "") as Record<string, unknown>, unknownsByPath };
}

/** The engine error for the unknown the rule stopped on; the engine reports it as "can't run during preview". */
function engineErrorFor(unknownRead: UnknownValueError, snapshots: Snapshot[]): Error | undefined {
    return snapshots.map((snapshot) => snapshot.unknownsByPath.get(unknownRead.path)).find((error) => error !== undefined);
}

function toView(
    resource: Pick<PolicyResource, "type" | "name" | "urn" | "props">,
    snapshot: Snapshot,
    protect: boolean,
    parent?: string,
    dependsOn: string[] = [],
): ResourceView {
    const id = snapshot.value.id;
    return {
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        id: typeof id === "string" ? id : undefined,
        props: snapshot.value,
        parent,
        dependsOn,
        options: { protect },
    };
}

/** The engine-side name of the twin that reports a rule's violations where it is advisory. */
export const ADVISORY_TWIN_SUFFIX = "-advisory";

export type EnginePolicy = ResourceValidationPolicy | StackValidationPolicy;

type Level = "mandatory" | "advisory" | "disabled";

/** A rule's level in one environment, as the engine reports it (remediate counts as mandatory). */
export function levelIn(policy: Guardrail, environment: Environment): Level {
    const level = enforcementLevelOf(policy, environmentConfig(environment));
    return level === "remediate" ? "mandatory" : level;
}

/**
 * The engine fixes each policy's enforcement level at configuration time, the same for every stack,
 * and the pack is enabled once for the whole organization. A rule whose level differs between
 * environments is therefore registered twice: `<name>` at its strictest level reports where the
 * stack's environment has that level, and `<name>-advisory` reports where it is advisory. Each
 * tells the engine it does not apply elsewhere. Levels and parameters come from the environment's
 * settings file; an engine config (`--policy-pack-config`, `pulumi policy enable --config`) still
 * overrides both, for every stack it applies to.
 */
export function enginePoliciesOf(policy: Guardrail): EnginePolicy[] {
    const levels = ENVIRONMENTS.map((environment) => levelIn(policy, environment));
    const strictest: Level = levels.includes("mandatory") ? "mandatory" : levels.includes("advisory") ? "advisory" : "disabled";
    const variants: Array<{ name: string; level: Level }> = [{ name: policy.name, level: strictest }];
    if (strictest === "mandatory" && levels.includes("advisory")) {
        variants.push({ name: `${policy.name}${ADVISORY_TWIN_SUFFIX}`, level: "advisory" });
    }
    return variants.map((variant) => enginePolicy(policy, variant.name, variant.level));
}

/** Config schema without defaults, so that the engine passes only what a config file sets explicitly. */
function engineConfigSchema(policy: Guardrail): { properties: Record<string, PolicyConfigJSONSchema> } | undefined {
    if (!policy.configSchema) {
        return undefined;
    }
    const properties: Record<string, PolicyConfigJSONSchema> = {};
    for (const [key, schema] of Object.entries(policy.configSchema as Record<string, PolicyConfigJSONSchema & { default?: unknown }>)) {
        const rest: PolicyConfigJSONSchema & { default?: unknown } = { ...schema };
        delete rest.default;
        properties[key] = rest;
    }
    return { properties };
}

interface EngineContext {
    selection: EnvironmentSelection;
    parameters: Record<string, unknown>;
}

/** The stack's environment and the rule's parameters there, or a not-applicable reason when another variant reports. */
function contextFor(
    policy: Guardrail,
    level: Level,
    urn: string | undefined,
    tags: ReadonlyMap<string, string>,
    engineConfig: Record<string, unknown>,
): EngineContext | string {
    const selection = selectEnvironment({ stack: urn ? stackOfUrn(urn) : undefined, tags });
    const levelHere = levelIn(policy, selection.environment);
    if (levelHere !== level) {
        return `${policy.name} is ${levelHere} in ${selection.environment} (chosen by ${selection.by})`;
    }
    const entry = environmentConfig(selection.environment)[policy.name];
    const fromEnvironment = typeof entry === "object" ? entry : {};
    return { selection, parameters: parametersOf(policy, { ...fromEnvironment, ...engineConfig }) };
}

function enginePolicy(policy: Guardrail, name: string, level: Level): EnginePolicy {
    const metadata = {
        name,
        description: policy.description,
        enforcementLevel: level,
        remediationSteps: policy.remediation,
        tags: [...policy.controls],
        configSchema: engineConfigSchema(policy),
    };
    if (policy.kind === "resource") {
        return {
            ...metadata,
            validateResource: (args, reportViolation) => {
                if (!appliesToType(policy, args.type)) {
                    args.notApplicable(`applies to ${policy.resourceTypes.join(", ")}`);
                }
                const context = contextFor(policy, level, args.urn, args.stackTags, args.getConfig<Record<string, unknown>>());
                if (typeof context === "string") {
                    return args.notApplicable(context);
                }
                const snapshot = snapshotOf(args.props);
                const unknownRead = runResourceGuardrail(policy, toView(args, snapshot, args.opts.protect, args.opts.parent), context.parameters, (message) =>
                    reportViolation(withControls(policy, message)),
                );
                if (unknownRead) {
                    throw engineErrorFor(unknownRead, [snapshot]) ?? args.notApplicable(unknownRead.message);
                }
            },
        };
    }
    return {
        ...metadata,
        validateStack: (args, reportViolation) => {
            const context = contextFor(policy, level, args.resources[0]?.urn, args.stackTags, args.getConfig<Record<string, unknown>>());
            if (typeof context === "string") {
                return args.notApplicable(context);
            }
            const snapshots = args.resources.map((resource) => snapshotOf(resource.props));
            const views = args.resources.map((resource, index) =>
                toView(
                    resource,
                    snapshots[index],
                    resource.opts.protect,
                    resource.parent?.urn,
                    resource.dependencies.map((dependency) => dependency.urn),
                ),
            );
            const unknownRead = runStackGuardrail(
                policy,
                views,
                context.parameters,
                (message, urn) => reportViolation(withControls(policy, message), urn),
                context.selection,
            );
            if (unknownRead) {
                throw engineErrorFor(unknownRead, snapshots) ?? args.notApplicable(unknownRead.message);
            }
        },
    };
}
