import { createHash } from "crypto";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import { validateObserved, type ThrowingValidate } from "./observedFields";
import type { AjvLikeError, SchemaProblem } from "./problems";

/** What a kubernetes-models validator says of an object: its errors and the fields it never read. */
export type Observation = { errors: AjvLikeError[]; unknownFields: SchemaProblem[] };

/**
 * The packaged validators are ES modules, one per schema: checking a stack's objects imports a few
 * hundred of them, most of what schema validation costs a run. What a validator says of an object
 * depends only on the object and on the code that judges it, so each observation is kept under
 * node_modules/.cache/eks-platform/schema-observations/, named by the SHA-256 of the installed
 * packages' package.json files (kubernetes-models, @kubernetes-models/gateway-api,
 * @kubernetes-models/apimachinery and the @kubernetes-models/validate they share), the sources of
 * observedFields.ts and modelSchemas.ts (which picks a schema's validator), the schema's name and the
 * object: a changed object, package or code is validated afresh, never served stale, and an object
 * seen before needs no validator loaded.
 */
const CACHE_DIR = path.resolve(__dirname, "..", "..", "node_modules", ".cache", "eks-platform", "schema-observations");
const PACKAGES = ["kubernetes-models", "@kubernetes-models/gateway-api", "@kubernetes-models/apimachinery"];

/** An installed package's package.json, found as node would find the package from `from` (its exports may not list package.json). */
function packageJson(name: string, from: string): string {
    const directories = createRequire(from).resolve.paths(name) ?? [];
    const found = directories.map((directory) => path.join(directory, name, "package.json")).find((file) => fs.existsSync(file));
    if (!found) {
        throw new Error(`${name} is not installed (looked from ${from})`);
    }
    return found;
}

let judgeKey: string | undefined;

/** The hash of everything besides the object that an observation depends on. */
function judgesKey(): string {
    if (judgeKey === undefined) {
        const hash = createHash("sha256");
        const files = PACKAGES.map((name) => packageJson(name, __filename));
        // What observes the validator, and what picks the validator of a schema's name.
        files.push(packageJson("@kubernetes-models/validate", files[0]), path.join(__dirname, "observedFields.ts"), path.join(__dirname, "modelSchemas.ts"));
        files.forEach((file) => hash.update(file).update("\n").update(fs.readFileSync(file)).update("\n"));
        judgeKey = hash.digest("hex");
    }
    return judgeKey;
}

/**
 * validateObserved with the validator `load` yields (undefined when no package defines the schema,
 * then the result is undefined too), from the cache when this object was observed before.
 */
export async function cachedObservation(schema: string, load: () => Promise<ThrowingValidate | undefined>, object: unknown): Promise<Observation | undefined> {
    const text = asJson(object);
    const key = text === undefined ? undefined : createHash("sha256").update(judgesKey()).update(`\n${schema}\n`).update(text).digest("hex");
    const file = key === undefined ? undefined : path.join(CACHE_DIR, `${key}.json`);
    if (file !== undefined && fs.existsSync(file)) {
        return (JSON.parse(fs.readFileSync(file, "utf8")) as { observation: Observation | null }).observation ?? undefined;
    }
    const validate = await load();
    const observed = validate ? validateObserved(validate, object) : undefined;
    // Only what the findings read of an error, so a cached observation is the same as a fresh one.
    const observation = observed && {
        errors: observed.errors.map(({ instancePath, keyword, params, message }) => ({ instancePath, keyword, params, message })),
        unknownFields: observed.unknownFields,
    };
    if (file === undefined) {
        return observation;
    }
    try {
        fs.mkdirSync(CACHE_DIR, { recursive: true });
        // Written aside and renamed, so a concurrent run never reads half a file.
        const partial = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(partial, JSON.stringify({ observation: observation ?? null }));
        fs.renameSync(partial, file);
    } catch (error) {
        if (!["EACCES", "EPERM", "EROFS"].includes((error as NodeJS.ErrnoException).code ?? "")) {
            throw error;
        }
    }
    return observation;
}

/**
 * The object as JSON, or undefined when JSON would not tell it apart from another object (an
 * undefined array item or a number JSON cannot hold): such an object is validated every time.
 */
function asJson(object: unknown): string | undefined {
    let exact = true;
    const text = JSON.stringify(object, function (this: unknown, _key: string, value: unknown) {
        if ((value === undefined && Array.isArray(this)) || (typeof value === "number" && !Number.isFinite(value)) || typeof value === "function") {
            exact = false;
        }
        return value;
    });
    return exact ? text : undefined;
}
