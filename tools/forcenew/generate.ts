import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { buildTable, ExtractedSources, formatTable, RefusedUpdates } from "./build";
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
 *   build:   maps those facts, and the updates AWS refuses (data/refusedUpdates.json, kept by
 *            hand with the AWS documentation cited per row), onto the Pulumi tokens and input
 *            names of the installed @pulumi/aws and @pulumi/github and writes the table. `build`
 *            needs nothing but the repository and node_modules, and a test re-runs it to prove the
 *            committed table is what the recorded sources give.
 */
const USAGE = `usage: npm run -s forcenew -- build
       npm run -s forcenew -- extract [--aws-index <git dir> [--aws-ref v6.58.0]]
                                      [--github <git dir> --pulumi-github <git dir> [--pulumi-github-ref v<installed @pulumi/github>]]
                                      [--kubernetes <git dir> [--kubernetes-ref <commit>]]
                                      [--eks <git dir> [--eks-ref v4.3.0]]
  Each source given is read again; the others keep what sources.json recorded.
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
export const REFUSED_UPDATES_FILE = path.join(FORCENEW_DIR, "data", "refusedUpdates.json");
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

const commitOf = (gitDir: string, ref: string) => git(gitDir, "rev-parse", `${ref}^{commit}`).trim();

/** The files of one folder of a repository at a ref, extracted to a temporary directory. */
function withTree<T>(gitDir: string, ref: string, folder: string, read: (dir: string) => T): T {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "forcenew-"));
    try {
        execFileSync("sh", ["-c", `git --git-dir="$0" archive "$1" "$2" | tar -x -C "$3"`, gitDir, ref, folder, dir]);
        return read(dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

function extractAws(awsIndex: string, ref: string): { facts: ExtractedSources["terraformAws"]; source: string } {
    const aws = withTree(awsIndex, ref, "index/", (dir) => terraformAwsFacts(directoryIndex(dir)));
    // Keep the facts and how many the reader could not follow entirely, not its notes: those are for whoever improves the reader.
    const unresolved = Object.values(aws.resources).filter((facts) => facts.unresolved).length;
    const resources = Object.fromEntries(Object.entries(aws.resources).map(([type, facts]) => [type, { ...facts, unresolved: undefined }]));
    return {
        facts: { version: aws.version, unresolved, resources },
        source: `terraform-provider-aws ${aws.version} (source index commit ${commitOf(awsIndex, ref)})`,
    };
}

/** The Terraform GitHub provider at the commit pulumi-github's `upstream` submodule pins, with pulumi-github's mapping. */
function extractGithub(
    github: string,
    pulumiGithub: string,
    pulumiGithubRef: string,
): { facts: ExtractedSources["terraformGithub"]; sources: Record<string, string> } {
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
    const files = withTree(github, upstream, `${GITHUB_PACKAGE}/`, (dir) => {
        const folder = path.join(dir, GITHUB_PACKAGE);
        return new Map(
            fs
                .readdirSync(folder)
                .filter((f) => f.endsWith(".go") && !f.endsWith("_test.go"))
                .map((f): [string, string] => [`${GITHUB_PACKAGE}/${f}`, fs.readFileSync(path.join(folder, f), "utf8")]),
        );
    });
    const tokens = pulumiGithubTokens(git(pulumiGithub, "show", `${pulumiGithubRef}:provider/cmd/pulumi-resource-github/bridge-metadata.json`));
    const overrides = pulumiGithubOverrides(git(pulumiGithub, "show", `${pulumiGithubRef}:provider/resources.go`));
    const { resources, unresolved } = terraformGithubFacts(files, tokens, overrides);
    return {
        facts: { version, unresolved, providerReplaceOn: overrides.providerReplaceOn, resources },
        sources: {
            terraformGithub: `terraform-provider-github ${version} commit ${upstream} (the upstream of pulumi-github ${pulumiGithubRef})`,
            pulumiGithub: `pulumi-github ${pulumiGithubRef} commit ${commitOf(pulumiGithub, pulumiGithubRef)} (tokens: provider/cmd/pulumi-resource-github/bridge-metadata.json; ForceNew overrides and provider settings: provider/resources.go)`,
        },
    };
}

/** The order of the sources in the header, whichever were read again. */
const SOURCE_KEYS = ["terraformAws", "terraformGithub", "pulumiGithub", "pulumiKubernetes", "pulumiEks"];

/** Reads the sources given again; what is not given keeps its recorded facts. */
function extract(options: ExtractOptions): ExtractedSources {
    const { "aws-index": awsIndex, github, "pulumi-github": pulumiGithub, kubernetes, eks } = options;
    if (!awsIndex && !github && !pulumiGithub && !kubernetes && !eks) {
        throw new Error(`extract needs at least one source\n${USAGE}`);
    }
    if (!github !== !pulumiGithub) {
        throw new Error(
            `--github and --pulumi-github go together: pulumi-github says which commit of the Terraform provider it bridges, and its tokens\n${USAGE}`,
        );
    }
    const recorded = fs.existsSync(SOURCES_FILE) ? readSources() : undefined;
    const keep = <K extends keyof ExtractedSources>(key: K, flag: string): ExtractedSources[K] => {
        const value = recorded?.[key];
        if (!value) {
            throw new Error(`sources.json has no ${key} yet: give ${flag}`);
        }
        return value;
    };
    const sources: Record<string, string> = { ...(recorded?.header.sources ?? {}) };
    let terraformAws: ExtractedSources["terraformAws"];
    if (awsIndex) {
        const aws = extractAws(awsIndex, options["aws-ref"] ?? "v6.58.0");
        terraformAws = aws.facts;
        sources.terraformAws = aws.source;
    } else {
        terraformAws = keep("terraformAws", "--aws-index");
    }
    let terraformGithub: ExtractedSources["terraformGithub"];
    if (github && pulumiGithub) {
        const extracted = extractGithub(github, pulumiGithub, options["pulumi-github-ref"] ?? `v${installedVersion("github")}`);
        terraformGithub = extracted.facts;
        Object.assign(sources, extracted.sources);
    } else {
        terraformGithub = keep("terraformGithub", "--github and --pulumi-github");
    }
    let kubernetesFacts: ExtractedSources["kubernetes"];
    if (kubernetes) {
        const ref = options["kubernetes-ref"] ?? "HEAD";
        const providerGo = git(kubernetes, "show", `${ref}:provider/pkg/provider/provider.go`);
        const diffGo = git(kubernetes, "show", `${ref}:provider/pkg/provider/diff.go`);
        kubernetesFacts = { ...kubernetesForceNewFacts(diffGo), providerReplaceOn: kubernetesProviderReplaceOn(providerGo) };
        sources.pulumiKubernetes = `pulumi-kubernetes ${/^(HEAD|[0-9a-f]{40})$/.test(ref) ? "" : `${ref} `}commit ${commitOf(kubernetes, ref)}`;
    } else {
        kubernetesFacts = keep("kubernetes", "--kubernetes");
    }
    let eksCluster: ExtractedSources["eksCluster"];
    if (eks) {
        const ref = options["eks-ref"] ?? "v4.3.0";
        eksCluster = componentMapping(git(eks, "show", `${ref}:nodejs/eks/cluster/cluster.ts`), "nodejs/eks/cluster/cluster.ts", "aws.eks.Cluster");
        sources.pulumiEks = `pulumi-eks ${ref} commit ${commitOf(eks, ref)}`;
    } else {
        eksCluster = keep("eksCluster", "--eks");
    }
    const header = { sources: Object.fromEntries(SOURCE_KEYS.filter((key) => sources[key]).map((key) => [key, sources[key]])) };
    return { header, terraformAws, terraformGithub, kubernetes: kubernetesFacts, eksCluster };
}

/** sources.json with one Terraform type per line. */
export function formatSources(sources: ExtractedSources): string {
    const resources = (record: Record<string, unknown>) =>
        Object.entries(record)
            .map(([type, facts]) => `      ${JSON.stringify(type)}: ${JSON.stringify(facts)}`)
            .join(",\n");
    const { resources: awsResources, ...aws } = sources.terraformAws;
    const { resources: githubResources, ...github } = sources.terraformGithub;
    const section = (key: string, fields: Record<string, unknown>, record: Record<string, unknown>) => [
        `  ${JSON.stringify(key)}: {`,
        ...Object.entries(fields).map(([name, value]) => `    ${JSON.stringify(name)}: ${JSON.stringify(value)},`),
        `    "resources": {`,
        resources(record),
        "    }",
    ];
    return [
        "{",
        `  "header": ${JSON.stringify(sources.header)},`,
        `  "kubernetes": ${JSON.stringify(sources.kubernetes)},`,
        `  "eksCluster": ${JSON.stringify(sources.eksCluster)},`,
        ...section("terraformAws", aws, awsResources),
        "  },",
        ...section("terraformGithub", github, githubResources),
        "  }",
        "}",
        "",
    ].join("\n");
}

export function readSources(file = SOURCES_FILE): ExtractedSources {
    return JSON.parse(fs.readFileSync(file, "utf8")) as ExtractedSources;
}

export function readRefusedUpdates(file = REFUSED_UPDATES_FILE): RefusedUpdates {
    return JSON.parse(fs.readFileSync(file, "utf8")) as RefusedUpdates;
}

/** The table text `build` writes for the recorded sources, the refused updates and the installed SDKs. */
export function buildTableText(sources = readSources(), refused = readRefusedUpdates()): string {
    return formatTable(buildTable(sources, refused, { aws: readSdkShapes(path.join(SDK_DIR, "aws")), github: readSdkShapes(path.join(SDK_DIR, "github")) }));
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
