/**
 * Writes a data/crds file from an upstream CustomResourceDefinition manifest: each served kind's
 * openAPIV3Schema for one group version, re-expressed as the JSON Schema the validator compiles.
 *
 *   npm run -s schemas:crd -- --manifest <crds.yaml> --api-version <group/version> \
 *       --repository <url> --path <file in it> --version <release> > tools/schemas/data/crds/<group>_<version>.json
 *
 * Kept: fields, types, enums, patterns, bounds, `required`, `default`,
 * `x-kubernetes-preserve-unknown-fields`; `x-kubernetes-int-or-string` becomes an integer-or-string
 * `anyOf`, as the API server reads it; `nullable` is refused (no shipped CRD uses it). Dropped:
 * descriptions, `format`, list/map markers and CEL rules (`x-kubernetes-validations`), which the
 * API server enforces; the file's `notes` say so. Lines that are Helm template directives (a chart's
 * `templates/*.crds.yaml`) are dropped before parsing. The output is deterministic: same manifest,
 * same bytes.
 */
import * as fs from "fs";
import { parseAllDocuments } from "yaml";

const KEPT_KEYWORDS = new Set([
    "type",
    "properties",
    "items",
    "additionalProperties",
    "required",
    "enum",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "default",
    "anyOf",
    "oneOf",
    "allOf",
    "not",
    "x-kubernetes-preserve-unknown-fields",
]);

const UNSUPPORTED_KEYWORDS = new Set(["nullable"]);

/** What `x-kubernetes-int-or-string: true` admits (a port number or name, a count or a percentage). */
const INT_OR_STRING = [{ type: "integer" }, { type: "string" }];

type Schema = Record<string, unknown>;

/** The openAPIV3Schema as the validator compiles it (see the file comment for what is kept). */
export function toValidatorSchema(schema: unknown): unknown {
    if (Array.isArray(schema)) {
        return schema.map(toValidatorSchema);
    }
    if (schema === null || typeof schema !== "object") {
        return schema;
    }
    const source = schema as Schema;
    const result: Schema = {};
    for (const key of Object.keys(source).sort()) {
        const value = source[key];
        if (UNSUPPORTED_KEYWORDS.has(key)) {
            // A type union the validator's strict Ajv refuses: extend this generator when a CRD needs it.
            throw new Error(`${key} is not supported by this generator`);
        }
        if (key === "properties") {
            result.properties = Object.fromEntries(
                Object.keys(value as Schema)
                    .sort()
                    .map((name) => [name, toValidatorSchema((value as Schema)[name])]),
            );
        } else if (key === "x-kubernetes-int-or-string") {
            if (value === true) {
                result.anyOf = INT_OR_STRING;
            }
        } else if (key === "default" || key === "enum") {
            result[key] = value;
        } else if (KEPT_KEYWORDS.has(key)) {
            result[key] = toValidatorSchema(value);
        }
    }
    // `required` applies to objects alone. A oneOf/anyOf branch that only requires fields (Flagger's
    // analysis and match branches) gets that said, as Ajv's strict types ask; on a schema of another
    // type (Flagger's `service.mirror` array) it never applies and is dropped.
    if (result.required !== undefined && result.type === undefined) {
        result.type = "object";
    } else if (result.required !== undefined && result.type !== "object") {
        delete result.required;
    }
    return result;
}

interface CrdDocument {
    kind?: string;
    spec?: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema?: { openAPIV3Schema: unknown } }[] };
}

/** Every kind of `apiVersion` the manifest serves, with its schema, by kind name (sorted). */
export function kindsOf(manifest: string, apiVersion: string): Record<string, unknown> {
    const withoutTemplates = manifest
        .split("\n")
        .filter((line) => !/^\s*\{\{.*\}\}\s*$/.test(line))
        .join("\n");
    const kinds: Record<string, unknown> = {};
    for (const document of parseAllDocuments(withoutTemplates)) {
        const crd = document.toJS() as CrdDocument | null;
        if (crd?.kind !== "CustomResourceDefinition" || !crd.spec) {
            continue;
        }
        for (const version of crd.spec.versions) {
            if (`${crd.spec.group}/${version.name}` === apiVersion && version.served && version.schema) {
                kinds[crd.spec.names.kind] = toValidatorSchema(version.schema.openAPIV3Schema);
            }
        }
    }
    return Object.fromEntries(
        Object.keys(kinds)
            .sort()
            .map((kind) => [kind, kinds[kind]]),
    );
}

function argument(args: string[], name: string): string {
    const at = args.indexOf(`--${name}`);
    if (at < 0 || args[at + 1] === undefined) {
        throw new Error(`missing --${name}`);
    }
    return args[at + 1];
}

function main(args: string[]): void {
    const apiVersion = argument(args, "api-version");
    const kinds = kindsOf(fs.readFileSync(argument(args, "manifest"), "utf8"), apiVersion);
    if (Object.keys(kinds).length === 0) {
        throw new Error(`the manifest serves no kind of ${apiVersion}`);
    }
    const file = {
        source: { repository: argument(args, "repository"), path: argument(args, "path"), version: argument(args, "version") },
        notes:
            "Generated by tools/schemas/crdGenerate.ts from the CRDs' openAPIV3Schema. Not reproduced: descriptions, format, " +
            "list/map markers and CEL rules (x-kubernetes-validations), which the API server enforces.",
        apiVersion,
        kinds,
    };
    process.stdout.write(`${JSON.stringify(file, null, 2)}\n`);
}

if (require.main === module) {
    try {
        main(process.argv.slice(2));
    } catch (error) {
        process.stderr.write(`${(error as Error).message}\n`);
        process.exit(2);
    }
}
