import type { PlannedResource } from "../harness/render";
import type { PlanDocument } from "./document";

export interface PropertyChange {
    /** Dotted path inside the resource, e.g. "props.vpcConfig.publicAccessCidrs[0]" or "options.protect". */
    path: string;
    before: unknown;
    after: unknown;
}

interface ResourceChange {
    urn: string;
    type: string;
    changes: PropertyChange[];
}

export interface PlanDiff {
    added: PlannedResource[];
    removed: PlannedResource[];
    changed: ResourceChange[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Leaf-level differences between two JSON values, keyed by path. */
export function propertyChanges(before: unknown, after: unknown, path: string): PropertyChange[] {
    if (Array.isArray(before) && Array.isArray(after)) {
        const length = Math.max(before.length, after.length);
        return Array.from({ length }, (_, i) => propertyChanges(before[i], after[i], `${path}[${i}]`)).flat();
    }
    if (isPlainObject(before) && isPlainObject(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        return keys.flatMap((key) => propertyChanges(before[key], after[key], path ? `${path}.${key}` : key));
    }
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}

/**
 * What a reviewer needs from two plans of the same stack: resources added and removed (by URN) and,
 * for the rest, each changed input or resource option with its old and new value. Mock IDs are
 * not compared: they are offline artefacts, not desired state.
 */
export function diffPlans(base: PlanDocument, current: PlanDocument): PlanDiff {
    const before = new Map(base.resources.map((r) => [r.urn, r]));
    const after = new Map(current.resources.map((r) => [r.urn, r]));
    const changed: ResourceChange[] = [];
    for (const [urn, resource] of after) {
        const old = before.get(urn);
        if (!old) {
            continue;
        }
        const changes = [
            ...propertyChanges(old.props, resource.props, "props"),
            ...propertyChanges(old.options, resource.options, "options"),
            ...propertyChanges([...old.dependsOn].sort(), [...resource.dependsOn].sort(), "dependsOn"),
        ];
        if (changes.length > 0) {
            changed.push({ urn, type: resource.type, changes });
        }
    }
    return {
        added: current.resources.filter((r) => !before.has(r.urn)),
        removed: base.resources.filter((r) => !after.has(r.urn)),
        changed,
    };
}
