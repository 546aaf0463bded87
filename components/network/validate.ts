import type { ConfigProblem } from "../../config/problems";
import { CidrPlan, CidrPlanError, planCidrs } from "./cidrPlan";
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
