import { strict as assert } from "assert";
import type { ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { evaluate, policies } from "../evaluate";
import { ADVISORY_TWIN_SUFFIX, enginePoliciesOf, levelIn } from "../lib/engine";
import { environmentConfig, ENVIRONMENTS, type Environment } from "../lib/environments";
import type { Guardrail } from "../lib/policy";
import { appliesToType, withControls } from "../lib/policy";
import { fixtures } from "./fixtures";

// The engine path is exercised with the policy SDK's own unknown-checking proxy and sentinels,
// so these tests see what `pulumi preview --policy-pack` would.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- @internal in @pulumi/policy's typings
const sdkProxy = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy: <T>(value: T) => T;
    UnknownValueError: new (...args: never[]) => Error;
    unknownStringValue: string;
};

class NotApplicable extends Error {}

function resourceArgs(
    type: string,
    props: Record<string, unknown>,
    config: Record<string, unknown> = {},
    stack = "test",
    stackTags: Map<string, string> = new Map(),
): ResourceValidationArgs {
    return {
        type,
        name: "subject",
        urn: `urn:pulumi:${stack}::engine::${type}::subject`,
        props: sdkProxy.unknownCheckingProxy(props),
        opts: {
            protect: false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        },
        stackTags,
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
}

/** The engine policy of a rule that reports in an environment (its twin where the rule is advisory there). */
function engineVariant(policy: Guardrail, environment: Environment) {
    const level = levelIn(policy, environment);
    return enginePoliciesOf(policy).find((variant) => variant.enforcementLevel === level);
}

/** Runs one policy through its engine adapter on one resource of a stack; returns the reported messages. */
async function runEngine(name: string, type: string, props: Record<string, unknown>, config?: Record<string, unknown>, stack = "prod") {
    const guardrail = policies.find((candidate) => candidate.name === name)!;
    const policy = engineVariant(guardrail, stack as Environment) as ResourceValidationPolicy;
    const messages: string[] = [];
    let thrown: unknown;
    try {
        const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
        for (const validate of validations) {
            await validate(resourceArgs(type, props, config, stack), (message) => messages.push(message));
        }
    } catch (error) {
        thrown = error;
    }
    return { messages, thrown };
}

/** prod's settings with one rule's entry overlaid, as the engine combines them with an engine config. */
function prodWith(policyName: string, override: Record<string, unknown> | undefined) {
    const prod = environmentConfig("prod");
    const entry = prod[policyName];
    return { ...prod, [policyName]: { ...(typeof entry === "object" ? entry : typeof entry === "string" ? { enforcementLevel: entry } : {}), ...override } };
}

describe("engine adapter", () => {
    it("exposes every rule to @pulumi/policy with its metadata, at its strictest level, with an advisory twin where environments differ", () => {
        for (const policy of policies) {
            const [primary, ...twins] = enginePoliciesOf(policy);
            const levels = ENVIRONMENTS.map((environment) => levelIn(policy, environment));
            assert.equal(primary.name, policy.name);
            assert.equal(primary.description, policy.description);
            assert.equal(primary.remediationSteps, policy.remediation);
            assert.deepEqual(primary.tags, [...policy.controls]);
            assert.equal(primary.enforcementLevel, levels.includes("mandatory") ? "mandatory" : levels.includes("advisory") ? "advisory" : "disabled");
            const needsTwin = levels.includes("mandatory") && levels.includes("advisory");
            assert.deepEqual(
                twins.map((twin) => [twin.name, twin.enforcementLevel]),
                needsTwin ? [[`${policy.name}${ADVISORY_TWIN_SUFFIX}`, "advisory"]] : [],
            );
            const schema = primary.configSchema?.properties ?? {};
            assert.deepEqual(Object.keys(schema), Object.keys(policy.configSchema ?? {}));
            assert.ok(
                Object.values(schema).every((property) => !("default" in property)),
                "no defaults, so the engine passes only what a config file sets",
            );
            assert.equal("validateStack" in primary, policy.kind === "stack");
        }
    });

    it("reports a rule once per stack: the primary where the environment makes it mandatory, the twin where advisory", async () => {
        const cluster = { endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ["203.0.113.0/24"] };
        const policy = policies.find((candidate) => candidate.name === "cluster-no-public-endpoint")!;
        const [primary, twin] = enginePoliciesOf(policy) as StackValidationPolicy[];
        const run = async (variant: StackValidationPolicy, stack: string, tags: Map<string, string> = new Map()) => {
            const reported: string[] = [];
            try {
                await variant.validateStack(
                    {
                        resources: [
                            {
                                type: "eks:index:Cluster",
                                name: "platform",
                                urn: `urn:pulumi:${stack}::p::eks:index:Cluster::platform`,
                                props: sdkProxy.unknownCheckingProxy(cluster),
                                opts: resourceArgs("eks:index:Cluster", {}).opts,
                                dependencies: [],
                                propertyDependencies: {},
                                isType: () => false,
                                asType: () => undefined,
                            },
                        ],
                        stackTags: tags,
                        getConfig: <T extends object>() => ({}) as T,
                        notApplicable: (reason?: string): never => {
                            throw new NotApplicable(reason);
                        },
                    },
                    (message) => reported.push(message),
                );
            } catch (error) {
                return error instanceof NotApplicable ? `not applicable: ${error.message}` : error;
            }
            return reported.length;
        };
        assert.equal(await run(primary, "prod"), 1);
        assert.match(String(await run(twin, "prod")), /not applicable: cluster-no-public-endpoint is mandatory in prod \(chosen by stack name\)/);
        assert.match(String(await run(primary, "dev")), /not applicable: cluster-no-public-endpoint is advisory in dev/);
        assert.equal(await run(twin, "dev"), 1);
        assert.equal(await run(twin, "team-sandbox", new Map([["eks-platform:environment", "staging"]])), 1, "the stack tag names the environment");
        assert.equal(await run(primary, "team-sandbox"), 1, "a stack that names no environment gets the strictest");
    });

    it("takes parameters from the stack's environment, and an engine config overrides them", async () => {
        const logGroup = { retentionInDays: 30, kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k" };
        assert.deepEqual((await runEngine("log-group-retention", "aws:cloudwatch/logGroup:LogGroup", logGroup, {}, "dev")).messages, []);
        assert.equal((await runEngine("log-group-retention", "aws:cloudwatch/logGroup:LogGroup", logGroup, {}, "prod")).messages.length, 1);
        const overridden = await runEngine("log-group-retention", "aws:cloudwatch/logGroup:LogGroup", logGroup, { minimumRetentionDays: 7 }, "prod");
        assert.deepEqual(overridden.messages, []);
    });

    it("reports the same violations as the offline evaluator on every resource fixture", async () => {
        for (const policy of policies.filter((candidate) => candidate.kind === "resource")) {
            for (const fixture of [...fixtures[policy.name].pass, ...fixtures[policy.name].fail]) {
                for (const resource of fixture.resources) {
                    if (levelIn(policy, "prod") === "disabled") {
                        continue;
                    }
                    const offline = (await evaluate([resource], { config: prodWith(policy.name, fixture.config) }))
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
        assert.match(thrown.message, /at \.ingress\.0\.cidrBlocks\.0 /, "the diagnostic names the value the rule needed");
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
        const policy = enginePoliciesOf(policies.find((candidate) => candidate.name === "cluster-spans-availability-zones")!)[0] as StackValidationPolicy;
        const stackArgs = (resources: Array<{ type: string; props: Record<string, unknown>; name: string }>): StackValidationArgs => ({
            resources: resources.map((resource) => ({
                ...resource,
                urn: `urn:pulumi:test::engine::${resource.type}::${resource.name}`,
                props: sdkProxy.unknownCheckingProxy(resource.props),
                opts: resourceArgs(resource.type, {}).opts,
                dependencies: [],
                propertyDependencies: {},
                isType: () => false,
                asType: () => undefined,
            })),
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
