// The bench's "SDK only" cases: a fresh node process that loads the SDK files the plan loads (as the
// floor does), then registers the resources of plan documents through the SDK's own mock runtime,
// with none of the platform's code: each resource of the plan JSON, by its SDK class (the generic
// CustomResource or ComponentResource for a type no SDK class has, such as the platform's own
// components and custom resources of CRDs), with its name, parent, provider, dependsOn and inputs
// as recorded, inputs as plain values. A plan of those stacks costs at least this: its program
// makes the same registrations through the same classes, and more besides (the outputs it waits on,
// the capture, the guardrails, the schema checks, the document).
// Usage: node sdkOnly.cjs <sdk files list> <plan JSON> [stack...] (every stack of the file by default).
"use strict";
const { loadPlanSdk, loadedSdkFiles } = require("./sdk.cjs");
const floorFiles = loadPlanSdk(process.argv[2]);
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

/**
 * The SDK class a type token names ("aws:iam/role:Role" is @pulumi/aws's iam.Role,
 * "kubernetes:apps/v1:Deployment" @pulumi/kubernetes's apps.v1.Deployment, "pulumi:providers:aws"
 * its Provider), or undefined when no installed SDK has one.
 */
function sdkClassOf(type) {
    const [pkg, module, name] = type.split(":");
    const provider = pkg === "pulumi" && module === "providers";
    let sdk;
    try {
        sdk = require(`@pulumi/${provider ? name : pkg}`);
    } catch {
        return undefined;
    }
    if (provider) {
        return sdk.Provider;
    }
    const [namespace, version] = module.split("/");
    if (pkg === "kubernetes") {
        // API groups by their first label: "rbac.authorization.k8s.io/v1" is rbac.v1; a CRD's kind is a CustomResource.
        return sdk[namespace.split(".")[0]]?.[version]?.[name] ?? sdk.apiextensions.CustomResource;
    }
    return namespace === "index" ? sdk[name] : sdk[namespace]?.[name];
}

/** Registers one plan's resources through the SDK's mocks; resolves with the type and name of each that reached the mock monitor. */
async function replay(plan) {
    const reached = [];
    const mocks = {
        newResource: ({ type, name, inputs }) => {
            reached.push(`${type}::${name}`);
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
        const SdkClass = sdkClassOf(r.type);
        let resource;
        if (SdkClass) {
            resource = new SdkClass(r.name, r.props, { parent, provider, dependsOn });
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
        const reached = (await replay(plan)).sort().join("\n");
        if (
            reached !==
            plan.resources
                .map((r) => `${r.type}::${r.name}`)
                .sort()
                .join("\n")
        ) {
            throw new Error(`${plan.stack}: the registrations that reached the mock monitor are not the plan's resources`);
        }
    }
    // The floor and this case must load the same SDK code, or the difference is not the registrations' cost.
    const floor = new Set(floorFiles);
    const beyond = loadedSdkFiles().filter((file) => !floor.has(file));
    if (beyond.length > 0) {
        throw new Error(`loaded ${beyond.length} SDK files the floor does not, such as ${beyond[0]}`);
    }
})().catch((error) => {
    console.error(error);
    process.exit(2);
});
