/**
 * A resource's `aliases` as the engine resolves them to URNs (pulumi/pulumi's step generator:
 * collapseAliasToUrn, inheritedChildAlias, generateAliases). Pure, so the diff's tests need no render.
 */

/** One alias of a registration, as the SDK sends it to the monitor: a URN, or a spec the engine completes. */
export type AliasSpec =
    | { urn: string }
    | {
          /** Empty: the resource's own name, type, stack or project. */
          name: string;
          type: string;
          stack: string;
          project: string;
          /** The parent the alias names (the SDK fills in the resource's parent when the alias names none). */
          parentUrn: string;
          /** The alias has no parent (`parent: undefined` in the alias). */
          noParent: boolean;
      };

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
const URN_PREFIX = "urn:pulumi:";

/** A URN's parts: `urn:pulumi:<stack>::<project>::<parent types$type>::<name>` (a name may hold `::`). */
function urnParts(urn: string): { stack: string; project: string; type: string; name: string } {
    const [stack, project, qualifiedType, ...name] = urn.slice(URN_PREFIX.length).split("::");
    return { stack, project, type: qualifiedType.split("$").pop() ?? qualifiedType, name: name.join("::") };
}

/**
 * A resource's URN under its parent, composed as the URNs it is compared with are: the plan's come from
 * the mock monitor, which prefixes the parent's own type where the engine chains every ancestor's
 * type (`Platform$Cluster$Role` under the engine is `Cluster$Role` in a plan). The engine leaves the root stack out.
 */
function newUrn(stack: string, project: string, parent: string | undefined, type: string, name: string): string {
    const parentType = parent && urnParts(parent).type;
    const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
    return `${URN_PREFIX}${stack}::${project}::${qualified}::${name}`;
}

/** The URN of a resource under `parent`, in the same stack and project. */
export function childUrn(parent: string, type: string, name: string): string {
    const { stack, project } = urnParts(parent);
    return newUrn(stack, project, parent, type, name);
}

/** The resource an alias belongs to, and the deployment it is registered in. */
export interface AliasedResource {
    urn: string;
    type: string;
    name: string;
    parent: string | null;
}

/**
 * A spec completed from the resource: the resource's name, type, parent, stack and project where the
 * spec leaves them empty; no parent under `noParent` or when the parent is the root stack.
 * `parentAlias` is an earlier URN of the spec's parent, which the engine substitutes when that parent
 * itself was found through it.
 */
function collapseAliasToUrn(alias: AliasSpec, resource: AliasedResource, parentAlias?: string): string {
    if ("urn" in alias) {
        return alias.urn;
    }
    const { stack, project } = urnParts(resource.urn);
    const parent = alias.noParent ? undefined : (parentAlias ?? (alias.parentUrn || resource.parent || undefined));
    return newUrn(alias.stack || stack, alias.project || project, parent, alias.type || resource.type, alias.name || resource.name);
}

/**
 * The alias a child gets from an earlier URN of its parent: the same type under the parent's earlier
 * type, and a name that starts with the parent's name starts with the parent's earlier name instead
 * (the `<parent>-<part>` naming convention).
 */
function inheritedChildAlias(childType: string, childName: string, parentName: string, parentAlias: string, resource: AliasedResource): string {
    const { stack, project } = urnParts(resource.urn);
    const name = childName.startsWith(parentName) ? urnParts(parentAlias).name + childName.slice(parentName.length) : childName;
    return newUrn(stack, project, parentAlias, childType, name);
}

/**
 * Every earlier URN the resource may take over, in the engine's order: its own aliases, then those it
 * inherits through each alias of its parent (`aliasesOf` answers for resources registered before it).
 * The engine inherits only through the alias its parent was found by in the stack's state; without
 * the state, the list holds what every alias of the parent gives. The resource's own URN is left out.
 */
export function resolveAliases(resource: AliasedResource, aliases: AliasSpec[], aliasesOf: (urn: string) => readonly string[]): string[] {
    const result = new Set<string>();
    aliases.forEach((alias) => result.add(collapseAliasToUrn(alias, resource)));
    for (const alias of aliases) {
        // A spec's parent (the resource's own unless the spec names another) resolves to that parent's earlier URNs too.
        const parent = "urn" in alias || alias.noParent ? undefined : alias.parentUrn || resource.parent;
        (parent ? aliasesOf(parent) : []).forEach((parentAlias) => result.add(collapseAliasToUrn(alias, resource, parentAlias)));
    }
    if (resource.parent) {
        const parentName = urnParts(resource.parent).name;
        for (const parentAlias of aliasesOf(resource.parent)) {
            result.add(inheritedChildAlias(resource.type, resource.name, parentName, parentAlias, resource));
            for (const alias of aliases) {
                const own = urnParts(collapseAliasToUrn(alias, resource));
                result.add(inheritedChildAlias(own.type, own.name, parentName, parentAlias, resource));
            }
        }
    }
    result.delete(resource.urn);
    return [...result];
}
