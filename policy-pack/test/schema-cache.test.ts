import { strict as assert } from "assert";
import { randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { CachedSchemaCompiler } from "../lib/schema-cache";

const CACHE_DIR = path.resolve(path.dirname(require.resolve("ajv")), "..", "..", ".cache", "eks-platform", "ajv");

describe("schema cache: Ajv's generated code, kept by content hash", () => {
    it("serves a later compiler the cached validator, which reports what the compiled one does", () => {
        // A schema no run has compiled before: a unique title changes its hash, not its meaning.
        const schema = { title: randomUUID(), type: "object", properties: { days: { type: "integer", minimum: 1 } }, additionalProperties: false };
        const before = new Set(fs.existsSync(CACHE_DIR) ? fs.readdirSync(CACHE_DIR) : []);
        const compiled = new CachedSchemaCompiler({ allErrors: true }).compile(schema);
        const written = fs.readdirSync(CACHE_DIR).filter((file) => !before.has(file));
        assert.equal(written.length, 1, "the validator's code was not cached");
        const cached = new CachedSchemaCompiler({ allErrors: true }).compile(schema);
        assert.equal(cached, require.cache[path.join(CACHE_DIR, written[0])]?.exports, "the second compiler did not load the cached code");
        for (const value of [{ days: 3 }, { days: 0, extra: true }, { days: "3" }]) {
            assert.equal(cached(value), compiled(value));
            assert.deepEqual(cached.errors ?? null, compiled.errors ?? null);
        }
        assert.equal(compiled({ days: 0, extra: true }), false);
        assert.equal(compiled.errors?.length, 2);
    });

    it("compiles a changed schema or other options afresh", () => {
        const schema = { title: randomUUID(), type: "string", maxLength: 3 };
        const short = new CachedSchemaCompiler({ allErrors: true }).compile(schema);
        const longer = new CachedSchemaCompiler({ allErrors: true }).compile({ ...schema, maxLength: 5 });
        assert.equal(short("abcd"), false);
        assert.equal(longer("abcd"), true);
        const strictless = new CachedSchemaCompiler({ allErrors: false }).compile({ ...schema, maxLength: 5 });
        assert.equal(strictless("abcdef"), false);
    });
});
