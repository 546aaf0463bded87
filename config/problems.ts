import type { z } from "zod";
import { allowedKeysAt, formatPath, schemasAt, valueAt } from "./schemaTree";
import { closest } from "./suggest";
import { markUnphrased, phrase, quotingHint, UNPHRASED } from "./wording";

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

/** The value shown for a setting that holds a secret: the report must not repeat the leak. */
export const REDACTED = "(redacted)";

/**
 * Every problem at a redacted setting or above it (a whole section refused by a generic rule) shows
 * its value redacted too, so no other rule's report repeats what one rule withheld.
 */
export function withRedactions(problems: ConfigProblem[]): ConfigProblem[] {
    const secret = problems.filter((problem) => problem.value === REDACTED).map((problem) => problem.path);
    const covers = (path: string) => secret.some((at) => at === path || at.startsWith(`${path}.`) || at.startsWith(`${path}[`));
    return problems.map((problem) => (problem.value !== REDACTED && covers(problem.path) ? { ...problem, value: REDACTED } : problem));
}

/** The outcome of checking settings against a schema: the typed settings, or every problem by path. */
type ParseResult<T> = { success: true; data: T } | { success: false; problems: ConfigProblem[] };

/**
 * Checks `raw` against `schema` and phrases every refusal for the reader: an unknown key names the
 * keys allowed where it stands and the one it most likely meant; an issue without a message of its
 * own gets a sentence with the setting's unit and meaning; a number or true/false where text is
 * expected says to quote it.
 */
export function parseSettings<T>(schema: z.ZodType<T>, raw: unknown): ParseResult<T> {
    const parsed = schema.safeParse(raw, { error: markUnphrased });
    if (parsed.success) {
        return { success: true, data: parsed.data };
    }
    const problems = parsed.error.issues.flatMap((issue): ConfigProblem[] => {
        if (issue.code === "unrecognized_keys") {
            const allowed = allowedKeysAt(schema, issue.path, raw);
            return issue.keys.map((key) => {
                const guess = closest(key, allowed);
                return {
                    path: formatPath([...issue.path, key]),
                    value: valueAt(raw, [...issue.path, key]),
                    message: `is not a known setting; ${guess ? `did you mean "${guess}"? ` : ""}allowed here: ${allowed.join(", ")}`,
                };
            });
        }
        const value = valueAt(raw, issue.path);
        const setting = schemasAt(schema, issue.path, raw)[0];
        const message = issue.message === UNPHRASED ? phrase(issue, value, setting) : issue.message;
        const hint = issue.code === "invalid_key" ? undefined : quotingHint(value, setting);
        // A bare type mismatch says nothing the hint does not; anything else (the allowed values) follows it.
        const text = !hint ? message : issue.code === "invalid_type" ? hint : `${hint}. The setting ${message}`;
        return [{ path: formatPath(issue.path) || "(stack)", value, message: text }];
    });
    return { success: false, problems };
}
