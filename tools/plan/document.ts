import type { PlatformConfig } from "../../config/stack";
import type { PlannedResource, RenderedResources } from "../harness/render";
import type { SchemaFinding } from "../schemas/validate";

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
            onDemandBaseCapacity: p.onDemandBaseCapacity,
            onDemandPercentageAboveBaseCapacity: p.onDemandPercentageAboveBaseCapacity,
        })),
        meshBackend: config.mesh.backend,
    };
}

export function planDocument(rendered: RenderedResources, violations: PlanViolation[], schemaFindings: SchemaFinding[], summary?: PlanSummary): PlanDocument {
    return { stack: rendered.stack, project: rendered.project, resources: rendered.resources, violations, schemaFindings, summary };
}

export function mandatoryCount(document: PlanDocument): number {
    return document.violations.filter((v) => v.enforcementLevel === "mandatory").length;
}

/** A plan blocks a merge on a mandatory guardrail violation or on an object the API would reject. */
export function isBlocking(document: PlanDocument): boolean {
    return mandatoryCount(document) > 0 || document.schemaFindings.length > 0;
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
    ].join(" | ");
}
