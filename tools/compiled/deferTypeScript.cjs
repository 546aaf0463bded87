// @pulumi/pulumi loads TypeScript's compiler (a 9 MB module, the largest single part of its import)
// as it loads, through its typescript-shim, for closure serialization (dynamic providers,
// serializeFunction), which nothing the plan runs uses. This puts a stand-in for the shim in
// require's cache that loads the real one on its first use, so a run that serializes no closure
// never loads TypeScript and one that does behaves as before. The plan's runner and the bench's
// floor both load the SDK this way.
"use strict";
const Module = require("module");
const path = require("path");

function deferTypeScript() {
    const shim = require.resolve("@pulumi/pulumi/typescript-shim", { paths: [path.resolve(__dirname, "..", "..")] });
    if (require.cache[shim]) {
        return;
    }
    let typescript;
    const load = () => {
        if (typescript === undefined) {
            delete require.cache[shim];
            typescript = require(shim);
            require.cache[shim] = standIn;
        }
        return typescript;
    };
    const standIn = new Module(shim);
    standIn.filename = shim;
    standIn.loaded = true;
    standIn.exports = new Proxy(
        {},
        {
            get: (_, key) => load()[key],
            has: (_, key) => key in load(),
            ownKeys: () => Reflect.ownKeys(load()),
            getOwnPropertyDescriptor: (_, key) => {
                const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
                return descriptor && { ...descriptor, configurable: true };
            },
        },
    );
    require.cache[shim] = standIn;
}

module.exports = { deferTypeScript };
