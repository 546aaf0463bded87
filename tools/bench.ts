import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { BenchCase, formatBenchReport, Sample, summarize } from "./bench/report";

/**
 * Runs the offline plan as a reviewer's CI job does (a fresh node process each time) next to its
 * floor, a fresh node process that only loads the Pulumi SDK files the plan loads, and prints each
 * case as a ratio to the floor measured in the same round, so the machine's speed and load cancel
 * out. The "SDK only" cases register the same resources through the SDK with none of the
 * platform's code: what any plan of those stacks costs at least. A benchmark, not a test: it
 * asserts nothing.
 */
const ROOT = path.resolve(__dirname, "..");
const RUNNER = path.join(ROOT, "tools", "compiled", "run.cjs");
const PLAN = path.join(ROOT, "tools", "plan.ts");
const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
    throw new Error(`--runs ${values.runs}: give a whole number of rounds, 1 or more`);
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "plan-bench-"));
const rssFile = path.join(scratch, "rss");
const sdkFile = path.join(scratch, "sdk.json");
const plansFile = path.join(scratch, "plans.json");

/** One fresh node process: its wall time, CPU time and peak resident memory. */
function measure(args: string[], env: Record<string, string> = {}, completes: readonly number[] = [0]): Sample {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, ["--require", path.join(__dirname, "bench", "reportRss.cjs"), ...args], {
        cwd: ROOT,
        env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
        encoding: "utf8",
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.status === null || !completes.includes(result.status)) {
        throw new Error(`node ${args.join(" ")} failed (${result.status}):\n${result.stderr}`);
    }
    const usage = JSON.parse(fs.readFileSync(rssFile, "utf8")) as { maxRSS: number; cpu: number };
    return { seconds, cpuSeconds: usage.cpu / 1e6, peakMiB: usage.maxRSS / 1024 };
}

// 1 is a plan with mandatory findings, still a complete run.
const PLAN_COMPLETES = [0, 1];
// A first run of every stack fills the compile cache, records the SDK files the plan loads and
// writes the plans the "SDK only" cases register again.
measure(["--require", path.join(__dirname, "bench", "recordSdk.cjs"), RUNNER, PLAN, "--json", plansFile], { BENCH_SDK_FILE: sdkFile }, PLAN_COMPLETES);
const sdkFiles = (JSON.parse(fs.readFileSync(sdkFile, "utf8")) as string[]).length;

const SDK_ONLY = path.join(__dirname, "bench", "sdkOnly.cjs");
const cases: (BenchCase & { completes?: number[] })[] = [
    { name: "floor", args: [path.join(__dirname, "bench", "floor.cjs"), sdkFile], samples: [] },
    { name: "SDK only, prod", args: [SDK_ONLY, sdkFile, plansFile, "prod"], samples: [] },
    { name: "one stack (prod)", args: [RUNNER, PLAN, "--stack", "prod"], samples: [], target: 1.6, completes: PLAN_COMPLETES },
    { name: "SDK only, all", args: [SDK_ONLY, sdkFile, plansFile], samples: [] },
    { name: "all stacks", args: [RUNNER, PLAN], samples: [], target: 2.2, memoryTargetMiB: 300, completes: PLAN_COMPLETES },
];
// Rounds interleave the cases, so a change of load hits the floor and the plan alike.
for (let round = 0; round < runs; round++) {
    for (const benchCase of cases) {
        benchCase.samples.push(measure(benchCase.args, {}, benchCase.completes));
    }
}
const cpus = os.cpus();
const machine = `${cpus.length} x ${cpus[0].model.replace(/\s+/g, " ").trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`;
const summary = summarize(cases, { date: new Date(), machine, node: process.version, load: os.loadavg()[0], sdkFiles });
console.log(formatBenchReport(summary).join("\n"));
fs.rmSync(scratch, { recursive: true, force: true });
