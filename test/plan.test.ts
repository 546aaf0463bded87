import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listStacks, readStack, ROOT } from "../tools/harness/render";
import { diffResources, propertyChanges } from "../tools/plan/diff";
import { isBlocking, PlanDocument } from "../tools/plan/document";
import { renderStackMarkdown } from "../tools/plan/markdown";
import { runPlan } from "../tools/plan";
import { planInProcess, STACK_TRACE_LINE, withOverrides } from "./support";

function plan(...args: string[]) {
    return spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tools", "plan.ts"), ...args], { cwd: ROOT, encoding: "utf8" });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-test-"));

function stackFile(name: string, text: string): string {
    const file = path.join(tmp, `Pulumi.${name}.yaml`);
    fs.writeFileSync(file, text);
    return file;
}

const HEAD = "config:\n  aws:region: eu-west-1\n  eks-platform:environment: dev\n";

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
            const { aliases, ...options } = resource.options;
            assert.deepEqual(Object.keys(options).sort(), ["deleteBeforeReplace", "ignoreChanges", "protect", "replaceOnChanges", "retainOnDelete"]);
            // Recorded only when there are some.
            assert.ok(
                aliases === undefined || (aliases.length > 0 && aliases.every((a) => a.startsWith("urn:pulumi:dev::") && a !== resource.urn)),
                resource.urn,
            );
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

    // Each case is bad input: a message naming the file and the setting or line, exit 2, no stack trace.
    const broken: { name: string; text?: string; file?: string; message: RegExp }[] = [
        {
            name: "yaml-syntax",
            text: `${HEAD}  eks-platform:network:\n    vpcCidr: [10.0.0.0/16\n`,
            message: /Pulumi\.yaml-syntax\.yaml:6:1: Flow sequence in block collection must be sufficiently indented/,
        },
        {
            name: "duplicate-key",
            text: `${HEAD}  eks-platform:network:\n    vpcCidr: 10.0.0.0/16\n    vpcCidr: 10.1.0.0/16\n`,
            message: /Pulumi\.duplicate-key\.yaml:6:5: Map keys must be unique/,
        },
        {
            name: "tab-indent",
            text: "config:\n  aws:region: eu-west-1\n\teks-platform:environment: dev\n",
            message: /Pulumi\.tab-indent\.yaml:3:1: Tabs are not allowed as indentation/,
        },
        {
            name: "unknown-anchor",
            text: `${HEAD}  eks-platform:network:\n    vpcCidr: *cidr\n`,
            message: /Pulumi\.unknown-anchor\.yaml is not valid YAML: Unresolved alias .*: cidr/,
        },
        { name: "no-config", text: "description: settings at the top level\naws:region: eu-west-1\n", message: /Pulumi\.no-config\.yaml has no "config:" map/ },
        {
            name: "config-list",
            text: "config:\n  - aws:region: eu-west-1\n",
            message: /Pulumi\.config-list\.yaml: "config:" must be a map of "namespace:key: value" settings, not a list/,
        },
        {
            name: "not-an-object",
            text: `${HEAD}  eks-platform:network: 10.0.0.0/16\n`,
            message: /Invalid stack configuration in .*Pulumi\.not-an-object\.yaml[\s\S]*- network = "10\.0\.0\.0\/16": /,
        },
        {
            name: "wrong-types",
            text: `${HEAD}  eks-platform:compute:\n    nodePools:\n      - name: general\n        instanceTypes: m6i.large\n        minSize: two\n        maxSize: 3\n`,
            message: /compute\.nodePools\[0\]\.instanceTypes = "m6i\.large": [\s\S]*compute\.nodePools\[0\]\.minSize = "two": /,
        },
        {
            name: "no-pools",
            text: `${HEAD}  eks-platform:network:\n    podCidr: 10.1.0.0/16\n  eks-platform:compute:\n    nodePools: []\n`,
            message: /compute\.nodePools = \[\]: must define at least one node pool/,
        },
        {
            name: "unknown-region",
            text: "config:\n  aws:region: eu-middle-9\n  eks-platform:environment: dev\n",
            message: /aws:region = "eu-middle-9" in .*Pulumi\.unknown-region\.yaml: the offline plan has no data for this region/,
        },
        { name: "not-a-file", file: tmp, message: /plan-test-\w+ is not a file/ },
        {
            name: "duplicate-urn",
            file: path.join(ROOT, "test", "fixtures", "duplicate-urn", "Pulumi.twice.yaml"),
            message:
                /1 URN is registered more than once[\s\S]*urn:pulumi:twice::duplicate-urn::aws:cloudwatch\/logGroup:LogGroup::audit\n {4}1\. .*"\/platform\/audit"[\s\S]*\n {4}2\. .*"\/platform\/audit-copy"/,
        },
    ];
    for (const { name, text, file, message } of broken) {
        it(`refuses bad input with exit 2, the file and the setting or line, and no stack trace: ${name}`, async () => {
            const result = await planInProcess("--config", file ?? stackFile(name, text!));
            assert.equal(result.status, 2, result.stderr);
            assert.match(result.stderr, message);
            assert.doesNotMatch(result.stderr, STACK_TRACE_LINE);
        });
    }

    it("refuses unknown stacks, options and unreadable --base and --policy-config files with exit 2", async () => {
        const unknown = await planInProcess("--stack", "qa");
        assert.equal(unknown.status, 2);
        assert.ok(unknown.stderr.includes(`unknown stack "qa": no stacks/Pulumi.qa.yaml; known stacks: ${listStacks().join(", ")}`), unknown.stderr);
        const option = await planInProcess("--stak", "dev");
        assert.deepEqual([option.status, /Unknown option '--stak'/.test(option.stderr)], [2, true]);
        const notJson = path.join(tmp, "not.json");
        fs.writeFileSync(notJson, "{");
        for (const flag of ["--base", "--policy-config"]) {
            const result = await planInProcess("--stack", "dev", flag, notJson);
            assert.equal(result.status, 2, flag);
            assert.match(result.stderr, new RegExp(`${flag} .*not\\.json: not JSON`));
        }
        const twice = await planInProcess("--stack", "dev", "--config", path.join(ROOT, "stacks", "Pulumi.dev.yaml"));
        assert.match(twice.stderr, /stack dev is given more than once/);
        [unknown, option, twice].forEach((r) => assert.doesNotMatch(r.stderr, STACK_TRACE_LINE));
    });

    it("plans the other stacks when one is refused: the comment shows each refused stack with its error, exit 2 (--markdown - to stdout)", () => {
        const yaml = stackFile("syntax", `${HEAD}  eks-platform:network:\n    vpcCidr: [10.0.0.0/16\n`);
        const refused = stackFile("refused", `${HEAD}  eks-platform:network: 10.0.0.0/16\n`);
        const result = plan("--stack", "dev", "--config", yaml, "--config", refused, "--markdown", "-");
        assert.equal(result.status, 2, result.stderr);
        // stdout is the comment alone; the terminal report goes to stderr.
        assert.match(result.stdout, /^## Offline plan\n\n\*\*2 stacks failed to plan:\*\* `syntax`, `refused`\./);
        assert.match(
            result.stdout,
            /### Stack `syntax` — ⛔ not planned[^\n]*\n\n```\n.*Pulumi\.syntax\.yaml is not valid YAML[\s\S]*Pulumi\.syntax\.yaml:6:1: Flow sequence/,
        );
        assert.match(
            result.stdout,
            /### Stack `refused` — ⛔ not planned[^\n]*\n\n```\nInvalid stack configuration in .*Pulumi\.refused\.yaml[\s\S]*- network = "10\.0\.0\.0\/16"/,
        );
        assert.match(result.stdout, /### Stack `dev` — ✅ no mandatory guardrail violation/);
        assert.match(result.stderr, /^dev: \d+ resources/m);
        assert.match(result.stderr, /^syntax: not planned$/m);
        assert.doesNotMatch(result.stdout + result.stderr, STACK_TRACE_LINE);
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

    it("writes markdown with --base from the command line; an --allow-replace that matches no finding is an error (exit 2)", () => {
        const baseFile = path.join(tmp, "base.json");
        fs.writeFileSync(baseFile, JSON.stringify(base));
        const out = path.join(tmp, "out.md");
        const stale = "urn:pulumi:dev::eks-platform::aws:kms/key:Key::retired-key";
        const result = plan("--stack", "dev", "--markdown", out, "--base", baseFile, "--allow-replace", stale);
        assert.equal(result.status, 2, result.stderr);
        assert.match(
            result.stderr,
            new RegExp(`--allow-replace names no replaced or deleted protected/stateful resource of this plan: ${stale.replace(/[$]/g, "\\$")}`),
        );
        assert.match(fs.readFileSync(out, "utf8"), /\*\*Against the base plan:\*\* 0 to create, 0 to update, 0 to replace, 0 to delete\./);
    });
});
