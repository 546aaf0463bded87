import * as fs from "fs";
import * as path from "path";

/** The generated tables: one JSON file per region, written by tools/cost/generate.ts. */
export const PRICE_TABLE_DIR = path.join(__dirname, "prices");

/** The service prices a table can carry (USD), each read from one meter of AWS's price data. */
export const SERVICE_PRICE_NAMES = [
    "eksClusterHour",
    "eksExtendedSupportHour",
    "natGatewayHour",
    "natGatewayGb",
    "publicIpv4Hour",
    "interfaceEndpointAzHour",
    "interfaceEndpointGb",
    "latticeServiceHour",
    "latticeGb",
    "efsStandardGbMonth",
    "efsInfrequentAccessGbMonth",
    "efsArchiveGbMonth",
    "efsOneZoneGbMonth",
    "efsProvisionedThroughputMibpsMonth",
    "efsElasticReadGb",
    "efsElasticWriteGb",
    "kmsKeyMonth",
    "logsIngestionGb",
    "logsStorageGbMonth",
    "s3StandardGbMonth",
    "ebsGp3GbMonth",
    "ebsGp3IopsMonth",
    "ebsGp3ThroughputGibpsMonth",
    "applicationLoadBalancerHour",
    "applicationLoadBalancerLcuHour",
    "networkLoadBalancerHour",
    "networkLoadBalancerLcuHour",
    "gatewayLoadBalancerHour",
    "gatewayLoadBalancerLcuHour",
    "classicLoadBalancerHour",
    "classicLoadBalancerGb",
    "athenaScannedTb",
] as const;

export type ServicePriceName = (typeof SERVICE_PRICE_NAMES)[number];

/** Where a table's prices came from: the file, its revision, and AWS's publication date of the data. */
export interface SourceRecord {
    repository: string;
    /** Commit of the copy the generator read (null for a plain directory). */
    revision: string | null;
    revisionDate: string | null;
    file: string;
    /** AWS's own address of the data, to regenerate from. */
    url: string;
    /** When AWS published (or Karpenter generated) the data, as the source states it. */
    published: string | null;
    /** When the copy was downloaded from AWS, where the copy records it. */
    retrieved: string | null;
}

interface ServicePrice {
    usd: number;
    unit: string;
    map: string;
    meter: string;
    rateCode: string | null;
}

export interface PriceTable {
    generated: string;
    region: string;
    location: string;
    currency: "USD";
    generatedAt: string;
    sources: { ec2: SourceRecord; services: Record<string, SourceRecord> };
    /** Linux, shared tenancy, On-Demand USD per hour, for every instance type the source lists. */
    ec2OnDemandHourly: Record<string, number>;
    services: Partial<Record<ServicePriceName, ServicePrice>>;
    /** Prices the sources could not give, with the reason. */
    missing: Record<string, string>;
}

const cache = new Map<string, PriceTable | undefined>();

/** The generated table of a region, or undefined when none was generated for it. */
export function loadPriceTable(region: string, dir = PRICE_TABLE_DIR): PriceTable | undefined {
    const file = path.join(dir, `${region}.json`);
    if (!cache.has(file)) {
        cache.set(file, fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as PriceTable) : undefined);
    }
    return cache.get(file);
}

/** Regions that have a generated table. */
export function pricedRegions(dir = PRICE_TABLE_DIR): string[] {
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .map((f) => f.replace(/\.json$/, ""))
        .sort();
}
