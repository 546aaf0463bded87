/**
 * Regenerates the chart image table (policy-pack/data/chart-images.json) from clones of the pinned
 * charts' git repositories (docs/registry.md):
 *   npm run -s images:generate -- --chart <key>=<clone>[@<ref>] ... [--check]
 * One --chart per HELM_CHARTS key of components/versions.ts; a clone may be bare and may serve
 * several charts; <ref> (a tag or commit) must hold the pinned chart version. --check writes
 * nothing and exits 1 when the committed files differ from what the sources give.
 */
import { execFileSync } from "child_process";
import * as path from "path";
import { parseArgs } from "util";
import { writeOrCheck } from "../harness/generatedFiles";
import { CHART_IMAGE_TABLE_FILE } from "../../policy-pack/lib/images";
import type { SourceRecord } from "../../policy-pack/lib/instance-types";
import { HELM_CHARTS } from "../../components/versions";
import { chartRecord, excerptChart, serializeChartImageTable } from "./transform";

/** Where the determinism test keeps its excerpts of the charts (regenerated with the table). */
export const CHART_EXCERPT_DIR = path.join(__dirname, "..", "..", "test", "fixtures", "images");

type ChartKey = keyof typeof HELM_CHARTS;

function git(clone: string, ...args: string[]): string {
    return execFileSync("git", ["-C", clone, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

function main(argv: string[]): number {
    const { values } = parseArgs({ args: argv, options: { chart: { type: "string", multiple: true }, check: { type: "boolean" } }, strict: true });
    const clones = new Map<string, string>();
    for (const spec of values.chart ?? []) {
        const at = spec.indexOf("=");
        if (at < 1) {
            console.error(`--chart ${spec}: expected <key>=<clone>[@<ref>]`);
            return 2;
        }
        clones.set(spec.slice(0, at), spec.slice(at + 1));
    }
    const keys = Object.keys(HELM_CHARTS) as ChartKey[];
    const unknown = [...clones.keys()].filter((key) => !(keys as string[]).includes(key));
    const missing = keys.filter((key) => !clones.has(key));
    if (unknown.length > 0 || missing.length > 0) {
        console.error(
            [
                ...unknown.map((key) => `--chart ${key}: no such chart in HELM_CHARTS (components/versions.ts): ${keys.join(", ")}`),
                ...missing.map((key) => `missing --chart ${key}=<clone of ${HELM_CHARTS[key].chartSource.repository}>[@<ref>]`),
            ].join("\n"),
        );
        return 2;
    }

    const outputs: [string, string][] = [];
    const records = keys.map((key) => {
        const pin = HELM_CHARTS[key];
        const spec = clones.get(key)!;
        const at = spec.lastIndexOf("@");
        const [clone, ref] = at > 0 ? [spec.slice(0, at), spec.slice(at + 1)] : [spec, "HEAD"];
        const commit = git(clone, "rev-parse", `${ref}^{commit}`).trim();
        const source: SourceRecord = {
            repository: pin.chartSource.repository,
            path: pin.chartSource.path,
            commit,
            date: git(clone, "show", "-s", "--format=%cI", commit).trim(),
            facts: "the images the chart runs: each values key holding a repository, with its default repository and tag",
        };
        const chartYaml = git(clone, "show", `${commit}:${pin.chartSource.path}/Chart.yaml`);
        const valuesYaml = git(clone, "show", `${commit}:${pin.chartSource.path}/values.yaml`);
        outputs.push([path.join(CHART_EXCERPT_DIR, `${key}.excerpt.yaml`), excerptChart(chartYaml, valuesYaml, source)]);
        return chartRecord(pin.chart, pin.version, chartYaml, valuesYaml, source);
    });
    outputs.unshift([CHART_IMAGE_TABLE_FILE, serializeChartImageTable(records)]);

    const stale = writeOrCheck(outputs, values.check);
    console.log(`${records.length} charts, ${records.reduce((sum, record) => sum + record.images.length, 0)} images`);
    return stale > 0 ? 1 : 0;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
