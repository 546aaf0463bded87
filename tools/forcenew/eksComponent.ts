import ts from "typescript";

/**
 * Which inputs of a remote component feed which property of one inner resource, read from the
 * component's TypeScript source: the arguments object of `new <innerClass>(...)`, each property's
 * value followed back through local variables to the component's `args.<input>` reads. Resources
 * created on the way (`new X(...)`) are not followed: their outputs do not carry our inputs.
 */
export interface ComponentMapping {
    /** Inner resource property path (Pulumi names) → component inputs whose value reaches it. */
    inputs: Record<string, string[]>;
    /** `ignoreChanges` the component sets on the inner resource: those paths never diff. */
    ignoreChanges: string[];
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
    let current = node.parent;
    while (current && !ts.isFunctionDeclaration(current)) {
        current = current.parent;
    }
    return current;
}

export function componentMapping(source: string, fileName: string, innerClass: string, argsName = "args"): ComponentMapping {
    const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true);
    let creation: ts.NewExpression | undefined;
    const find = (node: ts.Node): void => {
        if (!creation && ts.isNewExpression(node) && node.expression.getText(file) === innerClass) {
            creation = node;
        }
        ts.forEachChild(node, find);
    };
    find(file);
    const properties = creation?.arguments?.[1];
    if (!creation || !properties || !ts.isObjectLiteralExpression(properties)) {
        throw new Error(`${fileName}: no \`new ${innerClass}(name, { ... })\``);
    }
    const scope = enclosingFunction(creation) ?? file;

    // Every value an identifier is given in the function: its initializer and each assignment.
    const assignments = new Map<string, ts.Expression[]>();
    const collect = (node: ts.Node): void => {
        if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
            assignments.set(node.name.text, [...(assignments.get(node.name.text) ?? []), node.initializer]);
        }
        if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left)) {
            assignments.set(node.left.text, [...(assignments.get(node.left.text) ?? []), node.right]);
        }
        ts.forEachChild(node, collect);
    };
    collect(scope);

    const inputsOf = (expression: ts.Node, seen: Set<string>): Set<string> => {
        const found = new Set<string>();
        const visit = (node: ts.Node): void => {
            if (ts.isNewExpression(node)) {
                return;
            }
            if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === argsName) {
                found.add(node.name.text);
                return;
            }
            if (ts.isIdentifier(node) && node.text !== argsName && !seen.has(node.text) && assignments.has(node.text)) {
                seen.add(node.text);
                for (const value of assignments.get(node.text)!) {
                    inputsOf(value, seen).forEach((input) => found.add(input));
                }
                return;
            }
            ts.forEachChild(node, visit);
        };
        visit(expression);
        return found;
    };

    const inputs: Record<string, string[]> = {};
    const walk = (object: ts.ObjectLiteralExpression, prefix: string): void => {
        for (const property of object.properties) {
            if (!property.name || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) {
                continue;
            }
            const path = prefix ? `${prefix}.${property.name.text}` : property.name.text;
            if (ts.isPropertyAssignment(property) && ts.isObjectLiteralExpression(property.initializer)) {
                walk(property.initializer, path);
                continue;
            }
            const value = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
            const fed = value ? [...inputsOf(value, new Set())].sort() : [];
            if (fed.length > 0) {
                inputs[path] = fed;
            }
        }
    };
    walk(properties, "");

    const options = creation.arguments?.[2];
    const ignoreChanges: string[] = [];
    if (options && ts.isObjectLiteralExpression(options)) {
        for (const property of options.properties) {
            if (ts.isPropertyAssignment(property) && property.name.getText(file) === "ignoreChanges" && ts.isArrayLiteralExpression(property.initializer)) {
                property.initializer.elements.forEach((e) => ts.isStringLiteral(e) && ignoreChanges.push(e.text));
            }
        }
    }
    return { inputs: Object.fromEntries(Object.entries(inputs).sort(([a], [b]) => a.localeCompare(b))), ignoreChanges: ignoreChanges.sort() };
}
