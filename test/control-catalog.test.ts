import { strict as assert } from "assert";
import { loadCatalog } from "../policy-pack/tools/controls/catalog";
import { listStacks } from "../tools/harness/render";
import { bootstrapStackFiles, renderBootstrapFile } from "./bootstrapSupport";
import { renderNamedStack } from "./support";

// The control catalog decides which controls apply from the resource types the program renders; a
// type the program starts rendering may bring controls into scope, so the catalog must know it.
describe("control catalog and the program", () => {
    it("knows every resource type the shipped stacks and the bootstrap project's stacks render (regenerate: npm run -s controls:generate)", async () => {
        const known = new Set(loadCatalog().resourceTypes.map((type) => type.pulumi));
        const rendered = new Set<string>();
        for (const stack of listStacks()) {
            (await renderNamedStack(stack)).resources.forEach((resource) => rendered.add(resource.type));
        }
        for (const file of bootstrapStackFiles()) {
            (await renderBootstrapFile(file)).resources.forEach((resource) => rendered.add(resource.type));
        }
        assert.deepEqual([...rendered].filter((type) => !known.has(type)).sort(), []);
    });
});
