import type { ForceNewTable, ReplaceRule, TypeEntry } from "./build";
import tableJson from "./forceNew.generated.json";

/** The generated force-new table (tools/forcenew/forceNew.generated.json; docs/plan.md describes it). */
export const FORCE_NEW_TABLE = tableJson as unknown as ForceNewTable;

class UnknownResourceTypeError extends Error {}

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
            `${type} has no entry in tools/forcenew/forceNew.generated.json: regenerate it (npm run -s forcenew -- build) so the diff knows what replaces it`,
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

/**
 * The inputs of a resource that decide its identity: the values at its force-new paths. Two
 * registrations with the same identity are the same cloud object; the offline mocks derive IDs
 * from it, so a replacement gets a new ID and everything that reads that ID sees the change.
 */
export function identityInputs(type: string, inputs: Record<string, unknown>): unknown[] {
    return replaceRules(type)
        .filter((rule) => rule.when !== "conditional")
        .map((rule) => {
            const values = valuesAt(inputs, segments(rule.path));
            return rule.when === "count" ? values.map((v) => (Array.isArray(v) ? v.length : v === undefined ? 0 : 1)) : values;
        });
}
