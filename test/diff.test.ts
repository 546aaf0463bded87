import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify as toYaml } from "yaml";
import { PlatformMocks } from "../tools/harness/mocks";
import { readStack } from "../tools/harness/render";
import { diffResources, ResourceChange } from "../tools/plan/diff";
import { isBlocking, PlanDocument, withDiff } from "../tools/plan/document";
import { renderMarkdown } from "../tools/plan/markdown";
import { planInProcess, renderNamedStack, renderStackWith, withOverrides } from "./support";
import { renderStack } from "../tools/harness/render";

/** A plan document without guardrail verdicts: the diff and its own finding are what is under test. */
function documentOf(stack: string, resources: PlanDocument["resources"]): PlanDocument {
    return { stack, project: "eks-platform", resources, violations: [], schemaFindings: [] };
}

function changeOf(changes: ResourceChange[], type: string, namePart: string): ResourceChange | undefined {
    const found = changes.filter((c) => c.type === type && c.urn.split("::").pop()!.includes(namePart));
    assert.ok(found.length <= 1, `several ${type} *${namePart}*: ${found.map((c) => c.urn).join(", ")}`);
    return found[0];
}

describe("offline IDs and auto-names", () => {
    const create = (mocks: PlatformMocks, type: string, name: string, inputs: Record<string, unknown>) =>
        mocks.newResource({ type, name, inputs, custom: true, provider: "", id: "" });

    it("names an auto-named resource <name>-<7 hex digits>, the same in every render, anew when a force-new input changes", () => {
        const role = (inputs: Record<string, unknown>) => create(new PlatformMocks("eu-west-1"), "aws:iam/role:Role", "app", inputs).state;
        const first = role({ assumeRolePolicy: "{}" });
        assert.match(String(first.name), /^app-[0-9a-f]{7}$/);
        assert.equal(first.arn, `arn:aws:iam::111122223333:role/${String(first.name)}`);
        assert.equal(role({ assumeRolePolicy: "{}" }).name, first.name, "stable across renders");
        assert.equal(role({ assumeRolePolicy: '{"Version":"2012-10-17"}' }).name, first.name, "an update keeps the name");
        assert.notEqual(role({ assumeRolePolicy: "{}", path: "/platform/" }).name, first.name, "a replacement gets a new name");
        assert.equal(role({ assumeRolePolicy: "{}", name: "given" }).name, "given", "a name the program sets is kept");
    });

    it("gives a cluster a new ID when its subnets move to another VPC, and keeps it for other subnets of its VPC and zones", () => {
        const mocks = new PlatformMocks("eu-west-1");
        const subnet = (name: string, vpcId: string, availabilityZone: string) =>
            create(mocks, "aws:ec2/subnet:Subnet", name, { vpcId, availabilityZone, cidrBlock: `10.0.${name.length}.0/24` }).id!;
        const cluster = (subnetIds: string[]) => create(mocks, "aws:eks/cluster:Cluster", "c", { name: "c", roleArn: "r", vpcConfig: { subnetIds } }).id;
        const original = cluster([subnet("a", "vpc-1", "eu-west-1a"), subnet("b", "vpc-1", "eu-west-1b")]);
        assert.equal(cluster([subnet("aa", "vpc-1", "eu-west-1a"), subnet("bb", "vpc-1", "eu-west-1b")]), original);
        assert.notEqual(cluster([subnet("x", "vpc-2", "eu-west-1a"), subnet("y", "vpc-2", "eu-west-1b")]), original);
        assert.notEqual(cluster([subnet("a2", "vpc-1", "eu-west-1a"), subnet("c2", "vpc-1", "eu-west-1c")]), original);
    });
});

describe("plan diff over rendered stacks", () => {
    // Each variant is rendered once and shared by the cases below.
    let prod: PlanDocument;
    let prodVpc: PlanDocument;
    let prodPools: PlanDocument;
    let devOld: PlanDocument;
    let devNew: PlanDocument;

    before(async () => {
        prod = documentOf("prod", (await renderNamedStack("prod")).resources);
        prodVpc = documentOf("prod", (await renderStackWith("prod", { "eks-platform:network": { vpcCidr: "10.31.0.0/16" } })).resources);
        const pools = readStack("prod").config["eks-platform:compute"] as { nodePools: { name: string; instanceTypes: string[] }[] };
        const onDemand = { ...pools.nodePools[0], instanceTypes: ["m7i.2xlarge", "m6i.2xlarge"] };
        prodPools = documentOf("prod", (await renderStackWith("prod", { "eks-platform:compute": { ...pools, nodePools: [onDemand] } })).resources);
        devOld = documentOf("dev", (await renderStackWith("dev", { "eks-platform:cluster": { kubernetesVersion: "1.35" } })).resources);
        const dev = readStack("dev").config;
        const compute = dev["eks-platform:compute"] as { nodePools: Record<string, unknown>[] };
        const mesh = dev["eks-platform:mesh"] as { routes: { rules: { targets: { service: string; weight: number }[] }[] }[] };
        const routes = structuredClone(mesh.routes);
        routes[0].rules[routes[0].rules.length - 1].targets = [
            { service: "catalog-v1", weight: 70 },
            { service: "catalog-v2", weight: 30 },
        ];
        devNew = documentOf(
            "dev",
            (
                await renderStack(
                    withOverrides(readStack("dev"), {
                        "eks-platform:compute": { nodePools: [{ ...compute.nodePools[0], maxSize: 8 }] },
                        "eks-platform:protection": { kmsDeletionWindowDays: 14 },
                        "eks-platform:storage": { efs: { gidRangeStart: 60000 }, ebs: { reclaimPolicy: "Retain" } },
                        "eks-platform:mesh": { routes },
                    }),
                )
            ).resources,
        );
    });

    it("shows nothing for two renders of the same stack (mock IDs are stable)", async () => {
        const again = (await renderStackWith("prod", {})).resources;
        assert.deepEqual(diffResources(prod.resources, again), []);
    });

    it("replaces the whole network chain in dependency order when prod's VPC CIDR changes, and blocks", () => {
        const planned = withDiff(prodVpc, prod);
        const changes = planned.changes!;
        const replaced = changes.filter((c) => c.kind === "replace");
        const kinds = new Set(replaced.map((c) => c.type));
        for (const type of [
            "aws:ec2/vpc:Vpc",
            "aws:ec2/subnet:Subnet",
            "aws:ec2/routeTableAssociation:RouteTableAssociation",
            "aws:ec2/natGateway:NatGateway",
            "aws:ec2/vpcEndpoint:VpcEndpoint",
            "aws:ec2/securityGroup:SecurityGroup",
            "aws:efs/mountTarget:MountTarget",
            "aws:fsx/lustreFileSystem:LustreFileSystem",
        ]) {
            assert.ok(kinds.has(type), `${type} is not replaced`);
        }
        const vpc = changes.find((c) => c.type === "aws:ec2/vpc:Vpc")!;
        assert.deepEqual(vpc.forcedBy, ["cidrBlock"]);
        const order = changes.map((c) => c.urn);
        const subnet = changes.find((c) => c.type === "aws:ec2/subnet:Subnet")!;
        assert.ok(order.indexOf(vpc.urn) < order.indexOf(subnet.urn), "the VPC comes before its subnets");
        // pulumi-aws would update the cluster's subnets in place, but EKS refuses subnets of another VPC: a replacement.
        const cluster = changes.find((c) => c.type === "eks:index:Cluster")!;
        assert.equal(cluster.kind, "replace");
        assert.deepEqual(cluster.forcedBy, ["privateSubnetIds (AWS refuses the update)"]);
        assert.deepEqual(
            cluster.refused?.map((r) => [r.path, r.source]),
            [["privateSubnetIds", "https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateClusterConfig.html"]],
            "the VPC moves; the Availability Zones do not",
        );
        assert.ok(order.indexOf(subnet.urn) < order.indexOf(cluster.urn), "the subnets come before the cluster");
        // A new cluster has a new endpoint: the Kubernetes provider, and everything it manages, is replaced too.
        const kubernetes = changes.find((c) => c.type === "pulumi:providers:kubernetes")!;
        assert.deepEqual([kubernetes.kind, kubernetes.forcedBy], ["replace", ["kubeconfig"]]);
        assert.ok(changes.filter((c) => c.type.startsWith("kubernetes:") && c.kind === "replace").length > 10);
        // An auto-named resource gets a new generated name with its replacement; the name is a consequence, not a cause.
        const nodes = diffResources(prod.resources, prodVpc.resources).find(
            (c) => c.type === "aws:ec2/securityGroup:SecurityGroup" && c.urn.endsWith("-nodes"),
        )!;
        assert.deepEqual(nodes.forcedBy, ["vpcId"]);
        const renamed = nodes.details.find((d) => d.path === "props.name")!;
        assert.match(String(renamed.before), /^eks-platform-prod-nodes-[0-9a-f]{7}$/);
        assert.match(String(renamed.after), /^eks-platform-prod-nodes-[0-9a-f]{7}$/);
        assert.notEqual(renamed.before, renamed.after);

        const findings = planned.violations.filter((v) => v.policy === "protected-resource-replaced");
        assert.deepEqual(findings.map((v) => v.urn!.split("::").pop()).sort(), ["eks-platform-prod", "eks-platform-prod-s3-linked"]);
        const onCluster = findings.find((v) => v.urn === cluster.urn)!;
        assert.match(
            onCluster.message,
            /^eks:index:Cluster eks-platform-prod \(protected, retained on delete, stateful\) is replaced, forced by privateSubnetIds/,
        );
        assert.match(onCluster.message, /AWS refuses: EKS UpdateClusterConfig cannot move a cluster to another VPC/);
        const finding = findings.find((v) => v.urn?.includes("LustreFileSystem"));
        assert.match(finding!.message, /replaced, forced by .*subnetIds/);
        assert.equal(isBlocking(planned), true);
        const markdown = renderMarkdown([planned], [prod]);
        assert.match(markdown, /\*\*Against the base plan:\*\* 0 to create, \d+ to update, \d+ to replace, 0 to delete\./);
        assert.match(markdown, /\| ♻️ replace \| `aws:ec2\/vpc:Vpc::eks-platform-prod-vpc` \| forced by `cidrBlock` \|/);
        assert.match(
            markdown,
            /\| ♻️ replace \| `eks:index:Cluster::eks-platform-prod` \| forced by `privateSubnetIds \(AWS refuses the update\)`: EKS UpdateClusterConfig/,
        );
        // Every replaced resource is listed, never collapsed.
        const replacedRows = markdown.split("\n").filter((line) => line.startsWith("| ♻️ replace |"));
        assert.equal(replacedRows.length, changes.filter((c) => c.kind === "replace").length);
        assert.match(
            markdown,
            /\*\*❌ Mandatory findings\*\* \(2\)[\s\S]*`protected-resource-replaced` on `eks:index:Cluster::eks-platform-prod`[\s\S]*_Remediation:_/,
        );
    });

    it("replaces the cluster when its subnets leave its Availability Zones, and updates it for other subnets of its VPC and zones", () => {
        // Edits of the rendered inputs: the platform always gives the cluster one private subnet per zone.
        const cluster = prod.resources.find((r) => r.type === "eks:index:Cluster")!;
        const subnets = cluster.props.privateSubnetIds as string[];
        const edited = (privateSubnetIds: string[]) =>
            prod.resources.map((r) => (r.urn === cluster.urn ? { ...r, props: { ...r.props, privateSubnetIds } } : r));
        const fewerZones = diffResources(prod.resources, edited(subnets.slice(0, 2))).find((c) => c.urn === cluster.urn)!;
        assert.equal(fewerZones.kind, "replace");
        assert.deepEqual(
            fewerZones.refused?.map((r) => r.source),
            ["https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html"],
        );
        // The pod subnets are in the same VPC and zones: EKS takes them in place.
        const podSubnets = prod.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet" && r.name.includes("-pods-")).map((r) => r.id);
        const sameVpc = diffResources(prod.resources, edited(podSubnets)).find((c) => c.urn === cluster.urn)!;
        assert.deepEqual([sameVpc.kind, sameVpc.properties, sameVpc.refused], ["update", ["privateSubnetIds"], undefined]);
        // Subnets the plan does not hold: only AWS can tell, so the plan says it may replace.
        const external = diffResources(prod.resources, edited(["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"])).find((c) => c.urn === cluster.urn)!;
        assert.equal(external.kind, "update");
        assert.ok(external.mayReplace?.some((m) => m.startsWith("privateSubnetIds (AWS refuses the update if vpcId")));
    });

    it("acceptance (issue 15): the plan command exits 1 on prod's new vpcCidr and the comment lists every replacement, the cluster's among them, and its finding", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpc-cidr-"));
        const source = readStack("prod");
        const network = source.config["eks-platform:network"] as Record<string, unknown>;
        const edited = path.join(dir, "Pulumi.prod.yaml");
        fs.writeFileSync(edited, toYaml({ config: { ...source.config, "eks-platform:network": { ...network, vpcCidr: "10.31.0.0/16" } } }));
        const baseFile = path.join(dir, "base.json");
        fs.writeFileSync(baseFile, JSON.stringify(prod));
        const { status, stdout: markdown, stderr: report } = await planInProcess("--config", edited, "--base", baseFile, "--markdown", "-");
        assert.equal(status, 1, report);
        const replaced = diffResources(prod.resources, prodVpc.resources).filter((c) => c.kind === "replace");
        for (const change of replaced) {
            assert.ok(
                markdown.includes(`| ♻️ replace | \`${change.type.split("$").pop()}::${change.urn.split("::").pop()}\` |`),
                `${change.urn} is not listed`,
            );
        }
        assert.match(report, /^ {2}\+- replace eks:index:Cluster eks-platform-prod forced by privateSubnetIds \(AWS refuses the update\)$/m);
        assert.match(report, /\[mandatory\] protected-resource-replaced: eks:index:Cluster eks-platform-prod /);
        assert.match(markdown, /- `protected-resource-replaced` on `eks:index:Cluster::eks-platform-prod`: /);
    });

    it("records a reviewed exception with --allow-replace and stops blocking on it", () => {
        const urns = withDiff(prodVpc, prod)
            .violations.filter((v) => v.policy === "protected-resource-replaced")
            .map((v) => v.urn!);
        const allowed = withDiff(prodVpc, prod, new Set(urns));
        assert.equal(allowed.violations.filter((v) => v.policy === "protected-resource-replaced").length, 0);
        assert.deepEqual(
            allowed.exceptions!.map((e) => e.urn),
            urns,
        );
        assert.match(renderMarkdown([allowed], [prod]), /✅ Reviewed exception \(`--allow-replace`\)/);
    });

    it("updates launch templates and Auto Scaling groups in place for new instance types, and deletes a removed node pool", () => {
        const changes = diffResources(prod.resources, prodPools.resources);
        assert.equal(changeOf(changes, "aws:ec2/launchTemplate:LaunchTemplate", "on-demand-base")?.kind ?? "unchanged", "unchanged");
        const group = changeOf(changes, "aws:autoscaling/group:Group", "on-demand-base");
        assert.equal(group?.kind, "update");
        assert.ok(group.properties.includes("mixedInstancesPolicy"));
        assert.ok(!changes.some((c) => c.kind === "replace" && c.urn.includes("on-demand-base")), "nothing of the kept pool is replaced");
        const deleted = changes.filter((c) => c.kind === "delete");
        assert.ok(deleted.some((c) => c.type === "aws:autoscaling/group:Group" && c.urn.endsWith("spot-general")));
        assert.ok(deleted.some((c) => c.type === "eksplatform:compute:NodePool"));
    });

    it("updates in place: node pool size, KMS deletion window, cluster version, mesh route weights; replaces a StorageClass on a parameter or its reclaim policy", () => {
        const changes = diffResources(devOld.resources, devNew.resources);
        const group = changeOf(changes, "aws:autoscaling/group:Group", "spot-general")!;
        assert.equal(group.kind, "update");
        assert.ok(group.properties.includes("maxSize"));
        const key = changeOf(changes, "aws:kms/key:Key", "platform-key")!;
        assert.equal(key.kind, "update");
        assert.deepEqual(key.properties, ["deletionWindowInDays"]);
        const cluster = changeOf(changes, "eks:index:Cluster", "eks-platform-dev")!;
        assert.equal(cluster.kind, "update");
        assert.ok(cluster.properties.includes("version"));
        const routes = changes.filter((c) => c.type.startsWith("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute"));
        assert.ok(routes.length > 0 && routes.every((c) => c.kind === "update"), JSON.stringify(routes.map((c) => c.kind)));
        const efsClass = changeOf(changes, "kubernetes:storage.k8s.io/v1:StorageClass", "efs")!;
        assert.equal(efsClass.kind, "replace");
        assert.deepEqual(efsClass.forcedBy, ["parameters"]);
        assert.equal(efsClass.deleteBeforeReplace, true);
        // The API server refuses an update of reclaimPolicy, which the Kubernetes provider would send as one.
        const ebsClass = changeOf(changes, "kubernetes:storage.k8s.io/v1:StorageClass", "gp3")!;
        assert.equal(ebsClass.kind, "replace");
        assert.deepEqual(ebsClass.forcedBy, ["reclaimPolicy (replaceOnChanges)"]);
        assert.equal(ebsClass.deleteBeforeReplace, true);
        assert.ok(!changes.some((c) => c.kind === "replace" && c.type.startsWith("aws:")), "no AWS resource is replaced");
    });

    it("replaces a protected EFS file system whose performance mode changes, and blocks", () => {
        // The platform has no performanceMode setting; the edit is made to the rendered input.
        const resources = structuredClone(prod.resources);
        const fileSystem = resources.find((r) => r.type === "aws:efs/fileSystem:FileSystem")!;
        fileSystem.props.performanceMode = "maxIO";
        const planned = withDiff(documentOf("prod", resources), prod);
        const change = planned.changes!.find((c) => c.urn === fileSystem.urn)!;
        assert.equal(change.kind, "replace");
        assert.deepEqual(change.forcedBy, ["performanceMode"]);
        const finding = planned.violations.find((v) => v.urn === fileSystem.urn)!;
        assert.equal(finding.policy, "protected-resource-replaced");
        assert.match(finding.message, /protected, retained on delete, stateful\) is replaced, forced by performanceMode/);
        assert.equal(isBlocking(planned), true);
    });
});
