// The bench's "SDK only" cases: a fresh node process that loads the SDK files the plan loads (as the
// floor does), then registers the resources of plan documents through the SDK's own mock runtime,
// with none of the platform's code: each resource's type, name, parent, provider, dependsOn and
// inputs as the plan recorded them, inputs as plain values. A plan of those stacks costs at least
// this: its program makes the same registrations through the same SDK, and more besides (outputs it
// waits on, the generated classes' output properties, guardrails, schema checks, the document).
// Usage: node sdkOnly.cjs <sdk files list> <plan JSON> [stack...] (every stack of the file by default).
"use strict";
require("./sdk.cjs").loadPlanSdk(process.argv[2]);
const fs = require("fs");
const pulumi = require("@pulumi/pulumi");
const settings = require("@pulumi/pulumi/runtime/settings");

// As the plan runs its renders (tools/plan.ts): no stack traces, no source maps.
Error.stackTraceLimit = 0;
process.setSourceMapsEnabled(false);

const [, , , planFile, ...stacks] = process.argv;
const documents = [JSON.parse(fs.readFileSync(planFile, "utf8"))].flat();
const plans = stacks.length === 0 ? documents : stacks.map((stack) => documents.find((d) => d.stack === stack));
if (plans.includes(undefined)) {
    throw new Error(`${planFile} has no plan of stack ${stacks[plans.indexOf(undefined)]}`);
}

/** Registers one plan's resources through the SDK's mocks; resolves with how many reached the mock monitor. */
async function replay(plan) {
    let reached = 0;
    const mocks = {
        newResource: ({ name, inputs }) => {
            reached++;
            return { id: `${name}-id`, state: inputs };
        },
        call: ({ inputs }) => inputs,
    };
    await pulumi.runtime.setMocks(mocks, plan.project, plan.stack, false);
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const registered = new Map();
    // A resource's parent, provider and dependencies register before it, as in the program.
    const register = (urn) => {
        if (registered.has(urn) || !byUrn.has(urn)) {
            return registered.get(urn);
        }
        const r = byUrn.get(urn);
        const parent = r.parent ? register(r.parent) : undefined;
        const provider = r.provider ? register(r.provider) : undefined;
        const dependsOn = r.dependsOn.map(register).filter(Boolean);
        const providerPackage = /^pulumi:providers:(.+)$/.exec(r.type)?.[1];
        let resource;
        if (providerPackage) {
            resource = new pulumi.ProviderResource(providerPackage, r.name, r.props, { parent, dependsOn });
        } else if (r.custom) {
            resource = new pulumi.CustomResource(r.type, r.name, r.props, { parent, provider, dependsOn });
        } else {
            resource = new pulumi.ComponentResource(r.type, r.name, {}, { parent, dependsOn });
            resource.registerOutputs({});
        }
        registered.set(urn, resource);
        return resource;
    };
    plan.resources.forEach((r) => register(r.urn));
    await settings.waitForRPCs();
    return reached;
}

(async () => {
    // One stack after another in one process, as the plan renders them.
    for (const plan of plans) {
        const reached = await replay(plan);
        if (reached !== plan.resources.length) {
            throw new Error(`${plan.stack}: ${reached} of ${plan.resources.length} registrations reached the mock monitor`);
        }
    }
})().catch((error) => {
    console.error(error);
    process.exit(2);
});
