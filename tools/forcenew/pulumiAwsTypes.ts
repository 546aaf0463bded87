import * as fs from "fs";
import * as path from "path";

/**
 * The shapes of @pulumi/aws inputs as the installed SDK declares them: each resource's `XArgs`
 * interface and the nested input types. The build step maps Terraform attribute paths onto these
 * names (camelCase, pluralised lists, blocks of at most one element flattened to objects), so a
 * path in the table is exactly a path in the plan's `props`.
 */
export interface PropertyShape {
    /** Nested input type ("eks.ClusterVpcConfig") when the property is an object or a list of objects. */
    ref?: string;
    array: boolean;
}

export type ObjectShape = Map<string, PropertyShape>;

export interface AwsSdkShapes {
    /** Pulumi type token → its Args shape and the module it lives in. */
    resources: Map<string, { module: string; args: ObjectShape }>;
    /** "module.TypeName" → nested input type shape. */
    types: Map<string, ObjectShape>;
}

function propertiesOf(block: string): ObjectShape {
    const shape: ObjectShape = new Map();
    for (const match of block.matchAll(/^ {4,8}(?:readonly )?([A-Za-z_$][A-Za-z0-9_$]*)\??: (.+);$/gm)) {
        const [, name, type] = match;
        const ref = /inputs\.([A-Za-z0-9]+)\.([A-Za-z0-9]+)/.exec(type);
        shape.set(name, { ref: ref ? `${ref[1]}.${ref[2]}` : undefined, array: /\[\](?: \| undefined)?>*$/.test(type) });
    }
    return shape;
}

function interfaceBlocks(source: string): Map<string, string> {
    const blocks = new Map<string, string>();
    for (const match of source.matchAll(/^( *)(?:export )?interface ([A-Za-z0-9_]+) \{\n([\s\S]*?)^\1\}/gm)) {
        blocks.set(match[2], match[3]);
    }
    return blocks;
}

export function readAwsSdkShapes(packageDir: string): AwsSdkShapes {
    const resources = new Map<string, { module: string; args: ObjectShape }>();
    for (const module of fs.readdirSync(packageDir)) {
        const dir = path.join(packageDir, module);
        if (!fs.statSync(dir).isDirectory() || module === "types" || module === "node_modules") {
            continue;
        }
        for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".js"))) {
            const js = fs.readFileSync(path.join(dir, file), "utf8");
            const token = /__pulumiType = '([^']+)'/.exec(js)?.[1];
            const className = /^exports\.([A-Za-z0-9]+) = [A-Za-z0-9]+;$/m.exec(js)?.[1];
            const dts = path.join(dir, file.replace(/\.js$/, ".d.ts"));
            if (!token || !className || !fs.existsSync(dts)) {
                continue;
            }
            const args = interfaceBlocks(fs.readFileSync(dts, "utf8")).get(`${className}Args`);
            if (args !== undefined) {
                resources.set(token, { module, args: propertiesOf(args) });
            }
        }
    }
    const types = new Map<string, ObjectShape>();
    const input = fs.readFileSync(path.join(packageDir, "types", "input.d.ts"), "utf8");
    for (const match of input.matchAll(/^export declare namespace ([a-z0-9]+) \{\n([\s\S]*?)^\}/gm)) {
        for (const [name, block] of interfaceBlocks(match[2])) {
            types.set(`${match[1]}.${name}`, propertiesOf(block));
        }
    }
    return { resources, types };
}

/** Lower-case letters and digits only: how Terraform names, `names.Attr*` constants and Pulumi names meet. */
export function normalized(name: string): string {
    return name
        .replace(/^names\.Attr/, "")
        .toLowerCase()
        .replace(/[^a-z0-9]/g, "");
}

/** The Pulumi property of `shape` for a Terraform attribute name (a string key or a `names.Attr*` constant). */
export function pulumiProperty(shape: ObjectShape, terraformName: string): string | undefined {
    const wanted = normalized(terraformName);
    const names = [...shape.keys()];
    // Lists are pluralised by the bridge (`tag` → `tags`); try the exact name first.
    return names.find((n) => normalized(n) === wanted) ?? names.find((n) => [`${wanted}s`, `${wanted}es`].includes(normalized(n)));
}
