import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { costSettingsSchema, DEFAULT_COST_ASSUMPTIONS } from "../components/cost/settings";
import { costOfPlan, costWithBase } from "../tools/cost";
import { estimate, withDelta } from "../tools/cost/estimate";
import { budgetFinding, costMarkdown, costSummary, money } from "../tools/cost/format";
import {
    buildPriceTables,
    excerpt,
    GeneratorInputs,
    loadInputs,
    MeteredUnitMap,
    openCapture,
    openKarpenter,
    parseKarpenterPrices,
    SERVICE_METERS,
} from "../tools/cost/generate";
import { loadPriceTable, PriceTable, pricedRegions, SERVICE_PRICE_NAMES } from "../tools/cost/prices";
import { capacityMix, classify, inExtendedSupport, nodePoolShape } from "../tools/cost/rules";
import { PlannedResource, readStack, RenderedResources, ROOT } from "../tools/harness/render";
import { runPlan } from "../tools/plan";
import { isBlocking } from "../tools/plan/document";
import { configErrorOf, planInProcess, renderNamedStack, renderStackFile, renderStackWith, withOverrides } from "./support";

/** A registration as the plan records it, for hand-built plans. */
function resource(type: string, name: string, props: Record<string, unknown>, id = ""): PlannedResource {
    return {
        urn: `urn:pulumi:test::p::${type}::${name}`,
        type,
        name,
        id,
        custom: !type.startsWith("eks:index:"),
        parent: null,
        dependsOn: [],
        provider: null,
        options: { protect: false, retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false },
        props,
    };
}

/** A price table with round, made-up prices, so the expected figures below can be checked by hand. */
function fixtureTable(): PriceTable {
    const service = (usd: number) => ({ usd, unit: "", map: "fixture", meter: "fixture", rateCode: null });
    return {
        generated: "test fixture",
        region: "eu-west-1",
        location: "EU (Ireland)",
        currency: "USD",
        generatedAt: "2026-12-01",
        sources: { ec2: { repository: "fixture", revision: null, revisionDate: null, file: "", url: "", published: null, retrieved: null }, services: {} },
        ec2OnDemandHourly: { "m6i.large": 0.1, "m5.large": 0.12 },
        services: {
            eksClusterHour: service(0.1),
            eksExtendedSupportHour: service(0.5),
            natGatewayHour: service(0.05),
            natGatewayGb: service(0.05),
            publicIpv4Hour: service(0.005),
            interfaceEndpointAzHour: service(0.01),
            interfaceEndpointGb: service(0.01),
            kmsKeyMonth: service(1),
            logsIngestionGb: service(0.5),
            logsStorageGbMonth: service(0.03),
            ebsGp3GbMonth: service(0.08),
            ebsGp3IopsMonth: service(0.005),
            ebsGp3ThroughputGibpsMonth: service(40),
            applicationLoadBalancerHour: service(0.02),
            applicationLoadBalancerLcuHour: service(0.01),
            networkLoadBalancerHour: service(0.02),
            networkLoadBalancerLcuHour: service(0.005),
            classicLoadBalancerHour: service(0.025),
            classicLoadBalancerGb: service(0.01),
        },
        missing: {},
    };
}

/** The small stack: a cluster, a NAT gateway and its address, an endpoint, one node pool, a log group, a key. */
function smallStack(maxSize = 4): PlannedResource[] {
    return [
        resource("eks:index:Cluster", "c", { version: "1.36" }),
        resource("aws:ec2/natGateway:NatGateway", "nat", {}),
        resource("aws:ec2/eip:Eip", "nat", {}),
        resource("aws:ec2/vpcEndpoint:VpcEndpoint", "sts", { vpcEndpointType: "Interface", subnetIds: ["a", "b"] }),
        resource("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", { vpcEndpointType: "Gateway" }),
        resource(
            "aws:ec2/launchTemplate:LaunchTemplate",
            "pool",
            { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3", iops: 4000, throughput: 125 } }] },
            "lt-1",
        ),
        resource("aws:autoscaling/group:Group", "pool", {
            minSize: 1,
            maxSize,
            desiredCapacity: 2,
            mixedInstancesPolicy: {
                instancesDistribution: { onDemandBaseCapacity: 1, onDemandPercentageAboveBaseCapacity: 50 },
                launchTemplate: {
                    launchTemplateSpecification: { launchTemplateId: "lt-1" },
                    overrides: [{ instanceType: "m6i.large" }, { instanceType: "m5.large" }],
                },
            },
        }),
        resource("aws:cloudwatch/logGroup:LogGroup", "logs", { retentionInDays: 30 }),
        resource("aws:kms/key:Key", "key", {}),
        resource("aws:iam/role:Role", "role", {}),
    ];
}

const ASOF = "2026-12-01";
const assumptions = { ...DEFAULT_COST_ASSUMPTIONS, hoursPerMonth: 730, spotDiscountPercent: 60, logIngestedGiBPerMonth: 100, natProcessedGiBPerMonth: 100 };

describe("cost estimate: arithmetic", () => {
    it("prices a small stack to hand-checked figures", () => {
        const cost = estimate(smallStack(), { region: "eu-west-1", prices: fixtureTable(), assumptions, asOf: ASOF });
        const monthly = Object.fromEntries(cost.byResource.map((r) => [r.name + ":" + r.type.split(":").pop(), [r.monthly, r.monthlyAtMaxSize]]));
        // Control plane: $0.10/h × 730 h = $73.00 (1.36 is in standard support until 2027-08-02).
        assert.deepEqual(monthly["c:Cluster"], [73, 73]);
        // NAT gateway: $0.05 × 730 = $36.50, plus all 100 GB processed × $0.05 = $5.00 → $41.50.
        assert.deepEqual(monthly["nat:NatGateway"], [41.5, 41.5]);
        // Its public IPv4 address: $0.005 × 730 = $3.65.
        assert.deepEqual(monthly["nat:Eip"], [3.65, 3.65]);
        // Interface endpoint in 2 AZs: 2 × $0.01 × 730 = $14.60, plus all 50 GB × $0.01 = $0.50 → $15.10. The gateway endpoint is free.
        assert.deepEqual(monthly["sts:VpcEndpoint"], [15.1, 15.1]);
        assert.equal(monthly["s3:VpcEndpoint"], undefined);
        // Node pool, desired 2: base 1 On-Demand + 50% of the 1 above = 1.5 On-Demand (first override m6i.large $0.10)
        // and 0.5 Spot at 60% off the mean On-Demand ($0.10 + $0.12)/2 = $0.11 → $0.044.
        //   instances: (1.5 × 0.10 + 0.5 × 0.044) × 730 = 0.172 × 730 = $125.56
        //   volumes: 50 GiB × $0.08 = $4.00 + 1,000 IOPS above 3,000 × $0.005 = $5.00 → $9.00 a node × 2 = $18.00
        // At max 4: 1 + 50% of 3 = 2.5 On-Demand, 1.5 Spot: (0.25 + 0.066) × 730 = $230.68; volumes 4 × $9 = $36.00.
        assert.deepEqual(monthly["pool:Group"], [143.56, 266.68]);
        // Log group, 30 days: 100 GB × $0.50 = $50.00 + 100 GB held one month × $0.03 = $3.00 → $53.00.
        assert.deepEqual(monthly["logs:LogGroup"], [53, 53]);
        assert.deepEqual(monthly["key:Key"], [1, 1]);
        // 73 + 41.50 + 3.65 + 15.10 + 143.56 + 53 + 1 = 330.81; at max, 143.56 → 266.68: 453.93.
        assert.equal(cost.total, 330.81);
        assert.equal(cost.totalAtMaxSize, 453.93);
        assert.deepEqual(cost.byCapability.nodes, { monthly: 143.56, monthlyAtMaxSize: 266.68 });
        assert.deepEqual(cost.byCapability.network, { monthly: 60.25, monthlyAtMaxSize: 60.25 });
        assert.deepEqual(cost.unpriced, []);
    });

    it("splits a pool into On-Demand base, then the percentage above it", () => {
        assert.deepEqual(capacityMix(2, 3, 100), { onDemand: 2, spot: 0 });
        assert.deepEqual(capacityMix(13, 3, 20), { onDemand: 5, spot: 8 });
        assert.deepEqual(capacityMix(0, 0, 20), { onDemand: 0, spot: 0 });
    });

    it("bills extended support once a version's standard support has ended", () => {
        assert.equal(inExtendedSupport("1.34", "2026-12-02").extended, false);
        assert.equal(inExtendedSupport("1.34", "2026-12-03").extended, true);
        assert.equal(inExtendedSupport("1.20", ASOF).extended, true);
        const cluster = [resource("eks:index:Cluster", "c", { version: "1.34" })];
        const later = estimate(cluster, { region: "eu-west-1", prices: fixtureTable(), assumptions, asOf: "2026-12-03" });
        // ($0.10 + $0.50) × 730 = $438.00
        assert.equal(later.total, 438);
        const autoUpgraded = [resource("eks:index:Cluster", "c", { version: "1.34", upgradePolicy: { supportType: "STANDARD" } })];
        assert.equal(estimate(autoUpgraded, { region: "eu-west-1", prices: fixtureTable(), assumptions, asOf: "2026-12-03" }).total, 73);
    });

    it("lists what it cannot price with the reason instead of guessing", () => {
        const table = { ...fixtureTable(), ec2OnDemandHourly: { "m6i.large": 0.1 } };
        const cost = estimate([...smallStack(), resource("aws:sagemaker/domain:Domain", "d", {})], {
            region: "eu-west-1",
            prices: table,
            assumptions,
            asOf: ASOF,
        });
        assert.deepEqual(
            cost.unpriced.map((u) => `${u.name}: ${u.reason}`),
            ["pool: no On-Demand price for m5.large in the eu-west-1 table", "d: no cost rule for this resource type"],
        );
        const noTable = estimate(smallStack(), { region: "mars-east-1", prices: undefined, assumptions, asOf: ASOF });
        assert.equal(noTable.total, 0);
        assert.match(noTable.unpriced[0].reason, /no price table for mars-east-1/);
        assert.equal(costSummary(noTable), "cost: no price table for mars-east-1 (docs/cost.md)");
    });

    it("reports a change's cost resource by resource", () => {
        const base = estimate(smallStack(4), { region: "eu-west-1", prices: fixtureTable(), assumptions, asOf: ASOF });
        const current = estimate(
            smallStack(6).filter((r) => r.type !== "aws:kms/key:Key"),
            { region: "eu-west-1", prices: fixtureTable(), assumptions, asOf: ASOF },
        );
        const changed = withDelta(current, base);
        // Two more nodes at max, each above the base: 50% On-Demand ($0.10) + 50% Spot ($0.044) = $0.072/h × 730 = $52.56,
        // plus $9.00 of volume → 2 × $61.56 = $123.12; the key's $1.00 goes.
        assert.equal(changed.delta, -1);
        assert.equal(changed.deltaAtMaxSize, 122.12);
        assert.deepEqual(
            changed.deltaByResource.map((c) => [c.name, c.change, c.monthly, c.monthlyAtMaxSize]),
            [
                ["pool", "changed", 0, 123.12],
                ["key", "removed", -1, -1],
            ],
        );
    });

    it("raises a budget finding above the budget, at the enforcement the stack sets", () => {
        const cost = estimate(smallStack(), { region: "eu-west-1", prices: fixtureTable(), assumptions, asOf: ASOF });
        assert.equal(budgetFinding(cost, { monthlyUsd: 400, basis: "desired", enforcement: "mandatory" }), undefined);
        const over = budgetFinding(cost, { monthlyUsd: 400, basis: "maxSize", enforcement: "mandatory" });
        assert.equal(over?.enforcementLevel, "mandatory");
        assert.match(
            over?.message ?? "",
            /estimated \$453\.93\/month with every node pool at its maximum size exceeds the budget of \$400\.00\/month .* by \$53\.93/,
        );
        assert.equal(budgetFinding(cost, { monthlyUsd: 300, basis: "desired", enforcement: "advisory" })?.enforcementLevel, "advisory");
        assert.equal(budgetFinding(cost, undefined), undefined);
    });

    it("validates cost settings and names the setting in the error", async () => {
        assert.deepEqual(costSettingsSchema.parse(undefined).assumptions, DEFAULT_COST_ASSUMPTIONS);
        const message = await configErrorOf("dev", { "eks-platform:cost": { assumptions: { spotDiscountPercent: 120 }, budget: { monthlyUsd: -5 } } });
        assert.match(message, /cost\.assumptions\.spotDiscountPercent = 120/);
        assert.match(message, /cost\.budget\.monthlyUsd = -5/);
    });

    it("formats money and the PR table", () => {
        assert.equal(money(1234.5), "$1,234.50");
        assert.equal(money(-3, true), "−$3.00");
        assert.equal(money(3, true), "+$3.00");
        const markdown = costMarkdown(estimate(smallStack(), { region: "eu-west-1", prices: fixtureTable(), assumptions, asOf: ASOF }));
        assert.match(markdown, /\| nodes \| \$143\.56 \| \$266\.68 \|/);
        assert.match(markdown, /\| \*\*total\*\* \| \*\*\$330\.81\*\* \| \*\*\$453\.93\*\* \|/);
        assert.match(markdown, /Spot at 60% off On-Demand/);
    });
});

/** One Kubernetes object as the plan records it. */
function kubernetes(type: string, name: string, body: { annotations?: Record<string, string>; spec?: Record<string, unknown> }): PlannedResource {
    return resource(`kubernetes:${type}`, name, { metadata: { name, annotations: body.annotations ?? {} }, spec: body.spec ?? {} });
}

describe("cost estimate: node volumes, Lustre and load balancers", () => {
    const estimateOf = (resources: PlannedResource[], prices = fixtureTable()) => estimate(resources, { region: "eu-west-1", prices, assumptions, asOf: ASOF });
    const byName = (resources: PlannedResource[], prices = fixtureTable()) =>
        Object.fromEntries(estimateOf(resources, prices).byResource.map((r) => [r.name, [r.monthly, r.monthlyAtMaxSize]]));

    it("prices a gp3 root volume per node, with IOPS and throughput above the included", () => {
        const pool = [
            resource(
                "aws:ec2/launchTemplate:LaunchTemplate",
                "pool",
                { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 100, volumeType: "gp3", iops: 6000, throughput: 250 } }] },
                "lt-1",
            ),
            resource("aws:autoscaling/group:Group", "pool", {
                minSize: 2,
                maxSize: 3,
                desiredCapacity: 2,
                launchTemplate: { id: "lt-1" },
            }),
        ];
        pool[0].props.instanceType = "m6i.large";
        const cost = estimateOf(pool);
        // A volume: 100 GiB × $0.08 = $8.00 + 3,000 IOPS above 3,000 × $0.005 = $15.00 + 125 MiB/s above 125 × $40 ÷ 1,024 = $4.8828125 → $27.8828125.
        // Instances, all On-Demand m6i.large $0.10: 2 × $0.10 × 730 = $146.00 (max 3: $219.00).
        // Volumes: 2 × $27.8828125 = $55.765625 (max 3: $83.6484375) → $201.77 at desired size, $302.65 at max.
        assert.deepEqual(byName(pool).pool, [201.77, 302.65]);
        const basis = cost.byResource[0].basis.join("; ");
        assert.ok(
            basis.includes(
                "2 (max 3) volume(s) × (100 GiB gp3 × $0.08/GB-month + 3000 IOPS above 3,000 × $0.005/IOPS-month + 125 MiB/s above 125 × $40/GiB/s-month ÷ 1,024)",
            ),
            basis,
        );
    });

    it("prices each kind of load balancer: hour plus capacity units, or hour plus GB for a Classic one", () => {
        const balancers = [
            resource("aws:lb/loadBalancer:LoadBalancer", "alb", {}),
            resource("aws:lb/loadBalancer:LoadBalancer", "nlb", { loadBalancerType: "network" }),
            resource("aws:elb/loadBalancer:LoadBalancer", "clb", {}),
        ];
        // ALB: ($0.02 + 1 LCU × $0.01) × 730 = $21.90; NLB: ($0.02 + 1 NLCU × $0.005) × 730 = $18.25;
        // Classic: $0.025 × 730 + 100 GB × $0.01 = $18.25 + $1.00 = $19.25.
        assert.deepEqual(byName(balancers), { alb: [21.9, 21.9], nlb: [18.25, 18.25], clb: [19.25, 19.25] });
        const busier = estimate(balancers.slice(0, 1), {
            region: "eu-west-1",
            prices: fixtureTable(),
            assumptions: { ...assumptions, loadBalancerCapacityUnits: 3 },
            asOf: ASOF,
        });
        // ($0.02 + 3 × $0.01) × 730 = $36.50
        assert.equal(busier.total, 36.5);
    });

    it("prices one ALB in eu-west-1 from AWS's published prices", () => {
        const table = loadPriceTable("eu-west-1")!;
        // AWS's ELB map (published 2025-06-05) for EU (Ireland): $0.0252 an ALB-hour, $0.008 an LCU-hour.
        assert.equal(table.services.applicationLoadBalancerHour?.usd, 0.0252);
        assert.equal(table.services.applicationLoadBalancerLcuHour?.usd, 0.008);
        // ($0.0252 + 1 LCU × $0.008) × 730 h = $24.236 → $24.24
        const cost = estimateOf([resource("aws:lb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application" })], table);
        assert.equal(cost.total, 24.24);
        assert.deepEqual(cost.byCapability.network, { monthly: 24.24, monthlyAtMaxSize: 24.24 });
        assert.equal(cost.byResource[0].basis[0], "Application Load Balancer ($0.0252/h + 1 LCU × $0.008/LCU-hour) × 730 h (loadBalancerType application)");
    });

    it("prices the load balancers Kubernetes objects make, from what would make them", () => {
        const service = (name: string, spec: Record<string, unknown> = {}, annotations?: Record<string, string>) =>
            kubernetes("core/v1:Service", name, { annotations, spec: { type: "LoadBalancer", ...spec } });
        const services = [
            service("in-tree"),
            service("annotated", {}, { "service.beta.kubernetes.io/aws-load-balancer-type": "external" }),
            service("classed", { loadBalancerClass: "service.k8s.aws/nlb" }),
            service("other", { loadBalancerClass: "example.com/lb" }),
            kubernetes("core/v1:Service", "cluster-ip", { spec: { type: "ClusterIP" } }),
        ];
        // The in-tree provider makes a Classic Load Balancer ($19.25); the controller's annotation or class, an NLB ($18.25).
        assert.deepEqual(byName(services), { "in-tree": [19.25, 19.25], annotated: [18.25, 18.25], classed: [18.25, 18.25] });
        assert.deepEqual(
            estimateOf(services).unpriced.map((u) => `${u.name}: ${u.reason}`),
            ["other: loadBalancerClass example.com/lb is not an AWS load balancer class"],
        );
        // With the AWS Load Balancer Controller installed, its webhook makes every such Service an NLB, unless switched off.
        const controller = (values: Record<string, unknown>) =>
            resource("kubernetes:helm.sh/v4:Chart", "lbc", { chart: "oci://public.ecr.aws/eks/aws-load-balancer-controller", values });
        assert.deepEqual(byName([controller({}), service("in-tree")]), { "in-tree": [18.25, 18.25] });
        assert.deepEqual(byName([controller({ enableServiceMutatorWebhook: false }), service("in-tree")]), { "in-tree": [19.25, 19.25] });
    });

    it("prices one ALB per IngressGroup and one load balancer per Gateway of the controller's classes", () => {
        const ingress = (name: string, className: string, group?: string) =>
            kubernetes("networking.k8s.io/v1:Ingress", name, {
                annotations: group ? { "alb.ingress.kubernetes.io/group.name": group } : {},
                spec: { ingressClassName: className },
            });
        const objects = [
            kubernetes("networking.k8s.io/v1:IngressClass", "alb", { spec: { controller: "ingress.k8s.aws/alb" } }),
            kubernetes("networking.k8s.io/v1:IngressClass", "nginx", { spec: { controller: "k8s.io/ingress-nginx" } }),
            ingress("shop", "alb", "public"),
            ingress("blog", "alb", "public"),
            ingress("admin", "alb"),
            ingress("legacy", "nginx"),
            kubernetes("gateway.networking.k8s.io/v1:GatewayClass", "aws-nlb", { spec: { controllerName: "gateway.k8s.aws/nlb" } }),
            kubernetes("gateway.networking.k8s.io/v1:GatewayClass", "lattice", {
                spec: { controllerName: "application-networking.k8s.aws/gateway-api-controller" },
            }),
            kubernetes("gateway.networking.k8s.io/v1:Gateway", "tcp", { spec: { gatewayClassName: "aws-nlb" } }),
            kubernetes("gateway.networking.k8s.io/v1:Gateway", "mesh", { spec: { gatewayClassName: "lattice" } }),
        ];
        // Group "public" is one ALB ($21.90) on its first Ingress, "blog" shares it; "admin" is its own ALB; nginx's
        // Ingress makes none; the NLB Gateway is one NLB ($18.25); the VPC Lattice Gateway is priced by its routes.
        assert.deepEqual(byName(objects), { shop: [21.9, 21.9], blog: [0, 0], admin: [21.9, 21.9], tcp: [18.25, 18.25] });
        assert.match(
            estimateOf(objects).byResource.find((r) => r.name === "blog")!.basis[0],
            /shares the Application Load Balancer of IngressGroup public, priced with shop/,
        );
        assert.equal(estimateOf(objects).total, 62.05);
        // With no IngressClass in the plan: the class the controller's chart creates is an ALB; any other is unknown, not free.
        const chart = resource("kubernetes:helm.sh/v4:Chart", "lbc", { chart: "aws-load-balancer-controller", values: {} });
        const withoutClasses = [chart, ingress("web", "alb"), ingress("other", "traefik")];
        assert.deepEqual(byName(withoutClasses), { web: [21.9, 21.9] });
        assert.deepEqual(
            estimateOf(withoutClasses).unpriced.map((u) => `${u.name}: ${u.reason}`),
            ["other: its IngressClass traefik is not in the plan, so whether an ALB serves it is unknown"],
        );
        // A class whose IngressClassParams name a group puts all its Ingresses on one ALB.
        const grouped = [
            kubernetes("networking.k8s.io/v1:IngressClass", "shared", {
                spec: { controller: "ingress.k8s.aws/alb", parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: "shared" } },
            }),
            kubernetes("elbv2.k8s.aws/v1beta1:IngressClassParams", "shared", { spec: { group: { name: "all" } } }),
            ingress("a", "shared"),
            ingress("b", "shared"),
        ];
        assert.deepEqual(byName(grouped), { a: [21.9, 21.9], b: [0, 0] });
    });

    it("lists prod's node volumes and its PERSISTENT_2 Lustre file system as unpriced, with why", async () => {
        const prod = await renderNamedStack("prod");
        const cost = costOfPlan(prod.resources, "eu-west-1", prod.program.config.cost, ASOF);
        const table = loadPriceTable("eu-west-1")!;
        const unpriced = cost.unpriced.map((u) => [u.type, u.what, u.reason]);
        assert.deepEqual(unpriced, [
            ["aws:autoscaling/group:Group", "50 GiB gp3 volume per node", table.missing.ebsGp3GbMonth],
            ["aws:autoscaling/group:Group", "50 GiB gp3 volume per node", table.missing.ebsGp3GbMonth],
            ["aws:fsx/lustreFileSystem:LustreFileSystem", "FSx for Lustre 2400 GiB PERSISTENT_2 at 250 MB/s/TiB", table.missing.fsxLustre],
        ]);
        assert.match(table.missing.ebsGp3GbMonth, /ebs\.json\) is in none of the copies read \(lamngockhuong\/aws-price, QuinnyPig\/aws-price-watcher\)/);
        assert.match(table.missing.fsxLustre, /opaque hash/);
    });
});

describe("cost estimate: rendered stacks", () => {
    // examples/insecure is another project, rendered in its own process: test/insecure-example.test.ts checks its cost.
    const renders: RenderedResources[] = [];
    before(async () => {
        // One at a time: the mock runtime is process-wide.
        for (const stack of ["dev", "staging", "prod"]) {
            renders.push(await renderNamedStack(stack));
        }
        renders.push(await renderStackFile(path.join(ROOT, "examples", "Pulumi.appmesh-demo.yaml")));
    });

    it("prices or lists as free, with a reason, every resource type of every stack and the App Mesh example", () => {
        for (const rendered of renders) {
            const unknown = [...new Set(rendered.resources.map((r) => r.type))].filter((type) => classify(type).kind === "unknown");
            assert.deepEqual(unknown, [], `${rendered.stack}: resource types with no cost rule and no free reason`);
            const cost = costOfPlan(rendered.resources, "eu-west-1", undefined, ASOF);
            assert.deepEqual(
                cost.unpriced.filter((u) => u.reason === "no cost rule for this resource type" || u.reason.startsWith("no On-Demand price")),
                [],
                `${rendered.stack}: unpriced`,
            );
        }
    });

    it("has an On-Demand price for every instance type a rendered node pool lists, in its region", () => {
        for (const rendered of renders) {
            const byId = new Map(rendered.resources.map((r) => [r.id, r]));
            const table = loadPriceTable("eu-west-1")!;
            for (const group of rendered.resources.filter((r) => r.type === "aws:autoscaling/group:Group")) {
                const missing = nodePoolShape(group, byId).instanceTypes.filter((t) => table.ec2OnDemandHourly[t] === undefined);
                assert.deepEqual(missing, [], `${rendered.stack} ${group.name}`);
            }
        }
    });

    it("adds up: the total is the sum of the resources and of the capabilities", async () => {
        const prod = await renderNamedStack("prod");
        const cost = costOfPlan(prod.resources, prod.program.config.region, prod.program.config.cost, ASOF);
        const sum = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100;
        assert.ok(Math.abs(cost.total - sum(cost.byResource.map((r) => r.monthly))) < 0.05);
        assert.ok(Math.abs(cost.total - sum(Object.values(cost.byCapability).map((c) => c.monthly))) < 0.01);
        // Three NAT gateways, per AZ, each with its address; a year of logs; Lattice for the mesh.
        assert.equal(cost.byResource.filter((r) => r.type === "aws:ec2/natGateway:NatGateway").length, 3);
        assert.ok(cost.byCapability.mesh.monthly > 0 && cost.byCapability.logging.monthly > 0 && cost.byCapability.storage.monthly > 0);
        assert.ok(cost.totalAtMaxSize > cost.total);
    });

    it("prices a maxSize change at exactly the added nodes", async () => {
        const dev = await renderNamedStack("dev");
        const compute = readStack("dev").config["eks-platform:compute"] as { nodePools: Record<string, unknown>[] };
        const pools = compute.nodePools.map((p) => ({ ...p, maxSize: (p.maxSize as number) + 3 }));
        const changed = await renderStackWith("dev", { "eks-platform:compute": { ...compute, nodePools: pools } });
        const cost = costWithBase(costOfPlan(changed.resources, "eu-west-1", changed.program.config.cost, ASOF), dev.resources);
        const table = loadPriceTable("eu-west-1")!;
        const group = changed.resources.find((r) => r.type === "aws:autoscaling/group:Group")!;
        const shape = nodePoolShape(group, new Map(changed.resources.map((r) => [r.id, r])));
        const prices = shape.instanceTypes.map((t) => table.ec2OnDemandHourly[t]);
        const spot = (prices.reduce((a, b) => a + b, 0) / prices.length) * (1 - DEFAULT_COST_ASSUMPTIONS.spotDiscountPercent / 100);
        // Nodes above the base split by the pool's On-Demand percentage; each costs that blend for the month.
        const perNode =
            ((shape.onDemandPercentAbove / 100) * prices[0] + (1 - shape.onDemandPercentAbove / 100) * spot) * DEFAULT_COST_ASSUMPTIONS.hoursPerMonth;
        assert.equal(cost.delta, 0);
        assert.equal(cost.deltaAtMaxSize, Math.round(3 * perNode * 100) / 100);
        assert.deepEqual(
            cost.deltaByResource.map((c) => c.type),
            ["aws:autoscaling/group:Group"],
        );
    });
});

describe("cost in the plan command", () => {
    it("fails the plan when a mandatory budget is exceeded", async () => {
        const source = withOverrides(readStack("dev"), { "eks-platform:cost": { budget: { monthlyUsd: 100, enforcement: "mandatory" } } });
        const [document] = (await runPlan([source])).documents;
        const finding = document.violations.find((v) => v.policy === "cost-within-budget");
        assert.equal(finding?.enforcementLevel, "mandatory");
        assert.match(finding?.message ?? "", /exceeds the budget of \$100\.00\/month \(cost\.budget\.monthlyUsd\)/);
        assert.equal(isBlocking(document), true);
    });

    it("prints the estimate and, with --base, the change and the resources behind it in JSON and markdown", async () => {
        const dev = await renderNamedStack("dev");
        // The base plan: dev with a node pool two nodes smaller at its maximum.
        const base = {
            stack: "dev",
            project: dev.project,
            violations: [],
            schemaFindings: [],
            resources: dev.resources.map((r) =>
                r.type === "aws:autoscaling/group:Group" ? { ...r, props: { ...r.props, maxSize: (r.props.maxSize as number) - 2 } } : r,
            ),
        };
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-plan-"));
        fs.writeFileSync(path.join(dir, "base.json"), JSON.stringify(base));
        const args = ["--stack", "dev", "--base", path.join(dir, "base.json"), "--json", path.join(dir, "dev.json"), "--markdown", path.join(dir, "dev.md")];
        const result = await planInProcess(...args);
        assert.equal(result.status, 0, result.stderr + result.stdout);
        const cost = (JSON.parse(fs.readFileSync(path.join(dir, "dev.json"), "utf8")) as { cost: import("../tools/cost").CostEstimate }).cost;
        assert.deepEqual(Object.keys(cost).sort(), [
            "assumptions",
            "byCapability",
            "byResource",
            "currency",
            "delta",
            "deltaAtMaxSize",
            "deltaByResource",
            "prices",
            "region",
            "total",
            "totalAtMaxSize",
            "unpriced",
        ]);
        assert.equal(cost.delta, 0);
        assert.ok(cost.deltaAtMaxSize! > 0);
        assert.deepEqual(
            cost.deltaByResource.map((c) => [c.type, c.change, c.monthlyAtMaxSize]),
            [["aws:autoscaling/group:Group", "changed", cost.deltaAtMaxSize]],
        );
        assert.ok(
            result.stdout.includes(`≈ ${money(cost.total)}/month (desired) · up to ${money(cost.totalAtMaxSize)} at max size · change +$0.00/month`),
            result.stdout,
        );
        const markdown = fs.readFileSync(path.join(dir, "dev.md"), "utf8");
        assert.match(markdown, /\| capability \| monthly \(desired\) \| monthly \(max size\) \|/);
        assert.match(result.stdout, /^ {2}\[cost\] assumed: 730 h\/month · Spot at 60% off On-Demand · .* · data transfer and request charges excluded$/m);
        assert.ok(markdown.includes(`**Cost of this change:** +$0.00/month at desired size, ${money(cost.deltaAtMaxSize!, true)}/month at max size.`));
    });
});

describe("price tables", () => {
    it("record their sources and say why any price is missing", () => {
        assert.deepEqual(pricedRegions(), ["eu-west-1", "us-east-1"]);
        for (const region of pricedRegions()) {
            const table = loadPriceTable(region)!;
            assert.equal(table.region, region);
            assert.ok(Object.keys(table.ec2OnDemandHourly).length > 500, `${region}: instance types`);
            assert.match(table.sources.ec2.revision ?? "", /^[0-9a-f]{40}$/);
            for (const name of SERVICE_PRICE_NAMES) {
                assert.ok(table.services[name] !== undefined || table.missing[name], `${region}: ${name} neither priced nor explained`);
            }
            for (const source of Object.values(table.sources.services)) {
                assert.match(source.url, /^https:\/\/b0\.p\.awsstatic\.com\/pricing\/2\.0\/meteredUnitMaps\//);
                assert.ok(source.published, `${source.file} publication date`);
            }
        }
    });

    it("are what the generator makes of the committed sample, deterministically", () => {
        const sample = path.join(ROOT, "tools", "cost", "sample");
        const load = () =>
            loadInputs(
                ["eu-west-1", "us-east-1"],
                [
                    openCapture(`lamngockhuong/aws-price=${path.join(sample, "lamngockhuong+aws-price")}`),
                    openCapture(`QuinnyPig/aws-price-watcher=${path.join(sample, "QuinnyPig+aws-price-watcher")}`),
                ],
                openKarpenter(path.join(sample, "aws+karpenter-provider-aws")),
                "2026-12-01",
            );
        const first = load();
        const generated = buildPriceTables(first.inputs);
        assert.equal(JSON.stringify(generated), JSON.stringify(buildPriceTables(load().inputs)));
        for (const table of generated.tables) {
            const committed = loadPriceTable(table.region)!;
            // Every service price and every source, to the commit and publication date, as committed.
            assert.deepEqual(table.services, committed.services, `${table.region}: services`);
            assert.deepEqual(table.sources, committed.sources, `${table.region}: sources`);
            assert.deepEqual(table.missing, committed.missing, `${table.region}: missing`);
            for (const [type, price] of Object.entries(table.ec2OnDemandHourly)) {
                assert.equal(committed.ec2OnDemandHourly[type], price, `${table.region} ${type}`);
            }
        }
        // The sample is an excerpt of itself: nothing in it was edited by hand.
        const types = [...new Set(Object.values(first.inputs.ec2FromMaps!.prices).flatMap((p) => Object.keys(p)))];
        for (const file of first.read) {
            const onDisk = path.join(sample, file.reader.repository.replace("/", "+"), file.file);
            assert.equal(excerpt(file, first.inputs.regions, first.inputs.locationNames, types), fs.readFileSync(onDisk, "utf8"), onDisk);
        }
    });

    it("name the copy a --capture reads, and refuse one that says it is of another repository", () => {
        assert.throws(() => openCapture("/tmp"), /--capture \/tmp: give <owner\/name>=<dir>/);
        const sample = path.join(ROOT, "tools", "cost", "sample", "lamngockhuong+aws-price");
        assert.throws(() => openCapture(`someone/else=${sample}`), /says it is a copy of lamngockhuong\/aws-price, not of someone\/else/);
    });

    it("are generated deterministically from the maps' meters, recording what is missing", () => {
        const map = (regions: MeteredUnitMap["regions"]): { data: MeteredUnitMap; source: GeneratorInputs["maps"][string]["source"] } => ({
            data: { manifest: { hawkFilePublicationDate: "2026-01-01T00:00:00Z" }, regions },
            source: { repository: "r", revision: "0".repeat(40), revisionDate: null, file: "f", url: "u", published: "2026-01-01", retrieved: null },
        });
        const inputs: GeneratorInputs = {
            regions: ["eu-west-1"],
            generatedAt: "2026-12-01",
            locationNames: { "eu-west-1": "EU (Ireland)" },
            captures: ["r"],
            maps: {
                eks: map({ "EU (Ireland)": { [SERVICE_METERS.eksClusterHour.meter]: { price: "0.1000000000", rateCode: "A.B.C" } } }),
                natgateway: map({ "US East (N. Virginia)": { [SERVICE_METERS.natGatewayHour.meter]: { price: "0.045" } } }),
            },
            ec2FromMaps: { prices: { "eu-west-1": { "m5.large": 0.107, "m5.metal": 5 } }, source: map({}).source },
            ec2FromKarpenter: {
                prices: parseKarpenterPrices(
                    'var X = map[string]map[T]float64{\n\t"eu-west-1": {\n\t\t// m5 family\n\t\t"m5.large": 0.107000, "m5.metal": 5.5,\n\t},\n}',
                ),
                source: map({}).source,
            },
        };
        const first = buildPriceTables(inputs);
        assert.equal(JSON.stringify(first), JSON.stringify(buildPriceTables(inputs)));
        const [table] = first.tables;
        assert.deepEqual(table.ec2OnDemandHourly, { "m5.large": 0.107, "m5.metal": 5.5 });
        assert.deepEqual(first.disagreements, [{ region: "eu-west-1", instanceType: "m5.metal", karpenter: 5.5, maps: 5 }]);
        assert.deepEqual(table.services.eksClusterHour, {
            usd: 0.1,
            unit: SERVICE_METERS.eksClusterHour.unit,
            map: "eks",
            meter: "Compute per hours",
            rateCode: "A.B.C",
        });
        assert.match(table.missing.natGatewayHour, /has no "Hourly charge for NAT Gateways" meter for EU \(Ireland\)/);
        assert.match(table.missing.kmsKeyMonth, /AWS's kms price map \(https:\/\/b0\.p\.awsstatic\.com\/.*\/kms\.json\) is in none of the copies read \(r\)/);
        assert.throws(() => buildPriceTables({ ...inputs, regions: ["xx-nowhere-1"] }), /xx-nowhere-1: AWS's locations.json has no such region/);
    });
});
