import { functionBody, GoExpr, parseElements, parseExpr, splitTopLevel, textOf, tokenize, TokenTree, treeOf } from "./goSource";

/**
 * The Kubernetes provider's replacement rules, read from its `diff.go`: a table of group → version
 * → kind → field paths, built from package variables and small helper functions, plus the rules in
 * `forceNewProperties` itself (metadata for every kind; Secret and ConfigMap data when immutable).
 */
export interface KubernetesForceNewFacts {
    /** Paths every kind is replaced on (`.metadata.name`, `.metadata.namespace`). */
    allKinds: string[];
    /** "group/version:Kind" (core group as "core") → paths, as in the provider's table. */
    kinds: Record<string, string[]>;
    /** Paths of Secrets (unless the provider enables mutable secrets) and immutable ConfigMaps. */
    secret: string[];
    configMap: string[];
}

type Value = string | string[] | { [key: string]: Value };

interface Declarations {
    variables: Map<string, GoExpr>;
    functions: Map<string, { params: string[]; variadic: boolean; body: TokenTree[] }>;
}

function declarationsOf(source: string): Declarations {
    const trees = treeOf(tokenize(source));
    const variables = new Map<string, GoExpr>();
    const functions = new Map<string, { params: string[]; variadic: boolean; body: TokenTree[] }>();
    trees.forEach((tree, index) => {
        if (tree.kind === "ident" && tree.text === "var") {
            const name = trees[index + 1];
            const assign = trees[index + 2];
            if (name?.kind === "ident" && assign?.kind === "punct" && assign.text === "=") {
                // The value runs to the next top-level declaration keyword.
                const rest: TokenTree[] = [];
                for (const next of trees.slice(index + 3)) {
                    if (next.kind === "ident" && ["var", "func", "type"].includes(next.text)) {
                        break;
                    }
                    rest.push(next);
                }
                variables.set(name.text, parseExpr(rest));
            }
        }
        if (tree.kind === "ident" && tree.text === "func") {
            const name = trees[index + 1];
            const params = trees[index + 2];
            if (name?.kind === "ident" && params?.kind === "group" && params.open === "(") {
                const body = functionBody(source, name.text);
                const names = splitTopLevel(params.children).map((p) => (p[0]?.kind === "ident" ? p[0].text : ""));
                functions.set(name.text, { params: names, variadic: textOf(params.children).includes("..."), body: body ?? [] });
            }
        }
    });
    return { variables, functions };
}

function evaluate(expr: GoExpr, declarations: Declarations, bindings: Map<string, Value>): Value {
    switch (expr.kind) {
        case "string":
            return expr.value;
        case "ident": {
            const bound = bindings.get(expr.name);
            if (bound !== undefined) {
                return bound;
            }
            const variable = declarations.variables.get(expr.name);
            if (!variable) {
                throw new Error(`diff.go: unknown name ${expr.name}`);
            }
            return evaluate(variable, declarations, bindings);
        }
        case "composite": {
            if (expr.elements.every((e) => e.key)) {
                return Object.fromEntries(
                    expr.elements.map((e) => [evaluate(e.key!, declarations, bindings) as string, evaluate(e.value, declarations, bindings)]),
                );
            }
            return expr.elements.flatMap((e) => evaluate(e.value, declarations, bindings) as string | string[]);
        }
        case "call": {
            const args = expr.args.map((a) => evaluate(a, declarations, bindings));
            if (expr.callee === "+") {
                return (args as string[]).join("");
            }
            if (expr.callee === "append") {
                return args.flatMap((a) => a as string[]);
            }
            return callHelper(expr.callee, args, declarations);
        }
        default:
            throw new Error(`diff.go: cannot read ${JSON.stringify(expr).slice(0, 120)}`);
    }
}

/** Runs one of diff.go's helpers: `return properties{...}`, or a `for _, p := range ps` loop appending them. */
function callHelper(name: string, args: Value[], declarations: Declarations): Value {
    const helper = declarations.functions.get(name);
    if (!helper) {
        throw new Error(`diff.go: unknown function ${name}`);
    }
    const text = helper.body;
    const loop = text.findIndex((t) => t.kind === "ident" && t.text === "range");
    const literal = (trees: TokenTree[]): GoExpr | undefined => {
        const at = trees.findIndex((t) => t.kind === "ident" && t.text === "properties");
        const group = trees[at + 1];
        return group?.kind === "group" && group.open === "{" ? { kind: "composite", type: "properties", elements: parseElements(group.children) } : undefined;
    };
    const findLiteral = (trees: TokenTree[]): GoExpr | undefined => {
        for (const tree of trees) {
            if (tree.kind === "group") {
                const found = literal(tree.children) ?? findLiteral(tree.children);
                if (found) {
                    return found;
                }
            }
        }
        return literal(trees);
    };
    if (loop >= 0) {
        const variable = text[loop - 2];
        const body = text[loop + 2];
        const items = helper.variadic ? (args as string[]) : (args[0] as string[]);
        if (variable?.kind !== "ident" || body?.kind !== "group") {
            throw new Error(`diff.go: cannot read the loop in ${name}`);
        }
        const element = findLiteral(body.children)!;
        return items.flatMap((item) => evaluate(element, declarations, new Map([[variable.text, item]])) as string[]);
    }
    const bindings = new Map<string, Value>(helper.params.map((p, i) => [p, args[i]]));
    return evaluate(findLiteral(text)!, declarations, bindings);
}

/** The `properties{...}` literal in the branch of `forceNewProperties` guarded by a call to `guard`. */
function branchLiteral(body: TokenTree[], guard: string, declarations: Declarations): string[] {
    const flat = (trees: TokenTree[]): TokenTree[] => trees.flatMap((t) => (t.kind === "group" ? [t, ...flat(t.children)] : [t]));
    const tokens = flat(body);
    const at = tokens.findIndex((t, i) => t.kind === "ident" && t.text === guard.split(".")[1] && tokens[i - 2]?.kind === "ident");
    const literalAt = tokens.findIndex((t, i) => i > at && t.kind === "ident" && t.text === "properties");
    const group = tokens[literalAt + 1];
    if (at < 0 || group?.kind !== "group") {
        throw new Error(`diff.go: no properties for ${guard}`);
    }
    return evaluate({ kind: "composite", type: "properties", elements: parseElements(group.children) }, declarations, new Map()) as string[];
}

export function kubernetesForceNewFacts(diffGo: string): KubernetesForceNewFacts {
    const declarations = declarationsOf(diffGo);
    const table = evaluate({ kind: "ident", name: "forceNew" }, declarations, new Map()) as Record<string, Record<string, Record<string, string[]>>>;
    const kinds: Record<string, string[]> = {};
    for (const [group, versions] of Object.entries(table)) {
        for (const [version, byKind] of Object.entries(versions)) {
            for (const [kind, paths] of Object.entries(byKind)) {
                // The provider lists core under "core" and "" (legacy); both are one Pulumi group.
                kinds[`${group || "core"}/${version}:${kind}`] = [...new Set(paths)];
            }
        }
    }
    const body = functionBody(diffGo, "forceNewProperties");
    if (!body) {
        throw new Error("diff.go: no forceNewProperties function");
    }
    const metadataCall = splitTopLevel(body).flat();
    const metadata = metadataCall.findIndex((t) => t.kind === "ident" && t.text === "metadataForceNewProperties");
    const argument = metadataCall[metadata + 1];
    if (metadata < 0 || argument?.kind !== "group") {
        throw new Error("diff.go: forceNewProperties no longer starts from metadataForceNewProperties");
    }
    const allKinds = callHelper("metadataForceNewProperties", [evaluate(parseExpr(argument.children), declarations, new Map())], declarations) as string[];
    return {
        allKinds,
        kinds: Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b))),
        secret: branchLiteral(body, "clients.IsSecret", declarations),
        configMap: branchLiteral(body, "clients.IsConfigMap", declarations),
    };
}

/** Provider configuration keys whose change replaces the provider (and so every resource it manages), from DiffConfig. */
export function kubernetesProviderReplaceOn(providerGo: string): string[] {
    const body = functionBody(providerGo, "DiffConfig");
    if (!body) {
        throw new Error("provider.go: no DiffConfig");
    }
    const text = textOf(body);
    const constants = new Map([...providerGo.matchAll(/^\s*([A-Za-z]+Key)\s*=\s*"([A-Za-z]+)"/gm)].map((m) => [m[1], m[2]]));
    const keys = new Set<string>();
    for (const match of text.matchAll(/append\(replaces,("([A-Za-z]+)"|([A-Za-z]+Key))\)/g)) {
        keys.add(match[2] ?? constants.get(match[3]) ?? match[3]);
    }
    for (const match of text.matchAll(/PropertyKey\{([^}]*)\}/g)) {
        [...match[1].matchAll(/"([A-Za-z]+)"/g)].forEach((m) => keys.add(m[1]));
    }
    return [...keys].sort();
}
