import { z } from "zod";
import { descriptionOf, unwrap } from "./schemaTree";
import { closest } from "./suggest";

/**
 * Sentences for what the schema refuses. Zod's own wording ("Too small: expected number to be >=7",
 * "Invalid input") names neither the unit nor the reason; every issue whose schema sets no message
 * of its own is phrased here from the issue, the value found and the setting's description.
 */

/** What the error map returns for an issue without a message of its own, so the sentence is written once the path is known. */
export const UNPHRASED = "\u0000unphrased";

/** The error map passed to every parse of the settings: it marks the issues this module phrases. */
export const markUnphrased = (): string => UNPHRASED;

type Issue = z.core.$ZodIssue;

function kindOf(value: unknown): string {
    if (value === null) {
        return "empty (null)";
    }
    if (Array.isArray(value)) {
        return "a list";
    }
    if (typeof value === "object") {
        return "a map";
    }
    if (typeof value === "string") {
        return `the text ${JSON.stringify(value)}`;
    }
    return `the ${typeof value} ${JSON.stringify(value)}`;
}

/** The first sentence of a description: what the setting is, with its unit. */
function meaning(setting: z.ZodType | undefined): string {
    const description = setting ? descriptionOf(setting) : undefined;
    if (!description) {
        return "";
    }
    const end = description.search(/\.(\s|$)/);
    return ` (this setting: ${end >= 0 ? description.slice(0, end) : description})`;
}

export function plural(count: number | bigint, word: string): string {
    return `${count} ${word}${Number(count) === 1 ? "" : "s"}`;
}

/** "a whole number from 7 to 30", from the number schema's own bounds. */
function numberRange(setting: z.ZodType | undefined, issue: Issue): string {
    const inner = setting ? unwrap(setting) : undefined;
    const number = inner instanceof z.ZodNumber ? inner : undefined;
    const kind = number?.isInt || (issue as { origin?: string }).origin === "int" ? "a whole number" : "a number";
    const min = number?.minValue ?? (issue.code === "too_small" ? Number(issue.minimum) : undefined);
    const max = number?.maxValue ?? (issue.code === "too_big" ? Number(issue.maximum) : undefined);
    const finite = (n: number | null | undefined): n is number => n !== null && n !== undefined && Number.isFinite(n) && Math.abs(n) < Number.MAX_SAFE_INTEGER;
    if (finite(min) && finite(max)) {
        return `${kind} from ${min} to ${max}`;
    }
    if (finite(min)) {
        return issue.code === "too_small" && issue.inclusive === false ? `${kind} greater than ${min}` : `${kind} of at least ${min}`;
    }
    if (finite(max)) {
        return issue.code === "too_big" && issue.inclusive === false ? `${kind} less than ${max}` : `${kind} of at most ${max}`;
    }
    return kind;
}

function sizeSentence(issue: Extract<Issue, { code: "too_small" | "too_big" }>, value: unknown, setting: z.ZodType | undefined): string {
    const small = issue.code === "too_small";
    const bound = small ? issue.minimum : issue.maximum;
    switch (issue.origin) {
        case "string":
            return `must be ${small ? "at least" : "at most"} ${plural(bound, "character")} long${typeof value === "string" ? ` (it has ${value.length})` : ""}`;
        case "array":
        case "set":
            return `must list ${small ? "at least" : "at most"} ${plural(bound, "item")}${Array.isArray(value) ? ` (it lists ${value.length})` : ""}`;
        default:
            return `must be ${numberRange(setting, issue)}`;
    }
}

/** A missing setting: what it is, and for a whole section where it goes. */
function requiredSentence(issue: Issue, setting: z.ZodType | undefined): string {
    const description = setting ? descriptionOf(setting) : undefined;
    const where = issue.path.length === 1 ? `: add eks-platform:${String(issue.path[0])} to the stack file` : "";
    return `is required${where}${description ? ` (${description.replace(/\.$/, "")})` : ""}`;
}

function typeSentence(issue: Extract<Issue, { code: "invalid_type" }>, value: unknown, setting: z.ZodType | undefined): string {
    if (value === null) {
        return "is empty (YAML reads a key with nothing after it as null): give it a value or remove the key";
    }
    switch (issue.expected) {
        case "number":
        case "int":
            return typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))
                ? `is ${kindOf(value)}: write the number without quotes`
                : `must be ${numberRange(setting, issue)}, not ${kindOf(value)}`;
        case "boolean":
            return `must be true or false (without quotes), not ${kindOf(value)}`;
        case "string":
            return `must be text, not ${kindOf(value)}: write it in quotes`;
        case "object":
        case "record":
            return `must be a map of settings (key: value lines indented below it), not ${kindOf(value)}`;
        case "array":
            return `must be a list (one "- item" line each, or [a, b]), not ${kindOf(value)}`;
        default:
            return `must be ${issue.expected}, not ${kindOf(value)}`;
    }
}

function valuesSentence(values: readonly unknown[], value: unknown): string {
    const allowed = values.map((v) => JSON.stringify(v)).join(", ");
    const guess = typeof value === "string" ? closest(value, values.map(String)) : undefined;
    return `must be ${values.length === 1 ? allowed : `one of ${allowed}`}${guess ? `; did you mean ${JSON.stringify(guess)}?` : ""}`;
}

function formatSentence(issue: Extract<Issue, { code: "invalid_format" }>): string {
    const details = issue as { prefix?: string; suffix?: string; includes?: string; pattern?: string };
    switch (issue.format) {
        case "starts_with":
            return `must start with ${JSON.stringify(details.prefix)}`;
        case "ends_with":
            return `must end with ${JSON.stringify(details.suffix)}`;
        case "includes":
            return `must contain ${JSON.stringify(details.includes)}`;
        case "regex":
            return `does not have the form this setting takes (the pattern ${details.pattern})`;
        default:
            return `must be a valid ${issue.format}`;
    }
}

/** Values a union of literals accepts, from its options' issues; empty when an option is not a literal. */
function unionValues(issue: Extract<Issue, { code: "invalid_union" }>): unknown[] {
    const values = issue.errors.flatMap((option) => (option.length === 1 && option[0].code === "invalid_value" ? option[0].values : [undefined]));
    return values.includes(undefined) ? [] : values;
}

/** The sentence for one issue, given the value found and the schema of the setting at its path. */
export function phrase(issue: Issue, value: unknown, setting: z.ZodType | undefined): string {
    if (value === undefined && issue.code !== "custom" && issue.code !== "invalid_key") {
        return requiredSentence(issue, setting);
    }
    switch (issue.code) {
        case "invalid_type":
            return typeSentence(issue, value, setting);
        case "too_small":
        case "too_big":
            return sizeSentence(issue, value, setting) + meaning(setting);
        case "invalid_value":
            return valuesSentence(issue.values, value);
        case "invalid_format":
            return formatSentence(issue) + meaning(setting);
        case "invalid_union": {
            const values = unionValues(issue);
            return values.length > 0 ? valuesSentence(values, value) : `matches none of the forms this setting takes${meaning(setting)}`;
        }
        case "invalid_key": {
            const key = issue.path[issue.path.length - 1];
            return `is not an allowed key here: it ${issue.issues.map((inner) => (inner.message === UNPHRASED ? phrase(inner, key, undefined) : inner.message)).join("; ")}`;
        }
        case "not_multiple_of":
            return `must be a multiple of ${issue.divisor}${meaning(setting)}`;
        default:
            return `is not allowed here${meaning(setting)}`;
    }
}

/**
 * Why a number or a true/false stands where text is expected: YAML reads `1.30` as the number 1.3
 * and `on`/`yes` style values or bare numbers as non-text. Said before whatever else the schema
 * says, with the quoted value to write (an allowed value the number stands for, when there is one).
 */
export function quotingHint(value: unknown, setting: z.ZodType | undefined): string | undefined {
    if (typeof value !== "number" && typeof value !== "boolean") {
        return undefined;
    }
    const inner = setting ? unwrap(setting) : undefined;
    const texts =
        inner instanceof z.ZodEnum
            ? (inner.options as unknown[]).filter((option): option is string => typeof option === "string")
            : inner instanceof z.ZodString
              ? []
              : undefined;
    if (texts === undefined) {
        return undefined;
    }
    const meant = typeof value === "number" ? texts.find((option) => Number(option) === value && option !== String(value)) : undefined;
    if (meant) {
        return `is the number ${value}: YAML reads an unquoted ${meant} as a number and drops its trailing zero; write it in quotes ("${meant}")`;
    }
    if (typeof value === "number" && !Number.isInteger(value)) {
        return `is the number ${value}, not text: YAML reads unquoted digits as a number and drops trailing zeros (1.30 becomes 1.3); write the value in quotes as you mean it ("${value}", or "${value}0")`;
    }
    return `is the ${typeof value} ${String(value)}, not text: write it in quotes ("${String(value)}")`;
}
