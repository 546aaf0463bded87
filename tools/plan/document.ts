import { poolMaxPods } from "../../components/compute/maxPods";
import type { PlatformConfig } from "../../config/stack";
import type { PlannedResource, RenderedResources } from "../harness/render";
import type { SchemaFinding } from "../schemas/validate";
import { costSummary, type CostEstimate } from "../cost";
import { ChangeKind, countsLine, diffResources, RefusedChange } from "./diff";
import { withImplicitChildren } from "./implicitChildren";
import { replacementFindings, ReviewedException } from "./replacements";

/** A guardrail verdict as the plan reports it (Contract 2's Violation). */
export interface PlanViolation {
    policy: string;
    enforcementLevel: "mandatory" | "advisory";
    controls: string[];
    urn: string | null;
    message: string;
}

/** The settings a reviewer looks at first, taken from the validated configuration. */
export interface PlanSummary {
    environment: string;
    clusterName: string;
    region: string;
    availabilityZones: string[];
    kubernetesVersion: string;
    endpointAccess: string;
    publicAccessCidrs: string[];
    natGateways: string;
    nodePools: {
        name: string;
        instanceTypes: string[];
        minSize: number;
        maxSize: number;
        /** The initial size (the autoscaler owns it afterwards). */
        desiredSize: number;
        /** The kubelet maxPods of the pool's launch template. */
        maxPods: number;
        onDemandBaseCapacity: number;
        onDemandPercentageAboveBaseCapacity: number;
    }[];
    meshBackend: string;
}

/**
 * The plan JSON document of one stack (see docs/plan.md). `schemaFindings` (Kubernetes
 * objects that the cluster's API would reject) and `summary` (for the PR comment) are additions to
 * the contract's four keys.
 */
export interface PlanDocument {
    stack: string;
    project: string;
    resources: PlannedResource[];
    violations: PlanViolation[];
    schemaFindings: SchemaFinding[];
    summary?: PlanSummary;
    /** The monthly cost estimate (docs/cost.md). */
    cost?: CostEstimate;
    /** With a base plan: every step from the base to this plan (see docs/plan.md). */
    changes?: ChangeRecord[];
    /** Findings waived by `--allow-replace`, on record. */
    exceptions?: ReviewedException[];
}

/** A change as the plan JSON records it. */
interface ChangeRecord {
    urn: string;
    type: string;
    kind: ChangeKind;
    previousUrn?: string;
    properties: string[];
    forcedBy: string[];
    mayReplace?: string[];
    deleteBeforeReplace?: boolean;
    refused?: RefusedChange[];
}

/**
 * The plan with its diff against the base plan of the same stack: the changes, and the
 * protected-resource-replaced findings among the violations (minus those `allowReplace` waives).
 */
export function withDiff(document: PlanDocument, base: PlanDocument | undefined, allowReplace: ReadonlySet<string> = new Set()): PlanDocument {
    const baseResources = base?.resources ?? [];
    const changes = diffResources(baseResources, document.resources);
    const { violations, exceptions } = replacementFindings(changes, withImplicitChildren(baseResources).resources, allowReplace);
    return {
        ...document,
        violations: [...document.violations, ...violations],
        changes: changes.map(({ urn, type, kind, previousUrn, properties, forcedBy, mayReplace, deleteBeforeReplace, refused }) => ({
            urn,
            type,
            kind,
            ...(previousUrn ? { previousUrn } : {}),
            properties,
            forcedBy,
            ...(mayReplace ? { mayReplace } : {}),
            ...(deleteBeforeReplace ? { deleteBeforeReplace } : {}),
            ...(refused ? { refused } : {}),
        })),
        ...(exceptions.length ? { exceptions } : {}),
    };
}

/** The terminal's view of a diff: the counts, then one line per change that is not a create. */
export function changeLines(document: PlanDocument): string[] {
    if (!document.changes) {
        return [];
    }
    const symbol: Record<ChangeKind, string> = { create: "+", update: "~", replace: "+-", delete: "-" };
    const lines = [`  changes: ${countsLine(document.changes)}`];
    for (const change of document.changes.filter((c) => c.kind !== "create")) {
        const why =
            change.kind === "replace"
                ? ` forced by ${change.forcedBy.join(", ")}${change.deleteBeforeReplace ? " (delete first)" : ""}`
                : change.kind === "update"
                  ? ` ${change.properties.join(", ")}${change.mayReplace ? `; may replace: ${change.mayReplace.join(", ")}` : ""}`
                  : "";
        const was = change.previousUrn ? ` (was ${change.previousUrn.split("::").pop()})` : "";
        lines.push(`  ${symbol[change.kind].padEnd(2)} ${change.kind.padEnd(7)} ${change.type} ${change.urn.split("::").pop()}${was}${why}`);
    }
    return lines;
}

export function planSummary(config: PlatformConfig): PlanSummary {
    return {
        environment: config.environment,
        clusterName: config.clusterName,
        region: config.region,
        availabilityZones: config.availabilityZones,
        kubernetesVersion: config.cluster.kubernetesVersion,
        endpointAccess: config.cluster.endpointAccess,
        publicAccessCidrs: config.cluster.publicAccessCidrs,
        natGateways: config.network.natGateways,
        nodePools: config.compute.nodePools.map((p) => ({
            name: p.name,
            instanceTypes: p.instanceTypes,
            minSize: p.minSize,
            maxSize: p.maxSize,
            desiredSize: p.desiredSize ?? p.minSize,
            maxPods: poolMaxPods(
                p.instanceTypes.map((type) => config.instanceTypes[type]),
                config.cluster.prefixDelegation,
            ),
            onDemandBaseCapacity: p.onDemandBaseCapacity,
            onDemandPercentageAboveBaseCapacity: p.onDemandPercentageAboveBaseCapacity,
        })),
        meshBackend: config.mesh.backend,
    };
}

export function planDocument(
    rendered: RenderedResources,
    violations: PlanViolation[],
    schemaFindings: SchemaFinding[],
    summary?: PlanSummary,
    cost?: CostEstimate,
): PlanDocument {
    return { stack: rendered.stack, project: rendered.project, resources: rendered.resources, violations, schemaFindings, summary, cost };
}

export function mandatoryCount(document: PlanDocument): number {
    return document.violations.filter((v) => v.enforcementLevel === "mandatory").length;
}

/** A plan blocks a merge on a mandatory guardrail violation or on an object the API would reject. */
export function isBlocking(document: PlanDocument): boolean {
    return mandatoryCount(document) > 0 || document.schemaFindings.length > 0;
}

/** "2 × 110 = 220 pods at desired size, 6 × 110 = 660 at max size": a pool's pod capacity, nodes × kubelet maxPods. */
export function podCapacity(pool: PlanSummary["nodePools"][number]): string {
    const at = (nodes: number) => `${nodes} × ${pool.maxPods} = ${nodes * pool.maxPods}`;
    return `${at(pool.desiredSize)} pods at desired size, ${at(pool.maxSize)} at max size`;
}

/** The terminal's pod capacity line of a stack: every pool's nodes × maxPods. */
export function podCapacityLine(document: PlanDocument): string[] {
    const pools = document.summary?.nodePools ?? [];
    return pools.length ? [`  pods: ${pools.map((pool) => `${pool.name} ${podCapacity(pool)}`).join("; ")}`] : [];
}

/** One line per stack for the terminal. */
export function summaryLine(document: PlanDocument): string {
    const custom = document.resources.filter((r) => r.custom).length;
    const mandatory = mandatoryCount(document);
    const advisory = document.violations.length - mandatory;
    const s = document.summary;
    return [
        `${document.stack}: ${document.resources.length} resources (${custom} cloud, ${document.resources.length - custom} components/providers)`,
        ...(s
            ? [`${s.clusterName} in ${s.region} across ${s.availabilityZones.length} AZs`, `Kubernetes ${s.kubernetesVersion}, endpoint ${s.endpointAccess}`]
            : []),
        `guardrails: ${mandatory} mandatory, ${advisory} advisory`,
        `schema: ${document.schemaFindings.length} finding${document.schemaFindings.length === 1 ? "" : "s"}`,
        ...(document.cost ? [costSummary(document.cost)] : []),
    ].join(" | ");
}
