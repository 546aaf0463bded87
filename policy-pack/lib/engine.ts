import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { parametersOf } from "./config";
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
const { UnknownValueError: EngineUnknownValueError } = require("@pulumi/policy/proxy") as {
    UnknownValueError: new (...args: never[]) => Error;
};

interface Snapshot {
    value: Record<string, any>;
    /** The engine's unknown errors by property path, spelled as `guardUnknowns` spells it. */
    unknownsByPath: Map<string, Error>;
}

function snapshotOf(props: Record<string, any>): Snapshot {
    const unknownsByPath = new Map<string, Error>();
    const copy = (source: any, path: string): any => {
        if (typeof source !== "object" || source === null) {
            return source;
        }
        const target: any = Array.isArray(source) ? [] : {};
        for (const key of Object.keys(source)) {
            const memberPath = Array.isArray(source) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
            try {
                target[key] = copy(source[key], memberPath);
            } catch (error) {
                if (!(error instanceof EngineUnknownValueError)) {
                    throw error;
                }
                unknownsByPath.set(memberPath, error);
                target[key] = UNKNOWN;
            }
        }
        return target;
    };
    return { value: copy(props, ""), unknownsByPath };
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

export function toEnginePolicy(policy: Guardrail): ResourceValidationPolicy | StackValidationPolicy {
    const metadata = {
        name: policy.name,
        description: policy.description,
        enforcementLevel: policy.enforcementLevel,
        remediationSteps: policy.remediation,
        tags: [...policy.controls],
        configSchema: policy.configSchema ? { properties: policy.configSchema } : undefined,
    };
    if (policy.kind === "resource") {
        return {
            ...metadata,
            validateResource: (args, reportViolation) => {
                if (!appliesToType(policy, args.type)) {
                    args.notApplicable(`applies to ${policy.resourceTypes.join(", ")}`);
                }
                const snapshot = snapshotOf(args.props);
                const unknownRead = runResourceGuardrail(
                    policy,
                    toView(args, snapshot, args.opts.protect, args.opts.parent),
                    parametersOf(policy, args.getConfig<Record<string, unknown>>()),
                    (message) => reportViolation(withControls(policy, message)),
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
            const unknownRead = runStackGuardrail(policy, views, parametersOf(policy, args.getConfig<Record<string, unknown>>()), (message, urn) =>
                reportViolation(withControls(policy, message), urn),
            );
            if (unknownRead) {
                throw engineErrorFor(unknownRead, snapshots) ?? args.notApplicable(unknownRead.message);
            }
        },
    };
}
