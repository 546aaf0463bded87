// V8's code cache for the modules a run loads besides the Pulumi SDKs: the repository's own
// (compiled TypeScript) and the packages only it uses (zod, yaml, ajv's cached validators...).
//
// Node compiles every module's source on each run (most of the time `require` itself takes). V8 can
// serialize what it compiled, the functions a run actually called included, and accept it back on
// the next run for the same source instead of compiling again. Each entry lives under
// node_modules/.cache/eks-platform/v8/, named by the SHA-256 of node's version and architecture,
// the file's path and its source, so an edited file, another node or another V8 never meets it;
// V8 checks the data's own version and flags too and rejects any that does not fit (the source is
// then compiled as usual and the entry written again). Entries are written when the process exits,
// after the run, so they hold the functions the run compiled lazily.
//
// Modules loaded by the Pulumi SDKs (a file of node_modules/@pulumi/, or a module any of them
// requires, at any depth) are compiled by node as usual, exactly as the bench's floor loads them:
// what the cache saves is then time the floor never spends. Node 22's module.enableCompileCache
// would cache the SDKs too, and the floor with them; on node 20 it does not exist.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");
const vm = require("vm");

const CODE_CACHE_DIR = path.resolve(__dirname, "..", "..", "node_modules", ".cache", "eks-platform", "v8");
const SDK_DIR = `${path.sep}node_modules${path.sep}@pulumi${path.sep}`;

/** Whether the module is part of loading a Pulumi SDK: an SDK file, or required (first) by one, at any depth. */
function loadedBySdk(module) {
    for (let m = module; m; m = m.parent) {
        if (typeof m.filename === "string" && m.filename.includes(SDK_DIR)) {
            return true;
        }
    }
    return false;
}

/** `require` as node gives it to a module (its makeRequireFunction). */
function requireOf(module) {
    const require = (id) => module.require(id);
    require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
    require.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
    require.main = process.mainModule;
    require.extensions = Module._extensions;
    require.cache = Module._cache;
    return require;
}

/** Scripts compiled without usable cache data this run, written out at exit. */
const unwritten = [];

function writeEntries() {
    if (unwritten.length === 0) {
        return;
    }
    try {
        fs.mkdirSync(CODE_CACHE_DIR, { recursive: true });
        for (const { script, file } of unwritten.splice(0)) {
            // Written aside and renamed, so a concurrent run never reads half an entry.
            const partial = `${file}.${process.pid}.tmp`;
            fs.writeFileSync(partial, script.createCachedData());
            fs.renameSync(partial, file);
        }
    } catch {
        // A cache that cannot be written (a read-only install) only costs the next run the compile.
    }
}

/** Compiles and runs a module's (JavaScript) source as Module.prototype._compile does, through the code cache. */
/** The cache entry of a module's source. */
function entryOf(filename, content) {
    const hash = crypto.createHash("sha256").update(`${process.version} ${process.arch}\n${filename}\n`).update(content).digest("hex");
    return path.join(CODE_CACHE_DIR, `${hash}.bin`);
}

function compileCached(module, content, filename) {
    const file = entryOf(filename, content);
    let cachedData;
    try {
        cachedData = fs.readFileSync(file);
    } catch {
        cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) {
        if (unwritten.length === 0) {
            process.once("exit", writeEntries);
        }
        unwritten.push({ script, file });
    }
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(module.exports, module.exports, requireOf(module), module, filename, path.dirname(filename));
}

/** Every module compiled from here on that the SDKs do not load goes through the code cache. */
function enableCodeCache() {
    const compile = Module.prototype._compile;
    Module.prototype._compile = function compileModule(content, filename) {
        // A module with import() is left to node too: a vm.Script's dynamic import needs a loader
        // that node 20 offers only as experimental, and loses when the script comes from cache data.
        return loadedBySdk(this) || content.includes("import(") ? compile.call(this, content, filename) : compileCached(this, content, filename);
    };
}

module.exports = { enableCodeCache, entryOf };
