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
import { terraformPackageFacts } from "./terraformPackage";

/**
 * Generates the force-new table the offline diff uses (tools/forcenew/forceNew.generated.json).
 *
 *   extract: reads the providers' own sources, pinned by tag or commit, from local git
 *            repositories and writes what forces a replacement, in provider terms, to
 *            tools/forcenew/data/sources.json;
 *   build:   maps those facts, and the updates AWS refuses (data/refusedUpdates.json, kept by
 *            hand with the AWS documentation cited per row), onto the Pulumi input names of the
 *            installed @pulumi/aws and @pulumi/github and writes the table. `build` needs nothing
 *            but the repository and node_modules, and a test re-runs it to prove the committed
 *            table is what the recorded sources give.
 */
const USAGE = `usage: npm run -s forcenew -- build
       npm run -s forcenew -- extract [--aws-index <git dir> [--aws-ref v6.58.0]]
                                      [--kubernetes <git dir> [--kubernetes-ref <commit>]]
                                      [--eks <git dir> [--eks-ref v4.3.0]]
                                      [--github <git dir> [--github-ref v6.13.0]]
  Each source given is read again; the others keep what sources.json recorded.
  --aws-index   a clone of the Terraform AWS provider's source index (one Go declaration per file,
                tagged by provider release: github.com/lonegunmanb/terraform-provider-aws-index)
  --kubernetes  a clone of github.com/pulumi/pulumi-kubernetes (provider/pkg/provider)
  --eks         a clone of github.com/pulumi/pulumi-eks (nodejs/eks/cluster/cluster.ts)
  --github      a clone of github.com/integrations/terraform-provider-github at the release
                @pulumi/github is built on (pulumi-github's upstream submodule: v6.13.0 for 6.15.0)`;

export const FORCENEW_DIR = path.resolve(__dirname);
export const SOURCES_FILE = path.join(FORCENEW_DIR, "data", "sources.json");
export const REFUSED_UPDATES_FILE = path.join(FORCENEW_DIR, "data", "refusedUpdates.json");
export const TABLE_FILE = path.join(FORCENEW_DIR, "forceNew.generated.json");
export const AWS_SDK_DIR = path.resolve(__dirname, "..", "..", "node_modules", "@pulumi", "aws");
export const GITHUB_SDK_DIR = path.resolve(__dirname, "..", "..", "node_modules", "@pulumi", "github");

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
    github?: string;
    "github-ref"?: string;
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

function extractAws(awsIndex: string, ref: string): Pick<ExtractedSources, "terraformAws"> & { source: string; note: string } {
    const aws = withTree(awsIndex, ref, "index/", (dir) => terraformAwsFacts(directoryIndex(dir)));
    const unresolved = Object.values(aws.resources).filter((r) => r.unresolved).length;
    // Keep the facts, not the reader's notes: the notes are for whoever improves the reader.
    const resources = Object.fromEntries(Object.entries(aws.resources).map(([type, facts]) => [type, { ...facts, unresolved: undefined }]));
    return {
        terraformAws: { version: aws.version, resources },
        source: `terraform-provider-aws ${aws.version} (source index commit ${commitOf(awsIndex, ref)})`,
        note: `${unresolved} Terraform resources have schema parts the reader could not follow (shared helper variables); their explicit ForceNew flags are still read.`,
    };
}

function extractGithub(github: string, ref: string): NonNullable<ExtractedSources["terraformGithub"]> {
    const resources = withTree(github, ref, "github/", (dir) => {
        const folder = path.join(dir, "github");
        const files = new Map(
            fs
                .readdirSync(folder)
                .filter((f) => f.endsWith(".go") && !f.endsWith("_test.go"))
                .map((f): [string, string] => [f, fs.readFileSync(path.join(folder, f), "utf8")]),
        );
        return terraformPackageFacts("github", files, "provider.go");
    });
    return { version: ref, resources: Object.fromEntries(Object.entries(resources).map(([type, facts]) => [type, { ...facts, unresolved: undefined }])) };
}

/** Reads the sources given again; what is not given keeps its recorded facts. */
function extract(options: ExtractOptions): ExtractedSources {
    const { "aws-index": awsIndex, kubernetes, eks, github } = options;
    if (!awsIndex && !kubernetes && !eks && !github) {
        throw new Error(`extract needs at least one source\n${USAGE}`);
    }
    const recorded = fs.existsSync(SOURCES_FILE) ? readSources() : undefined;
    const keep = <K extends keyof ExtractedSources>(key: K, flag: string): NonNullable<ExtractedSources[K]> => {
        const value = recorded?.[key];
        if (!value) {
            throw new Error(`sources.json has no ${key} yet: give ${flag}`);
        }
        return value;
    };
    const sources = { ...(recorded?.header.sources ?? {}) };
    let note = recorded?.header.note ?? "";
    let terraformAws = awsIndex ? undefined : keep("terraformAws", "--aws-index");
    if (awsIndex) {
        const aws = extractAws(awsIndex, options["aws-ref"] ?? "v6.58.0");
        terraformAws = aws.terraformAws;
        sources.terraformAws = aws.source;
        note = aws.note;
    }
    let kubernetesFacts = kubernetes ? undefined : keep("kubernetes", "--kubernetes");
    if (kubernetes) {
        const ref = options["kubernetes-ref"] ?? "HEAD";
        const providerGo = git(kubernetes, "show", `${ref}:provider/pkg/provider/provider.go`);
        const diffGo = git(kubernetes, "show", `${ref}:provider/pkg/provider/diff.go`);
        kubernetesFacts = { ...kubernetesForceNewFacts(diffGo), providerReplaceOn: kubernetesProviderReplaceOn(providerGo) };
        sources.pulumiKubernetes = `pulumi-kubernetes ${ref === "HEAD" ? "" : `${ref} `}commit ${commitOf(kubernetes, ref)}`;
    }
    let eksCluster = eks ? undefined : keep("eksCluster", "--eks");
    if (eks) {
        const ref = options["eks-ref"] ?? "v4.3.0";
        eksCluster = componentMapping(git(eks, "show", `${ref}:nodejs/eks/cluster/cluster.ts`), "nodejs/eks/cluster/cluster.ts", "aws.eks.Cluster");
        sources.pulumiEks = `pulumi-eks ${ref} commit ${commitOf(eks, ref)}`;
    }
    let terraformGithub = github ? undefined : keep("terraformGithub", "--github");
    if (github) {
        const ref = options["github-ref"] ?? "v6.13.0";
        terraformGithub = extractGithub(github, ref);
        sources.terraformGithub = `terraform-provider-github ${ref} (commit ${commitOf(github, ref)})`;
    }
    return { header: { sources, note }, terraformAws: terraformAws!, kubernetes: kubernetesFacts!, eksCluster: eksCluster!, terraformGithub };
}

/** sources.json with one Terraform type per line. */
export function formatSources(sources: ExtractedSources): string {
    const perLine = (resources: Record<string, unknown>) =>
        Object.entries(resources).map(([type, facts]) => `      ${JSON.stringify(type)}: ${JSON.stringify(facts)}`);
    const terraform = (key: string, section: { version: string; resources: Record<string, unknown> }) => [
        `  ${JSON.stringify(key)}: {`,
        `    "version": ${JSON.stringify(section.version)},`,
        `    "resources": {`,
        perLine(section.resources).join(",\n"),
        "    }",
        "  }",
    ];
    const github = sources.terraformGithub ? terraform("terraformGithub", sources.terraformGithub) : [];
    return [
        "{",
        `  "header": ${JSON.stringify(sources.header)},`,
        `  "kubernetes": ${JSON.stringify(sources.kubernetes)},`,
        `  "eksCluster": ${JSON.stringify(sources.eksCluster)},`,
        ...terraform("terraformAws", sources.terraformAws).map((line, i, all) => (i === all.length - 1 && github.length ? `${line},` : line)),
        ...github,
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

/** The table text `build` writes for the recorded sources, the refused updates and the installed @pulumi/aws. */
export function buildTableText(sources = readSources(), refused = readRefusedUpdates()): string {
    return formatTable(buildTable(sources, refused, readSdkShapes(AWS_SDK_DIR), readSdkShapes(GITHUB_SDK_DIR)));
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
            github: { type: "string" },
            "github-ref": { type: "string" },
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
