import { z } from "zod";
import { isRecord } from "../policy-pack/lib/values";
import type { ConfigProblem } from "./problems";
import { formatPath, objectShape, unwrap, unwrapOnce, valueAt } from "./schemaTree";

/**
 * Rules every section gets from its schema alone, so a capability added to the list gets them
 * without code of its own:
 *
 * - a setting written under a feature that is off is refused (it would be silently ignored): the
 *   feature's switch is an `enabled` boolean beside it, or what the object's metadata names
 *   (`featureSwitch("backend", "none")`);
 * - a list of plain values holds each value once, and a list of objects whose metadata names its
 *   identity (`uniqueBy("namespace", "name")`) holds each identity once: a repeated item would
 *   register two resources of one name (or two AWS objects for one thing).
 */

interface FeatureSwitch {
    /** The key of the switch, beside the settings it governs. */
    key: string;
    /** The value that turns the feature off. */
    off: unknown;
}

/** Metadata for an object whose feature `key` turns off at `off` (besides the implicit `enabled: false`). */
export function featureSwitch(key: string, off: unknown): { featureSwitch: FeatureSwitch } {
    return { featureSwitch: { key, off } };
}

/**
 * Metadata for a setting that is still read while its feature is off, as long as one of these
 * switches (absolute dotted paths in the stack's settings) is on: the setting is refused only when
 * all of them are off too.
 */
export function alsoReadWhile(...switches: string[]): { alsoReadWhile: string[] } {
    return { alsoReadWhile: switches };
}

interface UniqueBy {
    /** The fields that together identify an item. */
    fields: string[];
    /** What a repeated item would break, for the message. */
    reason: string;
}

/** Metadata for a list of objects identified by these fields together (no two items may share them), and what a repeat would break. */
export function uniqueBy(fields: string[], reason: string): { uniqueBy: UniqueBy } {
    return { uniqueBy: { fields, reason } };
}

/** Metadata along a schema's wrappers, innermost first so the outer (where `.meta()` usually sits) wins. */
function metaOf(schema: z.ZodType): Record<string, unknown> {
    const layers: z.ZodType[] = [];
    let inner: z.ZodType = schema;
    for (;;) {
        layers.push(inner);
        const next = unwrapOnce(inner);
        if (next === inner) {
            break;
        }
        inner = next;
    }
    return Object.assign({}, ...layers.reverse().map((layer) => layer.meta() ?? {})) as Record<string, unknown>;
}

/** The switch of an object schema: declared in its metadata, or an `enabled` boolean in its shape. */
export function switchOf(schema: z.ZodType): FeatureSwitch | undefined {
    const declared = metaOf(schema).featureSwitch as FeatureSwitch | undefined;
    if (declared) {
        return declared;
    }
    const enabled = objectShape(schema)?.enabled;
    return enabled && unwrap(enabled) instanceof z.ZodBoolean ? { key: "enabled", off: false } : undefined;
}

/**
 * Visits every object, list and map the schema describes, with the raw value written and the parsed
 * one (defaults applied); `visit` returns false to skip what is below.
 */
export function visitSettings(
    schema: z.ZodType,
    raw: unknown,
    parsed: unknown,
    path: (string | number)[],
    visit: (schema: z.ZodType, raw: unknown, parsed: unknown, path: (string | number)[]) => boolean,
): void {
    if (!visit(schema, raw, parsed, path)) {
        return;
    }
    const inner = unwrap(schema);
    if (inner instanceof z.ZodObject && isRecord(raw)) {
        const shape: Record<string, z.ZodType> = inner.shape;
        for (const [key, child] of Object.entries(shape)) {
            if (key in raw) {
                visitSettings(child, raw[key], isRecord(parsed) ? parsed[key] : undefined, [...path, key], visit);
            }
        }
    } else if (inner instanceof z.ZodArray && Array.isArray(raw)) {
        raw.forEach((item, index) =>
            visitSettings(inner.element as z.ZodType, item, Array.isArray(parsed) ? parsed[index] : undefined, [...path, index], visit),
        );
    } else if (inner instanceof z.ZodRecord && isRecord(raw)) {
        for (const [key, value] of Object.entries(raw)) {
            visitSettings(inner.valueType as z.ZodType, value, isRecord(parsed) ? parsed[key] : undefined, [...path, key], visit);
        }
    } else if ((inner instanceof z.ZodUnion || inner instanceof z.ZodDiscriminatedUnion) && isRecord(raw)) {
        // The option the value parsed as is the one whose keys it has; any option with a switch judges it.
        for (const option of inner.options as z.ZodType[]) {
            if (objectShape(option) && Object.keys(raw).every((key) => key in (objectShape(option) ?? {}))) {
                visitSettings(option, raw, parsed, path, visit);
                return;
            }
        }
    }
}

/**
 * Settings written beside a feature switch that is off (explicitly, or by its default): each is
 * refused by path, saying to turn the feature on or to remove the setting. Inside a feature that is
 * off nothing else is judged: the whole block would be ignored.
 */
export function disabledFeatureProblems(schema: z.ZodType, raw: unknown, parsed: unknown): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const isOn = (path: string) => valueAt(parsed, path.split(".")) === true;
    const readElsewhere = (child: z.ZodType | undefined) => ((child ? metaOf(child).alsoReadWhile : undefined) as string[] | undefined)?.some(isOn) ?? false;
    visitSettings(schema, raw, parsed, [], (node, rawValue, parsedValue, path) => {
        const toggle = isRecord(rawValue) && objectShape(node) ? switchOf(node) : undefined;
        if (!toggle || !isRecord(rawValue) || !isRecord(parsedValue) || parsedValue[toggle.key] !== toggle.off) {
            return true;
        }
        const switchPath = formatPath([...path, toggle.key]);
        const how = toggle.key in rawValue ? "" : " (its default)";
        const on = toggle.off === false ? `${switchPath}: true` : `${switchPath} to another value`;
        const shape = objectShape(node) ?? {};
        for (const [key, value] of Object.entries(rawValue)) {
            if (key !== toggle.key && !readElsewhere(shape[key])) {
                problems.push({
                    path: formatPath([...path, key]),
                    value,
                    message: `is set, but ${switchPath} is ${JSON.stringify(toggle.off)}${how}, so the feature is off and this setting would be ignored: set ${on}, or remove the setting`,
                });
            }
        }
        return false;
    });
    return problems;
}

/** The identity of a list's items, when its metadata declares one. */
export function uniqueByOf(schema: z.ZodType): UniqueBy | undefined {
    return metaOf(schema).uniqueBy as UniqueBy | undefined;
}

function isScalar(value: unknown): value is string | number | boolean {
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

/**
 * Repeated items: a plain value twice in one list, or two objects of a `uniqueBy` list with the
 * same identity. Each repeat is reported at its own path, naming the first occurrence.
 */
export function duplicateProblems(schema: z.ZodType, parsed: unknown): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    visitSettings(schema, parsed, parsed, [], (node, value, _parsed, path) => {
        const inner = unwrap(node);
        if (!(inner instanceof z.ZodArray) || !Array.isArray(value)) {
            return true;
        }
        const unique = uniqueByOf(node);
        const fields = unique?.fields;
        const seen = new Map<string, number>();
        value.forEach((item: unknown, index) => {
            const identity = isScalar(item) ? JSON.stringify(item) : fields && isRecord(item) ? JSON.stringify(fields.map((field) => item[field])) : undefined;
            if (identity === undefined) {
                return;
            }
            const first = seen.get(identity);
            if (first === undefined) {
                seen.set(identity, index);
                return;
            }
            const firstPath = formatPath([...path, first]);
            if (isScalar(item)) {
                problems.push({ path: formatPath([...path, index]), value: item, message: `is listed twice (also at ${firstPath}); list each value once` });
            } else {
                const what = fields?.map((field) => `${field} ${JSON.stringify((item as Record<string, unknown>)[field])}`).join(", ");
                const at = fields?.length === 1 ? formatPath([...path, index, fields[0]]) : formatPath([...path, index]);
                const shown = fields?.length === 1 ? (item as Record<string, unknown>)[fields[0]] : item;
                problems.push({
                    path: at,
                    value: shown,
                    message: `repeats ${firstPath} (${what}): ${unique?.reason}`,
                });
            }
        });
        return true;
    });
    return problems;
}
