import type { InstanceTypeFacts } from "../../config";

/** Addresses in one /28 prefix that VPC CNI prefix delegation assigns per ENI slot. */
export const ADDRESSES_PER_PREFIX = 16;
/** Pods on the host network (aws-node, kube-proxy) use the node's own IP, not an ENI slot. */
const HOST_NETWORK_PODS = 2;
/** EKS's recommended ceilings with prefix delegation: 110 below 30 vCPUs, 250 from 30 up. */
const PREFIX_DELEGATION_VCPU_THRESHOLD = 30;
const MAX_PODS_SMALL_NODE = 110;
const MAX_PODS_LARGE_NODE = 250;

/**
 * Kubelet maxPods for a node under VPC CNI custom networking, where the primary ENI carries no pods.
 *  - Secondary IPs: (ENIs - 1) x (IPv4 per ENI - 1) + 2.
 *  - Prefix delegation: each secondary slot holds a /28, so (ENIs - 1) x (IPv4 per ENI - 1) x 16 + 2,
 *    capped at 110 below 30 vCPUs and 250 above (kubelet and the CNI degrade past that).
 */
export function maxPodsFor(type: Pick<InstanceTypeFacts, "vcpus" | "maxNetworkInterfaces" | "ipv4PerInterface">, prefixDelegation: boolean): number {
    const podEnis = type.maxNetworkInterfaces - 1;
    const slotsPerEni = type.ipv4PerInterface - 1;
    if (podEnis < 1 || slotsPerEni < 1) {
        throw new Error(
            `an instance type with ${type.maxNetworkInterfaces} ENIs and ${type.ipv4PerInterface} IPv4 per ENI has no room for pods under custom networking`,
        );
    }
    if (!prefixDelegation) {
        return podEnis * slotsPerEni + HOST_NETWORK_PODS;
    }
    const ceiling = type.vcpus < PREFIX_DELEGATION_VCPU_THRESHOLD ? MAX_PODS_SMALL_NODE : MAX_PODS_LARGE_NODE;
    return Math.min(ceiling, podEnis * slotsPerEni * ADDRESSES_PER_PREFIX + HOST_NETWORK_PODS);
}

/**
 * One launch template serves every instance type of a pool, so its maxPods must fit the type with
 * the fewest pod addresses, or pods land on a node that cannot give them an IP.
 */
export function poolMaxPods(types: InstanceTypeFacts[], prefixDelegation: boolean): number {
    if (types.length === 0) {
        throw new Error("a node pool needs at least one instance type");
    }
    return Math.min(...types.map((type) => maxPodsFor(type, prefixDelegation)));
}
