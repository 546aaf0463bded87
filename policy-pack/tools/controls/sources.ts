// Readers of the public scanners' own sources, for the control catalog (gen-controls.ts). Each reads
// a git directory (a clone, bare or not) at HEAD with plain `git`, so the catalog records exactly
// which commit it was generated from.
import { execFileSync } from "child_process";
import { parse } from "yaml";
import { field, listAt, stringAt, stringsAt } from "../../lib/values";

export interface GitSource {
    gitDir: string;
    repository: string;
}

export interface SourceRecord {
    repository: string;
    commit: string;
    version: string;
}

function git(source: GitSource, ...args: string[]): string {
    return execFileSync("git", ["--git-dir", source.gitDir, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
}

function listFiles(source: GitSource, directory: string, recursive = false): string[] {
    return git(source, "ls-tree", ...(recursive ? ["-r"] : []), "--name-only", "HEAD", `${directory.replace(/\/$/, "")}/`)
        .split("\n")
        .filter(Boolean);
}

function readFile(source: GitSource, file: string): string {
    return git(source, "show", `HEAD:${file}`);
}

function fileExists(source: GitSource, file: string): boolean {
    try {
        git(source, "cat-file", "-e", `HEAD:${file}`);
        return true;
    } catch {
        return false;
    }
}

/**
 * Where a family comes from. The version is the nearest tag (`git describe`), or, for a repository whose
 * default branch carries no release tags (Kubernetes' staging repositories tag release branches only),
 * the default branch and the commit's date.
 */
export function sourceRecord(source: GitSource, taggedReleases = true): SourceRecord {
    return {
        repository: source.repository,
        commit: git(source, "rev-parse", "HEAD").trim(),
        version: taggedReleases
            ? git(source, "describe", "--tags", "--always", "HEAD").trim()
            : `default branch, ${git(source, "log", "-1", "--format=%cs", "HEAD").trim()}`,
    };
}

/** A control as one scanner defines it, before the program's resource types decide whether it applies. */
export interface SourceControl {
    id: string;
    aliases: string[];
    title: string;
    /** Terraform resource types (AWS) or Kubernetes kinds the control inspects; empty when the source names none. */
    targets: string[];
    file: string;
    /** Set when the control is out of scope whatever the program renders, with the reason. */
    outOfScope?: string;
}

const STRING_LITERAL = /["']([^"']+)["']/g;

function literals(text: string): string[] {
    return Array.from(text.matchAll(STRING_LITERAL), (match) => match[1]);
}

/** The literal list assigned to one of `names` (a Python tuple or list), if the file assigns one. */
function assignedList(text: string, names: string[]): string[] | undefined {
    const pattern = new RegExp(`\\b(?:${names.join("|")})\\s*(?::[^=\\n]*)?=\\s*[\\[(]([^\\])]*)[\\])]`);
    const match = pattern.exec(text);
    return match ? literals(match[1]) : undefined;
}

/** Modules a Checkov check imports its base class from, as repository paths. */
function baseModules(text: string, prefix: string): string[] {
    return Array.from(
        text.matchAll(new RegExp(`^from (${prefix.replace(/\./g, "\\.")}[\\w.]*) import`, "gm")),
        (match) => `${match[1].replace(/\./g, "/")}.py`,
    );
}

function checkovId(text: string, family: RegExp): string | undefined {
    return Array.from(text.matchAll(/\b(?:id|check_id)\s*=\s*["']([A-Z0-9_]+)["']/g), (match) => match[1]).find((id) => family.test(id));
}

function checkovName(text: string): string {
    // `name = ("a" "b")` or `name = "a" \` continued on the next line: the literals, joined.
    const parenthesized = /^\s*name\s*=\s*\(?\s*((?:f?["'][^"'\n]*["'][ \t]*\\?\s*){2,})\)?/m.exec(text)?.[1];
    const title = parenthesized ? literals(parenthesized).join("") : (/^\s*(?:name|description)\s*=\s*f?["'](.*)["']\s*$/m.exec(text)?.[1] ?? "");
    return title.replace(/\\(['"])/g, "$1");
}

/** Checkov's Terraform resource checks for AWS: `supported_resources`, from the check or its base class. */
export function checkovAwsControls(source: GitSource): SourceControl[] {
    const directory = "checkov/terraform/checks/resource/aws";
    return listFiles(source, directory)
        .filter((file) => file.endsWith(".py") && !file.endsWith("__init__.py"))
        .flatMap((file) => {
            const text = readFile(source, file);
            const id = checkovId(text, /^CKV2?_AWS_\d+$/);
            if (!id) {
                return [];
            }
            const names = ["supported_resources", "supported_resource"];
            let targets = assignedList(text, names);
            let title = checkovName(text);
            for (const base of baseModules(text, "checkov.terraform.checks")) {
                if (targets && title) {
                    break;
                }
                if (!fileExists(source, base)) {
                    continue;
                }
                const baseText = readFile(source, base);
                targets ??= assignedList(baseText, names);
                if (!title) {
                    const port = /\bport\s*=\s*(-?\d+)/.exec(text)?.[1];
                    title = checkovName(baseText).replace(/\{port\}/g, port === "-1" ? "any port" : (port ?? "{port}"));
                }
            }
            return [{ id, aliases: [], title, targets: targets ?? [], file }];
        });
}

/** Every value of a YAML node and its descendants, depth first. */
function walkYaml(node: unknown, visit: (value: Record<string, unknown>) => void): void {
    if (Array.isArray(node)) {
        node.forEach((item) => walkYaml(item, visit));
    } else if (typeof node === "object" && node !== null) {
        visit(node as Record<string, unknown>);
        Object.values(node).forEach((value) => walkYaml(value, visit));
    }
}

/**
 * Checkov reads its YAML with PyYAML, which accepts a double-quoted scalar continued on a line indented
 * no deeper than its key; the strict parser wants the continuation indented further, so indent it.
 */
export function indentQuotedContinuations(text: string): string {
    const lines = text.split("\n");
    for (let index = 0; index < lines.length; index++) {
        const open = /^(\s*)[\w-]+:\s*"(?:[^"\\]|\\.)*$/.exec(lines[index]);
        for (let next = index + 1; open && next < lines.length; next++) {
            lines[next] = `${open[1]}  ${lines[next].trimStart()}`;
            if (/(?:^|[^\\])"/.test(lines[next])) {
                index = next;
                break;
            }
        }
    }
    return lines.join("\n");
}

/**
 * A Checkov graph check (YAML). Its targets are the types it reports on, which a top-level `filter`
 * condition on resource_type or kind names; a check without one reports on every type its conditions name.
 */
function checkovGraphControls(source: GitSource, directory: string, family: RegExp): SourceControl[] {
    return listFiles(source, directory, true)
        .filter((file) => file.endsWith(".yaml"))
        .flatMap((file) => {
            const document: unknown = parse(indentQuotedContinuations(readFile(source, file)));
            const id = stringAt(document, "metadata", "id") ?? "";
            if (!family.test(id)) {
                return [];
            }
            const definition = field(document, "definition");
            const filterTypes = (condition: unknown): string[] => {
                const { cond_type: type, attribute, value } = (condition ?? {}) as Record<string, unknown>;
                return type === "filter" && ["resource_type", "kind"].includes(String(attribute)) ? stringsAt(value) : [];
            };
            // The filter of the whole check sits at the top or among the top-level `and`/`or` conditions;
            // failing that, the filters of its branches, and failing those, every type it names.
            const topLevel = [definition, ...listAt(definition, "and"), ...listAt(definition, "or")];
            const anywhere: string[] = [];
            const named: string[] = [];
            walkYaml(definition, (condition) => {
                anywhere.push(...filterTypes(condition));
                named.push(...stringsAt(condition.resource_types), ...stringsAt(condition.connected_resource_types));
            });
            const targets = [...new Set([topLevel.flatMap(filterTypes), anywhere, named].find((types) => types.length > 0) ?? [])];
            return [{ id, aliases: [], title: stringAt(document, "metadata", "name") ?? "", targets, file }];
        });
}

/**
 * Checkov's other AWS checks: graph checks (YAML), measured like the resource checks, and
 * checks of the aws_iam_policy_document data source, which a Pulumi program does not have (its policy
 * documents are JSON in the resources the resource checks read).
 */
export function checkovAwsOtherControls(source: GitSource): SourceControl[] {
    // Most graph checks are CKV2_AWS_*, but a few older checks moved there keep their CKV_AWS_* IDs
    // (S3 access logging, versioning and encryption among them).
    const graph = checkovGraphControls(source, "checkov/terraform/checks/graph_checks/aws", /^CKV2?_AWS_\d+$/);
    const data = listFiles(source, "checkov/terraform/checks/data/aws")
        .filter((file) => file.endsWith(".py") && !file.endsWith("__init__.py"))
        .flatMap((file) => {
            const text = readFile(source, file);
            const id = checkovId(text, /^CKV2?_AWS_\d+$/);
            return id ? [{ id, aliases: [], title: checkovName(text), targets: ["aws_iam_policy_document"], file }] : [];
        });
    return [...graph, ...data];
}

/** Component flags of a control plane or a node that EKS runs for the user: not something a program declares. */
const MANAGED_COMPONENTS = ["kube-apiserver", "etcd", "kubelet", "kube-controller-manager", "kube-scheduler"];

/** Checkov's Kubernetes resource checks: supported kinds, from the check or its base class. */
export function checkovKubernetesControls(source: GitSource): SourceControl[] {
    const directory = "checkov/kubernetes/checks/resource/k8s";
    return listFiles(source, directory)
        .filter((file) => file.endsWith(".py") && !file.endsWith("__init__.py"))
        .flatMap((file) => {
            const text = readFile(source, file);
            const id = checkovId(text, /^CKV2?_K8S_\d+$/);
            if (!id) {
                return [];
            }
            const names = ["supported_kind", "supported_kinds", "supported_entities", "SUPPORTED_ENTITIES"];
            // `[entity for entity in Base.SUPPORTED_ENTITIES if entity not in ("CronJob", "Job")]`
            const excluded = /SUPPORTED_ENTITIES\s+if\s+\w+\s+not\s+in\s+[[(]([^\])]*)[\])]/.exec(text);
            let targets = excluded ? undefined : assignedList(text, names);
            for (const base of baseModules(text, "checkov.kubernetes.checks")) {
                if (targets || !fileExists(source, base)) {
                    continue;
                }
                const baseText = readFile(source, base);
                const templates = assignedList(baseText, ["TEMPLATE_ENTITIES"]) ?? [];
                const entities = assignedList(baseText, names);
                targets = entities ? [...entities, ...templates].filter((kind) => !literals(excluded?.[1] ?? "").includes(kind)) : undefined;
            }
            const component = MANAGED_COMPONENTS.find((name) => literals(text).includes(name));
            const control: SourceControl = { id, aliases: [], title: checkovName(text), targets: targets ?? [], file };
            if (component) {
                control.outOfScope = `checks the flags of ${component}, which EKS runs and configures (managed control plane, EKS-optimized AMI); no program declares it`;
            }
            return [control];
        });
}

/** Checkov's Kubernetes graph checks (CKV2_K8S, YAML): RBAC chains and pods without a NetworkPolicy. */
export function checkovKubernetesGraphControls(source: GitSource): SourceControl[] {
    return checkovGraphControls(source, "checkov/kubernetes/checks/graph_checks", /^CKV2_K8S_\d+$/);
}

interface RegoMetadata {
    id: string;
    aliases: string[];
    title: string;
    service?: string;
    kinds: string[];
    examples?: string;
    deprecated: boolean;
}

function regoMetadata(text: string): RegoMetadata | undefined {
    const header = text.split(/^package /m)[0];
    const id = /^#\s+id:\s*(\S+)/m.exec(header)?.[1];
    if (!id) {
        return undefined;
    }
    const aliasBlock = /^#\s+aliases:\s*\n((?:#\s+-\s+.*\n)+)/m.exec(header)?.[1] ?? "";
    return {
        id,
        aliases: Array.from(aliasBlock.matchAll(/^#\s+-\s+(\S+)/gm), (match) => match[1]),
        title: (/^#\s*title:\s*(.*)$/m.exec(header)?.[1] ?? "").replace(/^"|"$/g, "").trim(),
        service: /^#\s+service:\s*(\S+)/m.exec(header)?.[1],
        kinds: Array.from(header.matchAll(/^#\s+-\s+kind:\s*(\S+)/gm), (match) => match[1].toLowerCase()),
        examples: /^#\s+examples:\s*["']?([^\s"']+)/m.exec(header)?.[1],
        deprecated: /^#\s+deprecated:\s*true/m.test(header),
    };
}

/** Resource types of the failing ("bad") Terraform examples in a trivy check's examples file. */
function badTerraformTypes(examples: string): string[] {
    const terraform = examples.split(/^terraform:\s*$/m)[1];
    if (!terraform) {
        return [];
    }
    const bad = terraform.split(/^ {2}bad:\s*$/m)[1]?.split(/^\S/m)[0] ?? "";
    return [...new Set(Array.from(bad.matchAll(/resource\s+"([a-z0-9_]+)"/g), (match) => match[1]))].sort();
}

/** trivy-checks' AWS checks; what they inspect is read from the failing Terraform examples. */
export function trivyAwsControls(source: GitSource): SourceControl[] {
    return listFiles(source, "checks/cloud/aws", true)
        .filter((file) => file.endsWith(".rego") && !file.endsWith("_test.rego"))
        .flatMap((file) => {
            const metadata = regoMetadata(readFile(source, file));
            if (!metadata) {
                return [];
            }
            const targets = metadata.examples && fileExists(source, metadata.examples) ? badTerraformTypes(readFile(source, metadata.examples)) : [];
            const control: SourceControl = { id: metadata.id, aliases: metadata.aliases, title: metadata.title, targets, file };
            if (metadata.deprecated) {
                control.outOfScope = "deprecated in trivy-checks";
            }
            return [control];
        });
}

/** trivy-checks' Kubernetes checks (KSV workload and RBAC checks, KCV control-plane and node checks). */
export function trivyKubernetesControls(source: GitSource): SourceControl[] {
    return listFiles(source, "checks/kubernetes", true)
        .filter((file) => file.endsWith(".rego") && !file.endsWith("_test.rego"))
        .flatMap((file) => {
            const text = readFile(source, file);
            const metadata = regoMetadata(text);
            if (!metadata) {
                return [];
            }
            // Without a kind selector, the kinds the rule body compares against, if any.
            const kinds =
                metadata.kinds.length > 0 ? metadata.kinds : [...new Set(Array.from(text.matchAll(/kind\s*==\s*"(\w+)"/g), (match) => match[1].toLowerCase()))];
            const control: SourceControl = { id: metadata.id, aliases: metadata.aliases, title: metadata.title, targets: kinds, file };
            if (metadata.deprecated) {
                control.outOfScope = "deprecated in trivy-checks";
            } else if (metadata.id.startsWith("KCV-")) {
                control.outOfScope =
                    "checks control-plane or node configuration (component flags, file ownership and permissions) that EKS manages; no program declares it";
            }
            return [control];
        });
}

/** The CIS Amazon EKS Benchmark as kube-bench encodes it: the newest cfg/eks-<version>/ directory. */
export function cisEksControls(source: GitSource): { version: string; controls: SourceControl[] } {
    const versions = listFiles(source, "cfg")
        .map((directory) => /^cfg\/eks-(\d+)\.(\d+)\.(\d+)$/.exec(directory))
        .filter((match): match is RegExpExecArray => match !== null)
        .sort((a, b) => Number(a[1]) - Number(b[1]) || Number(a[2]) - Number(b[2]) || Number(a[3]) - Number(b[3]));
    const newest = versions[versions.length - 1];
    const directory = newest[0];
    const controls = listFiles(source, directory)
        .filter((file) => file.endsWith(".yaml") && !file.endsWith("config.yaml"))
        .flatMap((file) => {
            const text = readFile(source, file);
            // Checks are the ids with three parts (2.1.1); two-part ids are group headings.
            return Array.from(text.matchAll(/^\s*- id: ["']?(\d+\.\d+\.\d+)["']?\s*\n\s*text: ["']?(.*?)["']?\s*$/gm), (match) => ({
                id: match[1],
                aliases: [],
                title: match[2],
                targets: [],
                file,
            }));
        });
    return { version: `${newest[1]}.${newest[2]}.${newest[3]}`, controls };
}

/**
 * The Pod Security Standards' controls by the names the Kubernetes documentation gives them
 * (kubernetes.io/docs/concepts/security/pod-security-standards), keyed by the ID of the check that
 * implements each in the Pod Security Admission library. Baseline and restricted implement Capabilities,
 * Seccomp and /proc Mount Type with one check each, so those names appear twice. A check this table
 * does not name stops the generator: a new control must get its documented name here first.
 */
export const PSS_CONTROL_OF_CHECK: Readonly<Record<string, string>> = {
    windowsHostProcess: "HostProcess",
    hostNamespaces: "Host Namespaces",
    privileged: "Privileged Containers",
    capabilities_baseline: "Capabilities",
    hostPathVolumes: "HostPath Volumes",
    hostPorts: "Host Ports",
    hostProbesAndHostLifecycle: "Host Probes / Lifecycle Hooks",
    appArmorProfile: "AppArmor",
    seLinuxOptions: "SELinux",
    procMount: "/proc Mount Type",
    seccompProfile_baseline: "Seccomp",
    sysctls: "Sysctls",
    restrictedVolumes: "Volume Types",
    allowPrivilegeEscalation: "Privilege Escalation",
    runAsNonRoot: "Running as Non-root",
    runAsUser: "Running as Non-root user",
    seccompProfile_restricted: "Seccomp",
    capabilities_restricted: "Capabilities",
    procMount_restricted: "/proc Mount Type",
};

/** The first sentence of the check's documentation comment (the one after the licence header). */
function checkSummary(text: string): string {
    const comment = Array.from(text.matchAll(/\/\*([\s\S]*?)\*\//g), (match) => match[1])[1] ?? "";
    const prose = comment.replace(/\s+/g, " ").trim();
    return /^(.*?\.)(\s|$)/.exec(prose)?.[1] ?? prose;
}

/**
 * The Pod Security Standards' controls, from the checks of the Pod Security Admission library
 * (k8s.io/pod-security-admission, policy/check_*.go), which is what the API server enforces: each
 * check's ID, level (baseline or restricted) and the Kubernetes version it applies from.
 */
export function podSecurityStandardsControls(source: GitSource): SourceControl[] {
    const controls = new Map<string, SourceControl>();
    for (const file of listFiles(source, "policy").filter((name) => /\/check_\w+\.go$/.test(name) && !name.endsWith("_test.go"))) {
        const text = readFile(source, file);
        const idExpression = /\bID:\s*("?)(\w+)\1/.exec(text);
        if (!idExpression) {
            continue;
        }
        const checkId = idExpression[1] ? idExpression[2] : new RegExp(`\\b${idExpression[2]}\\s+CheckID\\s*=\\s*"(\\w+)"`).exec(text)?.[1];
        const level = /\bLevel:\s*api\.Level(\w+)/.exec(text)?.[1]?.toLowerCase();
        const since = /MinimumVersion:\s*api\.MajorMinorVersion\((\d+),\s*(\d+)\)/.exec(text);
        if (!checkId || !level || !since) {
            throw new Error(`${file}: cannot read the check's ID, level and minimum version`);
        }
        const name = PSS_CONTROL_OF_CHECK[checkId];
        if (!name) {
            throw new Error(`${file}: the Pod Security Admission check ${checkId} has no control name in PSS_CONTROL_OF_CHECK; add the documented one`);
        }
        const summary = `${level}, Kubernetes ${since[1]}.${since[2]}+: ${checkSummary(text)}`;
        const known = controls.get(name);
        if (known) {
            known.title = [known.title, summary].sort().join(" ");
        } else {
            controls.set(name, { id: name, aliases: [], title: summary, targets: ["pod"], file });
        }
    }
    return [...controls.values()];
}
