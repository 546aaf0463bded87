// Regenerates the settings tables in docs/*.md from the zod schemas of the stack files: `npm run -s docs:settings`.
// Two projects have settings: the platform (`eks-platform:<key>`, marker word `settings`) and the
// bootstrap project (`eks-platform-bootstrap:<key>`, marker word `bootstrap-settings`). A page holds a
// section's table between `<!-- <marker>:<key>:start -->` and `<!-- <marker>:<key>:end -->`, and the
// index of every key of a project between `<!-- <marker>-index:start/end -->` (configuration.md for the
// platform, bootstrap.md for the bootstrap project). The schema is the only source: names, types,
// defaults and descriptions (`.describe()` on each setting). test/settingsDocs.test.ts fails when a
// committed table is stale or a setting has no description.
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { z } from "zod";
import { BOOTSTRAP_NAMESPACE, bootstrapSettingsSchema } from "../../bootstrap/settings";
import { stackSettingsSchema } from "../../config/stack";
import { plural } from "../../config/wording";

const DOCS_DIR = path.resolve(__dirname, "../../docs");

type Schema = z.core.$ZodType;

/** A project's settings: its config namespace, the schema of its keys, and the marker word of its tables in docs/. */
export interface SettingsSource {
    namespace: string;
    schema: Schema;
    /** `<!-- <marker>:<key>:start -->` opens a section's table, `<!-- <marker>-index:start -->` the index of the keys. */
    marker: string;
}

export const PLATFORM_SETTINGS: SettingsSource = { namespace: "eks-platform", schema: stackSettingsSchema, marker: "settings" };
export const BOOTSTRAP_SETTINGS: SettingsSource = { namespace: BOOTSTRAP_NAMESPACE, schema: bootstrapSettingsSchema, marker: "bootstrap-settings" };
export const SETTINGS_SOURCES = [PLATFORM_SETTINGS, BOOTSTRAP_SETTINGS];

const startMarker = (source: SettingsSource, key: string) => `<!-- ${source.marker}:${key}:start -->`;
const endMarker = (source: SettingsSource, key: string) => `<!-- ${source.marker}:${key}:end -->`;

/** One line of a settings table: the dotted path (`[]` for list elements) relative to its section. */
interface SettingRow {
    path: string;
    type: string;
    default: string;
    description?: string;
}

/** What the wrappers around a setting say (outermost first) and the schema they wrap. */
interface Unwrapped {
    base: Schema;
    description?: string;
    /** The value a stack file would get by leaving the setting out, when the schema has one. */
    defaultValue?: { value: unknown };
    optional: boolean;
    nullable: boolean;
}

function unwrap(schema: Schema): Unwrapped {
    const result: Unwrapped = { base: schema, optional: false, nullable: false };
    let current = schema;
    for (;;) {
        result.description ??= z.globalRegistry.get(current)?.description;
        const def = (current as z.core.$ZodTypes)._zod.def;
        switch (def.type) {
            case "default":
            case "prefault":
                result.defaultValue ??= { value: def.defaultValue };
                current = def.innerType;
                continue;
            case "optional":
                result.optional = true;
                current = def.innerType;
                continue;
            case "nullable":
                result.nullable = true;
                current = def.innerType;
                continue;
            case "readonly":
            case "catch":
            case "nonoptional":
                current = def.innerType;
                continue;
            case "lazy":
                current = def.getter();
                continue;
            case "pipe":
                // A stack file writes what the pipe takes in.
                current = def.in;
                continue;
            default:
                result.base = current;
                return result;
        }
    }
}

function checksOf(schema: Schema): z.core.$ZodChecks[] {
    const def = schema._zod.def;
    // A string or number format (z.int(), z.cidrv4()) is itself a check, kept on the def.
    const own = "check" in def ? [schema as unknown as z.core.$ZodChecks] : [];
    return [...own, ...((def.checks ?? []) as z.core.$ZodChecks[])];
}

/** The message a check reports, when it is a fixed text (`.regex(re, "must be ...")`). */
function fixedMessage(check: z.core.$ZodChecks): string | undefined {
    const error = check._zod.def.error;
    if (typeof error !== "function") {
        return undefined;
    }
    try {
        const message = (error as (issue?: unknown) => unknown)();
        return typeof message === "string" ? message : undefined;
    } catch {
        return undefined;
    }
}

const STRING_FORMATS: Record<string, string> = {
    cidrv4: "IPv4 CIDR",
    cidrv6: "IPv6 CIDR",
    ipv4: "IPv4 address",
    ipv6: "IPv6 address",
    url: "URL",
    email: "email address",
    uuid: "UUID",
    datetime: "ISO 8601 date-time",
    date: "ISO 8601 date",
    time: "ISO 8601 time",
    duration: "ISO 8601 duration",
    hostname: "host name",
};

/** "3–63 characters", "at least 1 item", "at most 5 items", or nothing. */
function sizeText(min: number | undefined, max: number | undefined, noun: string): string | undefined {
    if (min !== undefined && max !== undefined) {
        return min === max ? plural(min, noun) : `${min}–${max} ${noun}s`;
    }
    if (min !== undefined && min > 0) {
        return `at least ${plural(min, noun)}`;
    }
    return max !== undefined ? `at most ${plural(max, noun)}` : undefined;
}

function lengthBounds(schema: Schema): { min?: number; max?: number } {
    const bounds: { min?: number; max?: number } = {};
    for (const check of checksOf(schema)) {
        const def = check._zod.def;
        if (def.check === "min_length") {
            bounds.min = Math.max(bounds.min ?? 0, def.minimum);
        } else if (def.check === "max_length") {
            bounds.max = Math.min(bounds.max ?? Infinity, def.maximum);
        } else if (def.check === "length_equals") {
            bounds.min = bounds.max = def.length;
        }
    }
    return bounds;
}

/**
 * A string: its named format, or the format a `must be ...` pattern message names ("DNS-1123 label"),
 * then prefix/suffix and length. A pattern without such a message is left to the description.
 */
function stringType(schema: Schema): string {
    let name = "string";
    const qualifiers: string[] = [];
    for (const check of checksOf(schema)) {
        const def = check._zod.def;
        if (def.check !== "string_format") {
            continue;
        }
        if (def.format === "regex") {
            const named = fixedMessage(check)?.match(/^must be (?:an? )?(.+)$/);
            if (named && name === "string") {
                name = named[1];
            }
        } else if (def.format === "starts_with") {
            qualifiers.push(`starting with "${(def as z.core.$ZodCheckStartsWithDef).prefix}"`);
        } else if (def.format === "ends_with") {
            qualifiers.push(`ending with "${(def as z.core.$ZodCheckEndsWithDef).suffix}"`);
        } else if (def.format === "includes") {
            qualifiers.push(`containing "${(def as z.core.$ZodCheckIncludesDef).includes}"`);
        } else if (def.format in STRING_FORMATS) {
            name = `string (${STRING_FORMATS[def.format]})`;
        }
    }
    const { min, max } = lengthBounds(schema);
    const size = sizeText(min, max, "character");
    if (size && !name.includes(size)) {
        qualifiers.push(size);
    }
    if (qualifiers.length === 0) {
        return name;
    }
    // "string (1–128 characters)", but "DNS-1123 label (...), 3–63 characters": one pair of parentheses.
    return name === "string" ? `string (${qualifiers.join(", ")})` : [name, ...qualifiers].join(", ");
}

/** "integer 7–30", "integer ≥ 0", "number > 0 and ≤ 100", "integer". */
function numberType(schema: Schema): string {
    let integer = false;
    let lower: string | undefined;
    let upper: string | undefined;
    let lowerBound: number | undefined;
    let upperBound: number | undefined;
    for (const check of checksOf(schema)) {
        const def = check._zod.def;
        if (def.check === "number_format") {
            integer ||= /int/.test(def.format);
        } else if (def.check === "greater_than") {
            lowerBound = Number(def.value);
            lower = def.inclusive ? `≥ ${lowerBound}` : `> ${lowerBound}`;
        } else if (def.check === "less_than") {
            upperBound = Number(def.value);
            upper = def.inclusive ? `≤ ${upperBound}` : `< ${upperBound}`;
        }
    }
    const kind = integer ? "integer" : "number";
    if (lower?.startsWith("≥") && upper?.startsWith("≤")) {
        return `${kind} ${lowerBound}–${upperBound}`;
    }
    const bounds = [lower, upper].filter((part) => part !== undefined).join(" and ");
    return bounds ? `${kind} ${bounds}` : kind;
}

const literal = (value: unknown): string => (typeof value === "string" ? `"${value}"` : String(value));

/** The objects a union of objects (or a discriminated union) offers, or undefined for another union. */
function objectOptions(schema: Schema): z.core.$ZodObject[] | undefined {
    const def = (schema as z.core.$ZodTypes)._zod.def;
    if (def.type !== "union") {
        return undefined;
    }
    const options = def.options.map((option) => unwrap(option).base);
    return options.every((option) => option._zod.def.type === "object") ? (options as z.core.$ZodObject[]) : undefined;
}

/** The human-readable type of a schema, without its optionality or default. */
function typeOf(schema: Schema): string {
    const { base, nullable } = unwrap(schema);
    const def = (base as z.core.$ZodTypes)._zod.def;
    let text: string;
    switch (def.type) {
        case "string":
            text = stringType(base);
            break;
        case "number":
            text = numberType(base);
            break;
        case "boolean":
            text = "boolean";
            break;
        case "enum":
            text = Object.values(def.entries).map(literal).join(" | ");
            break;
        case "literal":
            text = def.values.map(literal).join(" | ");
            break;
        case "object":
            text = "object";
            break;
        case "array": {
            const { min, max } = lengthBounds(base);
            const size = sizeText(min, max, "item");
            text = `list of ${typeOf(def.element)}${size ? `, ${size}` : ""}`;
            break;
        }
        case "record":
            text = `map of ${typeOf(def.keyType)} to ${typeOf(def.valueType)}`;
            break;
        case "union": {
            const discriminator = (def as z.core.$ZodDiscriminatedUnionDef).discriminator;
            text = objectOptions(base) && discriminator ? `object, by \`${discriminator}\`` : def.options.map((option) => typeOf(option)).join(" | ");
            break;
        }
        case "intersection":
            text = "object";
            break;
        case "any":
        case "unknown":
            text = "any";
            break;
        default:
            throw new Error(`the settings docs generator does not know zod type "${def.type}"; teach tools/docs/settings.ts to describe it`);
    }
    return nullable ? `${text} or null` : text;
}

/** The default as a stack file would write it (YAML, flow style, one line), or whether the setting may be left out. */
function defaultCell({ defaultValue, optional }: Unwrapped): string {
    if (defaultValue) {
        return `\`${stringify(defaultValue.value, { collectionStyle: "flow", flowCollectionPadding: false, lineWidth: 0 }).trim()}\``;
    }
    return optional ? "—" : "required";
}

/** The settings an object (or an intersection or union of objects) holds, in declaration order. */
function propertiesOf(schema: Schema): { shape: Record<string, Schema>; qualifier?: string }[] {
    const def = (schema as z.core.$ZodTypes)._zod.def;
    if (def.type === "object") {
        return [{ shape: def.shape }];
    }
    if (def.type === "intersection") {
        return [...propertiesOf(unwrap(def.left).base), ...propertiesOf(unwrap(def.right).base)];
    }
    const options = objectOptions(schema);
    if (options) {
        const discriminator = (def as z.core.$ZodDiscriminatedUnionDef).discriminator;
        return options.map((option, index) => {
            const tag = discriminator ? unwrap(option._zod.def.shape[discriminator]).base._zod.def : undefined;
            const value = tag && tag.type === "literal" ? (tag as z.core.$ZodLiteralDef<z.core.util.Literal>).values.map(literal).join(" | ") : undefined;
            return { shape: option._zod.def.shape, qualifier: value ? `With \`${discriminator}: ${value}\`: ` : `Option ${index + 1}: ` };
        });
    }
    return [];
}

/** Where a value holds further settings: an object, the elements of a list, the values of a map. */
function childrenOf(schema: Schema, at: string): { at: string; schema: Schema } | undefined {
    const { base } = unwrap(schema);
    const def = (base as z.core.$ZodTypes)._zod.def;
    if (def.type === "array") {
        return childrenOf(def.element, `${at}[]`);
    }
    if (def.type === "record") {
        return childrenOf(def.valueType, `${at}.<name>`);
    }
    return propertiesOf(base).length > 0 ? { at, schema: base } : undefined;
}

/**
 * Every setting inside a schema, each after the object, list or map that holds it. The settings of
 * a union's options say which option they belong to; a setting several options share is listed once.
 */
export function settingRows(schema: Schema, prefix = "", qualifier = ""): SettingRow[] {
    const rows: SettingRow[] = [];
    for (const option of propertiesOf(unwrap(schema).base)) {
        const qualified = qualifier + (option.qualifier ?? "");
        for (const [key, field] of Object.entries(option.shape)) {
            const at = prefix ? `${prefix}.${key}` : key;
            const unwrapped = unwrap(field);
            rows.push({
                path: at,
                type: typeOf(field),
                default: defaultCell(unwrapped),
                description: unwrapped.description && `${qualified}${unwrapped.description}`,
            });
            const children = childrenOf(field, at);
            if (children) {
                rows.push(...settingRows(children.schema, children.at, qualified));
            }
        }
    }
    const identities = rows.map((row) => JSON.stringify(row));
    return rows.filter((_, index) => identities.indexOf(identities[index]) === index);
}

/** The settings of a section, relative to it: those of an object section, or of each element of a list section (`[].name`). */
function sectionRows(schema: Schema): SettingRow[] {
    const root = childrenOf(schema, "");
    return root ? settingRows(root.schema, root.at) : [];
}

/** The stack file's sections, `<namespace>:<key>`, in the schema's order. */
export function sectionsOf(source: SettingsSource = PLATFORM_SETTINGS): { key: string; schema: Schema }[] {
    return propertiesOf(unwrap(source.schema).base).flatMap(({ shape }) => Object.entries(shape).map(([key, schema]) => ({ key, schema })));
}

/** Sections that hold settings of their own, and so need a table on some page. */
export function tabledSections(source: SettingsSource = PLATFORM_SETTINGS): string[] {
    return sectionsOf(source)
        .filter(({ schema }) => childrenOf(schema, "") !== undefined)
        .map(({ key }) => key);
}

/** Settings (and sections) without a description, by their full path. */
export function undescribedSettings(source: SettingsSource = PLATFORM_SETTINGS): string[] {
    return sectionsOf(source).flatMap(({ key, schema }) => [
        ...(unwrap(schema).description ? [] : [`${source.namespace}:${key}`]),
        ...sectionRows(schema)
            .filter((row) => !row.description)
            .map((row) => `${source.namespace}:${key}.${row.path}`),
    ]);
}

function cell(text: string): string {
    return text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");
}

function table(header: string[], rows: string[][]): string {
    const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
    return [line(header), line(header.map(() => "---")), ...rows.map((row) => line(row.map(cell)))].join("\n");
}

/** The table of one section: every setting with its type, default and description. */
export function renderSettingsTable(key: string, source: SettingsSource = PLATFORM_SETTINGS): string {
    const section = sectionsOf(source).find((candidate) => candidate.key === key);
    if (!section) {
        throw new Error(
            `no section "${key}" in the ${source.namespace} schema; the sections are ${sectionsOf(source)
                .map((s) => s.key)
                .join(", ")}`,
        );
    }
    const rows = sectionRows(section.schema).map((row) => [`\`${row.path}\``, row.type, row.default, row.description ?? ""]);
    return table(["Setting", "Type", "Default", "Description"], rows);
}

/** The index of every key of the stack file, each with its page when it has a table. */
function renderSettingsIndex(pageOf: ReadonlyMap<string, string>, indexPage: string, source: SettingsSource): string {
    const rows = sectionsOf(source).map(({ key, schema }) => {
        const unwrapped = unwrap(schema);
        const page = pageOf.get(key);
        const link = page === undefined ? "" : page === indexPage ? " Settings below." : ` [Settings](${page}).`;
        return [`\`${source.namespace}:${key}\``, typeOf(schema), defaultCell(unwrapped), `${unwrapped.description ?? ""}${link}`];
    });
    return table(["Key", "Type", "Default", "Description"], rows);
}

/** The region a start-marker line of the source opens: a section's table, or the index. */
function regionOf(line: string, source: SettingsSource): { key?: string; end: string } | undefined {
    if (line === `<!-- ${source.marker}-index:start -->`) {
        return { end: `<!-- ${source.marker}-index:end -->` };
    }
    const [prefix, suffix] = [`<!-- ${source.marker}:`, ":start -->"];
    const key = line.startsWith(prefix) && line.endsWith(suffix) ? line.slice(prefix.length, -suffix.length) : undefined;
    return key && /^[A-Za-z0-9_-]+$/.test(key) ? { key, end: endMarker(source, key) } : undefined;
}

/** The sections a page holds tables of, in page order (markers are whole lines, so mentions in prose do not count). */
export function tablesIn(page: string, source: SettingsSource = PLATFORM_SETTINGS): string[] {
    return page.split("\n").flatMap((line) => regionOf(line, source)?.key ?? []);
}

/**
 * A page with every marked region regenerated: each section's table, and the index (whose links
 * name the pages that hold the tables, `page` itself being the one it is on).
 */
export function withSettingsTables(page: string, name: string, pageOf: ReadonlyMap<string, string>, source: SettingsSource = PLATFORM_SETTINGS): string {
    const lines = page.split("\n");
    const output: string[] = [];
    for (let i = 0; i < lines.length; i++) {
        const region = regionOf(lines[i], source);
        output.push(lines[i]);
        if (!region) {
            continue;
        }
        const end = lines.indexOf(region.end, i + 1);
        if (end === -1) {
            throw new Error(`docs/${name}: "${lines[i]}" has no "${region.end}" line after it`);
        }
        output.push(region.key ? renderSettingsTable(region.key, source) : renderSettingsIndex(pageOf, name, source), region.end);
        i = end;
    }
    return output.join("\n");
}

/** Every page of docs/ by file name. */
export function docsPages(): Map<string, string> {
    const names = fs
        .readdirSync(DOCS_DIR)
        .filter((name) => name.endsWith(".md"))
        .sort();
    return new Map(names.map((name) => [name, fs.readFileSync(path.join(DOCS_DIR, name), "utf8")]));
}

/** Which page holds each section's table (the first, when several do). */
export function tablePages(pages: ReadonlyMap<string, string>, source: SettingsSource = PLATFORM_SETTINGS): Map<string, string> {
    const pageOf = new Map<string, string>();
    for (const [name, page] of pages) {
        for (const key of tablesIn(page, source)) {
            if (!pageOf.has(key)) {
                pageOf.set(key, name);
            }
        }
    }
    return pageOf;
}

if (require.main === module) {
    let pages = docsPages();
    const problems: string[] = [];
    for (const source of SETTINGS_SOURCES) {
        const pageOf = tablePages(pages, source);
        for (const [name, page] of pages) {
            const updated = withSettingsTables(page, name, pageOf, source);
            if (updated !== page) {
                fs.writeFileSync(path.join(DOCS_DIR, name), updated);
                console.log(`Updated the ${source.namespace} settings tables in docs/${name}`);
            }
        }
        pages = docsPages();
        for (const key of tabledSections(source).filter((k) => !pageOf.has(k))) {
            problems.push(
                `${source.namespace}:${key} has no table: add ${startMarker(source, key)} and ${endMarker(source, key)} to its page under docs/ and run again`,
            );
        }
        for (const setting of undescribedSettings(source)) {
            problems.push(`${setting} has no description: add .describe("...") to its schema`);
        }
    }
    problems.forEach((problem) => console.error(problem));
    process.exitCode = problems.length > 0 ? 1 : 0;
}
