import { IndexTree, sdkResourceFacts, TerraformResourceFacts } from "./terraformAws";

/**
 * A Terraform provider kept as one plain Go package (terraform-provider-github's `github/`), read
 * as the AWS provider's index is: each function found by name, so the same SDKv2 schema reader
 * (ForceNew flags, nested blocks, CustomizeDiff) reads it.
 */
function packageTree(dir: string, files: Map<string, string>): IndexTree {
    const declaringFile = new Map<string, string>();
    for (const source of files.values()) {
        for (const match of source.matchAll(/^func ([A-Za-z0-9_]+)\(/gm)) {
            declaringFile.set(match[1], source);
        }
    }
    return {
        read: (relativePath) => {
            const match = /^(.*)\/func\.([A-Za-z0-9_]+)\.goindex$/.exec(relativePath);
            return match && match[1] === dir ? declaringFile.get(match[2]) : undefined;
        },
    };
}

/** The resources a provider registers in its `ResourcesMap`: Terraform type → factory function. */
function resourcesMap(providerSource: string): Map<string, string> {
    const start = providerSource.indexOf("ResourcesMap:");
    if (start < 0) {
        throw new Error("provider source has no ResourcesMap");
    }
    const block = providerSource.slice(start, providerSource.indexOf("\n\t\t\t},", start));
    return new Map([...block.matchAll(/"([a-z0-9_]+)":\s*([A-Za-z0-9_]+)\(\)/g)].map((m) => [m[1], m[2]]));
}

/** The package's string constants (`REPOSITORY_ID = "repository_id"`): schemas may key attributes by them. */
function stringConstants(files: Map<string, string>): Map<string, string> {
    const constants = new Map<string, string>();
    for (const source of files.values()) {
        for (const match of source.matchAll(/^(?:const\s+|\t)([A-Za-z_][A-Za-z0-9_]*)\s*(?:string\s*)?=\s*"([^"]*)"/gm)) {
            constants.set(match[1], match[2]);
        }
    }
    return constants;
}

/** Force-new facts of every managed resource of a one-package SDKv2 provider, keyed by Terraform type. */
export function terraformPackageFacts(dir: string, files: Map<string, string>, providerFile: string): Record<string, TerraformResourceFacts> {
    const provider = files.get(providerFile);
    if (!provider) {
        throw new Error(`${dir}/${providerFile} not found`);
    }
    const tree = packageTree(dir, files);
    const constants = stringConstants(files);
    const entries = [...resourcesMap(provider)].map(([type, factory]): [string, TerraformResourceFacts] => {
        const facts = sdkResourceFacts(tree, dir, factory);
        const forceNew = facts.forceNew.map((rule) => ({ ...rule, path: rule.path.map((segment) => constants.get(segment) ?? segment) }));
        return [type, { ...facts, forceNew }];
    });
    return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}
