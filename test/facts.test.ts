import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { instanceTypeFactsFrom } from "../components/compute/instanceTypeFacts";
import { INSTANCE_TYPE_TABLE_FILE, instanceTypeTable, maxNetworkInterfaces, shapeOf } from "../policy-pack/lib/instance-types";
import { evaluate } from "../policy-pack/evaluate";
import {
    buildInstanceTypeTable,
    buildRegionTable,
    EXCERPT_TYPES,
    parseCniLimits,
    parseKarpenterInstanceTypes,
    regionCode,
    serializeTable,
    SourceFormatError,
} from "../tools/facts/transform";
import { describeInstanceType, offlineInstanceTypeFacts, REGION_TABLE_FILE, regionTable } from "../tools/harness/awsFacts";
import { buildEndpointServiceTable } from "../tools/facts/endpoints";
import { endpointServiceTable } from "../components/network/endpointServices";
import { PlatformMocks } from "../tools/harness/mocks";
import { ROOT } from "../tools/harness/render";
import { maxPodsIn, oneOfType, planInProcess, renderStackWith } from "./support";

const FIXTURES = path.join(__dirname, "fixtures", "facts");
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), "utf8");

// Verbatim excerpts of the sources at the commits the committed tables record (see their headers).
const cniExcerpt = fixture("vpc_ip_resource_limit.excerpt.go");
const karpenterExcerpt = fixture("instance-types.excerpt.md");
const partitionsExcerpt = fixture("partitions.excerpt.json");
const endpointsExcerpt = fixture("endpoints.excerpt.json");

describe("offline facts: the generator's transformation", () => {
    const committed = instanceTypeTable();
    const fromExcerpts = () => buildInstanceTypeTable(parseCniLimits(cniExcerpt), parseKarpenterInstanceTypes(karpenterExcerpt), committed.sources);

    it("reproduces the committed rows of every type in the source excerpts, byte for byte on each run", () => {
        const table = fromExcerpts();
        assert.equal(serializeTable(table, "instanceTypes"), serializeTable(fromExcerpts(), "instanceTypes"));
        const sampled = Object.keys(table.instanceTypes);
        assert.deepEqual(
            sampled,
            EXCERPT_TYPES.filter((type) => type !== "mac2.metal"),
        );
        for (const type of sampled) {
            assert.deepEqual(table.instanceTypes[type], committed.instanceTypes[type], type);
        }
    });

    it("keeps its excerpts from the very commits the committed tables record", () => {
        assert.ok(cniExcerpt.includes(` at ${committed.sources.network.commit} `), "regenerate the excerpts with the tables");
        assert.ok(karpenterExcerpt.includes(` at ${committed.sources.shape.commit} `), "regenerate the excerpts with the tables");
    });

    it("lists a type only one source describes as incomplete instead of guessing its missing facts", () => {
        const table = fromExcerpts();
        assert.equal(table.instanceTypes["mac2.metal"], undefined);
        assert.match(table.incomplete["mac2.metal"], /no vCPU, memory, architecture or GPU data/);
        assert.equal(committed.incomplete["mac2.metal"], table.incomplete["mac2.metal"]);
    });

    it("reproduces the committed region table from the aws partition of botocore", () => {
        const committedText = fs.readFileSync(REGION_TABLE_FILE, "utf8");
        assert.equal(serializeTable(buildRegionTable(partitionsExcerpt, regionTable().sources.regions), "regions"), committedText);
    });

    it("reproduces the committed endpoint-service rows from botocore's endpoint data, aliases included", () => {
        const committedTable = endpointServiceTable();
        const table = buildEndpointServiceTable(endpointsExcerpt, committedTable.sources.endpoints);
        assert.deepEqual(Object.keys(table.services).sort(), [
            "api.ecr",
            "appmesh",
            "appmesh-envoy-management",
            "ec2messages",
            "ecr.api",
            "ecr.dkr",
            "eks-auth",
            "s3",
            "sqs",
            "ssm",
            "ssmmessages",
            "sts",
            "vpc-lattice",
        ]);
        for (const [service, regions] of Object.entries(table.services)) {
            assert.deepEqual(regions, committedTable.services[service], service);
        }
        // Pseudo-regions (fips-, dkr-, aws-global) are endpoints, not places.
        assert.ok(table.services["api.ecr"].every((region) => regionTable().regions[region]));
        assert.equal(table.services["ssmmessages"], table.services["ssm"]);
        assert.ok(!table.services["vpc-lattice"].includes("ap-east-2"), "a service botocore lists in fewer regions keeps its own list");
        assert.throws(() => buildEndpointServiceTable('{"partitions":[]}', committedTable.sources.endpoints), SourceFormatError);
    });

    it("refuses a source whose format changed instead of writing a partial table", () => {
        assert.throws(() => parseCniLimits(cniExcerpt.replace(/IPv4Limit:/, "IPv4Max:")), SourceFormatError);
        assert.throws(() => parseKarpenterInstanceTypes("# nothing here\n"), SourceFormatError);
        const noCpu = karpenterExcerpt.replace("|karpenter.k8s.aws/instance-cpu|128|", "|karpenter.k8s.aws/instance-cpu||");
        assert.throws(() => buildInstanceTypeTable(parseCniLimits(cniExcerpt), parseKarpenterInstanceTypes(noCpu), committed.sources), /instance-cpu = ""/);
    });

    it("derives zone IDs from AWS's short region codes", () => {
        assert.deepEqual(["us-east-1", "ap-southeast-2", "ap-northeast-1", "eu-central-2", "il-central-1", "ca-west-1"].map(regionCode), [
            "use1",
            "apse2",
            "apne1",
            "euc2",
            "ilc1",
            "caw1",
        ]);
    });
});

describe("offline facts: the committed tables", () => {
    const { instanceTypes, sources } = instanceTypeTable();

    it("record where every fact comes from: repository, file, commit and date", () => {
        for (const source of [sources.network, sources.shape, regionTable().sources.regions]) {
            assert.match(source.repository, /^https:\/\/github\.com\/[\w-]+\/[\w.-]+$/);
            assert.match(source.commit, /^[0-9a-f]{40}$/);
            assert.ok(!Number.isNaN(Date.parse(source.date)), source.date);
            assert.ok(source.path && source.facts);
        }
        assert.match(fs.readFileSync(INSTANCE_TYPE_TABLE_FILE, "utf8"), /^\{\n {2}"generated": "Generated by tools\/facts\/generate\.ts/);
    });

    it("know the current families the platform uses and every commercial region", () => {
        assert.ok(Object.keys(instanceTypes).length > 1000);
        for (const type of ["m5.large", "m7i.2xlarge", "m8g.xlarge", "c7g.4xlarge", "r7a.large", "g5.xlarge", "p5.48xlarge", "t3.medium"]) {
            assert.ok(instanceTypes[type], type);
        }
        const regions = Object.keys(regionTable().regions);
        assert.equal(regions.length, 34);
        assert.ok(!regions.includes("aws-global") && !regions.some((region) => /^(us-gov|cn)-/.test(region)));
    });

    it("agree with EC2's figures where the platform's arithmetic depends on them", () => {
        // m5.large: 3 ENIs x 10 IPv4 (maxPods 20 under custom networking); p4d: 4 cards of 15 ENIs, the CNI uses one.
        assert.deepEqual(offlineInstanceTypeFacts("m5.large"), {
            vcpus: 2,
            memoryMiB: 8192,
            maxNetworkInterfaces: 3,
            ipv4PerInterface: 10,
            architectures: ["x86_64"],
            networkCards: 1,
            hypervisor: "nitro",
            bareMetal: false,
            prefixDelegationSupported: true,
            gpus: [],
        });
        const p4d = offlineInstanceTypeFacts("p4d.24xlarge")!;
        assert.deepEqual([p4d.maxNetworkInterfaces, p4d.networkCards, describeInstanceType("p4d.24xlarge")!.maximumNetworkInterfaces], [15, 4, 60]);
        assert.deepEqual(p4d.gpus, [{ count: 8, manufacturer: "nvidia", name: "a100", memoryMiB: 40960 }]);
        assert.deepEqual(
            ["m5.metal", "t2.micro"].map((type) => offlineInstanceTypeFacts(type)!).map((f) => [f.hypervisor, f.bareMetal, f.prefixDelegationSupported]),
            [
                ["", true, true],
                ["xen", false, false],
            ],
        );
        assert.equal(maxNetworkInterfaces(instanceTypes["c6in.32xlarge"]), 8);
    });

    it("give the program the same facts offline as EC2's answer does at pulumi up", () => {
        // DescribeInstanceTypes spells GPU makers and models as AWS brands them; the table as Karpenter labels them.
        const offline = describeInstanceType("g5.xlarge")!;
        const real = { ...offline, gpuses: offline.gpuses.map((gpu) => ({ ...gpu, manufacturer: "NVIDIA", name: "A10G" })) };
        assert.deepEqual(instanceTypeFactsFrom(real), offlineInstanceTypeFacts("g5.xlarge"));
    });

    it("answer the mocked invokes for every region and every instance type", () => {
        for (const [region, record] of Object.entries(regionTable().regions)) {
            const zones = new PlatformMocks(region).call({
                token: "aws:index/getAvailabilityZones:getAvailabilityZones",
                inputs: {},
            });
            assert.deepEqual(zones.names, record.availabilityZones);
            assert.ok(record.availabilityZones.length >= 2 && record.availabilityZones.every((zone) => zone.startsWith(region)), region);
        }
        const mocks = new PlatformMocks("eu-west-1");
        for (const type of Object.keys(instanceTypes)) {
            const answer = mocks.call({ token: "aws:ec2/getInstanceType:getInstanceType", inputs: { instanceType: type } });
            const facts = instanceTypeFactsFrom(answer as unknown as Parameters<typeof instanceTypeFactsFrom>[0]);
            assert.ok(facts.vcpus > 0 && facts.memoryMiB > 0 && facts.maxNetworkInterfaces > 0 && facts.ipv4PerInterface > 0, type);
            assert.ok(["x86_64", "arm64"].includes(facts.architectures[0]) && ["nitro", "xen", ""].includes(facts.hypervisor), type);
            assert.deepEqual(shapeOf(type), { vcpus: facts.vcpus, memoryGiB: facts.memoryMiB / 1024 });
        }
        assert.throws(
            () => mocks.call({ token: "aws:ec2/getInstanceType:getInstanceType", inputs: { instanceType: "m6i.huge" } }),
            (error: Error) => /the offline plan has no data for instance type m6i\.huge/.test(error.message) && !/InvalidInstanceType/.test(error.message),
        );
    });
});

describe("offline facts: stacks that use them", () => {
    it("plans a Graviton Spot pool of several arm64 types of one shape, guardrails included", async () => {
        const types = ["m6g.2xlarge", "m7g.2xlarge", "m8g.2xlarge", "m7gd.2xlarge"];
        const families = ["m6g", "m7g", "m8g", "m7gd"];
        const { resources, program } = await renderStackWith("dev", {
            "eks-platform:compute": {
                allowedInstanceFamilies: families,
                nodePools: [{ name: "graviton-spot", instanceTypes: types, architecture: "arm64", minSize: 1, maxSize: 8, desiredSize: 2 }],
            },
        });
        assert.deepEqual(Object.keys(program.config.instanceTypes).sort(), [...types].sort());
        const group = oneOfType(resources, "aws:autoscaling/group:Group", "graviton-spot");
        const mixed = group.props.mixedInstancesPolicy as {
            launchTemplate: { overrides: { instanceType: string }[] };
            instancesDistribution: { onDemandPercentageAboveBaseCapacity: number };
        };
        assert.deepEqual(mixed.launchTemplate.overrides.map((o) => o.instanceType).sort(), [...types].sort());
        assert.equal(mixed.instancesDistribution.onDemandPercentageAboveBaseCapacity, 0);
        // 8 vCPU and 4 ENIs x 15 IPv4 on each type: prefix delegation (the default) could address
        // (4-1) x (15-1) x 16 + 2 pods under custom networking, capped at 110 below 30 vCPUs.
        const template = oneOfType(resources, "aws:ec2/launchTemplate:LaunchTemplate", "graviton-spot");
        assert.equal(maxPodsIn(template), 110);
        const config = JSON.parse(fs.readFileSync(path.join(ROOT, "policy-pack", "config", "dev.json"), "utf8"));
        config["node-instance-family-allowed"] = { allowedFamilies: families };
        const mandatory = (await evaluate(resources, { stack: "dev", config })).filter((v) => v.enforcementLevel === "mandatory");
        assert.deepEqual(mandatory, []);
    });

    describe("the plan command on a stack file the offline facts cannot answer for", () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "facts-"));
        const dev = fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), "utf8");
        const plan = (name: string, text: string) => {
            const file = path.join(tmp, `Pulumi.${name}.yaml`);
            fs.writeFileSync(file, text);
            return planInProcess("--config", file);
        };
        const noStackTrace = (stderr: string) => assert.doesNotMatch(stderr, /^\s+at .+(:\d+:\d+\)?|\(node:.*\))$/m, stderr);

        it("refuses an unknown aws:region with exit 2, naming the setting and the likely region, without a stack trace", async () => {
            const result = await plan("bad-region", dev.replace("aws:region: eu-west-1", "aws:region: eu-wset-1"));
            assert.equal(result.status, 2, result.stderr);
            assert.match(result.stderr, /^aws:region = "eu-wset-1" in .*Pulumi\.bad-region\.yaml: the offline plan has no data for this region\./m);
            assert.match(result.stderr, /did you mean eu-west-1/);
            noStackTrace(result.stderr);
        });

        it("refuses an instance type missing from the table with exit 2, as a missing fact and not as AWS's answer", async () => {
            const result = await plan("bad-type", dev.replace("instanceTypes: [m5.large, m5a.large", "instanceTypes: [m5.large, m5a.lrage"));
            assert.equal(result.status, 2, result.stderr);
            assert.match(result.stderr, /compute\.nodePools\[0\]\.instanceTypes\[1\] = "m5a\.lrage": not in the offline instance-type table/);
            assert.match(result.stderr, /regenerate the tables with `npm run -s facts:generate`/);
            assert.doesNotMatch(result.stderr, /InvalidInstanceType|does not exist/);
            noStackTrace(result.stderr);
        });
    });
});
