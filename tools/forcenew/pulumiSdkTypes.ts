import * as fs from "fs";
import * as path from "path";

/**
 * The shapes of a bridged Pulumi SDK's inputs (@pulumi/aws, @pulumi/github) as the installed
 * package declares them: each resource's `XArgs` interface and the nested input types. The build
 * step maps Terraform attribute paths onto these names (camelCase, pluralised lists, blocks of at
 * most one element flattened to objects), so a path in the table is exactly a path in the plan's
 * `props`.
 */
export interface PropertyShape {
    /** Nested input type ("eks.ClusterVpcConfig", or "BranchProtectionRequiredStatusCheck" in a one-module SDK). */
    ref?: string;
    array: boolean;
}

export type ObjectShape = Map<string, PropertyShape>;

export interface ResourceShape {
    /** The token's module ("ec2", "index"). */
    module: string;
    /** The token's resource name ("Vpc"). */
    name: string;
    args: ObjectShape;
    /** The resource this one is a deprecated alias of (its doc says "has been deprecated in favor of"), as module and name. */
    aliasOf?: { module: string; name: string };
}

export interface SdkShapes {
    /** Pulumi type token → its Args shape and where it lives. */
    resources: Map<string, ResourceShape>;
    /** "module.TypeName" (or "TypeName" at the top level) → nested input type shape. */
    types: Map<string, ObjectShape>;
}

function propertiesOf(block: string): ObjectShape {
    const shape: ObjectShape = new Map();
    // A type on one line, or (maps: `pulumi.Input<{` ... `}>;`) over several, closed at the property's own indent.
    for (const match of block.matchAll(/^( {4,8})(?:readonly )?([A-Za-z_$][A-Za-z0-9_$]*)\??: (.+|.*\{\n[\s\S]*?\n\1\S.*);$/gm)) {
        const [, , name, type] = match;
        const ref = /inputs\.((?:[a-z0-9]+\.)?[A-Za-z0-9]+)/.exec(type);
        shape.set(name, { ref: ref?.[1], array: /\[\](?: \| undefined)?>*$/.test(type) });
    }
    return shape;
}

function interfaceBlocks(source: string, indent?: string): Map<string, string> {
    const blocks = new Map<string, string>();
    for (const match of source.matchAll(/^( *)(?:export )?interface ([A-Za-z0-9_]+) \{\n([\s\S]*?)^\1\}/gm)) {
        if (indent === undefined || match[1] === indent) {
            blocks.set(match[2], match[3]);
        }
    }
    return blocks;
}

/** The target of a class deprecated "in favor of" another: `aws.s3/bucketacl.BucketAcl` or `s3.Bucket`, as module and class. */
function aliasTarget(declaration: string, className: string, packageName: string): ResourceShape["aliasOf"] {
    const doc = new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*export declare class ${className}\\b`).exec(declaration)?.[1] ?? "";
    const target = /@deprecated \S+ has been deprecated in favor of ([A-Za-z0-9_./]+[A-Za-z0-9_])/.exec(doc)?.[1].replace(`${packageName}.`, "");
    return target ? { module: target.split(/[./]/)[0], name: target.split(".").pop()! } : undefined;
}

/** The resources of one directory of the package: every class with a `__pulumiType` and an Args interface. */
function readResources(dir: string, packageName: string, resources: Map<string, ResourceShape>): void {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".js"))) {
        const js = fs.readFileSync(path.join(dir, file), "utf8");
        const token = /__pulumiType = '([^']+)'/.exec(js)?.[1];
        const className = /^exports\.([A-Za-z0-9_]+) = [A-Za-z0-9_]+;$/m.exec(js)?.[1];
        const dts = path.join(dir, file.replace(/\.js$/, ".d.ts"));
        if (!token || !className || !fs.existsSync(dts)) {
            continue;
        }
        const declaration = fs.readFileSync(dts, "utf8");
        const args = interfaceBlocks(declaration).get(`${className}Args`);
        if (args === undefined) {
            continue;
        }
        // A provider's token is the package name alone ("aws"); the engine knows it as pulumi:providers:<name>.
        const provider = !token.includes(":");
        const [module, name] = provider ? ["index", className] : [token.split(":")[1].split("/")[0], token.split(":")[2]];
        resources.set(provider ? `pulumi:providers:${token}` : token, {
            module,
            name,
            args: propertiesOf(args),
            aliasOf: aliasTarget(declaration, className, packageName),
        });
    }
}

export function readSdkShapes(packageDir: string): SdkShapes {
    const resources = new Map<string, ResourceShape>();
    const packageName = (JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")) as { pulumi: { name: string } }).pulumi.name;
    readResources(packageDir, packageName, resources);
    for (const module of fs.readdirSync(packageDir)) {
        const dir = path.join(packageDir, module);
        if (fs.statSync(dir).isDirectory() && !["types", "node_modules", "config"].includes(module)) {
            readResources(dir, packageName, resources);
        }
    }
    const types = new Map<string, ObjectShape>();
    const input = fs.readFileSync(path.join(packageDir, "types", "input.d.ts"), "utf8");
    for (const [name, block] of interfaceBlocks(input, "")) {
        types.set(name, propertiesOf(block));
    }
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
