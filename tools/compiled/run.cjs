// `node tools/compiled/run.cjs <file.ts> [args...]` runs a TypeScript entry point as plain
// JavaScript, compiled and cached by content hash (cache.cjs); `--build` fills the cache.
"use strict";
const Module = require("module");
const path = require("path");
const { build, register } = require("./cache.cjs");
const { enableCodeCache } = require("./codeCache.cjs");
const { deferTypeScript } = require("./deferTypeScript.cjs");

const [entry, ...args] = process.argv.slice(2);
if (entry === "--build") {
    const started = Date.now();
    const count = build(["index.ts", "components", "config", "tools", "policy-pack", "examples", "bootstrap"]);
    console.log(`compiled TypeScript cache: ${count} files checked in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} else if (!entry || !entry.endsWith(".ts")) {
    console.error("usage: node tools/compiled/run.cjs <file.ts> [args...] | --build");
    process.exit(2);
} else {
    register();
    enableCodeCache();
    deferTypeScript();
    // The entry point sees the command line as if node had run it directly (require.main, argv).
    process.argv = [process.argv[0], path.resolve(entry), ...args];
    Module.runMain();
}
