import type { ComponentMapping } from "./eksComponent";
import type { KubernetesForceNewFacts } from "./kubernetes";
import { AwsSdkShapes, normalized, ObjectShape, PropertyShape, pulumiProperty } from "./pulumiAwsTypes";
import type { ForceNewWhen, TerraformResourceFacts } from "./terraformAws";

/** What `generate.ts extract` reads from the providers' sources (tools/forcenew/data/sources.json). */
export interface ExtractedSources {
    header: { sources: Record<string, string>; note: string };
    terraformAws: { version: string; resources: Record<string, TerraformResourceFacts> };
    kubernetes: KubernetesForceNewFacts & { providerReplaceOn: string[] };
    eksCluster: ComponentMapping;
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
    | { kind: "resource"; source: string; replaceOn: ReplaceRule[] }
    | { kind: "provider"; source: string; replaceOn: ReplaceRule[] }
    | { kind: "remoteComponent"; source: string; inner?: string; replaceOn: ReplaceRule[]; feeds?: Record<string, string[]> }
    | { kind: "component"; source: string };

export interface ForceNewTable {
    header: { generatedBy: string; regenerate: string; sources: Record<string, string>; note: string; counts: Record<string, number> };
    types: Record<string, TypeEntry>;
}

/** Maps a Terraform type to its Pulumi token the way pulumi-aws names modules: `aws_<module>_<name>` or an EC2 default. */
function tokenIndex(shapes: AwsSdkShapes): (terraformType: string, service: string) => string | undefined {
    const byFullName = new Map<string, string[]>();
    const byName = new Map<string, string[]>();
    for (const token of shapes.resources.keys()) {
        const [, moduleAndName] = token.split(":");
        const [module, name] = moduleAndName.split("/");
        const add = (map: Map<string, string[]>, key: string) => map.set(key, [...(map.get(key) ?? []), token]);
        add(byFullName, normalized(module + name));
        add(byName, normalized(name));
    }
    return (terraformType, service) => {
        const rest = normalized(terraformType.replace(/^aws_/, ""));
        const full = byFullName.get(rest) ?? [];
        if (full.length === 1) {
            return full[0];
        }
        // Unprefixed names (aws_vpc, aws_subnet) live in the module of their service package.
        const named = (byName.get(rest) ?? []).filter((t) => t.split(":")[1].split("/")[0] === service);
        return named.length === 1 ? named[0] : undefined;
    };
}

/** Maps a Terraform attribute path onto Pulumi input names through the SDK's declared shapes. */
function pulumiPath(terraformPath: string[], args: ObjectShape, shapes: AwsSdkShapes): string | undefined {
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

function awsEntries(sources: ExtractedSources, shapes: AwsSdkShapes, counts: Record<string, number>): Record<string, TypeEntry> {
    const tokenOf = tokenIndex(shapes);
    const entries: Record<string, TypeEntry> = {};
    for (const [terraformType, facts] of Object.entries(sources.terraformAws.resources)) {
        const service = facts.service;
        const token = tokenOf(terraformType, service);
        const resource = token ? shapes.resources.get(token) : undefined;
        if (!token || !resource || entries[token]) {
            counts.terraformTypesWithoutPulumiToken++;
            continue;
        }
        const replaceOn: ReplaceRule[] = [];
        for (const rule of facts.forceNew) {
            const path = pulumiPath(rule.path, resource.args, shapes);
            if (!path) {
                // Attributes Pulumi does not expose as inputs (computed-only, or removed by pulumi-aws).
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
        entries[token] = { kind: "resource", source: terraformType, replaceOn: replaceOn.sort((a, b) => a.path.localeCompare(b.path)) };
    }
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

export function buildTable(sources: ExtractedSources, shapes: AwsSdkShapes): ForceNewTable {
    const counts = { terraformTypesWithoutPulumiToken: 0, terraformPathsWithoutPulumiInput: 0 };
    const aws = awsEntries(sources, shapes, counts);
    const types: Record<string, TypeEntry> = {
        ...aws,
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
    };
}

/** JSON with one type per line: reviewable diffs when a provider upgrade moves a rule. */
export function formatTable(table: ForceNewTable): string {
    const lines = Object.entries(table.types).map(([token, entry]) => `    ${JSON.stringify(token)}: ${JSON.stringify(entry)}`);
    return `{\n  "header": ${JSON.stringify(table.header, null, 2).replace(/\n/g, "\n  ")},\n  "types": {\n${lines.join(",\n")}\n  }\n}\n`;
}
