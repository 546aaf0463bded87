/**
 * Regenerates the offline facts from clones of their public sources (see docs/facts.md):
 *   npm run -s facts:generate -- --vpc-cni <clone> --karpenter <clone> --botocore <clone> [--check]
 * Each clone may be bare; `<clone>@<ref>` reads another commit than HEAD. --check writes nothing
 * and exits 1 when the committed tables differ from what the sources give.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { INSTANCE_TYPE_TABLE_FILE, type SourceRecord } from "../../policy-pack/lib/instance-types";
import { REGION_TABLE_FILE } from "../harness/awsFacts";
import {
    buildInstanceTypeTable,
    buildRegionTable,
    excerptCniLimits,
    excerptKarpenterInstanceTypes,
    excerptPartitions,
    parseCniLimits,
    parseKarpenterInstanceTypes,
    serializeTable,
} from "./transform";

/** Where the determinism test keeps its excerpts of the sources (regenerated with the tables). */
export const EXCERPT_DIR = path.join(__dirname, "..", "..", "test", "fixtures", "facts");

/** The files read from each source, and what the tables take from them. */
export const SOURCES = {
    vpcCni: {
        repository: "https://github.com/aws/amazon-vpc-cni-k8s",
        path: "pkg/vpc/vpc_ip_resource_limit.go",
        facts: "ENIs and IPv4 addresses per ENI as the VPC CNI uses them, network cards, hypervisor, bare metal (the CNI's generator reads DescribeInstanceTypes)",
    },
    karpenter: {
        repository: "https://github.com/aws/karpenter-provider-aws",
        path: "website/content/en/docs/reference/instance-types.md",
        facts: "vCPUs, memory, architecture and GPUs (Karpenter's reference, generated from DescribeInstanceTypes)",
    },
    botocore: {
        repository: "https://github.com/boto/botocore",
        path: "botocore/data/partitions.json",
        facts: "commercial regions: the aws partition",
    },
} as const;

function git(clone: string, ...args: string[]): string {
    return execFileSync("git", ["-C", clone, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

/** Reads a source file at a ref of a clone, and records where it came from. */
function readSource(spec: string, source: (typeof SOURCES)[keyof typeof SOURCES]): { text: string; record: SourceRecord } {
    const at = spec.lastIndexOf("@");
    const [clone, ref] = at > 0 ? [spec.slice(0, at), spec.slice(at + 1)] : [spec, "HEAD"];
    const commit = git(clone, "rev-parse", `${ref}^{commit}`).trim();
    const date = git(clone, "show", "-s", "--format=%cI", commit).trim();
    return {
        text: git(clone, "show", `${commit}:${source.path}`),
        record: { repository: source.repository, path: source.path, commit, date, facts: source.facts },
    };
}

function main(argv: string[]): number {
    const { values } = parseArgs({
        args: argv,
        options: { "vpc-cni": { type: "string" }, karpenter: { type: "string" }, botocore: { type: "string" }, check: { type: "boolean" } },
        strict: true,
    });
    const missing = (["vpc-cni", "karpenter", "botocore"] as const).filter((option) => !values[option]);
    if (missing.length > 0) {
        console.error(`missing ${missing.map((option) => `--${option} <clone>`).join(", ")}; see docs/facts.md`);
        return 2;
    }
    const cni = readSource(values["vpc-cni"] as string, SOURCES.vpcCni);
    const karpenter = readSource(values.karpenter as string, SOURCES.karpenter);
    const botocore = readSource(values.botocore as string, SOURCES.botocore);

    const instanceTypes = buildInstanceTypeTable(parseCniLimits(cni.text), parseKarpenterInstanceTypes(karpenter.text), {
        network: cni.record,
        shape: karpenter.record,
    });
    const outputs: [string, string][] = [
        [INSTANCE_TYPE_TABLE_FILE, serializeTable(instanceTypes, "instanceTypes")],
        [REGION_TABLE_FILE, serializeTable(buildRegionTable(botocore.text, botocore.record), "regions")],
        [path.join(EXCERPT_DIR, "vpc_ip_resource_limit.excerpt.go"), excerptCniLimits(cni.text, cni.record)],
        [path.join(EXCERPT_DIR, "instance-types.excerpt.md"), excerptKarpenterInstanceTypes(karpenter.text, karpenter.record)],
        [path.join(EXCERPT_DIR, "partitions.excerpt.json"), excerptPartitions(botocore.text)],
    ];
    let stale = 0;
    for (const [file, text] of outputs) {
        const relative = path.relative(process.cwd(), file);
        if (values.check) {
            const same = fs.existsSync(file) && fs.readFileSync(file, "utf8") === text;
            stale += same ? 0 : 1;
            console.log(`${relative}: ${same ? "up to date" : "differs from its sources"}`);
        } else {
            fs.writeFileSync(file, text);
            console.log(`wrote ${relative}`);
        }
    }
    console.log(
        `${Object.keys(instanceTypes.instanceTypes).length} instance types; ${Object.keys(instanceTypes.incomplete).length} listed by one source only (under "incomplete")`,
    );
    return stale > 0 ? 1 : 0;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
