import * as fs from "fs";
import * as path from "path";
import { compositesOfType, field, functionBody, GoElement, GoExpr, isTrue, returnedExprs, textOf, tokenize, TokenTree, treeOf } from "./goSource";

/**
 * When a Terraform attribute forces a new resource: on `any` change of its value, only when a
 * nested block is added or removed (`count`: SDKv2's ForceNew on a block applies to the number of
 * elements; nested attributes carry their own flag), or under a provider-side condition that
 * cannot be evaluated offline (`conditional`: CustomizeDiff `ForceNewIf*`, `RequiresReplaceIf`).
 */
export type ForceNewWhen = "any" | "count" | "conditional";

export interface TerraformForceNew {
    /** Attribute path in Terraform names; a segment is a string key or a `names.Attr*` constant. */
    path: string[];
    when: ForceNewWhen;
    /** Optional+Computed: leaving it unset keeps the current value, so removal forces nothing. */
    optionalComputed?: boolean;
    /** For `conditional`: the provider function that decides. */
    condition?: string;
}

export interface TerraformResourceFacts {
    sdk: "sdkv2" | "framework";
    /** The provider's service package (internal/service/<service>): pulumi-aws's module for unprefixed names. */
    service: string;
    /**
     * Its top-level arguments (attributes a configuration may set, and blocks), sorted: what
     * identifies a resource the bridge renamed beyond recognition among the SDK's resources.
     */
    arguments: string[];
    forceNew: TerraformForceNew[];
    /** Schema parts the reader could not follow (helper variables, unknown helpers). */
    unresolved?: string[];
}

/** Reads files of the provider index: Go declarations, one per file, under index/internal/. */
export interface IndexTree {
    read(relativePath: string): string | undefined;
}

export function directoryIndex(root: string): IndexTree {
    return {
        read: (relativePath) => {
            const file = path.join(root, relativePath);
            return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
        },
    };
}

const MODULE = "github.com/hashicorp/terraform-provider-aws/";

interface Scope {
    /** Directory of the package in the index, e.g. index/internal/service/eks. */
    dir: string;
    /** Import alias → package directory in the index. */
    imports: Map<string, string>;
}

function scopeOf(dir: string, source: string): Scope {
    const imports = new Map<string, string>();
    for (const match of source.matchAll(/^\s*(?:([A-Za-z_][A-Za-z0-9_]*)\s+)?"([^"]+)"\s*$/gm)) {
        const [, alias, importPath] = match;
        if (importPath.startsWith(MODULE)) {
            imports.set(alias ?? importPath.split("/").pop()!, `index/${importPath.slice(MODULE.length)}`);
        }
    }
    return { dir, imports };
}

const SCHEMA_TYPES = ["schema.Resource", "schema.Schema", "map[string]*schema.Schema"];

/** The first composite literal of any of the given types in source order. */
function firstComposite(trees: TokenTree[], types: string[]): GoExpr | undefined {
    const found = types.flatMap((type) => compositesOfType(trees, type).map((expr) => ({ expr, at: JSON.stringify(expr).length })));
    // compositesOfType keeps source order per type; across types, the outermost literal is the largest.
    return found.sort((a, b) => b.at - a.at)[0]?.expr;
}

class SchemaReader {
    readonly unresolved = new Set<string>();

    constructor(private readonly tree: IndexTree) {}

    /** The source of a function declared in a package of the index, with that file's scope. */
    functionSource(scope: Scope, callee: string): { body: TokenTree[]; scope: Scope } | undefined {
        const [qualifier, name] = callee.includes(".") ? callee.split(".", 2) : [undefined, callee];
        const dir = qualifier ? scope.imports.get(qualifier) : scope.dir;
        if (!dir) {
            return undefined;
        }
        const source = this.tree.read(`${dir}/func.${name}.goindex`);
        const body = source ? functionBody(source, name) : undefined;
        if (source && body) {
            return { body, scope: scopeOf(dir, source) };
        }
        // A package-level variable (often `sync.OnceValue(func() *schema.Schema {...})`).
        const variable = this.tree.read(`${dir}/var.${name}.goindex`);
        return variable ? { body: treeOf(tokenize(variable.slice(variable.indexOf("\n)") + 2))), scope: scopeOf(dir, variable) } : undefined;
    }

    /** Follows a call or a function name to the first composite literal the function returns. */
    resolve(expr: GoExpr | undefined, scope: Scope): { expr: GoExpr; scope: Scope } | undefined {
        if (!expr) {
            return undefined;
        }
        if (expr.kind === "composite") {
            return { expr, scope };
        }
        if (expr.kind === "func") {
            const returned = returnedExprs(expr.body).find((e) => e.kind === "composite" || e.kind === "call");
            return this.resolve(returned, scope);
        }
        if (expr.kind === "call" || expr.kind === "ident") {
            const name = expr.kind === "call" ? expr.callee : expr.name;
            const fn = this.functionSource(scope, name);
            if (!fn) {
                // Wrappers from outside the provider (maps.Clone(schema), sync.OnceValue(...)) pass their argument through.
                const passedThrough = expr.kind === "call" && expr.args.length === 1 ? this.resolve(expr.args[0], scope) : undefined;
                if (!passedThrough) {
                    this.unresolved.add(expr.kind === "call" ? `${name}()` : name);
                }
                return passedThrough;
            }
            const composite = firstComposite(fn.body, SCHEMA_TYPES);
            const returned = composite ? [composite] : returnedExprs(fn.body);
            for (const candidate of returned) {
                const resolved = candidate.kind === "composite" ? { expr: candidate, scope: fn.scope } : this.resolve(candidate, fn.scope);
                if (resolved) {
                    return resolved;
                }
            }
            this.unresolved.add(`${name}()`);
        }
        return undefined;
    }
}

function keyOf(expr: GoExpr | undefined): string | undefined {
    if (expr?.kind === "string") {
        return expr.value;
    }
    return expr?.kind === "ident" ? expr.name : undefined;
}

/** Walks an SDKv2 `map[string]*schema.Schema` literal. */
function walkSdkSchema(reader: SchemaReader, map: GoExpr, scope: Scope, prefix: string[], out: TerraformForceNew[]): void {
    if (map.kind !== "composite") {
        return;
    }
    for (const element of map.elements) {
        const key = keyOf(element.key);
        if (!key) {
            continue;
        }
        const resolved = reader.resolve(element.value, scope);
        if (!resolved) {
            // Helpers named for it (e.g. tftags.TagsSchemaForceNew) force a new resource by name.
            if ((element.value.kind === "call" && element.value.callee.endsWith("ForceNew")) || /ForceNew\(\)/.test(JSON.stringify(element.value))) {
                out.push({ path: [...prefix, key], when: "any" });
            }
            continue;
        }
        const schema = resolved.expr;
        const elem = reader.resolve(field(schema, "Elem"), resolved.scope);
        const nested = elem && (elem.expr.kind === "composite" ? (field(elem.expr, "Schema") ?? field(elem.expr, "SchemaFunc")) : undefined);
        const isBlock = elem?.expr.kind === "composite" && elem.expr.type.endsWith("schema.Resource");
        if (isTrue(field(schema, "ForceNew"))) {
            const optionalComputed = isTrue(field(schema, "Optional")) && isTrue(field(schema, "Computed"));
            out.push({ path: [...prefix, key], when: isBlock ? "count" : "any", ...(optionalComputed ? { optionalComputed } : {}) });
        }
        if (isBlock && nested) {
            const nestedMap = reader.resolve(nested, elem.scope);
            if (nestedMap) {
                walkSdkSchema(reader, nestedMap.expr, nestedMap.scope, [...prefix, key], out);
            }
        }
    }
}

/** Helpers that declare a computed-only attribute (tags_all, id, arn): not arguments. */
const COMPUTED_HELPER = /Computed|IDAttribute/;

/** The keys of a top-level schema map a configuration may set: Required or Optional attributes, and blocks. */
function argumentNames(reader: SchemaReader, elements: GoElement[], scope: Scope): string[] {
    const names: string[] = [];
    for (const element of elements) {
        const key = keyOf(element.key);
        if (!key) {
            continue;
        }
        const resolved = reader.resolve(element.value, scope);
        if (!resolved) {
            // A helper the reader cannot follow (tftags.TagsSchema()): an argument unless named computed.
            if (!COMPUTED_HELPER.test(JSON.stringify(element.value))) {
                names.push(key);
            }
            continue;
        }
        const schema = resolved.expr;
        const settable = isTrue(field(schema, "Required")) || isTrue(field(schema, "Optional"));
        // Framework blocks have neither flag: a block is always set by the configuration.
        const block = schema.kind === "composite" && /Block$/.test(schema.type);
        if (settable || block) {
            names.push(key);
        }
    }
    return names;
}

const REPLACE_ALWAYS = /planmodifier\.RequiresReplace(IfConfigured)?\(\)$/;

/** Walks Plugin Framework `Attributes` and `Blocks` maps. */
function walkFrameworkSchema(reader: SchemaReader, object: GoExpr, scope: Scope, prefix: string[], out: TerraformForceNew[]): void {
    for (const mapName of ["Attributes", "Blocks"]) {
        const map = field(object, mapName);
        if (map?.kind === "ident") {
            reader.unresolved.add(`${mapName}: ${map.name}`);
        }
        if (map?.kind !== "composite") {
            continue;
        }
        for (const element of map.elements) {
            const key = keyOf(element.key);
            const resolved = key ? reader.resolve(element.value, scope) : undefined;
            if (!key || !resolved) {
                continue;
            }
            const modifiers = field(resolved.expr, "PlanModifiers");
            if (modifiers?.kind === "composite") {
                for (const modifier of modifiers.elements) {
                    const callee = modifier.value.kind === "call" ? modifier.value.callee : "";
                    if (REPLACE_ALWAYS.test(`${callee}()`)) {
                        out.push({ path: [...prefix, key], when: "any" });
                    } else if (/RequiresReplace/.test(callee)) {
                        out.push({ path: [...prefix, key], when: "conditional", condition: callee });
                    }
                }
            }
            const nested = field(resolved.expr, "NestedObject") ?? resolved.expr;
            if (field(nested, "Attributes") || field(nested, "Blocks")) {
                walkFrameworkSchema(reader, nested, resolved.scope, [...prefix, key], out);
            }
        }
    }
}

/** Conditional replacements in an SDKv2 resource's CustomizeDiff (and the functions it names). */
function customizeDiffConditions(reader: SchemaReader, resource: GoExpr, body: TokenTree[], scope: Scope): TerraformForceNew[] {
    const customize = field(resource, "CustomizeDiff");
    if (!customize) {
        return [];
    }
    const texts = [textOf(body)];
    for (const name of new Set([...JSON.stringify(customize).matchAll(/"(?:name|callee)":"([A-Za-z_][A-Za-z0-9_]*)"/g)].map((m) => m[1]))) {
        const fn = reader.functionSource(scope, name);
        if (fn) {
            texts.push(textOf(fn.body));
        }
    }
    const found: TerraformForceNew[] = [];
    for (const text of texts) {
        for (const match of text.matchAll(/\b(ForceNewIfChange|ForceNewIf|ForceNew)\(\s*(?:"([a-z0-9_.]+)"|(names\.Attr[A-Za-z0-9]+))/g)) {
            const attribute = match[2] ?? match[3];
            const path = match[2] ? attribute.split(".").filter((s) => !/^\d+$/.test(s)) : [attribute];
            found.push({ path, when: "conditional", condition: `CustomizeDiff ${match[1]}` });
        }
    }
    return found;
}

function dedupe(entries: TerraformForceNew[]): TerraformForceNew[] {
    const seen = new Map<string, TerraformForceNew>();
    for (const entry of entries) {
        const key = entry.path.join("/");
        const existing = seen.get(key);
        // An unconditional rule wins over a conditional one on the same attribute.
        if (!existing || (existing.when === "conditional" && entry.when !== "conditional")) {
            seen.set(key, entry);
        }
    }
    return [...seen.values()].sort((a, b) => a.path.join("/").localeCompare(b.path.join("/")));
}

/** Registrations of one service package: Terraform type → factory function (SDKv2) or schema method (framework). */
function registrations(tree: IndexTree, dir: string, method: string): Map<string, string> {
    const source = tree.read(`${dir}/method.servicePackage.${method}.goindex`);
    const found = new Map<string, string>();
    if (!source) {
        return found;
    }
    for (const literal of compositesOfType(
        treeOf(tokenize(source)),
        `[]*inttypes.ServicePackage${method === "SDKResources" ? "SDKResource" : "FrameworkResource"}`,
    )) {
        if (literal.kind !== "composite") {
            continue;
        }
        for (const element of literal.elements) {
            const typeName = field(element.value, "TypeName");
            const factory = field(element.value, "Factory");
            if (typeName?.kind === "string" && factory?.kind === "ident") {
                found.set(typeName.value, factory.name);
            }
        }
    }
    return found;
}

function resourceFacts(
    sdk: TerraformResourceFacts["sdk"],
    service: string,
    args: string[],
    forceNew: TerraformForceNew[],
    reader: SchemaReader,
): TerraformResourceFacts {
    return {
        sdk,
        service,
        arguments: args.sort(),
        forceNew: dedupe(forceNew),
        ...(reader.unresolved.size ? { unresolved: [...reader.unresolved].sort() } : {}),
    };
}

export function sdkResourceFacts(tree: IndexTree, dir: string, factory: string): TerraformResourceFacts {
    const reader = new SchemaReader(tree);
    const service = dir.split("/").pop()!;
    const source = tree.read(`${dir}/func.${factory}.goindex`);
    const body = source ? functionBody(source, factory) : undefined;
    if (!source || !body) {
        return { sdk: "sdkv2", service, arguments: [], forceNew: [], unresolved: [`func ${factory} not in the index`] };
    }
    const scope = scopeOf(dir, source);
    const resource = compositesOfType(body, "schema.Resource")[0];
    const out: TerraformForceNew[] = [];
    const schema = field(resource, "Schema") ?? field(resource, "SchemaFunc");
    const map = reader.resolve(schema, scope);
    const args: string[] = [];
    if (map) {
        walkSdkSchema(reader, map.expr, map.scope, [], out);
        args.push(...(map.expr.kind === "composite" ? argumentNames(reader, map.expr.elements, map.scope) : []));
    } else {
        reader.unresolved.add("Schema");
    }
    if (resource) {
        out.push(...customizeDiffConditions(reader, resource, body, scope));
    }
    return resourceFacts("sdkv2", service, args, out, reader);
}

function frameworkResourceFacts(tree: IndexTree, dir: string, schemaFile: string): TerraformResourceFacts {
    const reader = new SchemaReader(tree);
    const service = dir.split("/").pop()!;
    const source = tree.read(`${dir}/${schemaFile}`);
    if (!source) {
        return { sdk: "framework", service, arguments: [], forceNew: [], unresolved: [`${schemaFile} not in the index`] };
    }
    const scope = scopeOf(dir, source);
    const schema = compositesOfType(treeOf(tokenize(source)), "schema.Schema")[0];
    const out: TerraformForceNew[] = [];
    const args: string[] = [];
    if (schema) {
        walkFrameworkSchema(reader, schema, scope, [], out);
        for (const mapName of ["Attributes", "Blocks"]) {
            const map = field(schema, mapName);
            args.push(...(map?.kind === "composite" ? argumentNames(reader, map.elements, scope) : []));
        }
    } else {
        reader.unresolved.add("schema.Schema");
    }
    return resourceFacts("framework", service, args, out, reader);
}

/**
 * The file of a framework resource's `Schema` method: the factory returns `&someResource{...}`; the
 * method is declared on that struct or on a struct it embeds (ingress and egress rules share one).
 */
function frameworkSchemaFile(tree: IndexTree, dir: string, factory: string): string | undefined {
    const source = tree.read(`${dir}/func.${factory}.goindex`);
    const body = source ? functionBody(source, factory) : undefined;
    const struct = body ? /&([A-Za-z0-9_]+)\{/.exec(textOf(body))?.[1] : undefined;
    if (!struct) {
        return undefined;
    }
    const candidates = [struct];
    const declaration = tree.read(`${dir}/type.${struct}.goindex`) ?? "";
    // Embedded fields are lines holding a type name alone.
    candidates.push(...[...declaration.matchAll(/^\s+\*?([A-Za-z0-9_]+)\s*$/gm)].map((m) => m[1]));
    const found = candidates.find((name) => tree.read(`${dir}/method.${name}.Schema.goindex`) !== undefined);
    return found ? `method.${found}.Schema.goindex` : undefined;
}

interface IndexManifest {
    version: string;
    services: { package_path: string }[];
}

/** Force-new facts of every managed resource of the provider, keyed by Terraform type. */
export function terraformAwsFacts(tree: IndexTree): { version: string; resources: Record<string, TerraformResourceFacts> } {
    const manifest = JSON.parse(tree.read("index/terraform-provider-aws-index.json")!) as IndexManifest;
    const resources: Record<string, TerraformResourceFacts> = {};
    for (const service of manifest.services) {
        const dir = `index/${service.package_path.slice(MODULE.length)}`;
        for (const [typeName, factory] of registrations(tree, dir, "SDKResources")) {
            resources[typeName] = sdkResourceFacts(tree, dir, factory);
        }
        for (const [typeName, factory] of registrations(tree, dir, "FrameworkResources")) {
            const schemaFile = frameworkSchemaFile(tree, dir, factory);
            resources[typeName] = schemaFile
                ? frameworkResourceFacts(tree, dir, schemaFile)
                : { sdk: "framework", service: dir.split("/").pop()!, arguments: [], forceNew: [], unresolved: ["no schema method in the index"] };
        }
    }
    const sorted = Object.fromEntries(Object.entries(resources).sort(([a], [b]) => a.localeCompare(b)));
    return { version: manifest.version, resources: sorted };
}
