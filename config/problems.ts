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
export function valueAt(raw: unknown, path: (string | number)[]): unknown {
    let current: unknown = raw;
    for (const key of path) {
        if (current === null || typeof current !== "object") {
            return undefined;
        }
        current = (current as Record<string | number, unknown>)[key];
    }
    return current;
}

export function formatPath(path: readonly PropertyKey[]): string {
    return path.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), "");
}
