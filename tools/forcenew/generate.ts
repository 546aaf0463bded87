import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { buildTable, ExtractedSources, formatTable } from "./build";
import { componentMapping } from "./eksComponent";
import { kubernetesForceNewFacts, kubernetesProviderReplaceOn } from "./kubernetes";
import { readSdkShapes } from "./pulumiSdkTypes";
import { directoryIndex, terraformAwsFacts } from "./terraformAws";
import { GITHUB_PACKAGE, pulumiGithubOverrides, pulumiGithubTokens, terraformGithubFacts } from "./terraformGithub";

/**
 * Generates the force-new table the offline diff uses (tools/forcenew/forceNew.generated.json).
 *
 *   extract: reads the providers' own sources, pinned by tag or commit, from local git
 *            repositories and writes what forces a replacement, in provider terms, to
 *            tools/forcenew/data/sources.json;
 *   build:   maps those facts onto the Pulumi tokens and input names of the installed @pulumi/aws
 *            and @pulumi/github and writes the table. `build` needs nothing but the repository and
 *            node_modules, and a test re-runs it to prove the committed table is what the recorded
 *            sources give.
 */
const USAGE = `usage: npm run -s forcenew -- build
       npm run -s forcenew -- extract --aws-index <git dir> [--aws-ref v6.58.0]
                                      --github <git dir> --pulumi-github <git dir> [--pulumi-github-ref v<installed @pulumi/github>]
                                      --kubernetes <git dir> [--kubernetes-ref <commit>]
                                      --eks <git dir> [--eks-ref v4.3.0]
  --aws-index      a clone of the Terraform AWS provider's source index (one Go declaration per file,
                   tagged by provider release: github.com/lonegunmanb/terraform-provider-aws-index)
  --github         a clone of github.com/integrations/terraform-provider-github; read at the commit
                   pulumi-github's "upstream" submodule pins
  --pulumi-github  a clone of github.com/pulumi/pulumi-github (its tokens, ForceNew overrides and
                   upstream commit), at the tag of the installed @pulumi/github by default
  --kubernetes     a clone of github.com/pulumi/pulumi-kubernetes (provider/pkg/provider)
  --eks            a clone of github.com/pulumi/pulumi-eks (nodejs/eks/cluster/cluster.ts)`;

export const FORCENEW_DIR = path.resolve(__dirname);
export const SOURCES_FILE = path.join(FORCENEW_DIR, "data", "sources.json");
export const TABLE_FILE = path.join(FORCENEW_DIR, "forceNew.generated.json");
export const SDK_DIR = path.resolve(__dirname, "..", "..", "node_modules", "@pulumi");

/** The version of an installed @pulumi package. */
export function installedVersion(name: string): string {
    return (JSON.parse(fs.readFileSync(path.join(SDK_DIR, name, "package.json"), "utf8")) as { version: string }).version;
}

function git(gitDir: string, ...args: string[]): string {
    return execFileSync("git", [`--git-dir=${gitDir}`, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
}

interface ExtractOptions {
    "aws-index"?: string;
    "aws-ref"?: string;
    github?: string;
    "pulumi-github"?: string;
    "pulumi-github-ref"?: string;
    kubernetes?: string;
    "kubernetes-ref"?: string;
    eks?: string;
    "eks-ref"?: string;
}

/** The Terraform GitHub provider at the commit pulumi-github's `upstream` submodule pins, with pulumi-github's mapping. */
function extractGithub(github: string, pulumiGithub: string, pulumiGithubRef: string) {
    const upstream = /^160000 commit ([0-9a-f]{40})\tupstream$/m.exec(git(pulumiGithub, "ls-tree", pulumiGithubRef, "upstream"))?.[1];
    if (!upstream) {
        throw new Error(`pulumi-github ${pulumiGithubRef} has no "upstream" submodule: cannot tell which Terraform GitHub provider it is built on`);
    }
    let version: string;
    try {
        version = git(github, "describe", "--tags", "--exact-match", upstream).trim();
    } catch {
        version = upstream;
    }
    const files = new Map<string, string>();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "forcenew-github-"));
    try {
        execFileSync("sh", ["-c", `git --git-dir="$0" archive "$1" "$2/" | tar -x -C "$3"`, github, upstream, GITHUB_PACKAGE, dir]);
        for (const name of fs.readdirSync(path.join(dir, GITHUB_PACKAGE)).filter((f) => f.endsWith(".go") && !f.endsWith("_test.go"))) {
            files.set(`${GITHUB_PACKAGE}/${name}`, fs.readFileSync(path.join(dir, GITHUB_PACKAGE, name), "utf8"));
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
    const tokens = pulumiGithubTokens(git(pulumiGithub, "show", `${pulumiGithubRef}:provider/cmd/pulumi-resource-github/bridge-metadata.json`));
    const overrides = pulumiGithubOverrides(git(pulumiGithub, "show", `${pulumiGithubRef}:provider/resources.go`));
    const { resources, unresolved } = terraformGithubFacts(files, tokens, overrides);
    const pulumiGithubCommit = git(pulumiGithub, "rev-parse", `${pulumiGithubRef}^{commit}`).trim();
    return {
        sources: {
            terraformGithub: `terraform-provider-github ${version} commit ${upstream} (the upstream of pulumi-github ${pulumiGithubRef})`,
            pulumiGithub: `pulumi-github ${pulumiGithubRef} commit ${pulumiGithubCommit} (tokens: provider/cmd/pulumi-resource-github/bridge-metadata.json; ForceNew overrides and provider settings: provider/resources.go)`,
        },
        unresolved,
        facts: { version, providerReplaceOn: overrides.providerReplaceOn, resources },
    };
}

function extract(options: ExtractOptions): ExtractedSources {
    const { "aws-index": awsIndex, github, "pulumi-github": pulumiGithub, kubernetes, eks } = options;
    if (!awsIndex || !github || !pulumiGithub || !kubernetes || !eks) {
        throw new Error(`extract needs --aws-index, --github, --pulumi-github, --kubernetes and --eks\n${USAGE}`);
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
        const githubSources = extractGithub(github, pulumiGithub, options["pulumi-github-ref"] ?? `v${installedVersion("github")}`);
        // Keep the facts, not the reader's notes: the notes are for whoever improves the reader.
        const resources = Object.fromEntries(Object.entries(aws.resources).map(([type, facts]) => [type, { ...facts, unresolved: undefined }]));
        return {
            header: {
                sources: {
                    terraformAws: `terraform-provider-aws ${aws.version} (source index commit ${commit(awsIndex, awsRef)})`,
                    ...githubSources.sources,
                    pulumiKubernetes: `pulumi-kubernetes ${/^(HEAD|[0-9a-f]{40})$/.test(kubernetesRef) ? "" : `${kubernetesRef} `}commit ${commit(kubernetes, kubernetesRef)}`,
                    pulumiEks: `pulumi-eks ${eksRef} commit ${commit(eks, eksRef)}`,
                },
                note:
                    `${unresolved} terraform-provider-aws and ${githubSources.unresolved} terraform-provider-github resources have schema parts the reader ` +
                    "could not follow (shared helper variables); their explicit ForceNew flags are still read.",
            },
            terraformAws: { version: aws.version, resources },
            terraformGithub: githubSources.facts,
            kubernetes: { ...kubernetesForceNewFacts(diffGo), providerReplaceOn: kubernetesProviderReplaceOn(providerGo) },
            eksCluster: componentMapping(clusterTs, "nodejs/eks/cluster/cluster.ts", "aws.eks.Cluster"),
        };
    } finally {
        fs.rmSync(indexDir, { recursive: true, force: true });
    }
}

/** sources.json with one Terraform type per line. */
export function formatSources(sources: ExtractedSources): string {
    const resources = (record: Record<string, unknown>) =>
        Object.entries(record)
            .map(([type, facts]) => `      ${JSON.stringify(type)}: ${JSON.stringify(facts)}`)
            .join(",\n");
    return [
        "{",
        `  "header": ${JSON.stringify(sources.header)},`,
        `  "kubernetes": ${JSON.stringify(sources.kubernetes)},`,
        `  "eksCluster": ${JSON.stringify(sources.eksCluster)},`,
        `  "terraformAws": {`,
        `    "version": ${JSON.stringify(sources.terraformAws.version)},`,
        `    "resources": {`,
        resources(sources.terraformAws.resources),
        "    }",
        "  },",
        `  "terraformGithub": {`,
        `    "version": ${JSON.stringify(sources.terraformGithub.version)},`,
        `    "providerReplaceOn": ${JSON.stringify(sources.terraformGithub.providerReplaceOn)},`,
        `    "resources": {`,
        resources(sources.terraformGithub.resources),
        "    }",
        "  }",
        "}",
        "",
    ].join("\n");
}

export function readSources(file = SOURCES_FILE): ExtractedSources {
    return JSON.parse(fs.readFileSync(file, "utf8")) as ExtractedSources;
}

/** The table text `build` writes for the recorded sources and the installed SDKs. */
export function buildTableText(sources = readSources()): string {
    return formatTable(buildTable(sources, { aws: readSdkShapes(path.join(SDK_DIR, "aws")), github: readSdkShapes(path.join(SDK_DIR, "github")) }));
}

function main(argv: string[]): void {
    const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
            "aws-index": { type: "string" },
            "aws-ref": { type: "string" },
            github: { type: "string" },
            "pulumi-github": { type: "string" },
            "pulumi-github-ref": { type: "string" },
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
