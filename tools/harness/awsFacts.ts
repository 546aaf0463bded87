/**
 * What the offline plan knows about AWS, from the generated tables (docs/facts.md): commercial
 * regions with the zones it assumes (data/regions.json) and EC2 instance types (the policy pack's
 * data/instance-types.json). Nothing here feeds the real engine, where the same invokes reach AWS.
 * Where a table has no answer, the plan says so (OfflineFactsError) and never invents one.
 */
import * as fs from "fs";
import * as path from "path";
import { editDistance } from "../../policy-pack/lib/edit-distance";
import { familyOf, instanceTypeRecord, instanceTypeTable, type SourceRecord } from "../../policy-pack/lib/instance-types";
import { instanceTypeFactsFrom, type InstanceTypeDescription } from "../../components/compute/instanceTypeFacts";
import type { InstanceTypeFacts } from "../../config";
import type { RegionRecord, RegionTable } from "../facts/transform";

export const MOCK_ACCOUNT_ID = "111122223333";

export const REGION_TABLE_FILE = path.join(__dirname, "data", "regions.json");

let regions: RegionTable | undefined;

export function regionTable(): RegionTable {
    regions ??= JSON.parse(fs.readFileSync(REGION_TABLE_FILE, "utf8")) as RegionTable;
    return regions;
}

export function regionRecord(region: string): RegionRecord | undefined {
    return Object.hasOwn(regionTable().regions, region) ? regionTable().regions[region] : undefined;
}

/** A fact the offline plan does not have (bad input or a stale table): exit 2, never dressed up as an AWS answer. */
export class OfflineFactsError extends Error {}

const REGENERATE = "regenerate the tables with `npm run -s facts:generate` (docs/facts.md)";

const describeSource = (source: SourceRecord) => `${source.repository.replace("https://github.com/", "")} of ${source.date.slice(0, 10)}`;

/** The candidates nearest to `name` (ties included), if any is near enough to be a likely typo. */
function closest(name: string, candidates: string[]): string[] {
    const scored = candidates.map((candidate) => ({ candidate, d: editDistance(name, candidate) }));
    const best = Math.min(...scored.map(({ d }) => d));
    return best > Math.max(2, Math.floor(name.length / 3)) ? [] : scored.filter(({ d }) => d === best).map(({ candidate }) => candidate);
}

/** Sizes the table lists for the type's family, or the families closest to it. */
function spellingHint(type: string): string {
    const family = familyOf(type);
    const rows = instanceTypeTable().instanceTypes;
    const types = Object.keys(rows);
    const sizes = types
        .filter((known) => familyOf(known) === family)
        .sort((a, b) => rows[a].vcpus - rows[b].vcpus || rows[a].memoryMiB - rows[b].memoryMiB || a.localeCompare(b))
        .map((known) => known.slice(family.length + 1));
    if (sizes.length > 0) {
        return `${family} comes in ${sizes.join(", ")}`;
    }
    const families = closest(family, [...new Set(types.map(familyOf))]);
    return families.length > 0 ? `closest families: ${families.join(", ")}` : `no family like ${family}`;
}

/** The region a stack file names, checked against the region table before anything renders. */
export function requireKnownRegion(region: string | undefined, origin: string): asserts region is string {
    if (!region) {
        throw new OfflineFactsError(`${origin} does not set aws:region; set it to a commercial AWS region such as eu-west-1`);
    }
    if (regionRecord(region)) {
        return;
    }
    const names = Object.keys(regionTable().regions);
    const otherPartition = /^(us-gov|cn|us-iso[bef]?|eu-isoe|eusc)-/.test(region);
    const hint = otherPartition ? [] : closest(region, names);
    throw new OfflineFactsError(
        [
            `aws:region = ${JSON.stringify(region)} in ${origin}: the offline plan has no data for this region.`,
            otherPartition
                ? "  It is in another AWS partition (GovCloud, China or an isolated one), which the offline plan does not model."
                : `  It knows the ${names.length} commercial AWS regions (partition aws) of ${describeSource(regionTable().sources.regions)}` +
                  (hint.length > 0 ? `; did you mean ${hint.join(" or ")}?` : `: ${names.join(", ")}.`),
            `  For a commercial region launched since, ${REGENERATE}.`,
        ].join("\n"),
    );
}

/**
 * Refuses, all at once, the instance types of a stack the offline table cannot answer for, naming
 * the setting of each. `pulumi up` asks EC2 instead, which also knows what the region offers.
 */
export function requireKnownInstanceTypes(settings: { path: string; type: string }[], origin: string): void {
    const table = instanceTypeTable();
    const unknown = settings.filter(({ type }) => !instanceTypeRecord(type));
    if (unknown.length === 0) {
        return;
    }
    const sources = `${describeSource(table.sources.network)} and ${describeSource(table.sources.shape)}`;
    const lines = unknown.map(({ path: setting, type }) => {
        const partly = table.incomplete[type];
        if (partly) {
            return `  - ${setting} = ${JSON.stringify(type)}: the offline table cannot describe it fully (${partly})`;
        }
        return `  - ${setting} = ${JSON.stringify(type)}: not in the offline instance-type table; check the spelling (${spellingHint(type)})`;
    });
    throw new OfflineFactsError(
        [
            `The offline plan has no data for ${unknown.length} instance type${unknown.length === 1 ? "" : "s"} in ${origin}:`,
            ...lines,
            `  The table comes from ${sources}. For a type launched since, ${REGENERATE}; \`pulumi up\` asks EC2 itself.`,
        ].join("\n"),
    );
}

/**
 * What aws.ec2.getInstanceType answers for a type, built from the table: the fields the program
 * reads, in the provider's names (total ENIs across cards as DescribeInstanceTypes counts them).
 */
export function describeInstanceType(type: string): (InstanceTypeDescription & { instanceType: string; maximumNetworkCards: number }) | undefined {
    const record = instanceTypeRecord(type);
    if (!record) {
        return undefined;
    }
    return {
        instanceType: type,
        defaultVcpus: record.vcpus,
        memorySize: record.memoryMiB,
        supportedArchitectures: [record.architecture],
        maximumIpv4AddressesPerInterface: record.ipv4PerInterface,
        maximumNetworkInterfaces: record.networkCards.reduce((sum, enis) => sum + enis, 0),
        maximumNetworkCards: record.networkCards.length,
        defaultNetworkCardIndex: record.defaultNetworkCard,
        networkCards: record.networkCards.map((maximumInterfaces, index) => ({ index, maximumInterfaces })),
        hypervisor: record.hypervisor,
        bareMetal: record.bareMetal,
        gpuses: record.gpu ? [{ count: record.gpu.count, manufacturer: record.gpu.manufacturer, name: record.gpu.name, memorySize: record.gpu.memoryMiB }] : [],
    };
}

/** The facts the program derives from that answer: what it sees offline for the type. */
export function offlineInstanceTypeFacts(type: string): InstanceTypeFacts | undefined {
    const description = describeInstanceType(type);
    return description && instanceTypeFactsFrom(description);
}
