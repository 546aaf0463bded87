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
