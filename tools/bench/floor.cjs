// The bench's floor: a fresh node process that only loads the Pulumi SDK files the plan loads, in
// its order (the list recordSdk.cjs wrote), the way the plan's runner loads them, and does nothing else.
"use strict";
const fs = require("fs");
const { deferTypeScript } = require("../compiled/deferTypeScript.cjs");

deferTypeScript();

for (const file of JSON.parse(fs.readFileSync(process.argv[2], "utf8"))) {
    require(file);
}
