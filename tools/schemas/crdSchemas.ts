import * as fs from "fs";
import * as path from "path";
import type { AnySchema, ValidateFunction } from "ajv";
import { CachedSchemaCompiler } from "../../policy-pack/lib/schema-cache";
import { AjvLikeError } from "./problems";

/** Where a shipped schema file was checked against: the upstream repository, file and release. */
export interface SchemaSource {
    repository: string;
    path: string;
    version: string;
}

/**
 * One data file under data/crds: the openAPIV3Schema of each kind of one CRD group version,
 * written for this repository and checked field by field against the named upstream release.
 */
interface CrdSchemaFile {
    source: SchemaSource;
    /** What the file does not reproduce (CEL rules, descriptions) or any other caveat. */
    notes?: string;
    apiVersion: string;
    kinds: Record<string, AnySchema>;
    /** Shared subschemas the kinds refer to as "#/$defs/<name>". */
    $defs?: Record<string, AnySchema>;
}

const CRD_DATA_DIR = path.join(__dirname, "data", "crds");

const PRESERVE_UNKNOWN = "x-kubernetes-preserve-unknown-fields";

/**
 * The API server prunes (and with strict field validation rejects) fields a structural schema does
 * not define, except under `x-kubernetes-preserve-unknown-fields: true` or a map's
 * `additionalProperties`. Ajv, like JSON Schema, allows them unless told otherwise, so every object
 * schema that lists properties and says nothing about others gets `additionalProperties: false`.
 */
export function withUnknownFieldsForbidden(schema: unknown): unknown {
    if (Array.isArray(schema)) {
        return schema.map(withUnknownFieldsForbidden);
    }
    if (schema === null || typeof schema !== "object") {
        return schema;
    }
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(schema)) {
        // "properties" and "$defs" map names to schemas: recurse into each schema, not the map itself.
        result[key] =
            key === "properties" || key === "$defs"
                ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, sub]) => [name, withUnknownFieldsForbidden(sub)]))
                : withUnknownFieldsForbidden(value);
    }
    if (result.properties !== undefined && result.additionalProperties === undefined && result[PRESERVE_UNKNOWN] !== true) {
        result.additionalProperties = false;
    }
    return result;
}

export type CrdValidator = { validate: (object: unknown) => AjvLikeError[]; source: SchemaSource };

let index: Map<string, { file: string; kinds: Set<string> }> | undefined;
const loadedFiles = new Map<string, CrdSchemaFile>();
const validators = new Map<string, CrdValidator>();

/**
 * How every shipped schema (CRD or Helm values) is compiled: all errors, strict schemas. Compiling
 * is most of what validation costs a run, so the generated code is cached by content hash.
 * `strictRequired` stays off: a structural schema may require a field in a oneOf/anyOf branch that
 * the branch does not itself define (Flagger's `analysis: oneOf [required: [interval]]`), which
 * Kubernetes accepts and Ajv's strict mode would refuse as an authoring mistake.
 */
const compiler = new CachedSchemaCompiler(
    { allErrors: true, strict: true, strictRequired: false },
    { key: PRESERVE_UNKNOWN, apply: (ajv) => ajv.addKeyword({ keyword: PRESERVE_UNKNOWN, schemaType: "boolean" }) },
);

/** The validator of a shipped schema, from the cache when an earlier run compiled it. */
export function compileSchema(schema: AnySchema): ValidateFunction {
    return compiler.compile(schema);
}

/** apiVersion → data file, read from the files' own apiVersion and kinds (cheap: small files). */
function crdIndex(): Map<string, { file: string; kinds: Set<string> }> {
    if (!index) {
        index = new Map();
        for (const name of fs
            .readdirSync(CRD_DATA_DIR)
            .filter((f) => f.endsWith(".json"))
            .sort()) {
            const file = path.join(CRD_DATA_DIR, name);
            const data = readCrdFile(file);
            if (index.has(data.apiVersion)) {
                throw new Error(`${name} and ${path.basename(index.get(data.apiVersion)!.file)} both describe ${data.apiVersion}`);
            }
            index.set(data.apiVersion, { file, kinds: new Set(Object.keys(data.kinds)) });
        }
    }
    return index;
}

function readCrdFile(file: string): CrdSchemaFile {
    let data = loadedFiles.get(file);
    if (!data) {
        data = JSON.parse(fs.readFileSync(file, "utf8")) as CrdSchemaFile;
        loadedFiles.set(file, data);
    }
    return data;
}

/** Whether a shipped CRD schema file covers this API group version (whatever the kind). */
export function hasCrdGroupVersion(apiVersion: string): boolean {
    return crdIndex().has(apiVersion);
}

/** The validator of a shipped CRD kind, compiled on first use; undefined when no file describes it. */
export function crdValidator(apiVersion: string, kind: string): CrdValidator | undefined {
    const key = `${apiVersion}/${kind}`;
    const cached = validators.get(key);
    if (cached) {
        return cached;
    }
    const entry = crdIndex().get(apiVersion);
    if (!entry || !entry.kinds.has(kind)) {
        return undefined;
    }
    const data = readCrdFile(entry.file);
    const schema = withUnknownFieldsForbidden({ ...(data.kinds[kind] as object), ...(data.$defs ? { $defs: data.$defs } : {}) }) as AnySchema;
    const compiled = compileSchema(schema);
    const validator: CrdValidator = {
        source: data.source,
        validate: (object) =>
            compiled(object)
                ? []
                : (compiled.errors ?? []).map((e) => ({ instancePath: e.instancePath, keyword: e.keyword, params: e.params, message: e.message })),
    };
    validators.set(key, validator);
    return validator;
}

/** Every shipped CRD kind with the upstream source its file was checked against. */
export function shippedCrdKinds(): { apiVersion: string; kind: string; source: SchemaSource }[] {
    return [...crdIndex().entries()].flatMap(([apiVersion, entry]) => {
        const data = readCrdFile(entry.file);
        return [...entry.kinds].map((kind) => ({ apiVersion, kind, source: data.source }));
    });
}
