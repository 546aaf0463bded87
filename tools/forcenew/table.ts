import type { ForceNewTable, ReplaceRule, TypeEntry } from "./build";
import tableJson from "./forceNew.generated.json";

/** The generated force-new table (tools/forcenew/forceNew.generated.json; docs/plan.md describes it). */
export const FORCE_NEW_TABLE = tableJson as unknown as ForceNewTable;

export class UnknownResourceTypeError extends Error {}

/**
 * The table entry of a type: exact token first, then the families the providers treat alike
 * (any other Kubernetes kind: identity only; this project's components).
 */
export function entryFor(type: string, table: ForceNewTable = FORCE_NEW_TABLE): TypeEntry {
    const exact = table.types[type];
    if (exact) {
        return exact;
    }
    const family = type.startsWith("kubernetes:") ? "kubernetes:*" : `${type.split(":")[0]}:*`;
    const entry = table.types[family];
    if (!entry) {
        throw new UnknownResourceTypeError(
            `${type} has no entry in tools/forcenew/forceNew.generated.json, so the diff cannot tell what replaces it: the table is older than the program. ` +
                `Regenerate the table: npm run -s forcenew -- build, or, for a type the recorded provider sources lack, npm run -s forcenew -- extract (docs/plan.md, "The force-new table")`,
        );
    }
    return entry;
}

function replaceRules(type: string): ReplaceRule[] {
    const entry = entryFor(type);
    return "replaceOn" in entry ? entry.replaceOn : [];
}

/** Path segments: `a.b[*].c` → ["a", "b", "*", "c"]; `a[0]` → ["a", "0"]. */
export function segments(path: string): string[] {
    return path
        .replace(/\[("?)([^\]"]*)\1\]/g, ".$2")
        .split(".")
        .filter((s) => s !== "");
}

/** Every value at a path, `*` expanding list elements and map values; missing values are `undefined`. */
export function valuesAt(value: unknown, path: string[]): unknown[] {
    if (path.length === 0) {
        return [value];
    }
    const [head, ...rest] = path;
    if (head === "*") {
        const items = Array.isArray(value) ? value : value && typeof value === "object" ? Object.values(value) : [];
        return items.flatMap((item) => valuesAt(item, rest));
    }
    const next = value && typeof value === "object" ? (value as Record<string, unknown>)[head] : undefined;
    return valuesAt(next, rest);
}

/** Finds a resource of the same plan (or render) by its ID. */
export type ResolveId = (id: string) => { type: string; props: Record<string, unknown> } | undefined;

/**
 * What a `refused` rule guards: the `keeps.input` of every resource whose ID its path holds, as a
 * sorted set (a cluster's subnets → their VPCs). Undefined when an ID is not a resource of
 * `keeps.type` that `resolve` knows (a subnet made outside the program).
 */
export function keptValues(rule: ReplaceRule, props: Record<string, unknown>, resolve: ResolveId): string[] | undefined {
    const ids = valuesAt(props, segments(rule.path))
        .flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v]))
        .filter((v) => v !== undefined);
    const kept = new Set<string>();
    for (const id of ids) {
        const referenced = typeof id === "string" ? resolve(id) : undefined;
        if (!referenced || referenced.type !== rule.keeps?.type) {
            return undefined;
        }
        kept.add(JSON.stringify(referenced.props[rule.keeps.input] ?? null));
    }
    return [...kept].sort();
}

/**
 * The inputs of a resource that decide its identity: the values at its force-new paths, and what
 * its refused updates guard (a cluster's VPC). Two registrations with the same identity are the
 * same cloud object; the offline mocks derive IDs and auto-names from it, so a replacement gets a
 * new ID and name and everything that reads them sees the change.
 */
export function identityInputs(type: string, inputs: Record<string, unknown>, resolve: ResolveId = () => undefined): unknown[] {
    return replaceRules(type)
        .filter((rule) => rule.when !== "conditional")
        .map((rule) => {
            if (rule.when === "refused") {
                return keptValues(rule, inputs, resolve) ?? null;
            }
            const values = valuesAt(inputs, segments(rule.path));
            return rule.when === "count" ? values.map((v) => (Array.isArray(v) ? v.length : v === undefined ? 0 : 1)) : values;
        });
}

/** The input the provider auto-names when the program leaves it unset (`name` for most AWS types). */
export function autoNamedInput(type: string): string | undefined {
    const entry = entryFor(type);
    return "autoName" in entry ? entry.autoName : undefined;
}
