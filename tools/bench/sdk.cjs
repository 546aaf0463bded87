// Loads the Pulumi SDK files the plan loads (the list recordSdk.cjs wrote), in its order and the
// way the plan's runner loads them: what the bench's floor does, and what its "SDK only" cases start with.
"use strict";
const fs = require("fs");
const { deferTypeScript } = require("../compiled/deferTypeScript.cjs");

/** Loads the listed files; returns the list. */
function loadPlanSdk(listFile) {
    deferTypeScript();
    const files = JSON.parse(fs.readFileSync(listFile, "utf8"));
    for (const file of files) {
        require(file);
    }
    return files;
}

/** A file of one of the Pulumi SDKs (node_modules/@pulumi/*). */
function isSdkFile(file) {
    return file.includes("/node_modules/@pulumi/");
}

/**
 * The SDK files this process has loaded. The shim deferTypeScript's stand-in replaces counts as not
 * loaded, as recordSdk.cjs does not see it either.
 */
function loadedSdkFiles() {
    const shim = require.resolve("@pulumi/pulumi/typescript-shim");
    return Object.keys(require.cache).filter((file) => isSdkFile(file) && file !== shim);
}

module.exports = { isSdkFile, loadPlanSdk, loadedSdkFiles };
