import { z } from "zod";

/**
 * Reading a settings schema as a tree: what is allowed at a path, and what the setting there means.
 * Every generic rule (unknown keys, error wording, settings under a disabled feature, duplicates)
 * walks the schema through these, so a new section gets them without code of its own.
 */

/** The value at a dotted/indexed path of a raw configuration (undefined when absent). */
export function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
    let current: unknown = raw;
    for (const key of path) {
        if (current === null || typeof current !== "object") {
            return undefined;
        }
        current = (current as Record<PropertyKey, unknown>)[key];
    }
    return current;
}

/**
 * "compute.nodePools[1].maxSize" from ["compute", "nodePools", 1, "maxSize"]; a key that is not a
 * plain word (a label such as "example.com/team", a tag such as "cost-center") is quoted:
 * labels["example.com/team"].
 */
export function formatPath(path: readonly PropertyKey[]): string {
    return path.reduce<string>((text, key) => {
        if (typeof key === "number") {
            return `${text}[${key}]`;
        }
        const word = String(key);
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(word)) {
            return `${text}[${JSON.stringify(word)}]`;
        }
        return text ? `${text}.${word}` : word;
    }, "");
}

/** Strips defaults, optionality and pipes: the schema that checks the value. */
export function unwrap(schema: z.ZodType): z.ZodType {
    let inner = schema;
    for (let next = unwrapOnce(inner); next !== inner; next = unwrapOnce(inner)) {
        inner = next;
    }
    return inner;
}

/** The description of a setting: the outermost one along its wrappers (`.describe()` sits on the default). */
export function descriptionOf(schema: z.ZodType): string | undefined {
    let inner: z.ZodType | undefined = schema;
    while (inner) {
        if (inner.description) {
            return inner.description;
        }
        const next = unwrapOnce(inner);
        inner = next === inner ? undefined : next;
    }
    return undefined;
}

/** One wrapper less: the schema a default, an optional, a nullable, a readonly or a pipe wraps (the schema itself otherwise). */
export function unwrapOnce(schema: z.ZodType): z.ZodType {
    if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault || schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
        return schema.unwrap() as z.ZodType;
    }
    if (schema instanceof z.ZodReadonly) {
        return schema.unwrap() as z.ZodType;
    }
    if (schema instanceof z.ZodPipe) {
        return schema.in as z.ZodType;
    }
    return schema;
}

/**
 * The object variants a value can be checked against: a discriminated union is resolved by the
 * discriminator in the value (all variants when it names none), a plain union contributes its
 * object options.
 */
function variants(schema: z.ZodType, value: unknown): z.ZodType[] {
    const inner = unwrap(schema);
    if (inner instanceof z.ZodDiscriminatedUnion) {
        const options = inner.options as z.ZodType[];
        const discriminator = inner.def.discriminator;
        const chosen = valueAt(value, [discriminator]);
        const matching = options.filter((option) => {
            const shape = unwrap(option) instanceof z.ZodObject ? (unwrap(option) as z.ZodObject).shape : undefined;
            const literal = shape?.[discriminator] ? unwrap(shape[discriminator] as z.ZodType) : undefined;
            return literal instanceof z.ZodLiteral && literal.values.has(chosen as never);
        });
        return matching.length > 0 ? matching : options;
    }
    if (inner instanceof z.ZodUnion) {
        return (inner.options as z.ZodType[]).flatMap((option) => variants(option, value));
    }
    return [schema];
}

/** The schemas of the child `key` of a value checked by `schema`. */
function childSchemas(schema: z.ZodType, key: PropertyKey, value: unknown): z.ZodType[] {
    return variants(schema, value).flatMap((variant) => {
        const inner = unwrap(variant);
        if (inner instanceof z.ZodObject) {
            const next = inner.shape[String(key)] as z.ZodType | undefined;
            return next ? [next] : [];
        }
        if (inner instanceof z.ZodArray) {
            return typeof key === "number" ? [inner.element as z.ZodType] : [];
        }
        if (inner instanceof z.ZodRecord) {
            return [inner.valueType as z.ZodType];
        }
        return [];
    });
}

/**
 * The schemas that may check the value at `path` under `schema` (more than one only where a union
 * leaves the variant open), each with its wrappers, so its description and default are there.
 */
export function schemasAt(schema: z.ZodType, path: readonly PropertyKey[], raw: unknown): z.ZodType[] {
    let current: z.ZodType[] = [schema];
    let value = raw;
    for (const key of path) {
        current = current.flatMap((candidate) => childSchemas(candidate, key, value));
        value = valueAt(value, [key]);
    }
    return current;
}

/** The keys an object at `path` accepts (the variant the raw value chose, for a discriminated union). */
export function allowedKeysAt(schema: z.ZodType, path: readonly PropertyKey[], raw: unknown): string[] {
    const value = valueAt(raw, path);
    const keys = schemasAt(schema, path, raw)
        .flatMap((candidate) => variants(candidate, value))
        .flatMap((variant) => {
            const inner = unwrap(variant);
            return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
        });
    return [...new Set(keys)];
}

/** The shape of an object schema (after unwrapping), or undefined for anything else. */
export function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
    const inner = unwrap(schema);
    return inner instanceof z.ZodObject ? inner.shape : undefined;
}
