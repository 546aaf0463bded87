import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { default as Ajv, AnySchema, Options, ValidateFunction } from "ajv";

/**
 * Compiles JSON schemas with Ajv and keeps the code Ajv generates, so a later process loads a
 * validator instead of compiling it (compiling is most of what a validation costs a short run, and
 * Ajv itself is then not loaded at all). Each validator's code is kept under node_modules/.cache/
 * eks-platform/ajv/ (beside the ajv package that generated it), named by the SHA-256 of Ajv's
 * version, the options, what `setup` adds to Ajv (named by `setupKey`) and the schema: a changed
 * schema, option or Ajv is compiled afresh, never served stale. An install whose node_modules
 * cannot be written compiles in memory, as without the cache.
 */
export class CachedSchemaCompiler {
    private ajv: Ajv | undefined;
    private readonly options: Options;

    constructor(
        options: Options,
        private readonly setup: { key: string; apply: (ajv: Ajv) => void } = { key: "", apply: () => undefined },
    ) {
        // The generated code is kept only when Ajv keeps its source.
        this.options = { ...options, code: { ...options.code, source: true } };
    }

    private compiler(): Ajv {
        if (!this.ajv) {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const { default: AjvClass } = require("ajv") as typeof import("ajv");
            this.ajv = new AjvClass(this.options);
            this.setup.apply(this.ajv);
        }
        return this.ajv;
    }

    compile(schema: AnySchema): ValidateFunction {
        const { directory, version } = ajvInstall();
        const key = createHash("sha256")
            .update(JSON.stringify([version, this.options, this.setup.key, schema]))
            .digest("hex");
        const file = path.join(directory, `${key}.js`);
        if (fs.existsSync(file)) {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            return require(file) as ValidateFunction;
        }
        const validate = this.compiler().compile(schema);
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const { default: standaloneCode } = require("ajv/dist/standalone") as typeof import("ajv/dist/standalone");
            fs.mkdirSync(directory, { recursive: true });
            // Written aside and renamed, so a concurrent run never loads half a file.
            const partial = `${file}.${process.pid}.tmp`;
            fs.writeFileSync(partial, standaloneCode(this.compiler(), validate));
            fs.renameSync(partial, file);
        } catch (error) {
            if (!["EACCES", "EPERM", "EROFS"].includes((error as NodeJS.ErrnoException).code ?? "")) {
                throw error;
            }
        }
        return validate;
    }
}

let install: { directory: string; version: string } | undefined;

/** Ajv's version and the cache directory of the node_modules it is installed in. */
function ajvInstall(): { directory: string; version: string } {
    if (!install) {
        // require.resolve("ajv") is <node_modules>/ajv/dist/ajv.js.
        const packageDir = path.resolve(path.dirname(require.resolve("ajv")), "..");
        const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string };
        install = { directory: path.join(packageDir, "..", ".cache", "eks-platform", "ajv"), version };
    }
    return install;
}
