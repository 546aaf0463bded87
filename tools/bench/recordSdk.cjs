// Preloaded into the bench's first plan run: records, in the order the plan first asks for them,
// the files of the Pulumi SDKs (node_modules/@pulumi/*) it loads, so the floor loads exactly those.
"use strict";
const fs = require("fs");
const Module = require("module");
const { isSdkFile } = require("./sdk.cjs");

const loaded = [];
const load = Module._load;
Module._load = function recordSdkModule(request, parent, isMain) {
    try {
        const file = Module._resolveFilename(request, parent, isMain);
        if (isSdkFile(file) && !Module._cache[file] && !loaded.includes(file)) {
            loaded.push(file);
        }
    } catch {
        // Not resolvable here: the real load reports it.
    }
    return load.apply(this, arguments);
};
process.on("exit", () => fs.writeFileSync(process.env.BENCH_SDK_FILE, JSON.stringify(loaded)));
