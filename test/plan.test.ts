import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../tools/harness/render";
import { diffResources, propertyChanges } from "../tools/plan/diff";
import { isBlocking, PlanDocument } from "../tools/plan/document";
import { renderStackMarkdown } from "../tools/plan/markdown";
import { runPlan } from "../tools/plan";
import { readStack } from "../tools/harness/render";
import { withOverrides } from "./support";

function plan(...args: string[]) {
    return spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tools", "plan.ts"), ...args], { cwd: ROOT, encoding: "utf8" });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-test-"));

describe("plan command", () => {
    let dev: PlanDocument;

    before(async () => {
        dev = (await runPlan([readStack("dev")])).documents[0];
    });

    it("records parent, dependsOn, provider and options of every resource (Contract 1)", () => {
        const urns = new Set(dev.resources.map((r) => r.urn));
        const roots = dev.resources.filter((r) => r.parent === null);
        assert.deepEqual(
            roots.map((r) => r.type),
            ["eksplatform:index:Platform"],
        );
        for (const resource of dev.resources) {
            assert.ok(resource.parent === null || urns.has(resource.parent), `${resource.urn} has a dangling parent`);
            resource.dependsOn.forEach((d) => assert.ok(urns.has(d), `${resource.urn} depends on unknown ${d}`));
            assert.deepEqual(Object.keys(resource.options).sort(), ["deleteBeforeReplace", "ignoreChanges", "protect", "replaceOnChanges", "retainOnDelete"]);
        }
        const vpc = dev.resources.find((r) => r.type === "aws:ec2/vpc:Vpc");
        assert.ok(
            vpc && vpc.provider?.startsWith("urn:pulumi:dev::eks-platform::") && vpc.provider.includes("pulumi:providers:aws"),
            `vpc provider ${vpc?.provider}`,
        );
        const podSubnet = dev.resources.find((r) => r.type === "aws:ec2/subnet:Subnet" && r.name.includes("-pods-"));
        const association = dev.resources.find((r) => r.type === "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation");
        assert.ok(podSubnet?.dependsOn.includes(association!.urn));
    });

    it("writes the JSON document and exits 0 for a stack without mandatory violations", () => {
        const out = path.join(tmp, "dev.json");
        const result = plan("--stack", "dev", "--json", out);
        assert.equal(result.status, 0, result.stderr + result.stdout);
        assert.match(
            result.stdout,
            /^dev: \d+ resources .*guardrails: 0 mandatory, \d+ advisory \| schema: 0 findings \| ≈ \$[\d,.]+\/month \(desired\) · up to \$[\d,.]+ at max size/m,
        );
        const document = JSON.parse(fs.readFileSync(out, "utf8"));
        assert.deepEqual(Object.keys(document).sort(), ["cost", "project", "resources", "schemaFindings", "stack", "summary", "violations"]);
        assert.deepEqual(document.schemaFindings, []);
        assert.equal(document.stack, "dev");
        assert.equal(document.resources.length, dev.resources.length);
    });

    it("exits 2 naming the known stacks for an unknown stack", () => {
        const result = plan("--stack", "qa");
        assert.equal(result.status, 2);
        assert.match(result.stderr, /unknown stack "qa": no stacks\/Pulumi\.qa\.yaml; known stacks: dev, prod, staging/);
    });

    it("exits 2 with every problem listed for an invalid stack file", () => {
        const file = path.join(tmp, "Pulumi.broken.yaml");
        fs.writeFileSync(
            file,
            "config:\n  aws:region: eu-west-1\n  eks-platform:environment: prod\n  eks-platform:network:\n    podCidr: 10.1.0.0/16\n  eks-platform:compute:\n    nodePools: []\n",
        );
        const result = plan("--config", file);
        assert.equal(result.status, 2);
        assert.match(result.stderr, /Invalid stack configuration in .*Pulumi\.broken\.yaml \(1 problem\)/);
        assert.match(result.stderr, /compute\.nodePools = \[\]: must define at least one node pool/);
    });

    it("exits 2 on an unknown option", () => {
        const result = plan("--stak", "dev");
        assert.equal(result.status, 2);
        assert.match(result.stderr, /Unknown option '--stak'/);
    });
});

describe("plan diff and markdown", () => {
    let base: PlanDocument;
    let current: PlanDocument;

    before(async () => {
        base = (await runPlan([readStack("dev")])).documents[0];
        // A real change: flow-log retention, one NAT more, endpoints off.
        current = (
            await runPlan([
                withOverrides(readStack("dev"), {
                    "eks-platform:network": { natGateways: "perAz", flowLogs: { retentionDays: 90 }, vpcEndpoints: { enabled: false } },
                }),
            ])
        ).documents[0];
    });

    it("finds leaf-level property changes with old and new values", () => {
        assert.deepEqual(propertyChanges({ a: { b: [1, 2] }, c: "x" }, { a: { b: [1, 3] }, d: true }, "props"), [
            { path: "props.a.b[1]", before: 2, after: 3 },
            { path: "props.c", before: "x", after: undefined },
            { path: "props.d", before: undefined, after: true },
        ]);
    });

    it("names created, deleted and updated resources between two plans", () => {
        const changes = diffResources(base.resources, current.resources);
        assert.ok(changes.some((c) => c.kind === "create" && c.type === "aws:ec2/natGateway:NatGateway" && c.urn.endsWith("nat-eu-west-1b")));
        assert.ok(changes.some((c) => c.kind === "delete" && c.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && c.urn.endsWith("-s3")));
        const flowLogs = changes.find((c) => c.urn.endsWith("-flow-logs") && c.type === "aws:cloudwatch/logGroup:LogGroup");
        assert.equal(flowLogs?.kind, "update");
        assert.deepEqual(flowLogs?.details, [{ path: "props.retentionInDays", before: 30, after: 90 }]);
        assert.deepEqual(diffResources(base.resources, base.resources), []);
    });

    it("renders the diff, the settings and collapsed long sections in markdown", () => {
        const markdown = renderStackMarkdown(current, base);
        assert.match(markdown, /^### Stack `dev` — ✅ no mandatory guardrail violation, schema-clean/);
        assert.match(markdown, /\*\*Against the base plan:\*\* \d+ to create, \d+ to update, 0 to replace, \d+ to delete\./);
        assert.match(markdown, /\| `aws:cloudwatch\/logGroup:LogGroup::eks-platform-dev-flow-logs` \| `props\.retentionInDays` \| `30` \| `90` \|/);
        assert.match(markdown, /\| NAT gateways \| `perAz` \|/);
        assert.match(markdown, /<details><summary>Resources by type \(\d+\)<\/summary>/);
        assert.match(markdown, /\| log group \/aws\/vpc\/eks-platform-dev\/flow-logs \| `90 days` \|/);
    });

    it("blocks on schema findings and lists each with its field path", () => {
        const finding = {
            urn: current.resources[0].urn,
            apiVersion: "storage.k8s.io/v1",
            kind: "StorageClass",
            path: "/reclaimPolicy",
            message: 'must be one of "Delete", "Recycle", "Retain"',
        };
        const broken = { ...current, schemaFindings: [finding] };
        assert.equal(isBlocking(broken), true);
        assert.equal(isBlocking(current), false);
        const markdown = renderStackMarkdown(broken);
        assert.match(markdown, /^### Stack `dev` — ❌ 1 schema finding/);
        assert.match(markdown, /\| `storage\.k8s\.io\/v1 StorageClass` \| `\/reclaimPolicy` \| must be one of "Delete", "Recycle", "Retain" \|/);
    });

    it("writes markdown with --base from the command line", () => {
        const baseFile = path.join(tmp, "base.json");
        fs.writeFileSync(baseFile, JSON.stringify(base));
        const out = path.join(tmp, "out.md");
        const result = plan("--stack", "dev", "--markdown", out, "--base", baseFile);
        assert.equal(result.status, 0, result.stderr);
        assert.match(fs.readFileSync(out, "utf8"), /\*\*Against the base plan:\*\* 0 to create, 0 to update, 0 to replace, 0 to delete\./);
    });
});
