import { strict as assert } from "assert";
import * as fs from "fs";
import { buildTableText, readSources, TABLE_FILE } from "../tools/forcenew/generate";
import { kubernetesForceNewFacts } from "../tools/forcenew/kubernetes";
import { entryFor, FORCE_NEW_TABLE } from "../tools/forcenew/table";
import { sdkResourceFacts, IndexTree } from "../tools/forcenew/terraformAws";
import { renderNamedStack, STACKS } from "./support";

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

    it("is what the build step makes of the recorded sources (regenerating reproduces the committed table)", () => {
        assert.equal(buildTableText(readSources()), fs.readFileSync(TABLE_FILE, "utf8"));
        assert.match(FORCE_NEW_TABLE.header.sources.terraformAws, /^terraform-provider-aws v6\.\d+\.\d+ \(source index commit [0-9a-f]{40}\)$/);
        assert.match(FORCE_NEW_TABLE.header.sources.pulumiEks, /^pulumi-eks v4\.3\.0 commit [0-9a-f]{40}$/);
    });

    it("has an entry for every resource type of every shipped stack", async () => {
        for (const stack of STACKS) {
            for (const resource of (await renderNamedStack(stack)).resources) {
                assert.doesNotThrow(() => entryFor(resource.type), `${stack}: ${resource.type}`);
            }
        }
        assert.throws(() => entryFor("aws:made/up:Type"), /has no entry in tools\/forcenew\/forceNew\.generated\.json/);
    });
});
