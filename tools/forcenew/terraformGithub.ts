import { compositesOfType, field, GoExpr, isTrue, tokenize, treeOf } from "./goSource";
import { IndexTree, sdkResourceFacts, TerraformForceNew, TerraformResourceFacts } from "./terraformAws";

/**
 * Force-new facts of the Terraform GitHub provider (integrations/terraform-provider-github, SDKv2,
 * one Go package `github/`) and how pulumi-github bridges it: the token of each resource and the
 * `ForceNew` flags pulumi-github adds to fields on top of the provider's schema.
 */

/** Terraform GitHub facts of one resource, with its Pulumi token as pulumi-github maps it. */
export interface GithubResourceFacts extends TerraformResourceFacts {
    token: string;
}

/** The package's directory in the provider repository, and the service name its facts carry. */
export const GITHUB_PACKAGE = "github";

/**
 * A Go package read the way the Terraform AWS index lays one out (`<dir>/func.<name>.goindex`): a
 * function's file is the source file that declares it, so the schema reader follows helpers and
 * CustomizeDiff functions across the package's files.
 */
export function packageTree(dir: string, files: Map<string, string>): IndexTree {
    const declaring = new Map<string, string>();
    for (const source of files.values()) {
        for (const match of source.matchAll(/^func (?:\([^)]*\) )?([A-Za-z0-9_]+)\(/gm)) {
            if (!declaring.has(match[1])) {
                declaring.set(match[1], source);
            }
        }
    }
    return { read: (relativePath) => declaring.get(new RegExp(`^${dir}/func\\.([A-Za-z0-9_]+)\\.goindex$`).exec(relativePath)?.[1] ?? "") };
}

/** String constants a Go source declares (`const ( REPOSITORY_ID = "repository_id" )`): schema keys may be written with them. */
function goStringConstants(source: string): Map<string, string> {
    const constants = new Map<string, string>();
    const declarations = [...source.matchAll(/^const\s*\(([\s\S]*?)^\)/gm)].map((m) => m[1]);
    declarations.push(...[...source.matchAll(/^const\s+([^(\n].*)$/gm)].map((m) => m[1]));
    for (const declaration of declarations) {
        for (const match of declaration.matchAll(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:string\s*)?=\s*"([^"]*)"/gm)) {
            constants.set(match[1], match[2]);
        }
    }
    return constants;
}

/** Terraform type → factory function, from the provider's `ResourcesMap`. */
export function githubResourceFactories(providerGo: string): Map<string, string> {
    const factories = new Map<string, string>();
    const provider = compositesOfType(treeOf(tokenize(providerGo)), "schema.Provider")[0];
    const map = field(provider, "ResourcesMap");
    for (const element of map?.kind === "composite" ? map.elements : []) {
        if (element.key?.kind === "string" && element.value.kind === "call") {
            factories.set(element.key.value, element.value.callee);
        }
    }
    return factories;
}

/** What pulumi-github's provider/resources.go adds: ForceNew on fields, and provider config fields that replace the provider. */
export interface PulumiGithubOverrides {
    forceNew: Record<string, string[]>;
    providerReplaceOn: string[];
}

/** Field names are string literals or the file's string constants (`selectedRepositoryIDs`). */
function fieldName(key: GoExpr | undefined, constants: Map<string, string>): string | undefined {
    return key?.kind === "string" ? key.value : key?.kind === "ident" ? constants.get(key.name) : undefined;
}

const isTfbridgeTrue = (expr: GoExpr | undefined) => isTrue(expr) || (expr?.kind === "call" && expr.callee === "tfbridge.True");

export function pulumiGithubOverrides(resourcesGo: string): PulumiGithubOverrides {
    const constants = goStringConstants(resourcesGo);
    const info = compositesOfType(treeOf(tokenize(resourcesGo)), "tfbridge.ProviderInfo")[0];
    const forceNew: Record<string, string[]> = {};
    const resources = field(info, "Resources");
    for (const element of resources?.kind === "composite" ? resources.elements : []) {
        const type = fieldName(element.key, constants);
        const fields = field(element.value, "Fields");
        const forced = (fields?.kind === "composite" ? fields.elements : [])
            .filter((f) => isTfbridgeTrue(field(f.value, "ForceNew")))
            .map((f) => fieldName(f.key, constants))
            .filter((name): name is string => name !== undefined);
        if (type && forced.length > 0) {
            forceNew[type] = forced.sort();
        }
    }
    const config = field(info, "Config");
    const providerReplaceOn = (config?.kind === "composite" ? config.elements : [])
        .filter((f) => isTfbridgeTrue(field(f.value, "ForcesProviderReplace")))
        .map((f) => fieldName(f.key, constants))
        .filter((name): name is string => name !== undefined)
        .sort();
    return { forceNew, providerReplaceOn };
}

/** Terraform type → Pulumi token, from pulumi-github's bridge-metadata.json (`auto-aliasing.resources.<type>.current`). */
export function pulumiGithubTokens(bridgeMetadataJson: string): Map<string, string> {
    const metadata = JSON.parse(bridgeMetadataJson) as { "auto-aliasing": { resources: Record<string, { current: string }> } };
    return new Map(Object.entries(metadata["auto-aliasing"].resources).map(([type, { current }]) => [type, current]));
}

/** Force-new facts of every resource of the provider, with pulumi-github's token and ForceNew overrides. */
export function terraformGithubFacts(
    files: Map<string, string>,
    tokens: Map<string, string>,
    overrides: PulumiGithubOverrides,
): { resources: Record<string, GithubResourceFacts>; unresolved: number } {
    const providerGo = files.get(`${GITHUB_PACKAGE}/provider.go`);
    if (!providerGo) {
        throw new Error(`${GITHUB_PACKAGE}/provider.go is not in the Terraform GitHub provider source`);
    }
    const tree = packageTree(GITHUB_PACKAGE, files);
    const constants = new Map([...files.values()].flatMap((source) => [...goStringConstants(source)]));
    const named = (key: string) => constants.get(key) ?? key;
    const resources: Record<string, GithubResourceFacts> = {};
    let unresolved = 0;
    for (const [type, factory] of [...githubResourceFactories(providerGo)].sort(([a], [b]) => a.localeCompare(b))) {
        const token = tokens.get(type);
        if (!token) {
            throw new Error(`pulumi-github's bridge metadata has no token for ${type}: the two sources are not of one release`);
        }
        const facts = sdkResourceFacts(tree, GITHUB_PACKAGE, factory);
        unresolved += facts.unresolved ? 1 : 0;
        const bridged: TerraformForceNew[] = (overrides.forceNew[type] ?? []).map((name) => ({ path: [name], when: "any" }));
        const own = facts.forceNew.map((rule) => ({ ...rule, path: rule.path.map(named) }));
        const forceNew = [...own.filter((rule) => !bridged.some((b) => b.path.join("/") === rule.path.join("/"))), ...bridged].sort((a, b) =>
            a.path.join("/").localeCompare(b.path.join("/")),
        );
        resources[type] = { token, sdk: facts.sdk, service: facts.service, arguments: facts.arguments.map(named).sort(), forceNew };
    }
    return { resources, unresolved };
}
