// Loads the Pulumi SDK files the plan loads (the list recordSdk.cjs wrote), in its order and the
// way the plan's runner loads them: what the bench's floor does, and what its "SDK only" case starts with.
"use strict";
const fs = require("fs");
const { deferTypeScript } = require("../compiled/deferTypeScript.cjs");

function loadPlanSdk(listFile) {
    deferTypeScript();
    for (const file of JSON.parse(fs.readFileSync(listFile, "utf8"))) {
        require(file);
    }
}

module.exports = { loadPlanSdk };
