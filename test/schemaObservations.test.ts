import { strict as assert } from "assert";
import { randomUUID } from "crypto";
import { cachedObservation } from "../tools/schemas/observationCache";
import { modelValidator } from "../tools/schemas/modelSchemas";

describe("schema observations: kept by content hash", () => {
    // A ConfigMap no run has seen (a unique name), with an unknown field and a wrongly typed one.
    const configMap = () => ({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `cm-${randomUUID()}` },
        data: { key: 1 },
        immutible: true,
    });
    const counting = () => {
        const loads: string[] = [];
        const load = async () => {
            loads.push("ConfigMap");
            return (await modelValidator("v1", "ConfigMap"))?.validate;
        };
        return { loads, load };
    };

    it("loads no validator for an object it has observed, and says the same of it", async () => {
        const object = configMap();
        const first = counting();
        const fresh = await cachedObservation("v1/ConfigMap", first.load, object);
        assert.deepEqual(first.loads, ["ConfigMap"]);
        assert.ok(fresh);
        assert.deepEqual(
            fresh.unknownFields.map((p) => p.path),
            ["/immutible"],
        );
        assert.ok(fresh.errors.some((e) => e.instancePath === "/data/key"));
        const again = counting();
        const cached = await cachedObservation("v1/ConfigMap", again.load, object);
        assert.deepEqual(again.loads, [], "the validator was loaded for an object observed before");
        assert.deepEqual(cached, fresh);
    });

    it("validates a changed object afresh", async () => {
        const object = configMap();
        await cachedObservation("v1/ConfigMap", counting().load, object);
        const changed = counting();
        const observation = await cachedObservation("v1/ConfigMap", changed.load, { ...object, data: { key: "1" } });
        assert.deepEqual(changed.loads, ["ConfigMap"]);
        assert.ok(observation && !observation.errors.some((e) => e.instancePath === "/data/key"));
    });

    it("validates every time an object that JSON cannot tell from another", async () => {
        const object = { ...configMap(), binaryData: [undefined] };
        for (let round = 0; round < 2; round++) {
            const { loads, load } = counting();
            await cachedObservation("v1/ConfigMap", load, object);
            assert.deepEqual(loads, ["ConfigMap"]);
        }
    });
});
