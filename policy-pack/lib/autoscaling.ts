import type { ResourceView } from "./policy";
import { asArray } from "./values";

export const AUTOSCALING_GROUP = "aws:autoscaling/group:Group";
export const MANAGED_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
export const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

function mixedInstancesPolicyOf(group: ResourceView): Record<string, any> | undefined {
    return group.props.mixedInstancesPolicy ?? undefined;
}

/** Instance types an Auto Scaling group's mixed-instances overrides name. */
export function overrideInstanceTypes(group: ResourceView): string[] {
    const overrides = asArray(mixedInstancesPolicyOf(group)?.launchTemplate?.overrides);
    return overrides.flatMap((override: Record<string, any>) => (override.instanceType ? [override.instanceType] : []));
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
    const percentOnDemand = mixed.instancesDistribution?.onDemandPercentageAboveBaseCapacity ?? 100;
    return percentOnDemand < 100;
}

export function isSpotNodeGroup(nodeGroup: ResourceView): boolean {
    return nodeGroup.props.capacityType === "SPOT";
}
