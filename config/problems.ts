import { z } from "zod";

/** One thing wrong with a stack's configuration, phrased so the reader can fix it without the code. */
export interface ConfigProblem {
    /** Dotted path of the setting, e.g. "compute.nodePools[1].maxSize". */
    path: string;
    /** The value found there (undefined when missing). */
    value: unknown;
    /** What is wrong and what is allowed. */
    message: string;
}

/** Thrown before any resource is registered; lists every problem at once. */
export class ConfigError extends Error {
    constructor(
        readonly problems: ConfigProblem[],
        readonly source?: string,
    ) {
        super(formatProblems(problems, source));
        this.name = "ConfigError";
    }
}

function show(value: unknown): string {
    if (value === undefined) {
        return "(not set)";
    }
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function formatProblems(problems: ConfigProblem[], source?: string): string {
    const where = source ? ` in ${source}` : "";
    const header = `Invalid stack configuration${where} (${problems.length} problem${problems.length === 1 ? "" : "s"}):`;
    return [header, ...problems.map((p) => `  - ${p.path} = ${show(p.value)}: ${p.message}`)].join("\n");
}

/** Reads the value at a dotted/indexed path from the raw configuration, for the report. */
function valueAt(raw: unknown, path: (string | number)[]): unknown {
    let current: unknown = raw;
    for (const key of path) {
        if (current === null || typeof current !== "object") {
            return undefined;
        }
        current = (current as Record<string | number, unknown>)[key];
    }
    return current;
}

function formatPath(path: readonly PropertyKey[]): string {
    return path.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), "");
}

/**
 * The keys allowed at `path` of `schema`. A discriminated union is resolved by the discriminator
 * in the raw value at that point (all options' keys when it names none), so an unknown key is
 * answered with the settings of the variant the user chose.
 */
function allowedKeysAt(schema: z.ZodType, path: readonly PropertyKey[], raw: unknown): string[] {
    const unwrap = (s: z.ZodType, value: unknown): z.ZodType[] => {
        let inner = s;
        while (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault || inner instanceof z.ZodOptional) {
            inner = inner.unwrap() as z.ZodType;
        }
        if (inner instanceof z.ZodDiscriminatedUnion) {
            const options = inner.options as z.ZodType[];
            const chosen = valueAt(value, [inner.def.discriminator]);
            const matching = options.filter((option) => option instanceof z.ZodObject && valueAt(option.shape, [inner.def.discriminator, "value"]) === chosen);
            return matching.length > 0 ? matching : options;
        }
        return [inner];
    };
    let current: z.ZodType[] = [schema];
    let value = raw;
    for (const key of path) {
        current = current.flatMap((candidate) =>
            unwrap(candidate, value).flatMap((inner) => {
                if (inner instanceof z.ZodObject) {
                    const next = inner.shape[String(key)] as z.ZodType | undefined;
                    return next ? [next] : [];
                }
                return inner instanceof z.ZodArray ? [inner.element as z.ZodType] : [];
            }),
        );
        value = valueAt(value, [key as string | number]);
    }
    const keys = current.flatMap((candidate) => unwrap(candidate, value)).flatMap((target) => (target instanceof z.ZodObject ? Object.keys(target.shape) : []));
    return [...new Set(keys)];
}

/** Zod's issues on `raw` as problems; an unknown key names the keys allowed where it stands in `schema`. */
export function schemaProblems(schema: z.ZodType, error: z.ZodError, raw: unknown): ConfigProblem[] {
    return error.issues.flatMap((issue): ConfigProblem[] => {
        if (issue.code === "unrecognized_keys") {
            const allowed = allowedKeysAt(schema, issue.path, raw);
            return issue.keys.map((key) => ({
                path: formatPath([...issue.path, key]),
                value: valueAt(raw, [...(issue.path as (string | number)[]), key]),
                message: `is not a known setting; allowed here: ${allowed.join(", ")}`,
            }));
        }
        const path = issue.path as (string | number)[];
        return [{ path: formatPath(path) || "(stack)", value: valueAt(raw, path), message: issue.message }];
    });
}
