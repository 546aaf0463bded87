import * as fs from "fs";
import * as path from "path";

/**
 * The shapes of a bridged provider's inputs (@pulumi/aws, @pulumi/github) as the installed SDK
 * declares them: each resource's `XArgs` interface and the nested input types. The build step maps Terraform attribute paths onto these
 * names (camelCase, pluralised lists, blocks of at most one element flattened to objects), so a
 * path in the table is exactly a path in the plan's `props`.
 */
export interface PropertyShape {
    /** Nested input type ("eks.ClusterVpcConfig", "RepositoryEnvironmentReviewer") when the property is an object or a list of objects. */
    ref?: string;
    array: boolean;
}

export type ObjectShape = Map<string, PropertyShape>;

export interface SdkShapes {
    /** Pulumi type token → its Args shape and the module it lives in. */
    resources: Map<string, { module: string; args: ObjectShape }>;
    /** "module.TypeName" → nested input type shape. */
    types: Map<string, ObjectShape>;
}

function propertiesOf(block: string): ObjectShape {
    const shape: ObjectShape = new Map();
    for (const match of block.matchAll(/^ {4,8}(?:readonly )?([A-Za-z_$][A-Za-z0-9_$]*)\??: (.+);$/gm)) {
        const [, name, type] = match;
        // `inputs.eks.ClusterVpcConfig` (a module's type) or `inputs.RepositoryEnvironmentReviewer` (a one-module SDK).
        const ref = /inputs\.((?:[a-z0-9]+\.)?[A-Z][A-Za-z0-9]*)/.exec(type)?.[1];
        shape.set(name, { ref, array: /\[\](?: \| undefined)?>*$/.test(type) });
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

function resourcesIn(dir: string, module: string, resources: SdkShapes["resources"]): void {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".js"))) {
        const js = fs.readFileSync(path.join(dir, file), "utf8");
        const token = /__pulumiType = '([^']+)'/.exec(js)?.[1];
        const className = /^exports\.([A-Za-z0-9]+) = [A-Za-z0-9]+;$/m.exec(js)?.[1];
        const dts = path.join(dir, file.replace(/\.js$/, ".d.ts"));
        // Resource tokens are <package>:<module>/<name>:<Type>; a provider's is the package name alone.
        if (!token || token.split(":").length !== 3 || !className || !fs.existsSync(dts)) {
            continue;
        }
        const args = interfaceBlocks(fs.readFileSync(dts, "utf8")).get(`${className}Args`);
        if (args !== undefined) {
            resources.set(token, { module, args: propertiesOf(args) });
        }
    }
}

/**
 * The input shapes of a bridged provider's Node.js SDK: resources in module folders (@pulumi/aws)
 * or at the package root (@pulumi/github, one `index` module); nested input types in
 * types/input.d.ts, in a namespace per module or at its top level.
 */
export function readSdkShapes(packageDir: string): SdkShapes {
    const resources: SdkShapes["resources"] = new Map();
    resourcesIn(packageDir, "index", resources);
    for (const module of fs.readdirSync(packageDir)) {
        const dir = path.join(packageDir, module);
        if (fs.statSync(dir).isDirectory() && !["types", "node_modules", "config"].includes(module)) {
            resourcesIn(dir, module, resources);
        }
    }
    const types = new Map<string, ObjectShape>();
    const input = fs.readFileSync(path.join(packageDir, "types", "input.d.ts"), "utf8");
    const namespaced = [...input.matchAll(/^export declare namespace ([a-z0-9]+) \{\n([\s\S]*?)^\}/gm)];
    for (const match of namespaced) {
        for (const [name, block] of interfaceBlocks(match[2])) {
            types.set(`${match[1]}.${name}`, propertiesOf(block));
        }
    }
    if (namespaced.length === 0) {
        for (const [name, block] of interfaceBlocks(input)) {
            types.set(name, propertiesOf(block));
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
