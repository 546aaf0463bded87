import { strict as assert } from "assert";
import type { ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy, PolicyResource } from "@pulumi/policy";
import { evaluate, policies } from "../evaluate";
import { toEnginePolicy } from "../lib/engine";
import { appliesToType, withControls } from "../lib/policy";
import { fixtures } from "./fixtures";

// The engine path is exercised with the policy SDK's own unknown-checking proxy and sentinels,
// so these tests see what `pulumi preview --policy-pack` would.
const sdkProxy = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy: <T>(value: T) => T;
    UnknownValueError: new (...args: never[]) => Error;
    unknownStringValue: string;
};

class NotApplicable extends Error {}

function resourceArgs(type: string, props: Record<string, unknown>, config: Record<string, unknown> = {}): ResourceValidationArgs {
    return {
        type,
        name: "subject",
        urn: `urn:pulumi:test::engine::${type}::subject`,
        props: sdkProxy.unknownCheckingProxy(props),
        opts: {
            protect: false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        },
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
}

/** Runs one policy through its engine adapter on one resource; returns the reported messages. */
async function runEngine(name: string, type: string, props: Record<string, unknown>, config?: Record<string, unknown>) {
    const policy = toEnginePolicy(policies.find((candidate) => candidate.name === name)!) as ResourceValidationPolicy;
    const messages: string[] = [];
    let thrown: unknown;
    try {
        const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
        for (const validate of validations) {
            await validate(resourceArgs(type, props, config), (message) => messages.push(message));
        }
    } catch (error) {
        thrown = error;
    }
    return { messages, thrown };
}

describe("engine adapter", () => {
    it("exposes the same policies, metadata and config schemas to @pulumi/policy", () => {
        for (const policy of policies) {
            const engine = toEnginePolicy(policy);
            assert.equal(engine.name, policy.name);
            assert.equal(engine.description, policy.description);
            assert.equal(engine.enforcementLevel, policy.enforcementLevel);
            assert.equal(engine.remediationSteps, policy.remediation);
            assert.deepEqual(engine.tags, [...policy.controls]);
            assert.deepEqual(Object.keys(engine.configSchema?.properties ?? {}), Object.keys(policy.configSchema ?? {}));
            assert.equal("validateStack" in engine, policy.kind === "stack");
        }
    });

    it("reports the same violations as the offline evaluator on every resource fixture", async () => {
        for (const policy of policies.filter((candidate) => candidate.kind === "resource")) {
            for (const fixture of [...fixtures[policy.name].pass, ...fixtures[policy.name].fail]) {
                for (const resource of fixture.resources) {
                    const offline = (await evaluate([resource], { config: fixture.config ? { [policy.name]: fixture.config } : {} }))
                        .filter((violation) => violation.policy === policy.name)
                        .map((violation) => withControls(policy, violation.message));
                    const { messages, thrown } = await runEngine(policy.name, resource.type, resource.props, fixture.config);
                    if (appliesToType(policy, resource.type)) {
                        assert.equal(thrown, undefined, `${policy.name} / ${fixture.title}`);
                    } else {
                        assert.ok(thrown instanceof NotApplicable, `${policy.name} / ${fixture.title}`);
                    }
                    assert.deepEqual(messages, offline, `${policy.name} / ${fixture.title}`);
                }
            }
        }
    });

    it("rethrows the engine's own UnknownValueError after reporting what it could decide", async () => {
        const props = {
            ingress: [
                { fromPort: 443, toPort: 443, cidrBlocks: [sdkProxy.unknownStringValue] },
                { fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
            ],
        };
        const { messages, thrown } = await runEngine("security-group-no-world-ingress", "aws:ec2/securityGroup:SecurityGroup", props);
        assert.equal(messages.length, 1);
        assert.match(messages[0], /ingress\[1\] admits 0\.0\.0\.0\/0\. \[controls: CKV_AWS_24/);
        assert.ok(thrown instanceof sdkProxy.UnknownValueError, "the policy server turns this error into a 'can't run during preview' diagnostic");
        assert.match((thrown as Error).message, /at \.ingress\.0\.cidrBlocks\.0 /, "the diagnostic names the value the rule needed");
    });

    it("decides without throwing when the unknown value is not needed", async () => {
        const props = { endpointPublicAccess: false, publicAccessCidrs: sdkProxy.unknownStringValue };
        const { messages, thrown } = await runEngine("eks-public-endpoint-restricted", "eks:index:Cluster", props);
        assert.deepEqual(messages, []);
        assert.equal(thrown, undefined);
    });

    it("tells the engine a policy is not applicable to resource types it does not cover", async () => {
        const { messages, thrown } = await runEngine("launch-template-imdsv2", "aws:s3/bucket:Bucket", {});
        assert.deepEqual(messages, []);
        assert.ok(thrown instanceof NotApplicable);
    });

    it("marks a stack policy not applicable when it cannot link resources, and reports with URNs otherwise", async () => {
        const policy = toEnginePolicy(policies.find((candidate) => candidate.name === "cluster-spans-availability-zones")!) as StackValidationPolicy;
        const stackArgs = (resources: Array<{ type: string; props: Record<string, unknown>; name: string }>): StackValidationArgs => ({
            resources: resources.map(
                (resource) =>
                    ({
                        ...resource,
                        urn: `urn:pulumi:test::engine::${resource.type}::${resource.name}`,
                        props: sdkProxy.unknownCheckingProxy(resource.props),
                        opts: resourceArgs(resource.type, {}).opts,
                        dependencies: [],
                        propertyDependencies: {},
                        isType: () => false,
                        asType: () => undefined,
                    }) as unknown as PolicyResource,
            ),
            stackTags: new Map(),
            getConfig: <T extends object>() => ({}) as T,
            notApplicable: (reason?: string): never => {
                throw new NotApplicable(reason);
            },
        });
        const clusterWithoutSubnets = { type: "eks:index:Cluster", name: "platform", props: { name: "platform" } };
        await assert.rejects(async () => policy.validateStack(stackArgs([clusterWithoutSubnets]), () => undefined), NotApplicable);

        const reported: Array<[string, string | undefined]> = [];
        const subnet = (id: string, zone: string) => ({ type: "aws:ec2/subnet:Subnet", name: id, props: { id, availabilityZone: zone } });
        await policy.validateStack(
            stackArgs([
                { type: "eks:index:Cluster", name: "platform", props: { privateSubnetIds: ["subnet-a", "subnet-b"] } },
                subnet("subnet-a", "eu-west-1a"),
                subnet("subnet-b", "eu-west-1a"),
            ]),
            (message, urn) => reported.push([message, urn]),
        );
        assert.deepEqual(
            reported.map(([, urn]) => urn),
            ["urn:pulumi:test::engine::eks:index:Cluster::platform"],
        );
    });
});
