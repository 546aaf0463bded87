import type { ComponentMapping } from "./eksComponent";
import type { KubernetesForceNewFacts } from "./kubernetes";
import { SdkShapes, normalized, ObjectShape, PropertyShape, pulumiProperty } from "./pulumiSdkTypes";
import type { ForceNewWhen, TerraformResourceFacts } from "./terraformAws";

/** What `generate.ts extract` reads from the providers' sources (tools/forcenew/data/sources.json). */
export interface ExtractedSources {
    header: { sources: Record<string, string>; note: string };
    terraformAws: { version: string; resources: Record<string, TerraformResourceFacts> };
    kubernetes: KubernetesForceNewFacts & { providerReplaceOn: string[] };
    eksCluster: ComponentMapping;
    /** The Terraform GitHub provider @pulumi/github bridges (absent from sources recorded before it). */
    terraformGithub?: { version: string; resources: Record<string, TerraformResourceFacts> };
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
    /** `autoName`: the input the provider fills with `<resource name>-<random>` when the program leaves it unset. */
    | { kind: "resource"; source: string; replaceOn: ReplaceRule[]; autoName?: string }
    | { kind: "provider"; source: string; replaceOn: ReplaceRule[] }
    | { kind: "remoteComponent"; source: string; inner?: string; replaceOn: ReplaceRule[]; feeds?: Record<string, string[]> }
    | { kind: "component"; source: string };

export interface ForceNewTable {
    header: { generatedBy: string; regenerate: string; sources: Record<string, string>; note: string; counts: Record<string, number> };
    types: Record<string, TypeEntry>;
}

/**
 * Maps a Terraform type to its Pulumi token the way pulumi-aws names modules: `aws_<module>_<name>`,
 * an unprefixed name in its service's module, or a type named after its module
 * (`aws_ec2_transit_gateway` is `ec2transitgateway.TransitGateway`, `aws_cloudtrail` `cloudtrail.Trail`).
 */
function tokenIndex(shapes: SdkShapes): (terraformType: string, service: string) => string | undefined {
    const byFullName = new Map<string, string[]>();
    const byName = new Map<string, string[]>();
    const byModule = new Map<string, string[]>();
    const nameOf = (token: string) => token.split(":")[1].split("/")[1];
    for (const token of shapes.resources.keys()) {
        const [, moduleAndName] = token.split(":");
        const [module, name] = moduleAndName.split("/");
        const add = (map: Map<string, string[]>, key: string) => map.set(key, [...(map.get(key) ?? []), token]);
        add(byFullName, normalized(module + name));
        add(byName, normalized(name));
        add(byModule, normalized(module));
    }
    return (terraformType, service) => {
        const rest = normalized(terraformType.replace(/^aws_/, ""));
        const full = byFullName.get(rest) ?? [];
        if (full.length === 1) {
            return full[0];
        }
        // Unprefixed names (aws_vpc, aws_subnet) live in the module of their service package.
        const named = (byName.get(rest) ?? []).filter((t) => t.split(":")[1].split("/")[0] === service);
        if (named.length === 1) {
            return named[0];
        }
        const own = (byModule.get(rest) ?? []).filter((t) => rest.endsWith(normalized(nameOf(t))));
        return own.length === 1 ? own[0] : undefined;
    };
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

/**
 * pulumi-aws auto-names every resource whose Terraform schema has a `name` input (its
 * provider/autonaming.go applies the bridge's AutoName to each), and a few other inputs by hand in
 * provider/resources.go: the S3 bucket's `bucket`.
 */
const AUTO_NAMED_OTHERWISE: Record<string, string> = { "aws:s3/bucket:Bucket": "bucket", "aws:s3/bucketV2:BucketV2": "bucket" };

function autoNameOf(token: string, args: ObjectShape): string | undefined {
    return AUTO_NAMED_OTHERWISE[token] ?? (args.has("name") ? "name" : undefined);
}

/** The refused updates of one Terraform type as rules on Pulumi inputs; a row that does not map is an error, not a silent gap. */
function refusedRules(
    terraformType: string,
    resource: { args: ObjectShape },
    refused: RefusedUpdates,
    sources: ExtractedSources,
    shapes: SdkShapes,
    tokenOf: (terraformType: string, service: string) => string | undefined,
): ReplaceRule[] {
    return refused.updates
        .filter((row) => row.terraformType === terraformType)
        .map((row) => {
            const path = pulumiPath(row.attribute, resource.args, shapes);
            const referenced = sources.terraformAws.resources[row.references.terraformType];
            const type = referenced ? tokenOf(row.references.terraformType, referenced.service) : undefined;
            const args = type ? shapes.resources.get(type)?.args : undefined;
            const input = args ? pulumiProperty(args, row.references.keeps) : undefined;
            if (!path || !type || !input) {
                throw new Error(
                    `refusedUpdates.json: ${terraformType} ${row.attribute.join(".")} → ${row.references.terraformType}.${row.references.keeps} has no Pulumi name`,
                );
            }
            return { path, when: "refused" as const, keeps: { type, input }, condition: row.refusal, source: row.source.url };
        });
}

function byPath(a: ReplaceRule, b: ReplaceRule): number {
    return a.path.localeCompare(b.path) || (a.keeps?.input ?? "").localeCompare(b.keeps?.input ?? "");
}

/** Table entries of a bridged provider's Terraform resources, their force-new paths in Pulumi names. */
function terraformEntries(
    resources: Record<string, TerraformResourceFacts>,
    shapes: SdkShapes,
    tokenOf: (terraformType: string, service: string) => string | undefined,
    counts: Record<string, number>,
    extraRules: (terraformType: string, resource: { args: ObjectShape }) => ReplaceRule[] = () => [],
): Record<string, TypeEntry> {
    const entries: Record<string, TypeEntry> = {};
    for (const [terraformType, facts] of Object.entries(resources)) {
        const token = tokenOf(terraformType, facts.service);
        const resource = token ? shapes.resources.get(token) : undefined;
        if (!token || !resource || entries[token]) {
            counts.terraformTypesWithoutPulumiToken++;
            continue;
        }
        const replaceOn: ReplaceRule[] = [];
        for (const rule of facts.forceNew) {
            const path = pulumiPath(rule.path, resource.args, shapes);
            if (!path) {
                // Attributes Pulumi does not expose as inputs (computed-only, or removed by the bridge).
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
        replaceOn.push(...extraRules(terraformType, resource));
        const autoName = autoNameOf(token, resource.args);
        entries[token] = { kind: "resource", source: terraformType, replaceOn: replaceOn.sort(byPath), ...(autoName ? { autoName } : {}) };
    }
    return entries;
}

function awsEntries(sources: ExtractedSources, refused: RefusedUpdates, shapes: SdkShapes, counts: Record<string, number>): Record<string, TypeEntry> {
    const tokenOf = tokenIndex(shapes);
    const entries = terraformEntries(sources.terraformAws.resources, shapes, tokenOf, counts, (terraformType, resource) =>
        refusedRules(terraformType, resource, refused, sources, shapes, tokenOf),
    );
    const unmapped = refused.updates.filter((row) => !Object.values(entries).some((e) => e.source === row.terraformType));
    if (unmapped.length > 0) {
        throw new Error(`refusedUpdates.json: no Pulumi resource for ${unmapped.map((row) => row.terraformType).join(", ")}`);
    }
    return entries;
}

/**
 * pulumi-github maps every `github_<name>` into its one module (`github:index/<name>:<Name>`) and
 * auto-names `name` inputs like pulumi-aws; no provider setting forces a provider replacement
 * (its provider/resources.go sets no ForcesProviderReplace).
 */
function githubEntries(facts: NonNullable<ExtractedSources["terraformGithub"]>, shapes: SdkShapes, counts: Record<string, number>): Record<string, TypeEntry> {
    const byName = new Map([...shapes.resources.keys()].map((token) => [normalized(token.split("/")[1].split(":")[0]), token]));
    const tokenOf = (terraformType: string) => byName.get(normalized(terraformType.replace(/^github_/, "")));
    return {
        ...terraformEntries(facts.resources, shapes, tokenOf, counts),
        "pulumi:providers:github": { kind: "provider", source: "pulumi-github provider config: nothing forces a replacement", replaceOn: [] },
    };
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

export function buildTable(sources: ExtractedSources, refused: RefusedUpdates, shapes: SdkShapes, githubShapes?: SdkShapes): ForceNewTable {
    const counts = { terraformTypesWithoutPulumiToken: 0, terraformPathsWithoutPulumiInput: 0 };
    const aws = awsEntries(sources, refused, shapes, counts);
    const github = sources.terraformGithub && githubShapes ? githubEntries(sources.terraformGithub, githubShapes, counts) : {};
    const types: Record<string, TypeEntry> = {
        ...aws,
        ...github,
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
            note: sources.header.note,
            counts: { ...counts, types: Object.keys(sorted).length },
        },
        types: sorted,
    };
}

/** JSON with one type per line: reviewable diffs when a provider upgrade moves a rule. */
export function formatTable(table: ForceNewTable): string {
    const lines = Object.entries(table.types).map(([token, entry]) => `    ${JSON.stringify(token)}: ${JSON.stringify(entry)}`);
    return `{\n  "header": ${JSON.stringify(table.header, null, 2).replace(/\n/g, "\n  ")},\n  "types": {\n${lines.join(",\n")}\n  }\n}\n`;
}
