import * as fs from "fs";
import * as path from "path";
import type { AwsServiceUse } from "../capability";
import type { SourceRecord } from "../../policy-pack/lib/instance-types";

/** Where each AWS service has a regional endpoint (generated from botocore, docs/facts.md). */
export interface EndpointServiceTable {
    generated: string;
    sources: { endpoints: SourceRecord };
    rule: string;
    /** Interface endpoint names botocore does not use, and the botocore service whose regions they share. */
    aliases: Record<string, string>;
    /** Service (as in com.amazonaws.<region>.<service>) to the regions that offer it. */
    services: Record<string, string[]>;
}

export const ENDPOINT_SERVICE_TABLE_FILE = path.join(__dirname, "data", "endpoint-services.json");

let table: EndpointServiceTable | undefined;

export function endpointServiceTable(): EndpointServiceTable {
    table ??= JSON.parse(fs.readFileSync(ENDPOINT_SERVICE_TABLE_FILE, "utf8")) as EndpointServiceTable;
    return table;
}

/** The regions offering `service`, or undefined when the data does not know the service at all. */
export function regionsOffering(service: string): string[] | undefined {
    const services = endpointServiceTable().services;
    return Object.hasOwn(services, service) ? services[service] : undefined;
}

/** The one service reached through a gateway endpoint on the route tables rather than an interface endpoint. */
const GATEWAY_SERVICE = "s3";

const SERVICE_NAME = /^[a-z0-9]+([.-][a-z0-9]+)*$/;

/**
 * A user's extra endpoint: a short name ("secretsmanager") or the full service name of the stack's
 * region ("com.amazonaws.eu-west-1.secretsmanager"), as the short name; or why it is refused.
 */
export function additionalServiceName(entry: string, region: string): { service: string } | { problem: string } {
    const full = /^com\.amazonaws\.([a-z0-9-]+)\.(.+)$/.exec(entry);
    if (full && full[1] !== region) {
        return {
            problem: `names region ${full[1]}; an endpoint serves the stack's own region, ${region}: give "${full[2]}" or "com.amazonaws.${region}.${full[2]}"`,
        };
    }
    const service = full ? full[2] : entry;
    if (!SERVICE_NAME.test(service) || service.startsWith("com.")) {
        return { problem: `is not an endpoint service name: give the name after com.amazonaws.<region>. (e.g. "secretsmanager") or the full name` };
    }
    return { service };
}

/** One endpoint the network creates, and every reason the stack has for it. */
interface PlannedEndpoint {
    service: string;
    reasons: string[];
}

/** The endpoints a network creates: the gateway (S3) and interface endpoints, in first-declared order. */
export interface EndpointPlan {
    gateway?: PlannedEndpoint;
    interfaces: PlannedEndpoint[];
    /** Declared services the region offers no endpoint for; with NAT their calls leave through it. */
    unavailable: PlannedEndpoint[];
}

/**
 * The endpoints for the services the stack's sections declare plus the user's additions (already
 * short names), one per service. A declared service the data knows but not in this region cannot
 * have an endpoint; validation refuses that without NAT.
 */
export function planEndpoints(declared: AwsServiceUse[], additions: string[], region: string): EndpointPlan {
    const byService = new Map<string, PlannedEndpoint>();
    for (const { service, reason } of [...declared, ...additions.map((service) => ({ service, reason: "network.vpcEndpoints.additionalServices" }))]) {
        const entry = byService.get(service) ?? { service, reasons: [] };
        if (!entry.reasons.includes(reason)) {
            entry.reasons.push(reason);
        }
        byService.set(service, entry);
    }
    const plan: EndpointPlan = { interfaces: [], unavailable: [] };
    for (const entry of byService.values()) {
        const regions = regionsOffering(entry.service);
        if (regions && !regions.includes(region)) {
            plan.unavailable.push(entry);
        } else if (entry.service === GATEWAY_SERVICE) {
            plan.gateway = entry;
        } else {
            plan.interfaces.push(entry);
        }
    }
    return plan;
}

/** The endpoints of a validated stack: what its sections declare plus network.vpcEndpoints.additionalServices. */
export function endpointPlanOf(declared: AwsServiceUse[], additionalServices: string[], region: string): EndpointPlan {
    const additions = additionalServices.map((entry) => {
        const parsed = additionalServiceName(entry, region);
        if ("problem" in parsed) {
            throw new Error(`network.vpcEndpoints.additionalServices: ${entry} ${parsed.problem} (validation should have refused it)`);
        }
        return parsed.service;
    });
    return planEndpoints(declared, additions, region);
}
