import { strict as assert } from "assert";
import { builtinModules, createRequire } from "module";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { ENVIRONMENTS } from "../../lib/environments";
import { ancestorNodeModules, PACK_DIR, publishedLockfile } from "./published";
import { publishedPack } from "./session";

// The package `pulumi policy publish` uploads must hold every file the pack loads and declare every
// package it imports; the directory the suite runs it from must see nothing of the repository.

const manifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as {
    main: string;
    dependencies: Record<string, string>;
    devDependencies?: Record<string, string>;
};
/** What the engine reads besides the code: the project file, the manifest, the compiler options. */
const METADATA = ["PulumiPolicy.yaml", "package.json", "tsconfig.json", "README.md"];

/** Files and directories a module reads at run time, named as `path.join(__dirname, "..", "data", ...)`. */
const READ_FROM_DIRNAME = /path\.(?:join|resolve)\(\s*__dirname\s*((?:,\s*"[^"]*"\s*)+)\)/g;

function filesUnder(target: string): string[] {
    return fs.statSync(target).isDirectory() ? fs.readdirSync(target).flatMap((entry) => filesUnder(path.join(target, entry))) : [target];
}

/**
 * The files the entry point loads, following relative imports and requires, and the data files
 * those modules read relative to their own directory; and the packages it names.
 */
function loadedByEntryPoint(): { files: string[]; packages: Set<string> } {
    const files = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
        const relative = path.relative(PACK_DIR, file);
        if (files.has(relative)) {
            return;
        }
        files.add(relative);
        if (!file.endsWith(".ts")) {
            return;
        }
        const text = fs.readFileSync(file, "utf8");
        for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
            if (!fileName.startsWith(".")) {
                packages.add(fileName.startsWith("@") ? fileName.split("/").slice(0, 2).join("/") : fileName.split("/")[0]);
                continue;
            }
            const target = path.resolve(path.dirname(file), fileName);
            const candidates = [target, `${target}.ts`, path.join(target, "index.ts")];
            const found = candidates.find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
            assert.ok(found, `${relative} imports ${fileName}, which does not exist`);
            visit(found);
        }
        for (const [, segments] of text.matchAll(READ_FROM_DIRNAME)) {
            const target = path.resolve(path.dirname(file), ...[...segments.matchAll(/"([^"]*)"/g)].map(([, segment]) => segment));
            assert.ok(fs.existsSync(target), `${relative} reads ${path.relative(PACK_DIR, target)}, which does not exist`);
            filesUnder(target).forEach((data) => files.add(path.relative(PACK_DIR, data)));
        }
    };
    visit(path.join(PACK_DIR, manifest.main));
    return { files: [...files].sort(), packages };
}

describe("policy pack in its published form", function () {
    this.timeout(300_000);
    const loaded = loadedByEntryPoint();

    it("packs every file the entry point loads, the data it reads, and the files the engine reads", async () => {
        const { files } = await publishedPack();
        const missing = [...loaded.files, ...METADATA].filter((file) => !files.includes(file));
        assert.deepEqual(missing, [], "add them to `files` in policy-pack/package.json");
    });

    it("packs the environments' settings files, which every rule reads for the stack it checks", async () => {
        const { files } = await publishedPack();
        assert.deepEqual(
            ENVIRONMENTS.map((environment) => `config/${environment}.json`).filter((file) => !files.includes(file)),
            [],
        );
    });

    it("packs none of the repository's tests, tools, control catalog or offline evaluator", async () => {
        const { files } = await publishedPack();
        const shipped = files.filter((file) => !loaded.files.includes(file) && !METADATA.includes(file));
        assert.deepEqual(shipped, [], "these would ship to Pulumi Cloud without being loaded");
    });

    it("declares every package the pack imports in its own package.json", () => {
        const declared = new Set(Object.keys(manifest.dependencies));
        const undeclared = [...loaded.packages].filter((name) => !declared.has(name) && !builtinModules.includes(name) && !name.startsWith("node:"));
        assert.deepEqual(undeclared, [], "a package only the repository root has is missing from the published pack");
    });

    it("reads nothing from its process environment, so a pack process can serve one stack's preview after another", () => {
        // The stack's identity reaches the pack as ConfigureStack, which every preview sends; the language
        // host's PULUMI_NODEJS_* variables carry the same for pulumi.getStack() and the like.
        const readers = loaded.files
            .filter((file) => file.endsWith(".ts"))
            .filter((file) => /process\.env|\bget(Stack|Project|Organization)\s*\(|\bisDryRun\s*\(/.test(fs.readFileSync(path.join(PACK_DIR, file), "utf8")));
        assert.deepEqual(readers, []);
    });

    it("declares TypeScript, whose compiler the engine's ts-node uses, so the pack is not compiled by @pulumi/pulumi's bundled TypeScript 3.8", async () => {
        const { dir } = await publishedPack();
        // @pulumi/pulumi (tsutils.typeScriptRequireStrings) requires "typescript" from its own location and falls back to its vendored 3.8.3.
        const fromPulumi = createRequire(createRequire(path.join(dir, "package.json")).resolve("@pulumi/pulumi/tsutils"));
        const compiler = JSON.parse(fs.readFileSync(fromPulumi.resolve("typescript/package.json"), "utf8")) as { version: string };
        assert.equal(compiler.version, manifest.dependencies.typescript);
    });

    it("runs from a directory that sees only its own node_modules", async () => {
        const { dir } = await publishedPack();
        assert.deepEqual(ancestorNodeModules(dir), [], "Node would also find modules there");
        for (const name of [...Object.keys(manifest.dependencies), "@pulumi/pulumi"]) {
            assert.ok(fs.existsSync(path.join(dir, "node_modules", name, "package.json")), `${name} is not installed in ${dir}`);
        }
        assert.ok(!fs.existsSync(path.join(dir, "evaluate.ts")) && !fs.existsSync(path.join(dir, "test")));
    });

    it("installs the versions the repository's lockfile pins", async () => {
        const { dir } = await publishedPack();
        const root = path.resolve(PACK_DIR, "..");
        for (const name of ["@pulumi/policy", "@pulumi/pulumi", "@grpc/grpc-js", "typescript"]) {
            const version = (base: string) =>
                (JSON.parse(fs.readFileSync(path.join(base, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
            assert.equal(version(dir), version(root), name);
        }
    });

    describe("the lockfile derived for the published install", () => {
        const lock = {
            lockfileVersion: 3,
            packages: {
                "": { name: "root" },
                pack: { dependencies: { a: "1", b: "1" } },
                "node_modules/pack": { link: true, resolved: "pack" },
                "node_modules/a": {
                    version: "1.0.0",
                    dependencies: { c: "1" },
                    peerDependencies: { d: "1", e: "1" },
                    peerDependenciesMeta: { e: { optional: true } },
                },
                "pack/node_modules/b": { version: "2.0.0", dependencies: { c: "2" }, dev: true },
                "pack/node_modules/b/node_modules/c": { version: "2.0.0" },
                "node_modules/c": { version: "1.0.0" },
                "node_modules/d": { version: "1.0.0" },
                "node_modules/e": { version: "1.0.0" },
                "node_modules/unrelated": { version: "1.0.0" },
            },
        };

        it("takes the pack's dependencies as Node resolves them from the pack's directory, with required peers, and nothing else", () => {
            const derived = publishedLockfile({ name: "pack", version: "0.1.0", dependencies: { a: "1", b: "1" } }, lock, "pack");
            assert.deepEqual(Object.keys(derived.packages).sort(), [
                "",
                "node_modules/a",
                "node_modules/b",
                "node_modules/b/node_modules/c",
                "node_modules/c",
                "node_modules/d",
            ]);
            assert.equal(derived.packages["node_modules/b"].dev, undefined, "the repository's dev flag does not carry over");
        });

        it("refuses a dependency the repository's lockfile does not install", () => {
            assert.throws(
                () => publishedLockfile({ name: "pack", version: "0.1.0", dependencies: { missing: "1" } }, lock, "pack"),
                /missing \(required by pack\); run npm install/,
            );
        });
    });
});
