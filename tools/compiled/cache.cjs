// The repository's TypeScript, compiled once and cached by content hash, so commands such as the
// plan run as plain JavaScript: no transpiler, no source maps and no `typescript` at run time.
//
// Each .ts file is compiled on its own (TypeScript's transpileModule, the emit of `tsc` for one
// module, with the compiler options of tsconfig.json) into node_modules/.cache/eks-platform/ts/,
// under the SHA-256 of everything the output depends on: the TypeScript version, tsconfig.json,
// the file's path and its source. Every require reads the source and looks its output up by that
// hash, so a changed file is recompiled before it runs and stale code never does; `typescript`
// is loaded only to compile a file the cache does not have. `npm ci` fills the cache (the
// `prepare` script runs `node tools/compiled/run.cjs --build`).
//
// Plain CommonJS on purpose: it is what loads the TypeScript, so it cannot be TypeScript.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "eks-platform", "ts");
const TSCONFIG = path.join(ROOT, "tsconfig.json");

let cacheKey;
/** What every output depends on besides its own file: the compiler's version and options. */
function compilerKey() {
    if (cacheKey === undefined) {
        const version = JSON.parse(fs.readFileSync(require.resolve("typescript/package.json", { paths: [ROOT] }), "utf8")).version;
        cacheKey = `typescript ${version} node16\n${fs.readFileSync(TSCONFIG, "utf8")}\n`;
    }
    return cacheKey;
}

let typescript;
let compilerOptions;
function transpile(filename, source) {
    if (typescript === undefined) {
        typescript = require(require.resolve("typescript", { paths: [ROOT] }));
        const config = typescript.readConfigFile(TSCONFIG, typescript.sys.readFile);
        compilerOptions = {
            ...typescript.convertCompilerOptionsFromJson(config.config.compilerOptions, ROOT).options,
            // CommonJS output that keeps `import()` as Node's dynamic import, which loads ES-only
            // packages (kubernetes-models) as tsx does; "commonjs" would turn it into require().
            module: typescript.ModuleKind.Node16,
            moduleResolution: typescript.ModuleResolutionKind.Node16,
        };
    }
    const output = typescript.transpileModule(source, { compilerOptions, fileName: filename, reportDiagnostics: true });
    const errors = (output.diagnostics ?? []).filter((d) => d.category === typescript.DiagnosticCategory.Error);
    if (errors.length > 0) {
        const text = errors.map((d) => {
            const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
            return `${path.relative(ROOT, filename)}${at ? `:${at.line + 1}:${at.character + 1}` : ""}: ${typescript.flattenDiagnosticMessageText(d.messageText, "\n")}`;
        });
        throw new SyntaxError(`cannot compile TypeScript:\n${text.join("\n")}`);
    }
    return output.outputText;
}

/** The JavaScript of one .ts file: from the cache when its hash is there, else compiled and stored. */
function compiled(filename, source) {
    const hash = crypto.createHash("sha256").update(compilerKey()).update(path.relative(ROOT, filename)).update("\n").update(source).digest("hex");
    const cached = path.join(CACHE_DIR, `${hash}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch (error) {
        if (error.code !== "ENOENT") {
            throw error;
        }
    }
    const output = transpile(filename, source);
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    // Written aside and renamed, so a concurrent run never reads half a file.
    const partial = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(partial, output);
    fs.renameSync(partial, cached);
    return output;
}

/** Lets `require` load .ts files from the cache. */
function register() {
    require.extensions[".ts"] = function loadTypeScript(module, filename) {
        module._compile(compiled(filename, fs.readFileSync(filename, "utf8")), filename);
    };
}

/** Compiles every .ts file under the given directories (tests and node_modules aside) into the cache. */
function build(directories) {
    let count = 0;
    const visit = (file) => {
        const stat = fs.statSync(file);
        if (stat.isDirectory()) {
            const base = path.basename(file);
            if (base !== "node_modules" && base !== "test") {
                fs.readdirSync(file).forEach((entry) => visit(path.join(file, entry)));
            }
        } else if (file.endsWith(".ts") && !file.endsWith(".d.ts")) {
            compiled(file, fs.readFileSync(file, "utf8"));
            count++;
        }
    };
    directories.forEach((directory) => visit(path.join(ROOT, directory)));
    return count;
}

module.exports = { CACHE_DIR, ROOT, build, compiled, register };
