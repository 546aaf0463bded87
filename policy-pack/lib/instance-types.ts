// EC2 instance-type facts from the generated table data/instance-types.json: the one source of
// truth for families, shapes and ENI limits, shared by the policy pack and the offline plan. The
// table ships inside the pack because the pack is published on its own.
import * as fs from "fs";
import * as path from "path";

/** Where a generated table's facts come from: repository, file, commit and that commit's date. */
export interface SourceRecord {
    repository: string;
    path: string;
    commit: string;
    date: string;
    /** Which facts the table takes from this source. */
    facts: string;
}

/** One instance type in the table. Names follow EC2's DescribeInstanceTypes where it has one. */
export interface InstanceTypeRecord {
    vcpus: number;
    memoryMiB: number;
    /** The 64-bit architecture an EKS AMI runs on it: "x86_64" or "arm64". */
    architecture: string;
    /** Most private IPv4 addresses per ENI, the primary one included. */
    ipv4PerInterface: number;
    /** Most ENIs per network card, by card index. */
    networkCards: number[];
    /** Index of the card the primary ENI (and every VPC CNI ENI) attaches to. */
    defaultNetworkCard: number;
    /** "nitro", "xen", or "" where EC2 reports none (bare metal). */
    hypervisor: string;
    bareMetal: boolean;
    /** GPUs of the type, names lower-case with hyphens (e.g. nvidia, a10g), memory per GPU in MiB. */
    gpu?: { count: number; manufacturer: string; name: string; memoryMiB: number };
}

export interface InstanceTypeTable {
    generated: string;
    sources: { network: SourceRecord; shape: SourceRecord };
    /** Types one source lists and the other does not, with what is missing: no row, no guess. */
    incomplete: Record<string, string>;
    instanceTypes: Record<string, InstanceTypeRecord>;
}

export const INSTANCE_TYPE_TABLE_FILE = path.join(__dirname, "..", "data", "instance-types.json");

let table: InstanceTypeTable | undefined;

/** The generated table, read once. */
export function instanceTypeTable(): InstanceTypeTable {
    table ??= JSON.parse(fs.readFileSync(INSTANCE_TYPE_TABLE_FILE, "utf8")) as InstanceTypeTable;
    return table;
}

export function instanceTypeRecord(instanceType: string): InstanceTypeRecord | undefined {
    return Object.hasOwn(instanceTypeTable().instanceTypes, instanceType) ? instanceTypeTable().instanceTypes[instanceType] : undefined;
}

/** ENIs the VPC CNI can use: those of the default network card. */
export function maxNetworkInterfaces(record: InstanceTypeRecord): number {
    return record.networkCards[record.defaultNetworkCard];
}

export interface InstanceShape {
    vcpus: number;
    memoryGiB: number;
}

export function familyOf(instanceType: string): string {
    return instanceType.split(".")[0];
}

/** vCPU and memory of a type: from the rule's config first, then the table; undefined when neither knows it. */
export function shapeOf(instanceType: string, additional: Record<string, InstanceShape> = {}): InstanceShape | undefined {
    if (Object.hasOwn(additional, instanceType)) {
        return additional[instanceType];
    }
    const record = instanceTypeRecord(instanceType);
    return record && { vcpus: record.vcpus, memoryGiB: record.memoryMiB / 1024 };
}

/** Pods on the host network (aws-node, kube-proxy) take the node's own address, not an ENI slot. */
const HOST_NETWORK_PODS = 2;

/**
 * The maxPods nodeadm gives an AL2023 node whose NodeConfig sets none: every ENI's secondary
 * addresses plus the host-network pods, unaware of custom networking or prefix delegation.
 */
export function nodeadmDefaultMaxPods(record: InstanceTypeRecord): number {
    return maxNetworkInterfaces(record) * (record.ipv4PerInterface - 1) + HOST_NETWORK_PODS;
}

/**
 * The pods a node of the type can run with VPC CNI prefix delegation: a /28 in every secondary
 * address slot of the ENIs that carry pods (all but the primary under custom networking), within
 * EKS's recommended ceilings of 110 pods below 30 vCPUs and 250 from 30 up. Xen types cannot use
 * prefixes (the CNI supports them on Nitro and bare metal), so they keep their secondary-address limit.
 */
export function maxPodsWithPrefixDelegation(record: InstanceTypeRecord, customNetworking: boolean): number {
    const podEnis = maxNetworkInterfaces(record) - (customNetworking ? 1 : 0);
    const slots = podEnis * (record.ipv4PerInterface - 1);
    if (record.hypervisor !== "nitro" && !record.bareMetal) {
        return slots + HOST_NETWORK_PODS;
    }
    return Math.min(record.vcpus < 30 ? 110 : 250, slots * 16 + HOST_NETWORK_PODS);
}
