import { Address4 } from "ip-address";

/** AWS reserves the first four and the last address of every subnet. */
const AWS_RESERVED_IPS_PER_SUBNET = 5;

/** The ranges AWS documents for a VPC secondary CIDR used by pods under VPC CNI custom networking. */
const POD_CIDR_ALLOWED_RANGES = ["100.64.0.0/10", "198.19.0.0/16"] as const;

export interface SubnetPlan {
    availabilityZone: string;
    cidr: string;
    /** Addresses an ENI can take: the block minus AWS's five reserved addresses. */
    usableIps: number;
}

export interface CidrPlanInput {
    vpcCidr: string;
    podCidr: string;
    availabilityZones: string[];
    /** Prefix length of each node (private) subnet, e.g. 20 for /20. */
    privateSubnetPrefix: number;
    /** Prefix length of each public subnet (load balancers, NAT gateways). */
    publicSubnetPrefix: number;
    /** Prefix length of each pod subnet carved from the secondary CIDR. */
    podSubnetPrefix: number;
}

export interface CidrPlan {
    privateSubnets: SubnetPlan[];
    publicSubnets: SubnetPlan[];
    podSubnets: SubnetPlan[];
    /** Pod IPs each AZ can hand out (usable IPs of its pod subnet). */
    usablePodIpsPerAz: number;
}

/** A CIDR problem, phrased for the config error report. */
export interface CidrProblem {
    path: string;
    value: unknown;
    message: string;
}

export class CidrPlanError extends Error {
    constructor(readonly problems: CidrProblem[]) {
        super(problems.map((p) => `${p.path}: ${JSON.stringify(p.value)} ${p.message}`).join("\n"));
        this.name = "CidrPlanError";
    }
}

/** Parses an IPv4 CIDR in canonical network form (no host bits set), or returns undefined. */
export function parseCidr(cidr: string): Address4 | undefined {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) || !Address4.isValid(cidr)) {
        return undefined;
    }
    const address = new Address4(cidr);
    return address.startAddress().address === address.addressMinusSuffix ? address : undefined;
}

function range(address: Address4): [bigint, bigint] {
    return [address.startAddress().bigInt(), address.endAddress().bigInt()];
}

export function cidrsOverlap(a: string, b: string): boolean {
    const [aStart, aEnd] = range(new Address4(a));
    const [bStart, bEnd] = range(new Address4(b));
    return aStart <= bEnd && bStart <= aEnd;
}

export function cidrContains(outer: string, inner: string): boolean {
    const [oStart, oEnd] = range(new Address4(outer));
    const [iStart, iEnd] = range(new Address4(inner));
    return oStart <= iStart && iEnd <= oEnd;
}

/** The Name tag of a subnet of a tier ("public", "private", "pods") in a zone: how the console and error messages name it. */
export function subnetName(clusterName: string, tier: "public" | "private" | "pods", availabilityZone: string): string {
    return `${clusterName}-${tier}-${availabilityZone}`;
}

export function usableIps(prefix: number): number {
    return 2 ** (32 - prefix) - AWS_RESERVED_IPS_PER_SUBNET;
}

/**
 * Hands out aligned blocks from a parent CIDR in order. Blocks of one size are aligned to that
 * size, so a /24 after a /20 starts on the next /24 boundary and never straddles two networks.
 */
export class BlockAllocator {
    private next: bigint;
    private readonly end: bigint;

    constructor(parent: string) {
        [this.next, this.end] = range(new Address4(parent));
    }

    allocate(prefix: number): string | undefined {
        const size = 1n << BigInt(32 - prefix);
        const start = ((this.next + size - 1n) / size) * size;
        if (start + size - 1n > this.end) {
            return undefined;
        }
        this.next = start + size;
        return `${Address4.fromBigInt(start).address}/${prefix}`;
    }
}

export function allocateTier(allocator: BlockAllocator, zones: string[], prefix: number): SubnetPlan[] | undefined {
    const subnets: SubnetPlan[] = [];
    for (const availabilityZone of zones) {
        const cidr = allocator.allocate(prefix);
        if (cidr === undefined) {
            return undefined;
        }
        subnets.push({ availabilityZone, cidr, usableIps: usableIps(prefix) });
    }
    return subnets;
}

/**
 * Lays out one private (node) and one public subnet per AZ in the VPC CIDR, largest tier first so
 * alignment wastes nothing, and one pod subnet per AZ in the secondary CIDR.
 * Throws CidrPlanError listing every problem at once.
 */
export function planCidrs(input: CidrPlanInput): CidrPlan {
    const problems: CidrProblem[] = [];
    const vpc = parseCidr(input.vpcCidr);
    const pods = parseCidr(input.podCidr);
    if (!vpc) {
        problems.push({ path: "network.vpcCidr", value: input.vpcCidr, message: "is not an IPv4 CIDR in network form (e.g. 10.20.0.0/16)" });
    } else if (vpc.subnetMask < 16 || vpc.subnetMask > 28) {
        problems.push({ path: "network.vpcCidr", value: input.vpcCidr, message: "must have a prefix length between /16 and /28 (AWS VPC limits)" });
    }
    if (!pods) {
        problems.push({ path: "network.podCidr", value: input.podCidr, message: "is not an IPv4 CIDR in network form (e.g. 100.64.0.0/16)" });
    } else if (!POD_CIDR_ALLOWED_RANGES.some((allowed) => cidrContains(allowed, input.podCidr))) {
        problems.push({
            path: "network.podCidr",
            value: input.podCidr,
            message: `must lie inside ${POD_CIDR_ALLOWED_RANGES.join(" or ")} (the ranges AWS allows for pod secondary CIDRs)`,
        });
    } else if (pods.subnetMask < 16 || pods.subnetMask > 28) {
        problems.push({ path: "network.podCidr", value: input.podCidr, message: "must have a prefix length between /16 and /28 (AWS secondary CIDR limits)" });
    }
    if (vpc && pods && cidrsOverlap(input.vpcCidr, input.podCidr)) {
        problems.push({ path: "network.podCidr", value: input.podCidr, message: `overlaps network.vpcCidr ${input.vpcCidr}` });
    }
    if (problems.length > 0) {
        throw new CidrPlanError(problems);
    }

    const zones = input.availabilityZones;
    const vpcAllocator = new BlockAllocator(input.vpcCidr);
    const [first, second] = input.privateSubnetPrefix <= input.publicSubnetPrefix ? (["private", "public"] as const) : (["public", "private"] as const);
    const prefixOf = { private: input.privateSubnetPrefix, public: input.publicSubnetPrefix };
    const tiers: Partial<Record<"private" | "public", SubnetPlan[]>> = {};
    for (const tier of [first, second]) {
        const planned = allocateTier(vpcAllocator, zones, prefixOf[tier]);
        if (!planned) {
            problems.push({
                path: `network.${tier}SubnetPrefix`,
                value: prefixOf[tier],
                message: `leaves no room: ${zones.length} ${tier} /${prefixOf[tier]} subnets (after the other tier) do not fit in network.vpcCidr ${input.vpcCidr}`,
            });
        }
        tiers[tier] = planned;
    }
    const podSubnets = allocateTier(new BlockAllocator(input.podCidr), zones, input.podSubnetPrefix);
    if (!podSubnets) {
        problems.push({
            path: "network.podSubnetPrefix",
            value: input.podSubnetPrefix,
            message: `does not fit: ${zones.length} pod /${input.podSubnetPrefix} subnets need more than network.podCidr ${input.podCidr}`,
        });
    }
    if (problems.length > 0 || !tiers.private || !tiers.public || !podSubnets) {
        throw new CidrPlanError(problems);
    }
    return {
        privateSubnets: tiers.private,
        publicSubnets: tiers.public,
        podSubnets,
        usablePodIpsPerAz: usableIps(input.podSubnetPrefix),
    };
}
