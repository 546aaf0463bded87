import { parse as parseYaml } from "yaml";
import type { ReplaceRule } from "../forcenew/build";
import { entryFor, keptValues, ResolveId, segments, valuesAt } from "../forcenew/table";
import type { PlannedResource } from "../harness/render";
import { isRecord } from "../../policy-pack/lib/values";
import { withImplicitChildren } from "./implicitChildren";

export interface PropertyChange {
    /** Dotted path inside the resource, e.g. "props.vpcConfig.subnetIds[0]" or "options.protect". */
    path: string;
    before: unknown;
    after: unknown;
}

export type ChangeKind = "create" | "update" | "replace" | "delete";

/** An input whose change AWS refuses to make in place, with the refusal and the documentation that states it. */
export interface RefusedChange {
    path: string;
    reason: string;
    source: string;
}

/**
 * One step of the plan against the base, as `pulumi preview` would show it: the inputs that change
 * (top-level input names) and, for a replacement, what forces it (an input path, `provider` when the
 * resource's provider is replaced, or a `replaceOnChanges` path).
 */
export interface ResourceChange {
    urn: string;
    type: string;
    kind: ChangeKind;
    /** The base resource's URN when the resource continues it under another URN (one of its `aliases`). */
    previousUrn?: string;
    properties: string[];
    forcedBy: string[];
    /** Provider-side conditions that may also force a replacement; the provider decides at preview. */
    mayReplace?: string[];
    /** The old resource is deleted before its replacement is created (resource option or provider rule). */
    deleteBeforeReplace?: boolean;
    /** Updates the provider would make in place but AWS refuses (tools/forcenew/data/refusedUpdates.json): why this is a replacement. */
    refused?: RefusedChange[];
    /** Leaf-level values for the reviewer. */
    details: PropertyChange[];
}

/** Leaf-level differences between two JSON values, keyed by path. */
export function propertyChanges(before: unknown, after: unknown, path: string): PropertyChange[] {
    if (Array.isArray(before) && Array.isArray(after)) {
        const length = Math.max(before.length, after.length);
        return Array.from({ length }, (_, i) => propertyChanges(before[i], after[i], `${path}[${i}]`)).flat();
    }
    if (isRecord(before) && isRecord(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        return keys.flatMap((key) => propertyChanges(before[key], after[key], path ? `${path}.${key}` : key));
    }
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}

/** Whether a Pulumi property path (`a.b[*]`, `*` for everything) contains another path. */
function pathContains(container: string, path: string): boolean {
    const outer = segments(container);
    const inner = segments(path);
    return outer.length <= inner.length && outer.every((segment, i) => segment === "*" || segment === inner[i]);
}

function setAt(target: Record<string, unknown>, path: string[], value: unknown): void {
    let current: Record<string, unknown> = target;
    for (const segment of path.slice(0, -1)) {
        if (!isRecord(current[segment]) && !Array.isArray(current[segment])) {
            current[segment] = {};
        }
        current = current[segment] as Record<string, unknown>;
    }
    const last = path[path.length - 1];
    if (value === undefined) {
        delete current[last];
    } else {
        current[last] = value;
    }
}

/** The engine's ignoreChanges: each ignored path takes its old value before anything is compared. */
function withIgnoredChanges(before: Record<string, unknown>, after: Record<string, unknown>, ignoreChanges: string[]): Record<string, unknown> {
    if (ignoreChanges.length === 0) {
        return after;
    }
    const result = structuredClone(after);
    for (const ignored of ignoreChanges) {
        const path = segments(ignored);
        if (path.includes("*")) {
            // A wildcard keeps every old value under it: compare leaf by leaf.
            for (const change of propertyChanges(before, result, "")) {
                if (pathContains(ignored, change.path)) {
                    setAt(result, segments(change.path), change.before);
                }
            }
        } else {
            setAt(result, path, valuesAt(before, path)[0]);
        }
    }
    return result;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Which force-new rules the change from `before` to `after` triggers (refused updates: `refusedUpdate`). */
function triggeredRules(rules: ReplaceRule[], before: Record<string, unknown>, after: Record<string, unknown>): ReplaceRule[] {
    return rules.filter((rule) => {
        if (rule.when === "refused") {
            return false;
        }
        const path = segments(rule.path);
        const old = valuesAt(before, path);
        const next = valuesAt(after, path);
        if (rule.when === "count") {
            const size = (values: unknown[]) => values.map((v) => (Array.isArray(v) ? v.length : v === undefined ? 0 : 1));
            return !same(size(old), size(next));
        }
        if (same(old, next)) {
            return false;
        }
        // Optional+Computed: an input that is no longer set keeps the provider's current value.
        return !(rule.optionalComputed && next.every((v) => v === undefined));
    });
}

/**
 * Whether a change breaks a refused-update rule: the IDs at its path change and the resources they
 * name no longer keep the guarded input (a cluster's subnets in another VPC). `unknown` when the
 * IDs change but a plan does not hold those resources, so only AWS can tell.
 */
function refusedUpdate(
    rule: ReplaceRule,
    before: Record<string, unknown>,
    after: Record<string, unknown>,
    resolve: { before: ResolveId; after: ResolveId },
): "refused" | "unknown" | undefined {
    const path = segments(rule.path);
    if (same(valuesAt(before, path), valuesAt(after, path))) {
        return undefined;
    }
    const old = keptValues(rule, before, resolve.before);
    const next = keptValues(rule, after, resolve.after);
    if (old === undefined || next === undefined) {
        return "unknown";
    }
    return same(old, next) ? undefined : "refused";
}

function resolverOf(resources: PlannedResource[]): ResolveId {
    const byId = new Map(resources.filter((r) => r.id).map((r) => [r.id, r]));
    return (id) => byId.get(id);
}

/** The server and certificate of the kubeconfig's current context: what the Kubernetes provider calls the cluster. */
function activeCluster(kubeconfig: unknown): unknown {
    if (typeof kubeconfig !== "string" && !isRecord(kubeconfig)) {
        return kubeconfig;
    }
    let config: unknown = kubeconfig;
    if (typeof kubeconfig === "string") {
        try {
            config = parseYaml(kubeconfig);
        } catch {
            return kubeconfig;
        }
    }
    const parsed = config as {
        "current-context"?: string;
        contexts?: { name: string; context: { cluster: string } }[];
        clusters?: { name: string; cluster: unknown }[];
    };
    const context = parsed.contexts?.find((c) => c.name === parsed["current-context"]) ?? parsed.contexts?.[0];
    return parsed.clusters?.find((c) => c.name === context?.context.cluster)?.cluster ?? config;
}

function providerRulesTriggered(resource: PlannedResource, rules: ReplaceRule[], before: Record<string, unknown>, after: Record<string, unknown>): string[] {
    return rules
        .filter((rule) =>
            rule.path === "kubeconfig" && resource.type === "pulumi:providers:kubernetes"
                ? !same(activeCluster(before.kubeconfig), activeCluster(after.kubeconfig))
                : triggeredRules([rule], before, after).length > 0,
        )
        .map((rule) => rule.path);
}

/** Resources before their dependents (parents, providers, dependsOn), keeping URN order otherwise. */
function dependencyOrder(resources: PlannedResource[]): PlannedResource[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const visited = new Set<string>();
    const ordered: PlannedResource[] = [];
    const visit = (resource: PlannedResource, trail: Set<string>) => {
        if (visited.has(resource.urn) || trail.has(resource.urn)) {
            return;
        }
        trail.add(resource.urn);
        for (const dependency of [resource.parent, resource.provider, ...resource.dependsOn]) {
            const found = dependency ? byUrn.get(dependency) : undefined;
            if (found) {
                visit(found, trail);
            }
        }
        visited.add(resource.urn);
        ordered.push(resource);
    };
    resources.forEach((r) => visit(r, new Set()));
    return ordered;
}

function topLevel(paths: string[]): string[] {
    return [...new Set(paths.map((p) => segments(p)[0]))].sort();
}

/** A value the provider generated for an auto-named input (`<logical name>-<7 hex digits>`), not one the program set. */
function isGeneratedName(resource: PlannedResource, value: unknown): boolean {
    return typeof value === "string" && value.startsWith(`${resource.name}-`) && /^[0-9a-f]{7}$/.test(value.slice(resource.name.length + 1));
}

/**
 * The inputs to compare, and the auto-named input when the provider generated its value on both
 * sides: a new generated name is a consequence of a replacement, never its cause. A base plan
 * written before auto-names were recorded has none: the generated one is not a change then.
 */
function withGeneratedName(
    old: PlannedResource,
    resource: PlannedResource,
    autoNamed: string | undefined,
): { props: Record<string, unknown>; generated?: string } {
    if (!autoNamed || !isGeneratedName(resource, resource.props[autoNamed])) {
        return { props: resource.props };
    }
    if (old.props[autoNamed] === undefined) {
        const props = { ...resource.props };
        delete props[autoNamed];
        return { props };
    }
    return { props: resource.props, generated: isGeneratedName(old, old.props[autoNamed]) ? autoNamed : undefined };
}

/** Kubernetes deletes a named object before re-creating it under the same name (the provider's own rule). */
function kubernetesDeletesFirst(before: PlannedResource, after: PlannedResource): boolean {
    const name = (r: PlannedResource) => (r.props.metadata as { name?: string; namespace?: string } | undefined) ?? {};
    return (
        after.type.startsWith("kubernetes:") && !!name(after).name && name(after).name === name(before).name && name(after).namespace === name(before).namespace
    );
}

/** Two resources of the program claim one resource of the base: the engine refuses the deployment. */
export class AliasConflictError extends Error {}

/**
 * The base resource each current resource continues, as the engine finds it: by its own URN, else by
 * the first of its `aliases` the base holds. One base resource continues in one resource only: the
 * engine refuses an alias that another resource registers as its URN or claims by alias ("Duplicate
 * resource alias"), so the plan does too.
 */
function continuedResources(base: PlannedResource[], current: PlannedResource[]): Map<string, PlannedResource> {
    const before = new Map(base.map((r) => [r.urn, r]));
    const currentUrns = new Set(current.map((r) => r.urn));
    const claimedBy = new Map<string, string>();
    const conflicts: string[] = [];
    const continued = new Map<string, PlannedResource>();
    for (const resource of current) {
        const alias = before.has(resource.urn) ? resource.urn : resource.options.aliases?.find((a) => before.has(a));
        if (alias === undefined) {
            continue;
        }
        if (alias !== resource.urn) {
            const other = currentUrns.has(alias) ? alias : claimedBy.get(alias);
            if (other !== undefined) {
                conflicts.push(
                    `  ${alias}\n    claimed by alias by ${resource.urn}\n    and ${other === alias ? "registered under that URN" : `claimed by alias by ${other}`}`,
                );
            }
            claimedBy.set(alias, resource.urn);
        }
        continued.set(resource.urn, before.get(alias) as PlannedResource);
    }
    if (conflicts.length > 0) {
        throw new AliasConflictError(
            [
                `${conflicts.length} resource${conflicts.length === 1 ? "" : "s"} of the base plan would continue in two resources of the program, which the Pulumi engine refuses ("Duplicate resource alias"):`,
                ...conflicts,
                "  Keep each earlier URN in the aliases of one resource only.",
            ].join("\n"),
        );
    }
    return continued;
}

/** The base resources that continue under another URN (through an alias): old URN → new URN. */
function renames(continued: Map<string, PlannedResource>): Map<string, string> {
    return new Map([...continued].filter(([urn, old]) => urn !== old.urn).map(([urn, old]) => [old.urn, urn]));
}

/**
 * Generated names of resources that continue under another URN: old name → the new plan's. The
 * provider's Check keeps a resource's generated name for as long as it is not replaced (it reuses
 * the old input), so the new plan's generated name (a logical name of its own) stands for the old one.
 */
function keptNames(continued: Map<string, PlannedResource>, current: PlannedResource[]): Map<string, string> {
    const kept = new Map<string, string>();
    for (const resource of current) {
        const old = continued.get(resource.urn);
        const entry = entryFor(resource.type);
        const autoNamed = "autoName" in entry ? entry.autoName : undefined;
        if (
            old &&
            old.urn !== resource.urn &&
            autoNamed &&
            isGeneratedName(resource, resource.props[autoNamed]) &&
            isGeneratedName(old, old.props[autoNamed])
        ) {
            kept.set(old.props[autoNamed] as string, resource.props[autoNamed] as string);
        }
    }
    return kept;
}

/** The base resources, each under the URN of the resource that continues it (through an alias), for comparisons keyed by URN. */
export function baseAsContinued(base: PlannedResource[], current: PlannedResource[]): PlannedResource[] {
    const renamed = renames(continuedResources(base, current));
    return base.map((r) => (renamed.has(r.urn) ? { ...r, urn: renamed.get(r.urn) as string } : r));
}

/** A base resource as its continuation sees it: references to resources that continue under a new URN carry the new one, as the engine rewrites them. */
function withRenamedReferences(resource: PlannedResource, renamed: Map<string, string>): PlannedResource {
    if (renamed.size === 0) {
        return resource;
    }
    const rename = (value: unknown): unknown =>
        typeof value === "string"
            ? (renamed.get(value) ?? value)
            : Array.isArray(value)
              ? value.map(rename)
              : isRecord(value)
                ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rename(item)]))
                : value;
    return {
        ...resource,
        parent: resource.parent && (renamed.get(resource.parent) ?? resource.parent),
        provider: resource.provider && (renamed.get(resource.provider) ?? resource.provider),
        dependsOn: resource.dependsOn.map((urn) => renamed.get(urn) ?? urn),
        props: rename(resource.props) as Record<string, unknown>,
    };
}

/** The options the engine compares: `aliases` name earlier URNs, a change of them changes nothing. */
function comparedOptions({ aliases, ...options }: PlannedResource["options"]): Omit<PlannedResource["options"], "aliases"> {
    void aliases;
    return options;
}

/**
 * The steps that take the base plan to the current one, in the order the engine would run them:
 * creates, updates and replacements with dependencies first, then deletions dependents first.
 * Each resource is judged as its provider would: inputs after `ignoreChanges`, replaced when a
 * force-new input (tools/forcenew table), a `replaceOnChanges` path or its provider changes.
 * Local components never change by themselves; remote components stand for their unseen children.
 * A resource whose URN the base lacks continues the base resource one of its `aliases` names.
 */
export function diffResources(plannedBase: PlannedResource[], plannedCurrent: PlannedResource[]): ResourceChange[] {
    const { resources: base, implicit } = withImplicitChildren(plannedBase);
    const current = withImplicitChildren(plannedCurrent).resources;
    const continued = continuedResources(base, current);
    const renamed = new Map([...renames(continued), ...keptNames(continued, current)]);
    const resolve = { before: resolverOf(base), after: resolverOf(current) };
    const changes = new Map<string, ResourceChange>();

    for (const resource of dependencyOrder(current)) {
        const previous = continued.get(resource.urn);
        const old = previous && withRenamedReferences(previous, renamed);
        if (!old) {
            changes.set(resource.urn, { urn: resource.urn, type: resource.type, kind: "create", properties: [], forcedBy: [], details: [] });
            continue;
        }
        const entry = entryFor(resource.type);
        const ignore = resource.options.ignoreChanges ?? [];
        const named = withGeneratedName(old, resource, "autoName" in entry ? entry.autoName : undefined);
        const effective = withIgnoredChanges(old.props, named.props, ignore);
        const details = [
            ...propertyChanges(old.props, effective, "props"),
            ...propertyChanges(comparedOptions(old.options), comparedOptions(resource.options), "options"),
            ...propertyChanges([...old.dependsOn].sort(), [...resource.dependsOn].sort(), "dependsOn"),
        ];
        const inputPaths = details.filter((d) => d.path.startsWith("props.")).map((d) => d.path.slice("props.".length));
        // A remote component's implicit child has its component's provider, which the plan does not record.
        const providerChanged = resource.provider !== old.provider && !implicit.has(old.urn);
        const providerReplaced = !!resource.provider && (providerChanged || changes.get(resource.provider)?.kind === "replace");
        if (entry.kind === "component") {
            continue;
        }
        const forcedBy: string[] = [];
        const mayReplace: string[] = [];
        const refused: RefusedChange[] = [];
        if (entry.kind === "provider") {
            forcedBy.push(...providerRulesTriggered(resource, entry.replaceOn, old.props, effective));
        } else {
            for (const rule of triggeredRules(entry.replaceOn, old.props, effective).filter((r) => r.path !== named.generated)) {
                (rule.when === "conditional" ? mayReplace : forcedBy).push(rule.condition ? `${rule.path} (${rule.condition})` : rule.path);
            }
            for (const rule of entry.replaceOn.filter((r) => r.when === "refused")) {
                const verdict = refusedUpdate(rule, old.props, effective, resolve);
                if (verdict === "refused") {
                    forcedBy.push(`${rule.path} (AWS refuses the update)`);
                    refused.push({ path: rule.path, reason: rule.condition ?? "", source: rule.source ?? "" });
                } else if (verdict === "unknown") {
                    mayReplace.push(`${rule.path} (AWS refuses the update if ${rule.keeps?.input} of the resources it names changes: ${rule.condition})`);
                }
            }
        }
        const replaceOnChanges = resource.options.replaceOnChanges ?? [];
        for (const path of replaceOnChanges) {
            if (inputPaths.some((p) => pathContains(path, p))) {
                forcedBy.push(`${path} (replaceOnChanges)`);
            }
        }
        if (providerReplaced) {
            forcedBy.push("provider");
        }
        if (details.length === 0 && forcedBy.length === 0) {
            continue;
        }
        const kind: ChangeKind = forcedBy.length > 0 ? "replace" : "update";
        const deleteBeforeReplace = kind === "replace" && (resource.options.deleteBeforeReplace || kubernetesDeletesFirst(old, resource));
        changes.set(resource.urn, {
            urn: resource.urn,
            type: resource.type,
            kind,
            ...(old.urn !== resource.urn ? { previousUrn: old.urn } : {}),
            properties: topLevel(inputPaths),
            forcedBy: [...new Set(forcedBy)],
            ...(mayReplace.length ? { mayReplace } : {}),
            ...(deleteBeforeReplace ? { deleteBeforeReplace } : {}),
            ...(refused.length ? { refused } : {}),
            details,
        });
    }
    const kept = new Set([...continued.values()].map((r) => r.urn));
    const deletions = dependencyOrder(base)
        .filter((r) => !kept.has(r.urn))
        .reverse()
        .map((r): ResourceChange => ({ urn: r.urn, type: r.type, kind: "delete", properties: [], forcedBy: [], details: [] }));
    return [...changes.values(), ...deletions];
}

function countsByKind(changes: { kind: ChangeKind }[]): Record<ChangeKind, number> {
    const counts: Record<ChangeKind, number> = { create: 0, update: 0, replace: 0, delete: 0 };
    changes.forEach((c) => counts[c.kind]++);
    return counts;
}

/** "2 to create, 1 to update, 4 to replace, 0 to delete". */
export function countsLine(changes: { kind: ChangeKind }[]): string {
    const counts = countsByKind(changes);
    return `${counts.create} to create, ${counts.update} to update, ${counts.replace} to replace, ${counts.delete} to delete`;
}
