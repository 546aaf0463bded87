import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";

/**
 * Runs the offline plan as a reviewer's CI job does (a fresh node process each time) and prints the
 * median wall time and peak memory per case. A benchmark, not a test: it asserts nothing.
 */
const ROOT = path.resolve(__dirname, "..");
const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Number(values.runs);

const cases: { name: string; args: string[] }[] = [
    { name: "one stack (dev)", args: ["--stack", "dev"] },
    { name: "all stacks", args: [] },
];

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-bench-")), "rss");
console.log(`plan benchmark: ${runs} runs per case, node ${process.version}, ${os.cpus().length} CPUs`);
for (const benchCase of cases) {
    const walls: number[] = [];
    const peaks: number[] = [];
    for (let run = 0; run < runs; run++) {
        const started = process.hrtime.bigint();
        const result = spawnSync(
            process.execPath,
            ["--import", "tsx", "--require", path.join(__dirname, "bench", "reportRss.cjs"), path.join(ROOT, "tools", "plan.ts"), ...benchCase.args],
            { cwd: ROOT, env: { ...process.env, BENCH_RSS_FILE: rssFile }, encoding: "utf8" },
        );
        walls.push(Number(process.hrtime.bigint() - started) / 1e6);
        if (result.status !== 0 && result.status !== 1) {
            throw new Error(`plan ${benchCase.args.join(" ")} failed (${result.status}):\n${result.stderr}`);
        }
        peaks.push(Number(fs.readFileSync(rssFile, "utf8")) / 1024);
    }
    console.log(
        `${benchCase.name.padEnd(16)} median ${(median(walls) / 1000).toFixed(2)} s wall (min ${(Math.min(...walls) / 1000).toFixed(2)}, max ${(Math.max(...walls) / 1000).toFixed(2)}), peak RSS ${Math.max(...peaks).toFixed(0)} MiB`,
    );
}
