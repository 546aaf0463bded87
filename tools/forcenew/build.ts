import type { ComponentMapping } from "./eksComponent";
import type { KubernetesForceNewFacts } from "./kubernetes";
import { ObjectShape, PropertyShape, pulumiProperty, SdkShapes } from "./pulumiSdkTypes";
import type { ForceNewWhen, TerraformResourceFacts } from "./terraformAws";
import type { GithubResourceFacts } from "./terraformGithub";
import { matchTokens, MatchedBy } from "./tokens";

/** What `generate.ts extract` reads from the providers' sources (tools/forcenew/data/sources.json). */
export interface ExtractedSources {
    header: { sources: Record<string, string>; note: string };
    terraformAws: { version: string; resources: Record<string, TerraformResourceFacts> };
    /** The Terraform GitHub provider pulumi-github is built on, with pulumi-github's tokens and overrides. */
    terraformGithub: { version: string; providerReplaceOn: string[]; resources: Record<string, GithubResourceFacts> };
    kubernetes: KubernetesForceNewFacts & { providerReplaceOn: string[] };
    eksCluster: ComponentMapping;
}

/** The installed SDKs the table maps Terraform names onto. */
export interface InstalledSdks {
    aws: SdkShapes;
    github: SdkShapes;
}

/** One input path that forces replacement of a resource (see docs/plan.md, "The force-new table"). */
export interface ReplaceRule {
    /** Path in the resource's inputs (Pulumi names); `[*]` stands for any list element. */
    path: string;
    when: ForceNewWhen;
    /** Leaving an Optional+Computed input unset keeps the current value: removal forces nothing. */
    optionalComputed?: boolean;
    condition?: string;
}

export type TypeEntry =
    /** `matchedBy`: how the token was found for a Terraform type it does not spell (tools/forcenew/tokens.ts). */
    | { kind: "resource"; source: string; matchedBy?: Exclude<MatchedBy, "name">; replaceOn: ReplaceRule[] }
    | { kind: "provider"; source: string; replaceOn: ReplaceRule[] }
    | { kind: "remoteComponent"; source: string; inner?: string; replaceOn: ReplaceRule[]; feeds?: Record<string, string[]> }
    | { kind: "component"; source: string };

export interface ForceNewTable {
    header: { generatedBy: string; regenerate: string; sources: Record<string, string>; note: string; counts: Record<string, number> };
    types: Record<string, TypeEntry>;
    /** Resource tokens of the installed SDKs, and Terraform types of the sources, that have no entry, with the reason. */
    unmatched: Record<string, string>;
}

/** Maps a Terraform attribute path onto Pulumi input names through the SDK's declared shapes. */
function pulumiPath(terraformPath: string[], args: ObjectShape, shapes: SdkShapes): string | undefined {
    let shape: ObjectShape | undefined = args;
    const segments: string[] = [];
    for (const [index, segment] of terraformPath.entries()) {
        const name: string | undefined = shape ? pulumiProperty(shape, segment) : undefined;
        if (!shape || !name) {
            return undefined;
        }
        const property: PropertyShape = shape.get(name)!;
        segments.push(property.array && index < terraformPath.length - 1 ? `${name}[*]` : name);
        shape = property.ref ? shapes.types.get(property.ref) : undefined;
    }
    return segments.join(".");
}

interface Counts {
    terraformTypesWithoutPulumiToken: number;
    terraformPathsWithoutPulumiInput: number;
    sdkTokensWithoutEntry: number;
}

/** The replace rules of one resource: its Terraform force-new paths in the Pulumi input names of its token. */
function replaceRules(facts: TerraformResourceFacts, args: ObjectShape, shapes: SdkShapes, counts: Counts): ReplaceRule[] {
    const replaceOn: ReplaceRule[] = [];
    for (const rule of facts.forceNew) {
        const path = pulumiPath(rule.path, args, shapes);
        if (!path) {
            // Attributes Pulumi does not expose as inputs (computed-only, or removed by the bridged provider).
            counts.terraformPathsWithoutPulumiInput++;
            continue;
        }
        replaceOn.push({
            path,
            when: rule.when,
            ...(rule.optionalComputed ? { optionalComputed: true } : {}),
            ...(rule.condition ? { condition: rule.condition } : {}),
        });
    }
    return replaceOn.sort((a, b) => a.path.localeCompare(b.path));
}

function awsEntries(sources: ExtractedSources, shapes: SdkShapes, counts: Counts, unmatched: Record<string, string>): Record<string, TypeEntry> {
    const { version, resources } = sources.terraformAws;
    const matches = matchTokens(resources, shapes, "aws_", `terraform-provider-aws ${version}`);
    const entries: Record<string, TypeEntry> = {};
    for (const [terraformType, tokens] of matches.tokens) {
        for (const { token, matchedBy } of tokens) {
            entries[token] = {
                kind: "resource",
                source: terraformType,
                ...(matchedBy === "name" ? {} : { matchedBy }),
                replaceOn: replaceRules(resources[terraformType], shapes.resources.get(token)!.args, shapes, counts),
            };
        }
    }
    for (const [token, reason] of matches.unmatchedTokens) {
        unmatched[token] = reason;
    }
    for (const terraformType of matches.unmatchedTypes) {
        unmatched[terraformType] = "no resource token of the installed @pulumi/aws matches it by name or arguments";
    }
    counts.terraformTypesWithoutPulumiToken += matches.unmatchedTypes.length;
    counts.sdkTokensWithoutEntry += matches.unmatchedTokens.size;
    return entries;
}

function githubEntries(sources: ExtractedSources, shapes: SdkShapes, counts: Counts, unmatched: Record<string, string>): Record<string, TypeEntry> {
    const { version, resources, providerReplaceOn } = sources.terraformGithub;
    const entries: Record<string, TypeEntry> = {};
    for (const [terraformType, facts] of Object.entries(resources)) {
        const shape = shapes.resources.get(facts.token);
        if (!shape) {
            unmatched[terraformType] = `pulumi-github maps it to ${facts.token}, which the installed @pulumi/github does not have`;
            counts.terraformTypesWithoutPulumiToken++;
            continue;
        }
        entries[facts.token] = { kind: "resource", source: terraformType, replaceOn: replaceRules(facts, shape.args, shapes, counts) };
    }
    for (const token of shapes.resources.keys()) {
        if (!entries[token] && !token.startsWith("pulumi:providers:")) {
            unmatched[token] = `pulumi-github maps no resource of terraform-provider-github ${version} to it`;
            counts.sdkTokensWithoutEntry++;
        }
    }
    // Only settings pulumi-github marks ForcesProviderReplace replace the provider; any other change updates it in place.
    entries["pulumi:providers:github"] = {
        kind: "provider",
        source: "pulumi-github provider config: fields marked ForcesProviderReplace",
        replaceOn: providerReplaceOn.map((path) => ({ path, when: "any" })),
    };
    return entries;
}

function kubernetesEntries(facts: ExtractedSources["kubernetes"]): Record<string, TypeEntry> {
    const toPath = (path: string) => path.replace(/^\./, "").replace(/\[\*\]/g, "[*]");
    const metadata = facts.allKinds.map((p) => ({ path: toPath(p), when: "any" as const }));
    const entries: Record<string, TypeEntry> = {};
    for (const [groupVersionKind, paths] of Object.entries(facts.kinds)) {
        const [groupVersion, kind] = groupVersionKind.split(":");
        entries[`kubernetes:${groupVersion}:${kind}`] = {
            kind: "resource",
            source: `forceNew["${groupVersion.split("/")[0]}"]["${groupVersion.split("/")[1]}"]["${kind}"]`,
            replaceOn: [...metadata, ...paths.map((p) => ({ path: toPath(p), when: "any" as const }))],
        };
    }
    // Secrets are immutable unless the provider enables mutable secrets; ConfigMaps only when marked immutable.
    entries["kubernetes:core/v1:Secret"] = {
        kind: "resource",
        source: "forceNewProperties: Secret",
        replaceOn: [...metadata, ...facts.secret.map((p) => ({ path: toPath(p), when: "any" as const }))],
    };
    entries["kubernetes:core/v1:ConfigMap"] = {
        kind: "resource",
        source: "forceNewProperties: ConfigMap",
        replaceOn: [...metadata, ...facts.configMap.map((p) => ({ path: toPath(p), when: "conditional" as const, condition: "immutable: true" }))],
    };
    // Any other kind, custom resources included: identity only.
    entries["kubernetes:*"] = { kind: "resource", source: "forceNewProperties: metadata of every kind", replaceOn: metadata };
    entries["pulumi:providers:kubernetes"] = {
        kind: "provider",
        source: "DiffConfig",
        replaceOn: facts.providerReplaceOn.map((key) => ({
            path: key,
            when: key === "kubeconfig" ? ("conditional" as const) : ("any" as const),
            ...(key === "kubeconfig" ? { condition: "the active cluster of the kubeconfig changes" } : {}),
        })),
    };
    for (const component of ["helm.sh/v4:Chart", "yaml/v2:ConfigFile", "yaml/v2:ConfigGroup", "kustomize/v2:Directory"]) {
        entries[`kubernetes:${component}`] = { kind: "remoteComponent", source: "pulumi-kubernetes component", replaceOn: [] };
    }
    return entries;
}

function covers(inner: string, forceNewPath: string): boolean {
    const plain = forceNewPath.replace(/\[\*\]/g, "");
    return plain === inner || plain.startsWith(`${inner}.`) || inner.startsWith(`${plain}.`);
}

/** eks:index:Cluster inputs replace the component's cluster when they feed a force-new inner property. */
function eksClusterEntry(mapping: ComponentMapping, innerEntry: TypeEntry | undefined): TypeEntry {
    const innerRules = innerEntry && "replaceOn" in innerEntry ? innerEntry.replaceOn : [];
    const effective = innerRules.filter((rule) => !mapping.ignoreChanges.some((ignored) => covers(ignored, rule.path) && rule.path.startsWith(ignored)));
    const byInput = new Map<string, ReplaceRule>();
    for (const [innerPath, inputs] of Object.entries(mapping.inputs)) {
        for (const rule of effective.filter((r) => covers(innerPath, r.path))) {
            for (const input of inputs) {
                const existing = byInput.get(input);
                if (!existing || (existing.when !== "any" && rule.when === "any")) {
                    byInput.set(input, {
                        path: input,
                        when: rule.when,
                        condition: `feeds aws.eks.Cluster ${rule.path}${rule.condition ? ` (${rule.condition})` : ""}`,
                    });
                }
            }
        }
    }
    return {
        kind: "remoteComponent",
        source: "nodejs/eks/cluster/cluster.ts: new aws.eks.Cluster",
        inner: "aws:eks/cluster:Cluster",
        replaceOn: [...byInput.values()].sort((a, b) => a.path.localeCompare(b.path)),
        feeds: mapping.inputs,
    };
}

export function buildTable(sources: ExtractedSources, sdks: InstalledSdks): ForceNewTable {
    const counts: Counts = { terraformTypesWithoutPulumiToken: 0, terraformPathsWithoutPulumiInput: 0, sdkTokensWithoutEntry: 0 };
    const unmatched: Record<string, string> = {};
    const aws = awsEntries(sources, sdks.aws, counts, unmatched);
    const types: Record<string, TypeEntry> = {
        ...aws,
        ...githubEntries(sources, sdks.github, counts, unmatched),
        ...kubernetesEntries(sources.kubernetes),
        "eks:index:Cluster": eksClusterEntry(sources.eksCluster, aws["aws:eks/cluster:Cluster"]),
        // pulumi-aws marks the provider's region as forcing a provider replacement (ForcesProviderReplace).
        "pulumi:providers:aws": { kind: "provider", source: "pulumi-aws provider config: region", replaceOn: [{ path: "region", when: "any" }] },
        // This project's own components are local ComponentResources: their children carry the changes.
        "eksplatform:*": { kind: "component", source: "components/ of this repository" },
    };
    const sorted = Object.fromEntries(Object.entries(types).sort(([a], [b]) => a.localeCompare(b)));
    return {
        header: {
            generatedBy: "tools/forcenew/generate.ts build",
            regenerate: "npm run -s forcenew -- build (from tools/forcenew/data/sources.json); npm run -s forcenew -- extract --help for the sources",
            sources: sources.header.sources,
            note: sources.header.note,
            counts: { ...counts, types: Object.keys(sorted).length },
        },
        types: sorted,
        unmatched: Object.fromEntries(Object.entries(unmatched).sort(([a], [b]) => a.localeCompare(b))),
    };
}

/** JSON with one type per line: reviewable diffs when a provider upgrade moves a rule. */
export function formatTable(table: ForceNewTable): string {
    const lines = (record: Record<string, unknown>) =>
        Object.entries(record)
            .map(([key, value]) => `    ${JSON.stringify(key)}: ${JSON.stringify(value)}`)
            .join(",\n");
    const header = JSON.stringify(table.header, null, 2).replace(/\n/g, "\n  ");
    return `{\n  "header": ${header},\n  "types": {\n${lines(table.types)}\n  },\n  "unmatched": {\n${lines(table.unmatched)}\n  }\n}\n`;
}
