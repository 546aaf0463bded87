import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { buildTable, formatTable, RefusedUpdates } from "../tools/forcenew/build";
import { AWS_SDK_DIR, GITHUB_SDK_DIR, readRefusedUpdates, readSources, TABLE_FILE } from "../tools/forcenew/generate";
import { SdkShapes, readSdkShapes } from "../tools/forcenew/pulumiSdkTypes";
import { kubernetesForceNewFacts } from "../tools/forcenew/kubernetes";
import { autoNamedInput, entryFor, FORCE_NEW_TABLE } from "../tools/forcenew/table";
import { sdkResourceFacts, IndexTree } from "../tools/forcenew/terraformAws";
import { terraformPackageFacts } from "../tools/forcenew/terraformPackage";
import { listStacks, ROOT } from "../tools/harness/render";
import { bootstrapStackFiles, renderBootstrapFile } from "./bootstrapSupport";
import { exampleStackFiles, renderAnyStackFile, renderNamedStack } from "./support";

/** A schema in the shape the provider writes them, made up for the reader's test. */
const SAMPLE: Record<string, string> = {
    "index/internal/service/demo/func.resourceWidget.goindex": `package demo
import (
    "github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
    tftags "github.com/hashicorp/terraform-provider-aws/internal/tags"
)
func resourceWidget() *schema.Resource {
    return &schema.Resource{
        CustomizeDiff: customdiff.ForceNewIfChange("size", func(_ context.Context, old, new, meta any) bool { return new.(int) < old.(int) }),
        Schema: map[string]*schema.Schema{
            "name": {Type: schema.TypeString, Required: true, ForceNew: true},
            names.AttrVPCID: {Type: schema.TypeString, Optional: true, Computed: true, ForceNew: true},
            "size": {Type: schema.TypeInt, Optional: true},
            "placement": {
                Type: schema.TypeList, MaxItems: 1, Optional: true, ForceNew: true,
                Elem: &schema.Resource{Schema: map[string]*schema.Schema{
                    "zone": {Type: schema.TypeString, Required: true, ForceNew: true},
                    "weight": {Type: schema.TypeInt, Optional: true},
                }},
            },
            "labels": tftags.TagsSchemaForceNew(),
        },
    }
}`,
};

const sampleTree: IndexTree = { read: (path) => SAMPLE[path] };

describe("force-new table", () => {
    it("reads ForceNew flags, blocks, helpers and CustomizeDiff conditions from provider Go source", () => {
        const facts = sdkResourceFacts(sampleTree, "index/internal/service/demo", "resourceWidget");
        assert.deepEqual(facts.forceNew, [
            { path: ["labels"], when: "any" },
            { path: ["name"], when: "any" },
            { path: ["names.AttrVPCID"], when: "any", optionalComputed: true },
            { path: ["placement"], when: "count" },
            { path: ["placement", "zone"], when: "any" },
            { path: ["size"], when: "conditional", condition: "CustomizeDiff ForceNewIfChange" },
        ]);
    });

    it("reads a provider kept as one Go package: its ResourcesMap, helper functions and string constants", () => {
        const files = new Map([
            [
                "provider.go",
                `package demo
func Provider() *schema.Provider {
    return &schema.Provider{
        ResourcesMap: map[string]*schema.Resource{
            "demo_widget": resourceDemoWidget(),
        },
    }
}`,
            ],
            ["consts.go", `package demo\nconst (\n\tWIDGET_OWNER_ID = "owner_id"\n)`],
            [
                "resource_demo_widget.go",
                `package demo
func resourceDemoWidget() *schema.Resource {
    return &schema.Resource{
        CustomizeDiff: customdiff.All(diffOwner),
        Schema: map[string]*schema.Schema{
            "name": {Type: schema.TypeString, Required: true, ForceNew: true},
            WIDGET_OWNER_ID: {Type: schema.TypeInt, Optional: true, ForceNew: true},
            "size": {Type: schema.TypeInt, Optional: true},
        },
    }
}
func diffOwner(ctx context.Context, diff *schema.ResourceDiff, m any) error {
    if diff.HasChange("owner") { return diff.ForceNew("owner") }
    return nil
}`,
            ],
        ]);
        assert.deepEqual(terraformPackageFacts("demo", files, "provider.go"), {
            demo_widget: {
                sdk: "sdkv2",
                service: "demo",
                forceNew: [
                    { path: ["name"], when: "any" },
                    { path: ["owner"], when: "conditional", condition: "CustomizeDiff ForceNew" },
                    { path: ["owner_id"], when: "any" },
                ],
            },
        });
    });

    it("evaluates the Kubernetes provider's table and helpers", () => {
        const diffGo = `package provider
func (k *kubeProvider) forceNewProperties(obj *unstructured.Unstructured) []string {
    props := metadataForceNewProperties(".metadata")
    if clients.IsSecret(obj) { props = append(props, properties{".type", ".data"}...) } else if clients.IsConfigMap(obj) { props = append(props, properties{".data"}...) }
    return props
}
var forceNew = _groups{ "apps": _versions{ "v1": _kinds{"Deployment": deployment} }, "": core }
var core = _versions{ "v1": _kinds{"Service": properties{".spec.clusterIP"}} }
var deployment = append(properties{".spec.selector"}, labelSelectorForceNewProperties(".spec.selector")...)
func metadataForceNewProperties(prefix string) properties { return properties{prefix + ".name", prefix + ".namespace"} }
func labelSelectorForceNewProperties(prefix string) properties { return properties{prefix + ".matchLabels"} }`;
        assert.deepEqual(kubernetesForceNewFacts(diffGo), {
            allKinds: [".metadata.name", ".metadata.namespace"],
            kinds: { "apps/v1:Deployment": [".spec.selector", ".spec.selector.matchLabels"], "core/v1:Service": [".spec.clusterIP"] },
            secret: [".type", ".data"],
            configMap: [".data"],
        });
    });

    let shapes: SdkShapes;
    let githubShapes: SdkShapes;
    before(() => {
        shapes = readSdkShapes(AWS_SDK_DIR);
        githubShapes = readSdkShapes(GITHUB_SDK_DIR);
    });

    it("is what the build step makes of the recorded sources (regenerating reproduces the committed table)", () => {
        assert.equal(formatTable(buildTable(readSources(), readRefusedUpdates(), shapes, githubShapes)), fs.readFileSync(TABLE_FILE, "utf8"));
        assert.match(FORCE_NEW_TABLE.header.sources.terraformAws, /^terraform-provider-aws v6\.\d+\.\d+ \(source index commit [0-9a-f]{40}\)$/);
        assert.match(FORCE_NEW_TABLE.header.sources.pulumiEks, /^pulumi-eks v4\.3\.0 commit [0-9a-f]{40}$/);
        assert.match(FORCE_NEW_TABLE.header.sources.terraformGithub, /^terraform-provider-github v6\.\d+\.\d+ \(commit [0-9a-f]{40}\)$/);
    });

    it("maps the updates AWS refuses onto Pulumi inputs, the EKS component's included, and refuses a row it cannot map", () => {
        const refusedOn = (type: string) =>
            FORCE_NEW_TABLE.types[type] && "replaceOn" in FORCE_NEW_TABLE.types[type]
                ? FORCE_NEW_TABLE.types[type].replaceOn.filter((r) => r.when === "refused").map((r) => `${r.path} keeps ${r.keeps!.type} ${r.keeps!.input}`)
                : [];
        assert.deepEqual(refusedOn("aws:eks/cluster:Cluster"), [
            "vpcConfig.subnetIds keeps aws:ec2/subnet:Subnet availabilityZone",
            "vpcConfig.subnetIds keeps aws:ec2/subnet:Subnet vpcId",
        ]);
        // pulumi-eks passes every subnet input of its component on to the cluster's vpcConfig.subnetIds.
        assert.deepEqual(
            refusedOn("eks:index:Cluster").filter((r) => r.endsWith("vpcId")),
            ["privateSubnetIds", "publicSubnetIds", "subnetIds"].map((input) => `${input} keeps aws:ec2/subnet:Subnet vpcId`),
        );
        const refused = readRefusedUpdates();
        refused.updates.forEach((row) => assert.match(row.source.url, /^https:\/\/docs\.aws\.amazon\.com\//));
        const unmappable: RefusedUpdates = {
            ...refused,
            updates: [{ ...refused.updates[0], references: { terraformType: "aws_subnet", keeps: "no_such_input" } }],
        };
        assert.throws(
            () => buildTable(readSources(), unmappable, shapes),
            /refusedUpdates\.json: aws_eks_cluster vpc_config\.subnet_ids → aws_subnet\.no_such_input has no Pulumi name/,
        );
    });

    it("knows which input the provider auto-names", () => {
        assert.equal(autoNamedInput("aws:iam/role:Role"), "name");
        assert.equal(autoNamedInput("aws:s3/bucket:Bucket"), "bucket");
        assert.equal(autoNamedInput("aws:ec2/subnet:Subnet"), undefined);
        assert.equal(autoNamedInput("kubernetes:core/v1:ConfigMap"), undefined);
    });

    it("has an entry for every resource type of every stack and example, the bootstrap project's included", async () => {
        const examples = exampleStackFiles();
        assert.ok(
            examples.some((f) => f.endsWith("Pulumi.appmesh-demo.yaml")) && examples.some((f) => f.endsWith(path.join("insecure", "Pulumi.insecure.yaml"))),
        );
        // The bootstrap project's stacks and examples too: the pull-request workflow plans them with --base.
        const renders = [
            ...listStacks().map((stack) => ({ name: stack, render: () => renderNamedStack(stack) })),
            ...examples.map((file) => ({ name: path.relative(ROOT, file), render: () => renderAnyStackFile(file) })),
            ...bootstrapStackFiles().map((file) => ({ name: path.relative(ROOT, file), render: () => renderBootstrapFile(file) })),
        ];
        for (const { name, render } of renders) {
            for (const resource of (await render()).resources) {
                assert.doesNotThrow(() => entryFor(resource.type), `${name}: ${resource.type}`);
            }
        }
        assert.throws(() => entryFor("aws:made/up:Type"), /has no entry in tools\/forcenew\/forceNew\.generated\.json/);
    });
});
