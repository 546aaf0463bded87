/**
 * The pure half of the facts generator: source text in, table files out. Nothing here reads a
 * file, the clock or the network, so the same inputs always give byte-identical tables (the
 * determinism test runs this on committed extracts of the sources).
 */
import type { InstanceTypeRecord, InstanceTypeTable, SourceRecord } from "../../policy-pack/lib/instance-types";

/** One instance type as the VPC CNI's limits table records it (pkg/vpc/vpc_ip_resource_limit.go). */
export interface CniLimits {
    /** ENIs on the default network card: what the CNI can attach for pods. */
    eniLimit: number;
    ipv4Limit: number;
    defaultNetworkCardIndex: number;
    /** Most ENIs per network card, in card-index order. */
    networkCards: number[];
    /** "nitro", "xen", or "unknown" (DescribeInstanceTypes gives no hypervisor: bare metal, some retired types). */
    hypervisorType: string;
    isBareMetal: boolean;
}

export class SourceFormatError extends Error {}

function field(block: string, type: string, pattern: RegExp): string {
    const match = pattern.exec(block);
    if (!match) {
        throw new SourceFormatError(
            `VPC CNI limits: ${type} has no ${pattern.source.split(":")[0]}; the source format changed, update tools/facts/transform.ts`,
        );
    }
    return match[1];
}

/** Parses the Go map literal `instanceNetworkingLimits` of the VPC CNI's generated limits file. */
export function parseCniLimits(goSource: string): Map<string, CniLimits> {
    const parts = goSource.split(/^\t"([^"]+)": \{$/m);
    const limits = new Map<string, CniLimits>();
    for (let i = 1; i < parts.length; i += 2) {
        const [type, block] = [parts[i], parts[i + 1]];
        const cards = [...block.matchAll(/MaximumNetworkInterfaces:\s+(\d+),\s+NetworkCardIndex:\s+(\d+),/g)].map((m) => ({
            max: Number(m[1]),
            index: Number(m[2]),
        }));
        if (cards.length === 0 || cards.some((card, position) => card.index !== position)) {
            throw new SourceFormatError(`VPC CNI limits: ${type} lists its network cards out of index order or not at all`);
        }
        const entry: CniLimits = {
            eniLimit: Number(field(block, type, /ENILimit:\s+(\d+),/)),
            ipv4Limit: Number(field(block, type, /IPv4Limit:\s+(\d+),/)),
            defaultNetworkCardIndex: Number(field(block, type, /DefaultNetworkCardIndex:\s+(\d+),/)),
            networkCards: cards.map((card) => card.max),
            hypervisorType: field(block, type, /HypervisorType:\s+"([^"]*)",/),
            isBareMetal: field(block, type, /IsBareMetal:\s+(true|false),/) === "true",
        };
        // The CNI's ENI limit is the default card's: the table below stores only the cards and derives it.
        if (entry.networkCards[entry.defaultNetworkCardIndex] !== entry.eniLimit) {
            throw new SourceFormatError(
                `VPC CNI limits: ${type} has ENILimit ${entry.eniLimit}, not its default card's ${entry.networkCards[entry.defaultNetworkCardIndex]}`,
            );
        }
        limits.set(type, entry);
    }
    if (limits.size === 0) {
        throw new SourceFormatError("VPC CNI limits: no instance type found; the source format changed");
    }
    return limits;
}

/**
 * Parses Karpenter's generated instance-type reference (website/.../reference/instance-types.md):
 * per type, the node labels Karpenter derives from DescribeInstanceTypes.
 */
export function parseKarpenterInstanceTypes(markdown: string): Map<string, Record<string, string>> {
    const types = new Map<string, Record<string, string>>();
    const sections = markdown.split(/^### `([^`]+)`$/m);
    for (let i = 1; i < sections.length; i += 2) {
        const labelsPart = sections[i + 1].split(/^#### Resources$/m)[0];
        const labels: Record<string, string> = {};
        for (const row of labelsPart.matchAll(/^\s*\|([a-z0-9./-]+)\|([^|]*)\|$/gm)) {
            labels[row[1]] = row[2];
        }
        if (labels["node.kubernetes.io/instance-type"] !== sections[i]) {
            throw new SourceFormatError(`Karpenter instance types: the section of ${sections[i]} has no matching instance-type label; the format changed`);
        }
        types.set(sections[i], labels);
    }
    if (types.size === 0) {
        throw new SourceFormatError("Karpenter instance types: no instance type found; the format changed");
    }
    return types;
}

/** Kubernetes architecture names (Karpenter's labels) to EC2's (DescribeInstanceTypes, the AMI parameters). */
const EC2_ARCHITECTURE: Record<string, string> = { amd64: "x86_64", arm64: "arm64" };

function integer(labels: Record<string, string>, key: string, type: string, minimum = 1): number {
    const value = Number(labels[key]);
    if (!/^\d+$/.test(labels[key] ?? "") || value < minimum) {
        throw new SourceFormatError(`Karpenter instance types: ${type} has ${key} = "${labels[key]}", not an integer of at least ${minimum}`);
    }
    return value;
}

function shapeRecord(type: string, labels: Record<string, string>): Pick<InstanceTypeRecord, "vcpus" | "memoryMiB" | "architecture" | "gpu"> {
    const architecture = EC2_ARCHITECTURE[labels["kubernetes.io/arch"]];
    if (!architecture) {
        throw new SourceFormatError(`Karpenter instance types: ${type} has architecture "${labels["kubernetes.io/arch"]}"`);
    }
    const gpuCount = labels["karpenter.k8s.aws/instance-gpu-count"];
    return {
        vcpus: integer(labels, "karpenter.k8s.aws/instance-cpu", type),
        memoryMiB: integer(labels, "karpenter.k8s.aws/instance-memory", type),
        architecture,
        ...(gpuCount === undefined
            ? {}
            : {
                  gpu: {
                      // Fractional-GPU types (g6f) report a count of 0 and the memory of their share.
                      count: integer(labels, "karpenter.k8s.aws/instance-gpu-count", type, 0),
                      manufacturer: labels["karpenter.k8s.aws/instance-gpu-manufacturer"],
                      name: labels["karpenter.k8s.aws/instance-gpu-name"],
                      memoryMiB: integer(labels, "karpenter.k8s.aws/instance-gpu-memory", type),
                  },
              }),
    };
}

function networkRecord(limits: CniLimits): Pick<InstanceTypeRecord, "ipv4PerInterface" | "networkCards" | "defaultNetworkCard" | "hypervisor" | "bareMetal"> {
    return {
        ipv4PerInterface: limits.ipv4Limit,
        networkCards: limits.networkCards,
        defaultNetworkCard: limits.defaultNetworkCardIndex,
        // DescribeInstanceTypes (and so aws.ec2.getInstanceType) gives no hypervisor for bare metal; the CNI writes "unknown".
        hypervisor: limits.hypervisorType === "unknown" ? "" : limits.hypervisorType,
        bareMetal: limits.isBareMetal,
    };
}

export interface InstanceTypeSources {
    network: SourceRecord;
    shape: SourceRecord;
}

/**
 * Joins the two sources: a type gets a row only when both describe it, since the platform needs
 * its shape and its network limits together. The others are listed under `incomplete` with what is
 * missing, so the offline plan can say so instead of guessing.
 */
export function buildInstanceTypeTable(
    cni: Map<string, CniLimits>,
    karpenter: Map<string, Record<string, string>>,
    sources: InstanceTypeSources,
): InstanceTypeTable {
    const names = [...new Set([...cni.keys(), ...karpenter.keys()])].sort();
    const instanceTypes: Record<string, InstanceTypeRecord> = {};
    const incomplete: Record<string, string> = {};
    for (const type of names) {
        const limits = cni.get(type);
        const labels = karpenter.get(type);
        if (limits && labels) {
            instanceTypes[type] = { ...shapeRecord(type, labels), ...networkRecord(limits) };
        } else {
            incomplete[type] = limits
                ? "the shape source does not list it: no vCPU, memory, architecture or GPU data"
                : "the network source does not list it: no ENI, IPv4-per-ENI, network card or hypervisor data";
        }
    }
    return {
        generated: GENERATED_NOTICE,
        sources: { network: sources.network, shape: sources.shape },
        incomplete,
        instanceTypes,
    };
}

const GENERATED_NOTICE =
    "Generated by tools/facts/generate.ts from the sources below; do not edit. Regenerate with `npm run -s facts:generate` (docs/facts.md).";

/** A commercial AWS region as the offline plan models it. */
export interface RegionRecord {
    description: string;
    /** Zone names the offline mocks return for aws.getAvailabilityZones, in order. */
    availabilityZones: string[];
    /** Zone IDs returned alongside (same order). */
    zoneIds: string[];
    /** Why this region differs from the zone rule, when it does. */
    assumption?: string;
}

export interface RegionTable {
    generated: string;
    sources: { regions: SourceRecord };
    zoneRule: string;
    regions: Record<string, RegionRecord>;
}

/** Zones the program may count on in every commercial region: AWS builds regions with at least three. */
const ZONES_ASSUMED = 3;

/**
 * Regions where an account may see fewer zones than ZONES_ASSUMED. No public machine-readable
 * source lists zones per region, so these are the documented exceptions to the rule.
 */
const FEWER_ZONES: Record<string, { zones: number; reason: string }> = {
    "us-west-1": { zones: 2, reason: "accounts created after its third zone closed to new customers see two zones" },
};

const ZONE_RULE =
    `No public machine-readable source lists Availability Zones per region, so the offline plan assumes ${ZONES_ASSUMED} zones in every region ` +
    "(AWS builds regions with at least three), except where a region's `assumption` says fewer. Zone names are the region name plus a, b, c... " +
    "and zone IDs the region's short code plus -az1, -az2...: placeholders in the form AWS uses. At `pulumi up`, aws.getAvailabilityZones " +
    "returns the account's real zones, which may be more, and whose letters may skip (ap-northeast-1 has a, c, d).";

const DIRECTION_CODES: Record<string, string> = { north: "n", south: "s", east: "e", west: "w", central: "c" };

/** AWS's short region code used in zone IDs: us-east-1 -> use1, ap-southeast-2 -> apse2, eu-central-1 -> euc1. */
export function regionCode(region: string): string {
    const match = /^([a-z]{2})-([a-z]+)-(\d+)$/.exec(region);
    const direction = match && /^(north|south)?(east|west|central)?$/.exec(match[2]);
    if (!match || !direction || !match[2]) {
        throw new SourceFormatError(`region ${region} does not follow <area>-<direction>-<number>; extend regionCode in tools/facts/transform.ts`);
    }
    const code = [direction[1], direction[2]]
        .filter((part): part is string => part !== undefined)
        .map((part) => DIRECTION_CODES[part])
        .join("");
    return `${match[1]}${code}${match[3]}`;
}

interface PartitionsDocument {
    partitions: { id: string; regions: Record<string, { description?: string }> }[];
}

/** The commercial regions (partition "aws") of botocore's partitions.json, with the zones the offline plan assumes. */
export function buildRegionTable(partitionsJson: string, source: SourceRecord): RegionTable {
    const document = JSON.parse(partitionsJson) as PartitionsDocument;
    const partition = document.partitions.find((candidate) => candidate.id === "aws");
    if (!partition) {
        throw new SourceFormatError("botocore partitions: no partition with id aws");
    }
    const regions: Record<string, RegionRecord> = {};
    // "aws-global" is the endpoint pseudo-region of global services, not a place to run a cluster.
    for (const name of Object.keys(partition.regions)
        .filter((region) => region !== "aws-global")
        .sort()) {
        const exception = FEWER_ZONES[name];
        const count = exception?.zones ?? ZONES_ASSUMED;
        const letters = [...Array(count).keys()].map((i) => String.fromCharCode("a".charCodeAt(0) + i));
        regions[name] = {
            description: partition.regions[name].description ?? name,
            availabilityZones: letters.map((letter) => `${name}${letter}`),
            zoneIds: letters.map((_, i) => `${regionCode(name)}-az${i + 1}`),
            ...(exception ? { assumption: exception.reason } : {}),
        };
    }
    return { generated: GENERATED_NOTICE, sources: { regions: source }, zoneRule: ZONE_RULE, regions };
}

/**
 * JSON with the header indented and one line per table row, so a regeneration diff shows one line
 * per changed instance type or region.
 */
export function serializeTable(table: object, rowsKey: string): string {
    const entries = Object.entries(table).map(([key, value]) => {
        if (key !== rowsKey) {
            return `  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replace(/\n/g, "\n  ")}`;
        }
        const rows = Object.entries(value as Record<string, unknown>).map(([name, row]) => `    ${JSON.stringify(name)}: ${JSON.stringify(row)}`);
        return `  ${JSON.stringify(key)}: {\n${rows.join(",\n")}\n  }`;
    });
    return `{\n${entries.join(",\n")}\n}\n`;
}

/**
 * Instance types whose source text the determinism test keeps (test/fixtures/facts): one of each
 * kind the parsers must handle: plain, arm64, several network cards, GPUs (NVIDIA, AMD, a
 * fractional share), bare metal, Xen, and one type only the network source lists.
 */
export const EXCERPT_TYPES = ["c6in.32xlarge", "g4ad.xlarge", "g6f.2xlarge", "m5.large", "m5.metal", "m7g.2xlarge", "mac2.metal", "p4d.24xlarge", "t2.micro"];

const excerptNote = (source: SourceRecord, what: string) =>
    `Excerpt of ${source.path}, ${source.repository} at ${source.commit} (Apache-2.0), written by tools/facts/generate.ts for test/facts.test.ts: ${what}, verbatim.`;

/** The CNI limits file cut down to the EXCERPT_TYPES entries, still in the format parseCniLimits reads. */
export function excerptCniLimits(goSource: string, source: SourceRecord): string {
    const parts = goSource.split(/^(\t"[^"]+": \{)$/m);
    const entries: string[] = [];
    for (let i = 1; i < parts.length; i += 2) {
        if (EXCERPT_TYPES.includes(/"([^"]+)"/.exec(parts[i])![1])) {
            // An entry runs to the closing "\t}," of its own level.
            entries.push(`${parts[i]}${parts[i + 1].slice(0, parts[i + 1].indexOf("\n\t},\n") + 5)}`);
        }
    }
    return `// ${excerptNote(source, "the entries of a few instance types")}\npackage vpc\n\nvar instanceNetworkingLimits = map[string]InstanceTypeLimits{\n${entries.join("")}}\n`;
}

/** Karpenter's reference cut down to the EXCERPT_TYPES sections. */
export function excerptKarpenterInstanceTypes(markdown: string, source: SourceRecord): string {
    const sections = markdown.split(/^(### `[^`]+`)$/m);
    const kept: string[] = [];
    for (let i = 1; i < sections.length; i += 2) {
        if (EXCERPT_TYPES.includes(/`([^`]+)`/.exec(sections[i])![1])) {
            kept.push(`${sections[i]}${sections[i + 1].split(/^## /m)[0]}`);
        }
    }
    return `<!-- ${excerptNote(source, "the sections of a few instance types")} -->\n${kept.join("")}`;
}

/** botocore's partitions.json cut down to what buildRegionTable reads: the aws partition's regions. */
export function excerptPartitions(partitionsJson: string): string {
    const partition = (JSON.parse(partitionsJson) as PartitionsDocument).partitions.find((candidate) => candidate.id === "aws");
    return `${JSON.stringify({ partitions: [{ id: "aws", regions: partition?.regions ?? {} }] }, null, 2)}\n`;
}
