import type { ResourceView } from "./policy";
import { field, listAt, recordAt, stringAt } from "./values";

export const AUTOSCALING_GROUP = "aws:autoscaling/group:Group";
export const MANAGED_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
export const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

function mixedInstancesPolicyOf(group: ResourceView): Record<string, unknown> | undefined {
    return recordAt(group.props, "mixedInstancesPolicy");
}

/** Instance types an Auto Scaling group's mixed-instances overrides name. */
export function overrideInstanceTypes(group: ResourceView): string[] {
    return listAt(mixedInstancesPolicyOf(group), "launchTemplate", "overrides").flatMap((override) => {
        const type = stringAt(override, "instanceType");
        return type ? [type] : [];
    });
}

/**
 * A group runs Spot when its mixed-instances distribution leaves any capacity above the
 * On-Demand base to Spot (AWS default: 100% On-Demand above base, i.e. no Spot).
 */
export function isSpotGroup(group: ResourceView): boolean {
    const mixed = mixedInstancesPolicyOf(group);
    if (!mixed) {
        return false;
    }
    const percentOnDemand = field(mixed, "instancesDistribution", "onDemandPercentageAboveBaseCapacity") ?? 100;
    return Number(percentOnDemand) < 100;
}

export function isSpotNodeGroup(nodeGroup: ResourceView): boolean {
    return nodeGroup.props.capacityType === "SPOT";
}
