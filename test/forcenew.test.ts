import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { buildTable, RefusedUpdates } from "../tools/forcenew/build";
import { buildTableText, installedVersion, readRefusedUpdates, readSources, SDK_DIR, TABLE_FILE } from "../tools/forcenew/generate";
import { kubernetesForceNewFacts } from "../tools/forcenew/kubernetes";
import { ObjectShape, readSdkShapes, ResourceShape, SdkShapes } from "../tools/forcenew/pulumiSdkTypes";
import { autoNamedInput, entryFor, FORCE_NEW_TABLE } from "../tools/forcenew/table";
import { sdkResourceFacts, IndexTree } from "../tools/forcenew/terraformAws";
import { githubResourceFactories, packageTree, pulumiGithubOverrides, terraformGithubFacts } from "../tools/forcenew/terraformGithub";
import { matchTokens } from "../tools/forcenew/tokens";
import { ROOT } from "../tools/harness/render";
import { projectStackFiles, renderStackFile } from "./support";

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
    // A schema function that builds a part in a local closure before its own return (as aws_network_acl does).
    "index/internal/service/demo/func.resourceGadget.goindex": `package demo
func resourceGadget() *schema.Resource {
    return &schema.Resource{
        SchemaFunc: func() map[string]*schema.Schema {
            ruleBlock := func() *schema.Schema {
                return &schema.Schema{Type: schema.TypeSet, Optional: true, Elem: &schema.Resource{Schema: map[string]*schema.Schema{
                    "port": {Type: schema.TypeInt, Required: true},
                }}}
            }
            return map[string]*schema.Schema{
                "ingress": ruleBlock(),
                names.AttrVPCID: {Type: schema.TypeString, Required: true, ForceNew: true},
            }
        },
    }
}`,
};

const sampleTree: IndexTree = { read: (path) => SAMPLE[path] };

/** A provider package in the Terraform GitHub provider's layout (one Go package, schema keys as constants), made up for the reader's test. */
const GITHUB_SAMPLE = new Map([
    [
        "github/provider.go",
        `package github
func Provider() *schema.Provider {
    p := &schema.Provider{
        ResourcesMap: map[string]*schema.Resource{
            "github_widget": resourceGithubWidget(),
        },
        DataSourcesMap: map[string]*schema.Resource{
            "github_widget_lookup": dataSourceGithubWidget(),
        },
    }
    return p
}`,
    ],
    [
        "github/resource_github_widget.go",
        `package github
func resourceGithubWidget() *schema.Resource {
    return &schema.Resource{
        Schema: map[string]*schema.Schema{
            WIDGET_OWNER: {Type: schema.TypeString, Required: true, ForceNew: true},
            "repository": {Type: schema.TypeString, Required: true},
            "repository_id": {Type: schema.TypeInt, Computed: true},
            "secret_ids": {Type: schema.TypeSet, Optional: true},
        },
        CustomizeDiff: customdiff.All(diffRepository),
    }
}`,
    ],
    [
        "github/util_consts.go",
        `package github
const (
    WIDGET_OWNER = "owner"
)`,
    ],
    [
        "github/util_diff.go",
        `package github
func diffRepository(ctx context.Context, diff *schema.ResourceDiff, m any) error {
    return diff.ForceNew("repository")
}`,
    ],
]);

const PULUMI_GITHUB_SAMPLE = `package github
const secretIDs = "secret_ids"
func Provider() tfbridge.ProviderInfo {
    prov := tfbridge.ProviderInfo{
        Config: map[string]*tfbridge.SchemaInfo{
            "token": {Secret: tfbridge.True()},
            "owner": {ForcesProviderReplace: tfbridge.True()},
        },
        Resources: map[string]*tfbridge.ResourceInfo{
            "github_widget": {Fields: map[string]*tfbridge.SchemaInfo{secretIDs: {ForceNew: tfbridge.True()}}},
            "github_other": {DeleteBeforeReplace: true},
        },
    }
    return prov
}`;

/** An SDK of made-up resources whose Args have the given inputs, for the token matcher's test. */
function sdkOf(resources: Record<string, { inputs: string[]; aliasOf?: ResourceShape["aliasOf"] }>): SdkShapes {
    const shape = (inputs: string[]): ObjectShape => new Map(inputs.map((name) => [name, { array: false }]));
    return {
        resources: new Map(
            Object.entries(resources).map(([token, { inputs, aliasOf }]) => [
                token,
                { module: token.split(":")[1].split("/")[0], name: token.split(":")[2], args: shape(inputs), aliasOf },
            ]),
        ),
        types: new Map(),
    };
}

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
        // The schema is the function's own return, not the map its closure builds.
        const gadget = sdkResourceFacts(sampleTree, "index/internal/service/demo", "resourceGadget");
        assert.deepEqual([gadget.arguments, gadget.forceNew], [["ingress", "names.AttrVPCID"], [{ path: ["names.AttrVPCID"], when: "any" }]]);
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

    it("reads the Terraform GitHub provider's package: registered resources only, constant keys, CustomizeDiff helpers, pulumi-github's overrides", () => {
        assert.deepEqual([...githubResourceFactories(GITHUB_SAMPLE.get("github/provider.go")!)], [["github_widget", "resourceGithubWidget"]]);
        assert.equal(packageTree("github", GITHUB_SAMPLE).read("github/func.diffRepository.goindex"), GITHUB_SAMPLE.get("github/util_diff.go"));
        const overrides = pulumiGithubOverrides(PULUMI_GITHUB_SAMPLE);
        assert.deepEqual(overrides, { forceNew: { github_widget: ["secret_ids"] }, providerReplaceOn: ["owner"] });
        const { resources } = terraformGithubFacts(GITHUB_SAMPLE, new Map([["github_widget", "github:index/widget:Widget"]]), overrides);
        assert.deepEqual(resources, {
            github_widget: {
                token: "github:index/widget:Widget",
                sdk: "sdkv2",
                service: "github",
                arguments: ["owner", "repository", "secret_ids"],
                forceNew: [
                    { path: ["owner"], when: "any" },
                    { path: ["repository"], when: "conditional", condition: "CustomizeDiff ForceNew" },
                    { path: ["secret_ids"], when: "any" },
                ],
            },
        });
    });

    it("finds the token of a Terraform type the SDK renamed: by name suffix, by arguments (closer module on a tie), by deprecated alias", () => {
        const terraform = {
            aws_db_instance: { service: "rds", arguments: ["engine", "instance_class"] },
            aws_lb: { service: "elbv2", arguments: ["name", "subnets", "internal"] },
            aws_alb: { service: "elbv2", arguments: ["name", "subnets", "internal"] },
            aws_cloudtrail: { service: "cloudtrail", arguments: ["name", "s3_bucket_name", "enable_logging"] },
            aws_s3_bucket: { service: "s3", arguments: ["bucket"] },
        };
        const sdk = sdkOf({
            "aws:rds/instance:Instance": { inputs: ["engine", "instanceClass"] },
            "aws:ec2/instance:Instance": { inputs: ["ami", "instanceType"] },
            "aws:lb/loadBalancer:LoadBalancer": { inputs: ["name", "subnets", "internal"] },
            "aws:alb/loadBalancer:LoadBalancer": { inputs: ["name", "subnets", "internal"] },
            "aws:cloudtrail/trail:Trail": { inputs: ["name", "s3BucketName", "enableLogging"] },
            "aws:s3/bucket:Bucket": { inputs: ["bucket"] },
            "aws:s3/bucketV2:BucketV2": { inputs: ["bucket"], aliasOf: { module: "s3", name: "Bucket" } },
            "aws:made/new:New": { inputs: ["name"] },
        });
        const matches = matchTokens(terraform, sdk, "aws_", "terraform-provider-aws v0");
        const found = Object.fromEntries([...matches.tokens].map(([type, tokens]) => [type, tokens.map((t) => `${t.token} (${t.matchedBy})`)]));
        assert.deepEqual(found, {
            aws_db_instance: ["aws:rds/instance:Instance (name suffix)"],
            aws_lb: ["aws:lb/loadBalancer:LoadBalancer (arguments (1.00))"],
            aws_alb: ["aws:alb/loadBalancer:LoadBalancer (arguments (1.00))"],
            aws_cloudtrail: ["aws:cloudtrail/trail:Trail (arguments (1.00))"],
            aws_s3_bucket: ["aws:s3/bucket:Bucket (name)", "aws:s3/bucketV2:BucketV2 (alias of aws:s3/bucket:Bucket)"],
        });
        assert.deepEqual([...matches.unmatchedTokens.keys()].sort(), ["aws:ec2/instance:Instance", "aws:made/new:New"]);
        assert.match(
            matches.unmatchedTokens.get("aws:made/new:New")!,
            /^no resource of terraform-provider-aws v0 has its name, and none has arguments like its inputs$/,
        );
    });

    it("matches every GitHub resource to the token pulumi-github gives it (the matcher against a provider's own mapping)", () => {
        const { resources } = readSources().terraformGithub;
        const matches = matchTokens(resources, readSdkShapes(path.join(SDK_DIR, "github")), "github_", "terraform-provider-github");
        for (const [type, facts] of Object.entries(resources)) {
            assert.equal(matches.tokens.get(type)?.[0].token, facts.token, type);
        }
    });

    it("reads inputs whose type spans several lines (maps), so their force-new flags are kept: a Fargate selector's labels", () => {
        const selector = readSdkShapes(path.join(SDK_DIR, "aws")).types.get("eks.FargateProfileSelector");
        assert.deepEqual([...(selector?.keys() ?? [])].sort(), ["labels", "namespace"]);
        assert.deepEqual(selector?.get("labels"), { ref: undefined, array: false });
        const entry = FORCE_NEW_TABLE.types["aws:eks/fargateProfile:FargateProfile"];
        const replaceOn = entry && "replaceOn" in entry ? entry.replaceOn.map((r) => `${r.path} ${r.when}`) : [];
        assert.ok(replaceOn.includes("selectors[*].labels any"), replaceOn.join(", "));
    });

    it("is what the build step makes of the recorded sources (regenerating reproduces the committed table)", () => {
        assert.equal(buildTableText(readSources()), fs.readFileSync(TABLE_FILE, "utf8"));
        const { sources } = FORCE_NEW_TABLE.header;
        assert.match(sources.terraformAws, /^terraform-provider-aws v6\.\d+\.\d+ \(source index commit [0-9a-f]{40}\)$/);
        // The GitHub sources are those the installed @pulumi/github is built from.
        const pulumiGithub = `v${installedVersion("github")}`;
        assert.match(sources.pulumiGithub, new RegExp(`^pulumi-github ${pulumiGithub.replace(/\./g, "\\.")} commit [0-9a-f]{40} `));
        assert.match(
            sources.terraformGithub,
            new RegExp(
                `^terraform-provider-github v6\\.\\d+\\.\\d+ commit [0-9a-f]{40} \\(the upstream of pulumi-github ${pulumiGithub.replace(/\./g, "\\.")}\\)$`,
            ),
        );
        assert.match(sources.pulumiEks, /^pulumi-eks v4\.3\.0 commit [0-9a-f]{40}$/);
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
            () => buildTable(readSources(), unmappable, { aws: readSdkShapes(path.join(SDK_DIR, "aws")), github: readSdkShapes(path.join(SDK_DIR, "github")) }),
            /refusedUpdates\.json: aws_eks_cluster vpc_config\.subnet_ids → aws_subnet\.no_such_input has no Pulumi name/,
        );
    });

    it("knows which input the provider auto-names", () => {
        assert.equal(autoNamedInput("aws:iam/role:Role"), "name");
        assert.equal(autoNamedInput("aws:s3/bucket:Bucket"), "bucket");
        assert.equal(autoNamedInput("aws:ec2/subnet:Subnet"), undefined);
        assert.equal(autoNamedInput("kubernetes:core/v1:ConfigMap"), undefined);
    });

    it("has an entry, or a reason for none, for every resource token of the installed @pulumi/aws and @pulumi/github", () => {
        for (const sdk of ["aws", "github"]) {
            const root = path.join(SDK_DIR, sdk);
            const files = fs
                .readdirSync(root, { recursive: true, encoding: "utf8" })
                .filter((file) => file.endsWith(".js") && !file.startsWith("node_modules"));
            const tokens = files.flatMap((file) =>
                [...fs.readFileSync(path.join(root, file), "utf8").matchAll(/__pulumiType = '([a-z0-9]+:[^']+)'/g)].map((m) => m[1]),
            );
            assert.ok(tokens.length > 50, `${sdk}: found only ${tokens.length} resource tokens`);
            for (const token of tokens) {
                assert.ok(FORCE_NEW_TABLE.types[token] || FORCE_NEW_TABLE.unmatched[token], `${token} has neither an entry nor a reason`);
            }
        }
        // Types pulumi-aws renamed when it bridged them, found in the Terraform source.
        const sourceOf = (token: string) => (FORCE_NEW_TABLE.types[token] as { source: string }).source;
        assert.equal(sourceOf("aws:ec2transitgateway/transitGateway:TransitGateway"), "aws_ec2_transit_gateway");
        assert.equal(sourceOf("aws:rds/instance:Instance"), "aws_db_instance");
        assert.equal(sourceOf("aws:lb/loadBalancer:LoadBalancer"), "aws_lb");
        assert.equal(sourceOf("aws:alb/loadBalancer:LoadBalancer"), "aws_alb");
        assert.equal(sourceOf("aws:s3/bucketV2:BucketV2"), "aws_s3_bucket");
        assert.equal(sourceOf("aws:cfg/rule:Rule"), "aws_config_config_rule");
        // Every Terraform resource of the recorded sources has its token.
        assert.deepEqual(
            Object.keys(FORCE_NEW_TABLE.unmatched).filter((name) => /^(aws|github)_/.test(name)),
            [],
        );
    });

    it("has an entry for every resource type of every project's stack files (platform, examples, bootstrap)", async () => {
        const files = projectStackFiles();
        for (const directory of [
            "stacks",
            "examples",
            path.join("examples", "insecure"),
            path.join("bootstrap", "stacks"),
            path.join("bootstrap", "examples"),
        ]) {
            assert.ok(
                files.some((file) => path.dirname(file) === path.join(ROOT, directory)),
                `no stack file found in ${directory}`,
            );
        }
        // One at a time: the mock runtime is process-wide.
        for (const file of files) {
            for (const resource of (await renderStackFile(file)).resources) {
                assert.doesNotThrow(() => entryFor(resource.type), `${path.relative(ROOT, file)}: ${resource.type}`);
            }
        }
        assert.throws(
            () => entryFor("aws:made/up:Type"),
            /has no entry in tools\/forcenew\/forceNew\.generated\.json.*Regenerate the table: npm run -s forcenew -- build/,
        );
    });
});
