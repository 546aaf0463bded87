import type { ConfigProblem } from "../../config/problems";
import type { ValidationFacts } from "../capability";
import { CidrPlan, CidrPlanError, cidrsOverlap, parseCidr, planCidrs } from "./cidrPlan";
import { additionalServiceName, planEndpoints, regionsOffering } from "./endpointServices";
import type { NetworkSettings } from "./settings";

export interface NetworkValidation {
    problems: ConfigProblem[];
    /** The zones used, in region order; set when the AZ count fits the region. */
    availabilityZones?: string[];
    cidrPlan?: CidrPlan;
}

/** Checks the network settings against the region's zones and lays out the CIDR plan. */
export function validateNetwork(network: NetworkSettings, regionZones: string[]): NetworkValidation {
    if (network.azCount > regionZones.length) {
        return {
            problems: [
                {
                    path: "network.azCount",
                    value: network.azCount,
                    message: `exceeds the ${regionZones.length} Availability Zones this region has (${regionZones.join(", ")})`,
                },
            ],
        };
    }
    const availabilityZones = regionZones.slice(0, network.azCount);
    try {
        const cidrPlan = planCidrs({ ...network, availabilityZones });
        return { problems: [], availabilityZones, cidrPlan };
    } catch (error) {
        if (error instanceof CidrPlanError) {
            return { problems: error.problems, availabilityZones };
        }
        throw error;
    }
}

/**
 * The network's checks beside the layout: the endpoints the stack needs exist in the region when
 * there is no NAT to fall back on, the user's extra endpoints are well-formed and offered here, and
 * the runner's path names valid networks that do not collide with the VPC's.
 */
export function validateNetworkAccess(network: NetworkSettings, facts: ValidationFacts): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const { region } = facts;
    const hasNat = network.natGateways !== "none";
    const endpoints = network.vpcEndpoints;
    if (!hasNat && !endpoints.enabled) {
        problems.push({
            path: "network.vpcEndpoints.enabled",
            value: false,
            message:
                'cannot be false with network.natGateways "none": the nodes would reach neither ECR nor any AWS API; enable the endpoints or set natGateways to "single" or "perAz"',
        });
    }
    if (!endpoints.enabled && endpoints.additionalServices.length > 0) {
        problems.push({
            path: "network.vpcEndpoints.additionalServices",
            value: endpoints.additionalServices,
            message: "has no effect with network.vpcEndpoints.enabled false; remove it or enable the endpoints",
        });
    }
    endpoints.additionalServices.forEach((entry, index) => {
        const path = `network.vpcEndpoints.additionalServices[${index}]`;
        const parsed = additionalServiceName(entry, region);
        if ("problem" in parsed) {
            problems.push({ path, value: entry, message: parsed.problem });
            return;
        }
        const regions = regionsOffering(parsed.service);
        if (regions && !regions.includes(region)) {
            problems.push({ path, value: entry, message: `has no endpoint in ${region}; AWS offers ${parsed.service} in ${regions.join(", ")}` });
        }
    });
    if (!hasNat && endpoints.enabled) {
        for (const missing of planEndpoints(facts.awsServices, [], region).unavailable) {
            problems.push({
                path: "network.natGateways",
                value: network.natGateways,
                message: `leaves ${missing.service} unreachable: ${missing.reasons.join("; ")} calls it, and ${region} offers no ${missing.service} endpoint; add NAT or turn that capability off`,
            });
        }
    }
    problems.push(...runnerAccessProblems(network));
    return problems;
}

function runnerAccessProblems(network: NetworkSettings): ConfigProblem[] {
    const access = network.runnerAccess;
    if (!access) {
        return [];
    }
    return access.cidrs.flatMap((cidr, index): ConfigProblem[] => {
        const path = `network.runnerAccess.cidrs[${index}]`;
        if (!parseCidr(cidr)) {
            return [{ path, value: cidr, message: "is not an IPv4 CIDR in network form (e.g. 10.255.0.0/24)" }];
        }
        return [
            ["network.vpcCidr", network.vpcCidr],
            ["network.podCidr", network.podCidr],
        ]
            .filter(([, own]) => parseCidr(own) && cidrsOverlap(cidr, own))
            .map(([setting, own]) => ({
                path,
                value: cidr,
                message: `overlaps ${setting} ${own}: the route to the runners would capture the VPC's own addresses`,
            }));
    });
}
