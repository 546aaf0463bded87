import type { ResourceView, StackView } from "./policy";
import { clusterName, subnetIdsOf } from "./clusters";
import { UnknownValueError, readKnown } from "./unknown";
import { recordAt, stringAt } from "./values";

const SUBNET = "aws:ec2/subnet:Subnet";

export function resourcesOfType(stack: StackView, ...types: string[]): ResourceView[] {
    return stack.resources.filter((resource) => types.includes(resource.type));
}

/**
 * The stack's subnets a cluster is placed in: matched by provider ID where IDs are known, or
 * else by the `kubernetes.io/cluster/<name>` tag EKS uses for subnet discovery. Throws an
 * UnknownValueError (the rule is then undecided, not passed) when neither links anything:
 * at preview, new subnets have no ID yet; subnets may also live in another stack.
 */
export function subnetsOfCluster(cluster: ResourceView, stack: StackView): ResourceView[] {
    const subnets = resourcesOfType(stack, SUBNET);
    const ids = readKnown(() => subnetIdsOf(cluster)) ?? [];
    const byId = subnets.filter((subnet) => subnet.id !== undefined && ids.includes(subnet.id));
    if (byId.length > 0) {
        return byId;
    }
    const tag = `kubernetes.io/cluster/${clusterName(cluster)}`;
    const byTag = subnets.filter((subnet) => readKnown(() => Object.keys(recordAt(subnet.props, "tags") ?? {}).includes(tag)));
    if (byTag.length > 0) {
        return byTag;
    }
    throw new UnknownValueError(`subnets of ${cluster.urn}`);
}

/** Availability zones of subnets, by name or by zone ID, whichever each subnet states. */
export function availabilityZonesOf(subnets: ResourceView[]): Set<string> {
    return new Set(
        subnets
            .map((subnet) => stringAt(subnet.props, "availabilityZone") ?? stringAt(subnet.props, "availabilityZoneId"))
            .filter((zone): zone is string => !!zone),
    );
}
