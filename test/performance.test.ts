import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { formatBenchReport, parseBenchReport, summarize, type BenchCase } from "../tools/bench/report";
import { renderNamedStack } from "./support";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cache = require("../tools/compiled/cache.cjs") as { compiled(filename: string, source: string): string; CACHE_DIR: string };

const BENCH_BLOCK = /<!-- bench -->\n```\n([\s\S]*?)\n```/;

const samples = (...seconds: number[]) => seconds.map((s, i) => ({ seconds: s, cpuSeconds: s / 2, peakMiB: 100 + i }));

describe("performance: the bench's report and the docs that quote it", () => {
    it("compares each case with the floor of the same round and says whether the target is met", () => {
        const cases: BenchCase[] = [
            { name: "floor", args: [], samples: samples(1, 2, 1) },
            { name: "one stack (prod)", args: [], samples: samples(1.5, 2.4, 1.8), target: 1.6 },
            { name: "all stacks", args: [], samples: samples(2, 5, 2.1), target: 2.2, memoryTargetMiB: 101 },
        ];
        const summary = summarize(cases, { date: new Date("2026-12-01T17:00:00Z"), machine: "2 x test CPU, 8 GiB", node: "v20.0.0", load: 1.5, sdkFiles: 10 });
        // Per round: 1.5/1, 2.4/2, 1.8/1 → median 1.5 (the ratio of the medians would be 1.8).
        assert.deepEqual(summary.cases[1].ratio, { median: 1.5, min: 1.2, max: 1.8, target: 1.6 });
        const lines = formatBenchReport(summary);
        assert.match(lines[3], /= 1\.50x floor \(rounds 1\.20-1\.80x; target 1\.6x: met\)/);
        assert.match(
            lines[4],
            /= 2\.10x floor \(rounds 2\.00-2\.50x; target 2\.2x: met\), CPU 1\.05 s = 2\.10x floor's, peak RSS 102 MiB \(target 101 MiB: MISSED\)$/,
        );
        assert.deepEqual(formatBenchReport(parseBenchReport(lines)), lines);
    });

    it("prints a reference case (no target) with its ratios and no verdict, and reads it back", () => {
        const cases: BenchCase[] = [
            { name: "floor", args: [], samples: samples(1, 2, 1) },
            { name: "SDK only, prod", args: [], samples: samples(1.7, 3.2, 1.6) },
        ];
        const summary = summarize(cases, { date: new Date("2026-12-01T17:00:00Z"), machine: "2 x test CPU, 8 GiB", node: "v20.0.0", load: 1.5, sdkFiles: 10 });
        const lines = formatBenchReport(summary);
        assert.match(
            lines[3],
            /^SDK only, prod {3}median 1\.70 s wall \(min 1\.60, max 3\.20\) = 1\.60x floor \(rounds 1\.60-1\.70x\), CPU 0\.85 s = 1\.60x floor's, peak RSS 102 MiB$/,
        );
        assert.deepEqual(parseBenchReport(lines).cases[1].ratio, { median: 1.6, min: 1.6, max: 1.7, target: undefined });
        assert.deepEqual(formatBenchReport(parseBenchReport(lines)), lines);
    });

    it("refuses a line the bench does not print", () => {
        assert.throws(() => parseBenchReport(["plan benchmark, hand-written", "", "floor 1 s"]), /not the bench's header/);
    });

    it("docs/performance.md quotes a whole bench report, in the bench's format, with verdicts that fit its figures", () => {
        const docs = fs.readFileSync(path.join(__dirname, "..", "docs", "performance.md"), "utf8");
        const block = BENCH_BLOCK.exec(docs);
        assert.ok(block, "docs/performance.md has no <!-- bench --> block");
        const lines = block[1].split("\n");
        const report = parseBenchReport(lines);
        // Exactly what formatBenchReport prints for these figures: no hand-edited number or spacing.
        assert.deepEqual(formatBenchReport(report), lines);
        assert.deepEqual(
            report.cases.map((c) => c.name),
            ["floor", "SDK only, prod", "one stack (prod)", "SDK only, all", "all stacks"],
        );
        // The prose reads the "SDK only" lines of this very block: the ratios it quotes are theirs.
        const ratioOf = (name: string) => report.cases.find((c) => c.name === name)?.ratio?.median.toFixed(2);
        const prod = report.cases.find((c) => c.name === "one stack (prod)");
        assert.ok(docs.includes(`took ${ratioOf("SDK only, prod")} times\nthe floor`), "the SDK-only prod ratio quoted in the prose is not the block's");
        assert.ok(docs.includes(`took ${ratioOf("SDK only, all")} times`), "the SDK-only all-stacks ratio quoted in the prose is not the block's");
        assert.ok(
            Number(ratioOf("SDK only, prod")) > (prod?.ratio?.target ?? 0),
            "the prose says the SDK alone exceeds prod's target; the block does not show it",
        );
        for (const c of report.cases) {
            assert.ok(c.min <= c.median && c.median <= c.max, `${c.name}: median outside min-max`);
            if (c.ratio) {
                assert.ok(c.ratio.min <= c.ratio.median && c.ratio.median <= c.ratio.max, `${c.name}: ratio outside its rounds`);
            }
        }
    });
});

describe("performance: the compiled TypeScript cache never runs stale code", () => {
    it("compiles a changed source afresh and reuses the output of an unchanged one", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "compiled-")), "module.ts");
        const first = cache.compiled(file, "export const answer: number = 1;\n");
        const changed = cache.compiled(file, "export const answer: number = 2;\n");
        assert.match(first, /exports\.answer = 1;/);
        assert.match(changed, /exports\.answer = 2;/);
        assert.doesNotMatch(changed, /: number/);
        const outputs = fs.readdirSync(cache.CACHE_DIR).length;
        assert.equal(cache.compiled(file, "export const answer: number = 1;\n"), first);
        assert.equal(fs.readdirSync(cache.CACHE_DIR).length, outputs, "an unchanged source was compiled again");
    });

    it("keeps import() a dynamic import, as the ES-only schema packages need", () => {
        const output = cache.compiled(path.join(os.tmpdir(), "dynamic.ts"), 'export const load = () => import("kubernetes-models/v1/Pod");\n');
        assert.match(output, /\(\) => import\("kubernetes-models\/v1\/Pod"\)/);
    });

    it("refuses a syntax error with the file and position", () => {
        assert.throws(() => cache.compiled(path.join(os.tmpdir(), "broken.ts"), "export const = ;\n"), /cannot compile TypeScript:\n.*broken\.ts:1:\d+: /);
    });
});

describe("performance: the plan's runner loads TypeScript only when Pulumi serializes a closure", () => {
    it("imports @pulumi/pulumi without TypeScript, and the shim still answers when asked", () => {
        const script = [
            'require("./tools/compiled/deferTypeScript.cjs").deferTypeScript();',
            'require("@pulumi/pulumi");',
            'const loaded = () => Object.keys(require.cache).some((f) => f.endsWith("typescript.js"));',
            "const before = loaded();",
            'const kind = require("@pulumi/pulumi/typescript-shim").SyntaxKind.Identifier;',
            "console.log(JSON.stringify({ before, kind, after: loaded() }));",
        ].join("\n");
        const result = spawnSync(process.execPath, ["-e", script], { cwd: path.join(__dirname, ".."), encoding: "utf8" });
        assert.equal(result.status, 0, result.stderr);
        const { before, kind, after } = JSON.parse(result.stdout) as { before: boolean; kind: unknown; after: boolean };
        assert.equal(before, false, "TypeScript was loaded with @pulumi/pulumi");
        assert.equal(typeof kind, "number");
        assert.equal(after, true);
    });
});

describe("performance: the plan's runner keeps V8's code cache for the modules the SDKs do not load", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const codeCache = require("../tools/compiled/codeCache.cjs") as { entryOf(filename: string, content: string): string };
    const root = path.join(__dirname, "..");
    const run = (module: string) => {
        const script = `require("./tools/compiled/codeCache.cjs").enableCodeCache(); console.log(JSON.stringify(require(${JSON.stringify(module)})));`;
        const result = spawnSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8" });
        assert.equal(result.status, 0, result.stderr);
        return JSON.parse(result.stdout) as unknown;
    };

    it("runs a module as node does, keeps its compiled code, and compiles a changed source afresh", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "code-cache-")), "module.js");
        const source = (answer: number) =>
            `"use strict";\nexports.answer = ${answer};\nexports.self = this === module.exports;\nexports.dir = __dirname;\nexports.resolved = typeof require.resolve("path");\n`;
        fs.writeFileSync(file, source(1));
        const expected = { answer: 1, self: true, dir: path.dirname(file), resolved: "string" };
        assert.deepEqual(run(file), expected);
        const entry = codeCache.entryOf(file, source(1));
        assert.ok(fs.existsSync(entry), "no code cache entry was written");
        const written = fs.statSync(entry).mtimeMs;
        assert.deepEqual(run(file), expected);
        assert.equal(fs.statSync(entry).mtimeMs, written, "the entry was rejected and written again");
        fs.writeFileSync(file, source(2));
        assert.deepEqual(run(file), { ...expected, answer: 2 });
        assert.ok(fs.existsSync(codeCache.entryOf(file, source(2))));
    });

    it("leaves the Pulumi SDKs' modules, and what they load, to node, as the bench's floor loads them", () => {
        const sdkFile = require.resolve("@pulumi/pulumi/version");
        run(sdkFile);
        assert.ok(!fs.existsSync(codeCache.entryOf(sdkFile, fs.readFileSync(sdkFile, "utf8"))), "an SDK module went through the code cache");
    });
});

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdk = require("../tools/bench/sdk.cjs") as { loadedSdkFiles(): string[] };

describe("performance: the bench's SDK-only case registers exactly a plan's resources, with the floor's SDK files", () => {
    const root = path.join(__dirname, "..");
    const replay = (plan: object, sdkFiles: string[]) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdk-only-"));
        fs.writeFileSync(path.join(dir, "sdk.json"), JSON.stringify(sdkFiles));
        fs.writeFileSync(path.join(dir, "plan.json"), JSON.stringify(plan));
        return spawnSync(process.execPath, [path.join(root, "tools", "bench", "sdkOnly.cjs"), path.join(dir, "sdk.json"), path.join(dir, "plan.json"), "dev"], {
            cwd: root,
            encoding: "utf8",
        });
    };

    it("replays a plan's resources by their SDK classes, and fails when a registration does not reach the monitor or needs more SDK", async () => {
        const { resources, project } = await renderNamedStack("dev");
        // Every SDK file this process loaded to render dev: a floor list the replay of dev's resources needs no more than.
        const sdkFiles = sdk.loadedSdkFiles();
        // A subtree (the network component and what it holds) keeps the run short: its parents come with it.
        const network = resources.find((r) => r.type === "eksplatform:network:Network");
        assert.ok(network, "dev has no network component");
        const subtree = resources.filter(
            (r) => r.urn === network.urn || r.parent === network.urn || resources.some((p) => p.parent === network.urn && r.parent === p.urn),
        );
        assert.ok(subtree.length > 20, `only ${subtree.length} resources under the network`);
        const plan = { stack: "dev", project, resources: subtree };
        const ok = replay(plan, sdkFiles);
        assert.equal(ok.status, 0, ok.stderr);
        // Two entries of one resource register once: the replay must say so, not time less work.
        const twice = replay({ ...plan, resources: [...subtree, { ...subtree[1] }] }, sdkFiles);
        assert.equal(twice.status, 2);
        assert.match(twice.stderr, /dev: the registrations that reached the mock monitor are not the plan's resources/);
        // A floor that loads nothing: the replay's SDK code would then be time the floor never spends.
        const unlisted = replay(plan, []);
        assert.equal(unlisted.status, 2);
        assert.match(unlisted.stderr, /loaded \d+ SDK files the floor does not, such as .*@pulumi/);
    });
});
