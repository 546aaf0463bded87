/** One fresh node process as the bench measured it. */
export interface Sample {
    seconds: number;
    /** User and system CPU time: what the process cost, whatever else the machine runs. */
    cpuSeconds: number;
    peakMiB: number;
}

export interface BenchCase {
    name: string;
    args: string[];
    /** One per round, in round order. */
    samples: Sample[];
    /** The largest ratio of wall time to the floor's that meets the goal; a case without one is a reference. */
    target?: number;
    memoryTargetMiB?: number;
}

/** What the bench prints about one case: every figure of its line. */
interface CaseSummary {
    name: string;
    median: number;
    min: number;
    max: number;
    cpuMedian: number;
    /** Median of the per-round ratios of CPU time to the floor's; absent for the floor itself. */
    cpuRatio?: number;
    peakMiB: number;
    /** Median, lowest and highest of the per-round ratios to the floor; absent for the floor itself. */
    ratio?: { median: number; min: number; max: number; target?: number };
    memoryTargetMiB?: number;
}

interface BenchSummary {
    /** When it ran, as the bench prints it: YYYY-MM-DD HH:MM UTC. */
    date: string;
    machine: string;
    node: string;
    runs: number;
    load: number;
    sdkFiles: number;
    cases: CaseSummary[];
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The figures of a run: the floor is the first case; every other case is compared with it round by round. */
export function summarize(cases: BenchCase[], run: { date: Date; machine: string; node: string; load: number; sdkFiles: number }): BenchSummary {
    const [floor] = cases;
    const summaries = cases.map((benchCase): CaseSummary => {
        const seconds = benchCase.samples.map((s) => s.seconds);
        const ratios = benchCase.samples.map((s, round) => s.seconds / floor.samples[round].seconds);
        return {
            name: benchCase.name,
            median: median(seconds),
            min: Math.min(...seconds),
            max: Math.max(...seconds),
            cpuMedian: median(benchCase.samples.map((s) => s.cpuSeconds)),
            cpuRatio: benchCase === floor ? undefined : median(benchCase.samples.map((s, round) => s.cpuSeconds / floor.samples[round].cpuSeconds)),
            peakMiB: Math.max(...benchCase.samples.map((s) => s.peakMiB)),
            ratio: benchCase === floor ? undefined : { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), target: benchCase.target },
            memoryTargetMiB: benchCase.memoryTargetMiB,
        };
    });
    return {
        date: run.date.toISOString().slice(0, 16).replace("T", " ") + " UTC",
        machine: run.machine,
        node: run.node,
        runs: floor.samples.length,
        load: run.load,
        sdkFiles: run.sdkFiles,
        cases: summaries,
    };
}

const verdict = (value: number, target: number) => (value <= target ? "met" : "MISSED");
const NAME_WIDTH = 16;

/** The lines the bench prints; parseBenchReport reads them back. */
export function formatBenchReport(summary: BenchSummary): string[] {
    const header = [
        `plan benchmark ${summary.date} on ${summary.machine}, node ${summary.node}, load average ${summary.load.toFixed(1)}`,
        `${summary.runs} rounds of fresh node processes; floor: loading the ${summary.sdkFiles} Pulumi SDK files the plan loads, nothing else`,
    ];
    const lines = summary.cases.map((c) => {
        const wall = `${c.name.padEnd(NAME_WIDTH)} median ${c.median.toFixed(2)} s wall (min ${c.min.toFixed(2)}, max ${c.max.toFixed(2)})`;
        const target = c.ratio?.target === undefined ? "" : `; target ${c.ratio.target}x: ${verdict(c.ratio.median, c.ratio.target)}`;
        const ratio = c.ratio ? ` = ${c.ratio.median.toFixed(2)}x floor (rounds ${c.ratio.min.toFixed(2)}-${c.ratio.max.toFixed(2)}x${target})` : "";
        const memory = c.memoryTargetMiB === undefined ? "" : ` (target ${c.memoryTargetMiB} MiB: ${verdict(c.peakMiB, c.memoryTargetMiB)})`;
        const cpu = `, CPU ${c.cpuMedian.toFixed(2)} s${c.cpuRatio === undefined ? "" : ` = ${c.cpuRatio.toFixed(2)}x floor's`}`;
        return `${wall}${ratio}${cpu}, peak RSS ${c.peakMiB.toFixed(0)} MiB${memory}`;
    });
    return [...header, ...lines];
}

const HEADER = /^plan benchmark (\d{4}-\d\d-\d\d \d\d:\d\d UTC) on (.+), node (v[\d.]+), load average (\d+\.\d)$/;
const ROUNDS = /^(\d+) rounds of fresh node processes; floor: loading the (\d+) Pulumi SDK files the plan loads, nothing else$/;
const CASE =
    /^(.{16}) median (\d+\.\d\d) s wall \(min (\d+\.\d\d), max (\d+\.\d\d)\)(?: = (\d+\.\d\d)x floor \(rounds (\d+\.\d\d)-(\d+\.\d\d)x(?:; target ([\d.]+)x: (?:met|MISSED))?\))?, CPU (\d+\.\d\d) s(?: = (\d+\.\d\d)x floor's)?, peak RSS (\d+) MiB(?: \(target (\d+) MiB: (?:met|MISSED)\))?$/;

/** Reads the bench's printed lines back into their figures; throws on a line the bench does not print. */
export function parseBenchReport(lines: string[]): BenchSummary {
    const [first, second, ...rest] = lines;
    const header = HEADER.exec(first ?? "");
    const rounds = ROUNDS.exec(second ?? "");
    if (!header || !rounds) {
        throw new Error(`not the bench's header: ${JSON.stringify([first, second])}`);
    }
    const cases = rest.map((line): CaseSummary => {
        const m = CASE.exec(line);
        if (!m) {
            throw new Error(`not a line the bench prints: ${JSON.stringify(line)}`);
        }
        return {
            name: m[1].trimEnd(),
            median: Number(m[2]),
            min: Number(m[3]),
            max: Number(m[4]),
            ratio: m[5] ? { median: Number(m[5]), min: Number(m[6]), max: Number(m[7]), target: m[8] ? Number(m[8]) : undefined } : undefined,
            cpuMedian: Number(m[9]),
            cpuRatio: m[10] ? Number(m[10]) : undefined,
            peakMiB: Number(m[11]),
            memoryTargetMiB: m[12] ? Number(m[12]) : undefined,
        };
    });
    return { date: header[1], machine: header[2], node: header[3], load: Number(header[4]), runs: Number(rounds[1]), sdkFiles: Number(rounds[2]), cases };
}
