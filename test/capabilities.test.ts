import { strict as assert } from "assert";
import { z } from "zod";
import { ConfigError, type RegionFacts } from "../config";
import { stackParserOf, stackSchemaOf, stackSettingsSchema, type ParseOptions, type StackIdentity } from "../config/stack";
import { ADD_ONS, FOUNDATIONS, PLAN_SECTIONS, SECTIONS } from "../components/capabilities";
import { defineCapability, type ValidationFacts } from "../components/capability";
import { byUrn, identityOf, mockRegionFacts, ofType, oneOfType, renderNamedStack, stackSettingsOf } from "./support";

/** A capability as a new add-on would declare it: a section with defaults, a check, a component. */
function exampleAddOn(seen: { settings: unknown; facts?: ValidationFacts }[] = []) {
    return defineCapability({
        key: "exampleAddOn",
        settings: z
            .strictObject({
                /** Replicas of the example add-on. Default 2. */
                replicas: z.int().min(1).default(2),
            })
            .prefault({}),
        validate: (settings, facts) => {
            seen.push({ settings, facts });
            return settings.replicas > 1 || facts.environment !== "prod"
                ? []
                : [{ path: "exampleAddOn.replicas", value: settings.replicas, message: "must be at least 2 in prod" }];
        },
        deploy: () => undefined,
    });
}

/** Runs a parser on a stack's settings with the facts the mocks give that stack. */
function parse<R>(
    parser: (raw: Record<string, unknown>, region: RegionFacts, identity: StackIdentity, options?: ParseOptions) => R,
    stack: string,
    settings: Record<string, unknown>,
): R {
    return parser(settings, mockRegionFacts(settings, "eu-west-1", stack), identityOf(stack), { source: "test" });
}

function problemsOf(run: () => unknown): string[] {
    try {
        run();
    } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        return error.problems.map((p) => `${p.path} = ${JSON.stringify(p.value)}: ${p.message}`);
    }
    return assert.fail("expected a ConfigError");
}

describe("The capability contract", () => {
    it("composes the stack file's sections from the capability list, in its order, around the platform's own settings", () => {
        const shape = (stackSettingsSchema as unknown as z.ZodObject).shape;
        const sections = SECTIONS.filter((section) => section.settings).map((section) => section.key);
        assert.deepEqual(Object.keys(shape), ["environment", "tags", ...sections, "protection"]);
        assert.deepEqual(sections, [
            "iam",
            "network",
            "cluster",
            "registry",
            "compute",
            "storage",
            "logging",
            "metricsServer",
            "loadBalancerController",
            "fargate",
            "mesh",
            "gitops",
            "cost",
        ]);
        assert.deepEqual(
            SECTIONS.map((section) => section.key),
            [...FOUNDATIONS, ...ADD_ONS, ...PLAN_SECTIONS].map((section) => section.key),
        );
    });

    it("rejects a section no capability declares, naming the sections there are", () => {
        const { settings } = stackSettingsOf("dev");
        const problems = problemsOf(() => parse(stackParserOf(SECTIONS), "dev", { ...settings, exampleAddOn: { replicas: 3 } }));
        assert.deepEqual(problems, [
            'exampleAddOn = {"replicas":3}: is not a known setting; allowed here: environment, tags, iam, network, cluster, registry, compute, storage, logging, metricsServer, loadBalancerController, fargate, mesh, gitops, cost, protection',
        ]);
    });

    it("takes a new capability's section once it is in the list, with its defaults, and types it", () => {
        const { settings } = stackSettingsOf("dev");
        const parser = stackParserOf([...SECTIONS, exampleAddOn()]);
        const configured = parse(parser, "dev", { ...settings, exampleAddOn: { replicas: 3 } });
        const defaulted = parse(parser, "dev", settings);
        const replicas: number = configured.exampleAddOn.replicas;
        assert.equal(replicas, 3);
        assert.equal(defaulted.exampleAddOn.replicas, 2);
        assert.equal(configured.storage.efs.enabled, defaulted.storage.efs.enabled);
        assert.deepEqual(
            problemsOf(() => parse(parser, "dev", { ...settings, exampleAddOn: { replicas: 0 } })),
            ["exampleAddOn.replicas = 0: must be a whole number of at least 1"],
        );
    });

    it("hands a capability's checks only its own section and the facts, and reports their problems with the rest", () => {
        const { settings } = stackSettingsOf("prod");
        const seen: { settings: unknown; facts?: ValidationFacts }[] = [];
        const parser = stackParserOf([...SECTIONS, exampleAddOn(seen)]);
        const problems = problemsOf(() => parse(parser, "prod", { ...settings, exampleAddOn: { replicas: 1 }, storage: { ebs: { reclaimPolicy: "Delete" } } }));
        assert.deepEqual(problems.sort(), [
            "exampleAddOn.replicas = 1: must be at least 2 in prod",
            'storage.ebs.reclaimPolicy = "Delete": must be "Retain" in prod: deleting a claim must never delete the data behind it',
        ]);
        assert.equal(seen.length, 1);
        assert.deepEqual(seen[0].settings, { replicas: 1 });
        const facts = seen[0].facts!;
        assert.equal(facts.environment, "prod");
        assert.equal(facts.clusterName, "eks-platform-prod");
        assert.equal(facts.region, "eu-west-1");
        assert.equal(facts.cidrPlan?.privateSubnets.length, facts.network.azCount);
        assert.deepEqual(facts.cluster.applicationNamespaces, (settings.cluster as { applicationNamespaces?: string[] }).applicationNamespaces ?? ["apps"]);
    });

    it("refuses two sections under one key, and gives a capability with nothing to configure no section", () => {
        assert.throws(
            () => stackSchemaOf([...SECTIONS, { key: "storage", settings: z.strictObject({}) }]),
            /two sections of the stack file are named "storage"/,
        );
        assert.throws(() => stackSchemaOf([{ key: "protection", settings: z.strictObject({}) }]), /two sections of the stack file are named "protection"/);
        const { settings } = stackSettingsOf("dev");
        const problems = problemsOf(() => parse(stackParserOf(SECTIONS), "dev", { ...settings, coreDns: {} }));
        assert.match(problems[0], /^coreDns = \{\}: is not a known setting/);
    });

    it("deploys every add-on as a child of the platform, on the platform's AWS provider", async () => {
        const { resources, program } = await renderNamedStack("prod");
        const platform = oneOfType(resources, "eksplatform:index:Platform");
        const provider = oneOfType(resources, "pulumi:providers:aws");
        const byParent = byUrn(resources);
        const platformOf = (urn: string | null): string | null => {
            let current = urn ? byParent.get(urn) : undefined;
            while (current?.parent && current.parent !== platform.urn) {
                current = byParent.get(current.parent);
            }
            return current?.parent ?? null;
        };
        for (const type of [
            "eksplatform:cluster:CoreDns",
            "eksplatform:storage:Storage",
            "eksplatform:logging:Logging",
            "eksplatform:metricsServer:MetricsServer",
            "eksplatform:loadBalancerController:LoadBalancerController",
            "eksplatform:fargate:Fargate",
            "eksplatform:mesh:Mesh",
            "eksplatform:gitops:Flux",
        ]) {
            assert.equal(oneOfType(resources, type).parent, platform.urn, type);
        }
        assert.deepEqual(Object.keys(program.platform.addOns), [
            "coreDns",
            "storage",
            "logging",
            "metricsServer",
            "loadBalancerController",
            "fargate",
            "mesh",
            "gitops",
        ]);
        // The add-ons' AWS resources carry the environment's tags only through the platform's provider.
        const aws = resources.filter((r) => r.custom && r.type.startsWith("aws:") && platformOf(r.urn) === platform.urn);
        assert.ok(ofType(aws, "aws:eks/addon:Addon").length >= 4);
        for (const resource of aws) {
            assert.equal(resource.provider, provider.urn, `${resource.name} is not on the platform's provider`);
        }
    });
});
