import type { InstanceTypeFacts } from "../../config";
import { WARM_PREFIX_TARGET } from "../cluster/vpcCniConfig";
import { usableIps } from "../network/cidrPlan";
import { ADDRESSES_PER_PREFIX } from "./maxPods";

/** AWS reserves the first four addresses and the last one of every subnet: the first and last /28 can never be a prefix. */
const PREFIX_BLOCKS_WITH_RESERVED_ADDRESSES = 2;

type EniFacts = Pick<InstanceTypeFacts, "maxNetworkInterfaces" | "ipv4PerInterface">;

/**
 * What one node takes from its zone's pod subnet at most, under custom networking (the primary ENI
 * stays in the node subnet and carries no pods).
 */
export interface NodePodAddresses {
    /** Secondary ENIs the VPC CNI attaches; each takes its own primary address from the pod subnet. */
    enis: number;
    /** /28 prefixes on those ENIs, the warm prefix included (prefix delegation; else 0). */
    prefixes: number;
    /** Secondary addresses on those ENIs (without prefix delegation; else 0). */
    secondaryIps: number;
    /**
     * The node's cost in the subnet's unit: /28 blocks with prefix delegation (prefixes plus one block
     * per ENI primary address, which may sit alone in a block and keep it from ever becoming a prefix:
     * a prefix needs 16 contiguous free addresses), addresses without.
     */
    units: number;
}

/**
 * The most a node of this type can hold in the pod subnet when the kubelet admits maxPods pods.
 * ipamd stops adding addresses once the node holds as many as its pod capacity (maxPods), so:
 *  - prefix delegation: enough /28 prefixes for maxPods, plus the warm prefix, on as few ENIs as
 *    they fit (each ENI slot holds one prefix);
 *  - secondary IPs: whole ENIs of addresses until maxPods is covered (the default warm target is
 *    one ENI), never more ENIs than the type has.
 */
export function nodePodAddresses(type: EniFacts, maxPods: number, prefixDelegation: boolean): NodePodAddresses {
    const podEnis = type.maxNetworkInterfaces - 1;
    const slotsPerEni = type.ipv4PerInterface - 1;
    if (prefixDelegation) {
        const prefixes = Math.min(podEnis * slotsPerEni, Math.ceil(maxPods / ADDRESSES_PER_PREFIX) + WARM_PREFIX_TARGET);
        const enis = Math.ceil(prefixes / slotsPerEni);
        return { enis, prefixes, secondaryIps: 0, units: prefixes + enis };
    }
    const enis = Math.min(podEnis, Math.ceil(maxPods / slotsPerEni));
    const secondaryIps = enis * slotsPerEni;
    return { enis, prefixes: 0, secondaryIps, units: secondaryIps + enis };
}

/**
 * What one pod subnet offers, in the unit of nodePodAddresses: /28 blocks that can become prefixes
 * with prefix delegation (every aligned block but the two holding AWS's reserved addresses), usable
 * addresses without.
 */
export function podSubnetCapacity(prefixLength: number, prefixDelegation: boolean): number {
    return prefixDelegation ? Math.max(0, 2 ** (32 - prefixLength) / ADDRESSES_PER_PREFIX - PREFIX_BLOCKS_WITH_RESERVED_ADDRESSES) : usableIps(prefixLength);
}

/** One pool's worst case in one zone. */
export interface PoolPodSubnetDemand {
    pool: string;
    /** The pool at maxSize, spread evenly over the zones as its Auto Scaling group balances them. */
    nodesPerZone: number;
    maxPods: number;
    /** The pool's most demanding instance type, and what one node of it takes. */
    instanceType: string;
    perNode: NodePodAddresses;
    /** nodesPerZone x perNode.units. */
    units: number;
}

export interface PoolForPodSubnets {
    name: string;
    maxSize: number;
    /** The kubelet maxPods of the pool's launch template. */
    maxPods: number;
    /** The pool's instance types with their facts. */
    instanceTypes: { name: string; facts: EniFacts }[];
}

/** Each pool's worst case in one zone's pod subnet: every node at maxSize, each holding maxPods pods. */
export function podSubnetDemand(pools: PoolForPodSubnets[], zones: number, prefixDelegation: boolean): PoolPodSubnetDemand[] {
    return pools.flatMap((pool) => {
        const [worst] = pool.instanceTypes
            .map((type) => ({ type: type.name, perNode: nodePodAddresses(type.facts, pool.maxPods, prefixDelegation) }))
            .sort((a, b) => b.perNode.units - a.perNode.units);
        if (!worst) {
            return [];
        }
        const nodesPerZone = Math.ceil(pool.maxSize / zones);
        return [
            {
                pool: pool.name,
                nodesPerZone,
                maxPods: pool.maxPods,
                instanceType: worst.type,
                perNode: worst.perNode,
                units: nodesPerZone * worst.perNode.units,
            },
        ];
    });
}
