import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { buildTable, ExtractedSources, formatTable } from "./build";
import { componentMapping } from "./eksComponent";
import { kubernetesForceNewFacts, kubernetesProviderReplaceOn } from "./kubernetes";
import { readAwsSdkShapes } from "./pulumiAwsTypes";
import { directoryIndex, terraformAwsFacts } from "./terraformAws";

/**
 * Generates the force-new table the offline diff uses (tools/forcenew/forceNew.generated.json).
 *
 *   extract: reads the providers' own sources, pinned by tag or commit, from local git
 *            repositories and writes what forces a replacement, in provider terms, to
 *            tools/forcenew/data/sources.json;
 *   build:   maps those facts onto the Pulumi input names of the installed @pulumi/aws and
 *            writes the table. `build` needs nothing but the repository and node_modules, and a
 *            test re-runs it to prove the committed table is what the recorded sources give.
 */
const USAGE = `usage: npm run -s forcenew -- build
       npm run -s forcenew -- extract --aws-index <git dir> [--aws-ref v6.58.0]
                                      --kubernetes <git dir> [--kubernetes-ref <commit>]
                                      --eks <git dir> [--eks-ref v4.3.0]
  --aws-index   a clone of the Terraform AWS provider's source index (one Go declaration per file,
                tagged by provider release: github.com/lonegunmanb/terraform-provider-aws-index)
  --kubernetes  a clone of github.com/pulumi/pulumi-kubernetes (provider/pkg/provider)
  --eks         a clone of github.com/pulumi/pulumi-eks (nodejs/eks/cluster/cluster.ts)`;

export const FORCENEW_DIR = path.resolve(__dirname);
export const SOURCES_FILE = path.join(FORCENEW_DIR, "data", "sources.json");
export const TABLE_FILE = path.join(FORCENEW_DIR, "forceNew.generated.json");
export const AWS_SDK_DIR = path.resolve(__dirname, "..", "..", "node_modules", "@pulumi", "aws");

function git(gitDir: string, ...args: string[]): string {
    return execFileSync("git", [`--git-dir=${gitDir}`, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
}

interface ExtractOptions {
    "aws-index"?: string;
    "aws-ref"?: string;
    kubernetes?: string;
    "kubernetes-ref"?: string;
    eks?: string;
    "eks-ref"?: string;
}

function extract(options: ExtractOptions): ExtractedSources {
    const { "aws-index": awsIndex, kubernetes, eks } = options;
    if (!awsIndex || !kubernetes || !eks) {
        throw new Error(`extract needs --aws-index, --kubernetes and --eks\n${USAGE}`);
    }
    const awsRef = options["aws-ref"] ?? "v6.58.0";
    const kubernetesRef = options["kubernetes-ref"] ?? "HEAD";
    const eksRef = options["eks-ref"] ?? "v4.3.0";
    const commit = (gitDir: string, ref: string) => git(gitDir, "rev-parse", `${ref}^{commit}`).trim();

    const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), "forcenew-aws-"));
    try {
        execFileSync("sh", ["-c", `git --git-dir="$0" archive "$1" index/ | tar -x -C "$2"`, awsIndex, awsRef, indexDir]);
        const aws = terraformAwsFacts(directoryIndex(indexDir));
        const providerGo = git(kubernetes, "show", `${kubernetesRef}:provider/pkg/provider/provider.go`);
        const diffGo = git(kubernetes, "show", `${kubernetesRef}:provider/pkg/provider/diff.go`);
        const clusterTs = git(eks, "show", `${eksRef}:nodejs/eks/cluster/cluster.ts`);
        const unresolved = Object.values(aws.resources).filter((r) => r.unresolved).length;
        // Keep the facts, not the reader's notes: the notes are for whoever improves the reader.
        const resources = Object.fromEntries(Object.entries(aws.resources).map(([type, facts]) => [type, { ...facts, unresolved: undefined }]));
        return {
            header: {
                sources: {
                    terraformAws: `terraform-provider-aws ${aws.version} (source index commit ${commit(awsIndex, awsRef)})`,
                    pulumiKubernetes: `pulumi-kubernetes ${kubernetesRef === "HEAD" ? "" : `${kubernetesRef} `}commit ${commit(kubernetes, kubernetesRef)}`,
                    pulumiEks: `pulumi-eks ${eksRef} commit ${commit(eks, eksRef)}`,
                },
                note: `${unresolved} Terraform resources have schema parts the reader could not follow (shared helper variables); their explicit ForceNew flags are still read.`,
            },
            terraformAws: { version: aws.version, resources },
            kubernetes: { ...kubernetesForceNewFacts(diffGo), providerReplaceOn: kubernetesProviderReplaceOn(providerGo) },
            eksCluster: componentMapping(clusterTs, "nodejs/eks/cluster/cluster.ts", "aws.eks.Cluster"),
        };
    } finally {
        fs.rmSync(indexDir, { recursive: true, force: true });
    }
}

/** sources.json with one Terraform type per line. */
export function formatSources(sources: ExtractedSources): string {
    const resources = Object.entries(sources.terraformAws.resources).map(([type, facts]) => `      ${JSON.stringify(type)}: ${JSON.stringify(facts)}`);
    return [
        "{",
        `  "header": ${JSON.stringify(sources.header)},`,
        `  "kubernetes": ${JSON.stringify(sources.kubernetes)},`,
        `  "eksCluster": ${JSON.stringify(sources.eksCluster)},`,
        `  "terraformAws": {`,
        `    "version": ${JSON.stringify(sources.terraformAws.version)},`,
        `    "resources": {`,
        resources.join(",\n"),
        "    }",
        "  }",
        "}",
        "",
    ].join("\n");
}

export function readSources(file = SOURCES_FILE): ExtractedSources {
    return JSON.parse(fs.readFileSync(file, "utf8")) as ExtractedSources;
}

/** The table text `build` writes for the recorded sources and the installed @pulumi/aws. */
export function buildTableText(sources = readSources()): string {
    return formatTable(buildTable(sources, readAwsSdkShapes(AWS_SDK_DIR)));
}

function main(argv: string[]): void {
    const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
            "aws-index": { type: "string" },
            "aws-ref": { type: "string" },
            kubernetes: { type: "string" },
            "kubernetes-ref": { type: "string" },
            eks: { type: "string" },
            "eks-ref": { type: "string" },
            help: { type: "boolean", short: "h" },
        },
    });
    const [command] = positionals;
    if (values.help || !command || !["extract", "build"].includes(command)) {
        console.log(USAGE);
        process.exit(values.help ? 0 : 2);
    }
    if (command === "extract") {
        fs.mkdirSync(path.dirname(SOURCES_FILE), { recursive: true });
        fs.writeFileSync(SOURCES_FILE, formatSources(extract(values)));
        console.log(`wrote ${path.relative(process.cwd(), SOURCES_FILE)}`);
    }
    fs.writeFileSync(TABLE_FILE, buildTableText());
    console.log(`wrote ${path.relative(process.cwd(), TABLE_FILE)}`);
}

if (require.main === module) {
    try {
        main(process.argv.slice(2));
    } catch (error) {
        console.error((error as Error).message);
        process.exit(2);
    }
}
