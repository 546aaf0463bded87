import { strict as assert } from "assert";
import { readStack } from "../tools/harness/render";
import { diffResources, ResourceChange } from "../tools/plan/diff";
import { isBlocking, PlanDocument, withDiff } from "../tools/plan/document";
import { renderMarkdown } from "../tools/plan/markdown";
import { renderNamedStack, renderStackWith } from "./support";
import { renderStack } from "../tools/harness/render";
import { withOverrides } from "./support";

/** A plan document without guardrail verdicts: the diff and its own finding are what is under test. */
function documentOf(stack: string, resources: PlanDocument["resources"]): PlanDocument {
    return { stack, project: "eks-platform", resources, violations: [], schemaFindings: [] };
}

function changeOf(changes: ResourceChange[], type: string, namePart: string): ResourceChange | undefined {
    const found = changes.filter((c) => c.type === type && c.urn.split("::").pop()!.includes(namePart));
    assert.ok(found.length <= 1, `several ${type} *${namePart}*: ${found.map((c) => c.urn).join(", ")}`);
    return found[0];
}

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
                        "eks-platform:storage": { efs: { gidRangeStart: 60000 } },
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
        // The cluster can never look unchanged when its subnets are replaced: pulumi-aws updates its subnets in place.
        const cluster = changes.find((c) => c.type === "eks:index:Cluster")!;
        assert.equal(cluster.kind, "update");
        assert.ok(cluster.properties.includes("privateSubnetIds"));
        const finding = planned.violations.find((v) => v.policy === "protected-resource-replaced" && v.urn?.includes("LustreFileSystem"));
        assert.match(finding!.message, /replaced, forced by .*subnetIds/);
        assert.equal(isBlocking(planned), true);
        const markdown = renderMarkdown([planned], [prod]);
        assert.match(markdown, /\*\*Against the base plan:\*\* 0 to create, \d+ to update, \d+ to replace, 0 to delete\./);
        assert.match(markdown, /\| ♻️ replace \| `aws:ec2\/vpc:Vpc::eks-platform-prod-vpc` \| forced by `cidrBlock` \|/);
        assert.match(markdown, /\*\*❌ Mandatory findings\*\*[\s\S]*`protected-resource-replaced`[\s\S]*_Remediation:_/);
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

    it("updates in place: node pool size, KMS deletion window, cluster version, mesh route weights; replaces a StorageClass on a parameter", () => {
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
        const storageClass = changes.find((c) => c.type === "kubernetes:storage.k8s.io/v1:StorageClass" && c.kind === "replace")!;
        assert.deepEqual(storageClass.forcedBy, ["parameters"]);
        assert.equal(storageClass.deleteBeforeReplace, true);
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
