/**
 * A tolerant reader for the part of Go the providers' schemas are written in: composite literals,
 * calls, identifiers and string constants. It does not type-check or evaluate Go; it turns source
 * text into a tree of literals so the force-new extractor can walk schema maps. Anything it does not
 * understand becomes an `other` node, so unknown constructs are visible rather than misread.
 */

export type GoExpr =
    | { kind: "composite"; type: string; elements: GoElement[] }
    | { kind: "call"; callee: string; args: GoExpr[]; spread: boolean }
    | { kind: "string"; value: string }
    | { kind: "ident"; name: string }
    | { kind: "func"; body: TokenTree[] }
    | { kind: "other"; text: string };

export interface GoElement {
    key?: GoExpr;
    value: GoExpr;
}

interface Token {
    kind: "ident" | "string" | "number" | "punct";
    text: string;
}

/** A token, or a bracketed group of tokens ("(", "[", "{") with its contents. */
export type TokenTree = Token | { kind: "group"; open: string; children: TokenTree[] };

const PUNCT = ["...", "&&", "||", "==", "!=", ":=", "<=", ">=", "<-", "++", "--", "+=", "-="];

function unquote(text: string): string {
    if (text.startsWith("`")) {
        return text.slice(1, -1);
    }
    try {
        return JSON.parse(text.startsWith("'") ? `"${text.slice(1, -1)}"` : text) as string;
    } catch {
        // Go escapes JSON lacks (\x21, \u{...} forms): keep the literal text; only key names matter here.
        return text.slice(1, -1);
    }
}

export function tokenize(source: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < source.length) {
        const ch = source[i];
        if (/\s/.test(ch)) {
            i++;
        } else if (source.startsWith("//", i)) {
            const end = source.indexOf("\n", i);
            i = end < 0 ? source.length : end;
        } else if (source.startsWith("/*", i)) {
            const end = source.indexOf("*/", i + 2);
            i = end < 0 ? source.length : end + 2;
        } else if (ch === '"' || ch === "'") {
            let j = i + 1;
            while (j < source.length && source[j] !== ch) {
                j += source[j] === "\\" ? 2 : 1;
            }
            tokens.push({ kind: "string", text: source.slice(i, j + 1) });
            i = j + 1;
        } else if (ch === "`") {
            const end = source.indexOf("`", i + 1);
            tokens.push({ kind: "string", text: source.slice(i, end + 1) });
            i = end + 1;
        } else if (/[A-Za-z_]/.test(ch)) {
            const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i, i + 200))!;
            tokens.push({ kind: "ident", text: match[0] });
            i += match[0].length;
        } else if (/[0-9]/.test(ch)) {
            const match = /^[0-9][0-9a-zA-Z_.]*/.exec(source.slice(i, i + 100))!;
            tokens.push({ kind: "number", text: match[0] });
            i += match[0].length;
        } else {
            const punct = PUNCT.find((p) => source.startsWith(p, i)) ?? ch;
            tokens.push({ kind: "punct", text: punct });
            i += punct.length;
        }
    }
    return tokens;
}

const GO_KEYWORDS = new Set(["return", "func", "if", "else", "for", "range", "switch", "case", "default", "var", "const", "go", "defer", "type"]);

const CLOSERS: Record<string, string> = { "(": ")", "[": "]", "{": "}" };

/** Nests tokens by their brackets. */
export function treeOf(tokens: Token[]): TokenTree[] {
    const root: TokenTree[] = [];
    const stack: { open: string; children: TokenTree[] }[] = [{ open: "", children: root }];
    for (const token of tokens) {
        const top = stack[stack.length - 1];
        if (token.kind === "punct" && CLOSERS[token.text]) {
            const group = { kind: "group" as const, open: token.text, children: [] as TokenTree[] };
            top.children.push(group);
            stack.push(group);
        } else if (token.kind === "punct" && Object.values(CLOSERS).includes(token.text)) {
            if (stack.length === 1 || CLOSERS[top.open] !== token.text) {
                throw new Error(`unbalanced "${token.text}"`);
            }
            stack.pop();
        } else {
            top.children.push(token);
        }
    }
    if (stack.length !== 1) {
        throw new Error("unclosed bracket");
    }
    return root;
}

function isGroup(tree: TokenTree | undefined, open?: string): tree is { kind: "group"; open: string; children: TokenTree[] } {
    return tree !== undefined && tree.kind === "group" && (open === undefined || tree.open === open);
}

function isPunct(tree: TokenTree | undefined, text: string): boolean {
    return tree !== undefined && tree.kind === "punct" && tree.text === text;
}

export function textOf(trees: TokenTree[]): string {
    let text = "";
    let previousWord = false;
    for (const tree of trees) {
        const word = tree.kind === "ident" || tree.kind === "number" || tree.kind === "string";
        // A space only where Go needs one: between two words (e.g. `map[string]schema.Attribute` has none).
        text += (previousWord && word ? " " : "") + (tree.kind === "group" ? `${tree.open}${textOf(tree.children)}${CLOSERS[tree.open]}` : tree.text);
        previousWord = word;
    }
    return text;
}

/** Splits a group's children at top-level separators (commas), dropping empty trailing parts. */
export function splitTopLevel(children: TokenTree[], separator = ","): TokenTree[][] {
    const parts: TokenTree[][] = [[]];
    for (const child of children) {
        if (isPunct(child, separator)) {
            parts.push([]);
        } else {
            parts[parts.length - 1].push(child);
        }
    }
    return parts.filter((p) => p.length > 0);
}

function dottedName(trees: TokenTree[]): string | undefined {
    const text = trees.map((t) => (t.kind === "group" ? "?" : t.text)).join("");
    return /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(text) ? text : undefined;
}

/** Reads one expression (the tokens between two top-level commas). */
export function parseExpr(trees: TokenTree[]): GoExpr {
    let items = trees;
    if (isPunct(items[0], "&")) {
        items = items.slice(1);
    }
    if (items.length === 1 && items[0].kind === "string") {
        return { kind: "string", value: unquote(items[0].text) };
    }
    if (items[0]?.kind === "ident" && items[0].text === "func") {
        const body = items[items.length - 1];
        return { kind: "func", body: isGroup(body, "{") ? body.children : [] };
    }
    const last = items[items.length - 1];
    // A literal body; inside a map literal the element type may be elided (`"name": {...}`).
    if (isGroup(last, "{")) {
        return { kind: "composite", type: textOf(items.slice(0, -1)), elements: parseElements(last.children) };
    }
    const spread = isPunct(last, "...");
    const callItems = spread ? items.slice(0, -1) : items;
    const args = callItems[callItems.length - 1];
    if (isGroup(args, "(") && callItems.length > 1) {
        const callee = dottedName(callItems.slice(0, -1));
        if (callee) {
            return { kind: "call", callee, args: splitTopLevel(args.children).map(parseExpr), spread };
        }
    }
    const name = dottedName(items);
    if (name) {
        return { kind: "ident", name };
    }
    if (items.length >= 3 && items.some((t) => isPunct(t, "+"))) {
        // String concatenation: `prefix + ".name"`.
        const operands = splitTopLevel(items, "+").map(parseExpr);
        return { kind: "call", callee: "+", args: operands, spread: false };
    }
    return { kind: "other", text: textOf(items) };
}

/** The elements of a composite literal body: `key: value` or bare values. */
export function parseElements(children: TokenTree[]): GoElement[] {
    return splitTopLevel(children).map((part) => {
        const colon = part.findIndex((t) => isPunct(t, ":"));
        return colon < 0 ? { value: parseExpr(part) } : { key: parseExpr(part.slice(0, colon)), value: parseExpr(part.slice(colon + 1)) };
    });
}

/**
 * Expressions after each `return` in a function body: the body's own statements first, then those
 * of nested blocks, so a schema function that builds parts in local closures (`SchemaFunc: func()
 * {...}` with a helper closure returning a nested map) yields its own result first.
 */
export function returnedExprs(body: TokenTree[]): GoExpr[] {
    const found: GoExpr[] = [];
    const nested: GoExpr[] = [];
    body.forEach((tree, index) => {
        if (tree.kind === "ident" && tree.text === "return") {
            // A returned value here is a type or name (idents, dots, `&`, `*`, `[...]`) followed by
            // a literal body `{...}` or call arguments `(...)`; statements have no other end marker
            // once newlines are gone.
            const rest: TokenTree[] = [];
            for (const next of body.slice(index + 1)) {
                rest.push(next);
                if (isGroup(next, "{") || isGroup(next, "(")) {
                    break;
                }
                if (!(next.kind === "ident" || isPunct(next, ".") || isPunct(next, "&") || isPunct(next, "*") || isGroup(next, "["))) {
                    rest.pop();
                    break;
                }
            }
            if (rest.length > 0) {
                found.push(parseExpr(rest));
            }
        } else if (isGroup(tree, "{")) {
            nested.push(...returnedExprs(tree.children));
        }
    });
    return [...found, ...nested];
}

/** Every composite literal of the given type anywhere in the trees (depth-first, source order). */
export function compositesOfType(trees: TokenTree[], type: string): GoExpr[] {
    const found: GoExpr[] = [];
    trees.forEach((tree, index) => {
        if (!isGroup(tree)) {
            return;
        }
        if (tree.open === "{") {
            // Walk back over the type tokens before this group.
            let start = index;
            const partOfType = (t: TokenTree) =>
                (t.kind === "ident" && !GO_KEYWORDS.has(t.text)) || [".", "*", "&"].some((p) => isPunct(t, p)) || isGroup(t, "[");
            while (start > 0 && partOfType(trees[start - 1])) {
                start--;
            }
            // After a parameter list the "type" is a function's result type and the group its body.
            const isFunctionBody = start > 0 && isGroup(trees[start - 1], "(");
            if (start < index && !isFunctionBody && textOf(trees.slice(start, index)).replace(/^&/, "") === type) {
                found.push(parseExpr(trees.slice(start, index + 1)));
                return;
            }
        }
        found.push(...compositesOfType(tree.children, type));
    });
    return found;
}

/** The body of `func <name>(...)` or `func (r *T) <name>(...)` in a source file. */
export function functionBody(source: string, name: string): TokenTree[] | undefined {
    const trees = treeOf(tokenize(source));
    for (let i = 0; i < trees.length; i++) {
        const tree = trees[i];
        if (tree.kind !== "ident" || tree.text !== "func") {
            continue;
        }
        let j = i + 1;
        if (isGroup(trees[j], "(")) {
            j++; // method receiver
        }
        const declared = trees[j];
        if (declared?.kind !== "ident" || declared.text !== name) {
            continue;
        }
        for (let k = j + 1; k < trees.length; k++) {
            const candidate = trees[k];
            const before = trees[k - 1];
            if (isGroup(candidate, "{") && !(before?.kind === "ident" && /^(struct|interface)$/.test(before.text))) {
                return candidate.children;
            }
        }
    }
    return undefined;
}

/** `key: value` lookup in a composite literal by field name. */
export function field(expr: GoExpr | undefined, name: string): GoExpr | undefined {
    if (expr?.kind !== "composite") {
        return undefined;
    }
    return expr.elements.find((e) => e.key?.kind === "ident" && e.key.name === name)?.value;
}

export function isTrue(expr: GoExpr | undefined): boolean {
    return expr?.kind === "ident" && expr.name === "true";
}
