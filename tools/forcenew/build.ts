import type { ComponentMapping } from "./eksComponent";
import type { KubernetesForceNewFacts } from "./kubernetes";
import { ObjectShape, PropertyShape, pulumiProperty, SdkShapes } from "./pulumiSdkTypes";
import type { ForceNewWhen, TerraformResourceFacts } from "./terraformAws";
import type { GithubResourceFacts } from "./terraformGithub";
import { matchTokens, MatchedBy } from "./tokens";

/** What `generate.ts extract` reads from the providers' sources (tools/forcenew/data/sources.json). */
export interface ExtractedSources {
    /** Each source's release and commit, as `extract` read it. */
    header: { sources: Record<string, string> };
    /** `unresolved`: how many resources have schema parts the reader could not follow (their explicit flags are still read). */
    terraformAws: { version: string; unresolved: number; resources: Record<string, TerraformResourceFacts> };
    /** The Terraform GitHub provider pulumi-github is built on, with pulumi-github's tokens and overrides. */
    terraformGithub: { version: string; unresolved: number; providerReplaceOn: string[]; resources: Record<string, GithubResourceFacts> };
    kubernetes: KubernetesForceNewFacts & { providerReplaceOn: string[] };
    eksCluster: ComponentMapping;
}

/** The installed SDKs the table maps Terraform names onto. */
export interface InstalledSdks {
    aws: SdkShapes;
    github: SdkShapes;
}

/**
 * An update the Terraform AWS provider plans in place but the AWS API refuses
 * (tools/forcenew/data/refusedUpdates.json): the resources whose IDs the attribute holds must keep
 * one of their own inputs (a cluster's subnets must stay in its VPC).
 */
interface RefusedUpdate {
    terraformType: string;
    attribute: string[];
    references: { terraformType: string; keeps: string };
    refusal: string;
    source: { document: string; url: string; checked: string };
}

export interface RefusedUpdates {
    about: string;
    updates: RefusedUpdate[];
}

/**
 * One input path that forces replacement of a resource (see docs/plan.md, "The force-new table").
 * `refused`: the provider updates the path in place, but AWS refuses the update when the resources
 * whose IDs it holds do not keep `keeps.input`; such a change can only be made by a replacement.
 */
export interface ReplaceRule {
    /** Path in the resource's inputs (Pulumi names); `[*]` stands for any list element. */
    path: string;
    when: ForceNewWhen | "refused";
    /** Leaving an Optional+Computed input unset keeps the current value: removal forces nothing. */
    optionalComputed?: boolean;
    condition?: string;
    /** For `refused`: the type of the resources the path refers to by ID, and the input they must keep. */
    keeps?: { type: string; input: string };
    /** For `refused`: the AWS documentation that states the refusal. */
    source?: string;
}

export type TypeEntry =
    /**
     * `matchedBy`: how the token was found for a Terraform type it does not spell (tools/forcenew/tokens.ts);
     * `autoName`: the input the provider fills with `<resource name>-<random>` when the program leaves it unset.
     */
    | { kind: "resource"; source: string; matchedBy?: Exclude<MatchedBy, "name">; replaceOn: ReplaceRule[]; autoName?: string }
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

function byPath(a: ReplaceRule, b: ReplaceRule): number {
    return a.path.localeCompare(b.path) || (a.keeps?.input ?? "").localeCompare(b.keeps?.input ?? "");
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
    return replaceOn;
}

/**
 * pulumi-aws auto-names every resource whose Terraform schema has a `name` input (its
 * provider/autonaming.go applies the bridge's AutoName to each), and a few other inputs by hand in
 * provider/resources.go: the S3 bucket's `bucket`. pulumi-github auto-names `name` inputs the same
 * way (`prov.SetAutonaming` in its provider/resources.go).
 */
const AUTO_NAMED_OTHERWISE: Record<string, string> = { "aws:s3/bucket:Bucket": "bucket", "aws:s3/bucketV2:BucketV2": "bucket" };

function autoNameOf(token: string, args: ObjectShape): string | undefined {
    return AUTO_NAMED_OTHERWISE[token] ?? (args.has("name") ? "name" : undefined);
}

/** A resource entry of a bridged provider's token. */
function resourceEntry(
    token: string,
    terraformType: string,
    replaceOn: ReplaceRule[],
    args: ObjectShape,
    matchedBy: MatchedBy = "name",
): Extract<TypeEntry, { kind: "resource" }> {
    const autoName = autoNameOf(token, args);
    return {
        kind: "resource",
        source: terraformType,
        ...(matchedBy === "name" ? {} : { matchedBy }),
        replaceOn: replaceOn.sort(byPath),
        ...(autoName ? { autoName } : {}),
    };
}

/** The refused updates of one Terraform type as rules on Pulumi inputs; a row that does not map is an error, not a silent gap. */
function refusedRules(
    terraformType: string,
    args: ObjectShape,
    refused: RefusedUpdates,
    shapes: SdkShapes,
    tokenOf: (terraformType: string) => string | undefined,
): ReplaceRule[] {
    return refused.updates
        .filter((row) => row.terraformType === terraformType)
        .map((row) => {
            const path = pulumiPath(row.attribute, args, shapes);
            const type = tokenOf(row.references.terraformType);
            const referencedArgs = type ? shapes.resources.get(type)?.args : undefined;
            const input = referencedArgs ? pulumiProperty(referencedArgs, row.references.keeps) : undefined;
            if (!path || !type || !input) {
                throw new Error(
                    `refusedUpdates.json: ${terraformType} ${row.attribute.join(".")} → ${row.references.terraformType}.${row.references.keeps} has no Pulumi name`,
                );
            }
            return { path, when: "refused" as const, keeps: { type, input }, condition: row.refusal, source: row.source.url };
        });
}

function awsEntries(
    sources: ExtractedSources,
    refused: RefusedUpdates,
    shapes: SdkShapes,
    counts: Counts,
    unmatched: Record<string, string>,
): Record<string, TypeEntry> {
    const { version, resources } = sources.terraformAws;
    const matches = matchTokens(resources, shapes, "aws_", `terraform-provider-aws ${version}`);
    const tokenOf = (terraformType: string) => matches.tokens.get(terraformType)?.[0].token;
    const entries: Record<string, TypeEntry> = {};
    for (const [terraformType, tokens] of matches.tokens) {
        for (const { token, matchedBy } of tokens) {
            const args = shapes.resources.get(token)!.args;
            const rules = [...replaceRules(resources[terraformType], args, shapes, counts), ...refusedRules(terraformType, args, refused, shapes, tokenOf)];
            entries[token] = resourceEntry(token, terraformType, rules, args, matchedBy);
        }
    }
    const unmapped = refused.updates.filter((row) => !matches.tokens.has(row.terraformType));
    if (unmapped.length > 0) {
        throw new Error(`refusedUpdates.json: no Pulumi resource for ${unmapped.map((row) => row.terraformType).join(", ")}`);
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

/** GitHub entries under the tokens pulumi-github's own bridge metadata gives each Terraform type. */
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
        entries[facts.token] = resourceEntry(facts.token, terraformType, replaceRules(facts, shape.args, shapes, counts), shape.args);
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

/**
 * eks:index:Cluster inputs replace the component's cluster when they feed a force-new inner
 * property, and carry the inner cluster's refused updates to the inputs that feed them.
 */
function eksClusterEntry(mapping: ComponentMapping, innerEntry: TypeEntry | undefined): TypeEntry {
    const innerRules = innerEntry && "replaceOn" in innerEntry ? innerEntry.replaceOn : [];
    const effective = innerRules.filter((rule) => !mapping.ignoreChanges.some((ignored) => covers(ignored, rule.path) && rule.path.startsWith(ignored)));
    const byInput = new Map<string, ReplaceRule>();
    const refused: ReplaceRule[] = [];
    for (const [innerPath, inputs] of Object.entries(mapping.inputs)) {
        for (const rule of effective.filter((r) => covers(innerPath, r.path))) {
            for (const input of inputs) {
                if (rule.when === "refused") {
                    refused.push({ ...rule, path: input, condition: `${rule.condition}; ${input} feeds aws.eks.Cluster ${rule.path}` });
                    continue;
                }
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
        replaceOn: [...byInput.values(), ...refused].sort(byPath),
        feeds: mapping.inputs,
    };
}

export function buildTable(sources: ExtractedSources, refused: RefusedUpdates, sdks: InstalledSdks): ForceNewTable {
    const counts: Counts = { terraformTypesWithoutPulumiToken: 0, terraformPathsWithoutPulumiInput: 0, sdkTokensWithoutEntry: 0 };
    const unmatched: Record<string, string> = {};
    const aws = awsEntries(sources, refused, sdks.aws, counts, unmatched);
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
            regenerate:
                "npm run -s forcenew -- build (from tools/forcenew/data/sources.json and refusedUpdates.json); npm run -s forcenew -- extract --help for the sources",
            sources: {
                ...sources.header.sources,
                refusedUpdates: `tools/forcenew/data/refusedUpdates.json: ${refused.updates.length} rules, each citing the AWS documentation`,
            },
            note:
                `${sources.terraformAws.unresolved} terraform-provider-aws and ${sources.terraformGithub.unresolved} terraform-provider-github resources ` +
                "have schema parts the reader could not follow (shared helper variables); their explicit ForceNew flags are still read.",
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
