/**
 * Generates the price tables under tools/cost/prices/ (one JSON file per region) from AWS's public,
 * machine-readable price data. Nothing here is typed by hand: every price is read from a source
 * file, and every table records which file, which revision and which publication date it came from.
 *
 * Sources (see docs/cost.md for the full procedure):
 *   --karpenter <git dir>  EC2 On-Demand prices generated into the Karpenter AWS provider
 *                          (pkg/providers/pricing/zz_generated.pricing_aws.go; us-east-1 only).
 *   --capture <git dir|dir> AWS's pricing-page price maps ("meteredUnitMaps", served at
 *                          https://b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/<service>/USD/current/<map>.json),
 *                          laid out as lib/data/pricing/<map>.json plus AWS's locations.json.
 *   --fetch                download those maps from AWS into a temporary capture first (needs network).
 *   --regions a,b          the regions to write (default: every aws:region the stacks and examples use).
 *
 * Usage: npm run -s cost:prices -- --karpenter <dir> --capture <dir> [--regions eu-west-1,us-east-1]
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { parse as parseYaml } from "yaml";
import { PRICE_TABLE_DIR, PriceTable, SERVICE_PRICE_NAMES, ServicePriceName, SourceRecord } from "./prices";

const ROOT = path.resolve(__dirname, "..", "..");

/** One price read from a pricing-page map: which map, which meter (the map's key for it), what unit. */
interface MeterSpec {
    map: string;
    meter: string;
    unit: string;
}

/**
 * Where each service price lives in AWS's pricing-page maps. The meter names are the maps' own keys;
 * a meter absent from a region's map leaves the price missing (recorded, never guessed).
 */
export const SERVICE_METERS: Record<ServicePriceName, MeterSpec> = {
    eksClusterHour: { map: "eks", meter: "Compute per hours", unit: "per cluster-hour" },
    eksExtendedSupportHour: { map: "eks", meter: "Compute ExtendedSupport per Hours", unit: "per cluster-hour in extended support, on top of eksClusterHour" },
    natGatewayHour: { map: "natgateway", meter: "Hourly charge for NAT Gateways", unit: "per NAT gateway-hour" },
    natGatewayGb: { map: "natgateway", meter: "Charge for per GB data processed by NatGateways", unit: "per GB processed" },
    publicIpv4Hour: { map: "vpc", meter: "Hourly charge for In use Public IPv4 Addresses per Hrs", unit: "per in-use public IPv4 address-hour" },
    interfaceEndpointAzHour: { map: "vpc", meter: "Hourly charge for VPC Endpoints per Hrs", unit: "per interface endpoint per AZ-hour" },
    interfaceEndpointGb: {
        map: "vpc",
        meter: "Charge for per GB data processed by VPC Endpoints per GB from 0 to 1048576",
        unit: "per GB processed (first PB)",
    },
    latticeServiceHour: { map: "vpc", meter: "Charge per Hour per VPC Lattice Service per Hrs", unit: "per VPC Lattice service-hour" },
    latticeGb: { map: "vpc", meter: "Charge per GB Data Processed by VPC Lattice Service per GB", unit: "per GB processed" },
    efsStandardGbMonth: { map: "efs", meter: "General Purpose Storage GB Mo", unit: "per GB-month, Standard" },
    efsInfrequentAccessGbMonth: { map: "efs", meter: "Infrequent Access Storage GB Mo", unit: "per GB-month, Infrequent Access" },
    efsArchiveGbMonth: { map: "efs", meter: "Archive Storage GB Mo", unit: "per GB-month, Archive" },
    efsOneZoneGbMonth: { map: "efs", meter: "One Zone General Purpose Storage GB Mo", unit: "per GB-month, One Zone" },
    efsProvisionedThroughputMibpsMonth: { map: "efs", meter: "Throughput Provisioned", unit: "per MiB/s-month provisioned" },
    efsElasticReadGb: { map: "efs", meter: "EFS Storage Requests Read per GB", unit: "per GB read (Elastic throughput)" },
    efsElasticWriteGb: { map: "efs", meter: "EFS Storage Requests Write per GB", unit: "per GB written (Elastic throughput)" },
    kmsKeyMonth: { map: "kms", meter: "Encryption Key", unit: "per customer managed key-month" },
    logsIngestionGb: { map: "cloudwatch", meter: "Logs Collected Data Ingestion", unit: "per GB ingested" },
    logsStorageGbMonth: { map: "cloudwatch", meter: "Stored Data", unit: "per GB-month stored" },
    s3StandardGbMonth: { map: "s3", meter: "Standard Storage First 50 TB per GB Mo", unit: "per GB-month, S3 Standard (first 50 TB)" },
    ebsGp3GbMonth: { map: "ebs", meter: "Storage General Purpose gp3 GB Mo", unit: "per GB-month, gp3" },
    ebsGp3IopsMonth: { map: "ebs", meter: "Provisioned EBS IOPS gp3 Volumes per IOPS Mo", unit: "per IOPS-month above 3,000" },
    ebsGp3ThroughputGibpsMonth: { map: "ebs", meter: "Provisioned Throughput gp3 per GiBps mo", unit: "per GiB/s-month above 125 MiB/s" },
};

/** Service prices no public machine-readable copy could give, with the reason, so the estimate can say so. */
export const PRICES_WITHOUT_SOURCE: Record<string, string> = {
    fsxLustre:
        "AWS's FSx price map keys its meters by opaque IDs, and no copy of the AmazonFSx Price List offer was available to the generator; regenerate from the offer (docs/cost.md)",
    elasticLoadBalancing: "no copy of AWS's Elastic Load Balancing price map or AWSELB Price List offer was available to the generator",
};

/** AWS's pricing-page map format: prices per location name, per meter. */
export interface MeteredUnitMap {
    manifest: { hawkFilePublicationDate?: string; [key: string]: unknown };
    regions: Record<string, Record<string, { price: string; rateCode?: string }>>;
}

/** A row of the capture's pre-split EC2 map: one Linux On-Demand price per instance type and region. */
interface Ec2CaptureRow {
    region: string;
    attributes: { instanceType: string; operatingSystem: string };
    pricePerUnit: string;
}

/** Everything the builder reads, already loaded: the builder itself does no I/O, so it is testable. */
export interface GeneratorInputs {
    regions: string[];
    generatedAt: string;
    /** AWS location name ("EU (Ireland)") of each region code, from AWS's locations.json. */
    locationNames: Record<string, string>;
    maps: Record<string, { data: MeteredUnitMap; source: SourceRecord }>;
    /** EC2 Linux On-Demand hourly prices per region from the pricing-page EC2 map. */
    ec2FromMaps?: { prices: Record<string, Record<string, number>>; source: SourceRecord };
    /** EC2 On-Demand hourly prices per region from Karpenter's generated table. */
    ec2FromKarpenter?: { prices: Record<string, Record<string, number>>; source: SourceRecord };
}

export interface GeneratorResult {
    tables: PriceTable[];
    /** Instance types whose price differs between the two EC2 sources where both cover a region. */
    disagreements: { region: string; instanceType: string; karpenter: number; maps: number }[];
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
    return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** Parses Karpenter's generated Go map: `"<region>": { "<type>": <price>, ... }`. */
export function parseKarpenterPrices(goSource: string): Record<string, Record<string, number>> {
    const result: Record<string, Record<string, number>> = {};
    const blocks = goSource.split(/^\t"([a-z0-9-]+)": \{$/m);
    for (let i = 1; i < blocks.length; i += 2) {
        const prices: Record<string, number> = {};
        for (const match of blocks[i + 1].matchAll(/"([a-z0-9-]+\.[a-z0-9-]+)":\s*([0-9.]+)/g)) {
            prices[match[1]] = Number(match[2]);
        }
        result[blocks[i]] = prices;
    }
    return result;
}

/** Reads the EC2 map: AWS's own ec2.json (keys ending "instancetype-<type>") or the capture's pre-split rows. */
export function parseEc2Map(data: MeteredUnitMap | Ec2CaptureRow[], locationNames: Record<string, string>): Record<string, Record<string, number>> {
    const result: Record<string, Record<string, number>> = {};
    if (Array.isArray(data)) {
        for (const row of data.filter((r) => r.attributes.operatingSystem === "Linux")) {
            (result[row.region] ??= {})[row.attributes.instanceType] = Number(row.pricePerUnit);
        }
        return result;
    }
    for (const [region, location] of Object.entries(locationNames)) {
        for (const [meter, entry] of Object.entries(data.regions[location] ?? {})) {
            const type = /instancetype-([a-z0-9.-]+)$/i.exec(meter)?.[1];
            if (type && !/windows|rhel|suse|sql/i.test(meter)) {
                (result[region] ??= {})[type] = Number(entry.price);
            }
        }
    }
    return result;
}

/** Builds one price table per region. Pure: the same inputs give byte-identical tables. */
export function buildPriceTables(inputs: GeneratorInputs): GeneratorResult {
    const disagreements: GeneratorResult["disagreements"] = [];
    const tables = inputs.regions.map((region): PriceTable => {
        const location = inputs.locationNames[region];
        if (!location) {
            throw new Error(`region ${region}: AWS's locations.json has no such region`);
        }
        const fromKarpenter = inputs.ec2FromKarpenter?.prices[region];
        const fromMaps = inputs.ec2FromMaps?.prices[region];
        if (fromKarpenter && fromMaps) {
            for (const [type, price] of Object.entries(fromMaps)) {
                const other = fromKarpenter[type];
                if (other !== undefined && Math.abs(other - price) > 1e-9) {
                    disagreements.push({ region, instanceType: type, karpenter: other, maps: price });
                }
            }
        }
        // Karpenter's table is the newer of the two where it covers the region; the maps fill the rest.
        const ec2 = fromKarpenter ?? fromMaps;
        const ec2Source = fromKarpenter ? inputs.ec2FromKarpenter?.source : inputs.ec2FromMaps?.source;
        if (!ec2 || !ec2Source) {
            throw new Error(`region ${region}: no EC2 On-Demand prices in any source`);
        }
        const services: PriceTable["services"] = {};
        const missing: Record<string, string> = { ...PRICES_WITHOUT_SOURCE };
        const usedMaps = new Set<string>();
        for (const name of SERVICE_PRICE_NAMES) {
            const spec = SERVICE_METERS[name];
            const map = inputs.maps[spec.map];
            const entry = map?.data.regions[location]?.[spec.meter];
            if (!map) {
                missing[name] = `the ${spec.map} price map was not in the capture`;
            } else if (!entry) {
                missing[name] = `the ${spec.map} price map has no "${spec.meter}" meter for ${location}`;
            } else {
                services[name] = { usd: Number(entry.price), unit: spec.unit, map: spec.map, meter: spec.meter, rateCode: entry.rateCode ?? null };
                usedMaps.add(spec.map);
            }
        }
        return {
            generated: "by tools/cost/generate.ts from the sources below; do not edit (docs/cost.md says how to regenerate)",
            region,
            location,
            currency: "USD",
            generatedAt: inputs.generatedAt,
            sources: {
                ec2: ec2Source,
                services: Object.fromEntries([...usedMaps].sort().map((m) => [m, inputs.maps[m].source])),
            },
            ec2OnDemandHourly: sortedRecord(ec2),
            services: sortedRecord(services),
            missing: sortedRecord(missing),
        };
    });
    return { tables, disagreements };
}

/** Files of a capture, from a git directory (at its HEAD, recording the commit) or a plain directory. */
class SourceReader {
    constructor(
        private readonly location: string,
        private readonly repository: string,
    ) {}

    private get isGit(): boolean {
        return fs.existsSync(path.join(this.location, "HEAD")) && fs.existsSync(path.join(this.location, "objects"));
    }

    private git(...args: string[]): string {
        return execFileSync("git", ["--git-dir", this.location, ...args], {
            encoding: "utf8",
            maxBuffer: 256 * 1024 * 1024,
            stdio: ["ignore", "pipe", "pipe"],
        });
    }

    has(file: string): boolean {
        if (!this.isGit) {
            return fs.existsSync(path.join(this.location, file));
        }
        try {
            this.git("cat-file", "-e", `HEAD:${file}`);
            return true;
        } catch {
            return false;
        }
    }

    read(file: string): string {
        return this.isGit ? this.git("show", `HEAD:${file}`) : fs.readFileSync(path.join(this.location, file), "utf8");
    }

    record(file: string, url: string, published: string | null): SourceRecord {
        const revision = this.isGit ? this.git("rev-parse", "HEAD").trim() : null;
        const revisionDate = this.isGit ? this.git("log", "-1", "--format=%cI").trim() : null;
        // A capture made by that project's fetch script notes when it downloaded the maps.
        const metadata = `${CAPTURE_DIR}/metadata.json`;
        const retrieved = this.has(metadata) ? ((JSON.parse(this.read(metadata)) as { lastPricingFetchAt?: string }).lastPricingFetchAt ?? null) : null;
        return { repository: this.repository, revision, revisionDate, file, url, published, retrieved };
    }
}

const MAP_URL = "https://b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps";
const CAPTURE_DIR = "lib/data/pricing";
/** AWS's pricing-page maps the tables read, by the name the capture stores them under. */
const MAP_PATHS: Record<string, string> = {
    eks: "eks/USD/current/eks.json",
    natgateway: "ec2/USD/current/natgateway.json",
    vpc: "vpc/USD/current/vpc.json",
    efs: "efs/USD/current/efs.json",
    kms: "kms/USD/current/kms.json",
    cloudwatch: "cloudwatch/USD/current/cloudwatch.json",
    s3: "s3/USD/current/s3.json",
    ebs: "ec2/USD/current/ebs.json",
    ec2: "ec2/USD/current/ec2.json",
};
const LOCATIONS_URL = "https://b0.p.awsstatic.com/locations/1.0/aws/current/locations.json";
const KARPENTER_FILE = "pkg/providers/pricing/zz_generated.pricing_aws.go";

/** Regions the stacks and examples deploy to: the default region list. */
export function regionsInUse(): string[] {
    const files = [
        ...fs.readdirSync(path.join(ROOT, "stacks")).map((f) => path.join(ROOT, "stacks", f)),
        ...fs.readdirSync(path.join(ROOT, "examples"), { recursive: true, encoding: "utf8" }).map((f) => path.join(ROOT, "examples", f)),
    ].filter((f) => /Pulumi\.[^/]+\.ya?ml$/.test(f));
    const regions = files.map((f) => (parseYaml(fs.readFileSync(f, "utf8")) as { config?: Record<string, unknown> }).config?.["aws:region"]);
    return [...new Set(regions.filter((r): r is string => typeof r === "string"))].sort();
}

async function fetchCapture(): Promise<string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-price-maps-"));
    fs.mkdirSync(path.join(dir, CAPTURE_DIR), { recursive: true });
    const download = async (url: string, file: string) => {
        const response = await fetch(url);
        if (!response.ok) {
            throw new Error(`${url}: HTTP ${response.status}`);
        }
        fs.writeFileSync(path.join(dir, file), await response.text());
    };
    await download(LOCATIONS_URL, "lib/data/locations.json");
    for (const [name, mapPath] of Object.entries(MAP_PATHS)) {
        await download(`${MAP_URL}/${mapPath}`, `${CAPTURE_DIR}/${name}.json`);
    }
    return dir;
}

function loadInputs(regions: string[], capture: SourceReader, karpenter?: SourceReader): GeneratorInputs {
    const locations = JSON.parse(capture.read("lib/data/locations.json")) as Record<string, { code: string; type: string }>;
    const locationNames = Object.fromEntries(
        Object.entries(locations)
            .filter(([, l]) => l.type === "AWS Region")
            .map(([name, l]) => [l.code, name]),
    );
    const maps: GeneratorInputs["maps"] = {};
    for (const name of new Set(Object.values(SERVICE_METERS).map((s) => s.map))) {
        const file = `${CAPTURE_DIR}/${name}.json`;
        if (capture.has(file)) {
            const data = JSON.parse(capture.read(file)) as MeteredUnitMap;
            maps[name] = { data, source: capture.record(file, `${MAP_URL}/${MAP_PATHS[name]}`, data.manifest.hawkFilePublicationDate ?? null) };
        }
    }
    // AWS's EC2 map is larger than some mirrors keep; the capture's pre-split copy of it serves instead.
    const ec2File = [`${CAPTURE_DIR}/ec2.json`, `${CAPTURE_DIR}/ec2-transformed.json`].find((f) => capture.has(f));
    let ec2FromMaps: GeneratorInputs["ec2FromMaps"];
    if (ec2File) {
        const data = JSON.parse(capture.read(ec2File)) as MeteredUnitMap | Ec2CaptureRow[];
        const published = Array.isArray(data) ? null : (data.manifest.hawkFilePublicationDate ?? null);
        ec2FromMaps = { prices: parseEc2Map(data, locationNames), source: capture.record(ec2File, `${MAP_URL}/${MAP_PATHS.ec2}`, published) };
    }
    let ec2FromKarpenter: GeneratorInputs["ec2FromKarpenter"];
    if (karpenter) {
        const goSource = karpenter.read(KARPENTER_FILE);
        const generatedAt = /generated at (\S+)/.exec(goSource)?.[1] ?? null;
        ec2FromKarpenter = {
            prices: parseKarpenterPrices(goSource),
            source: karpenter.record(KARPENTER_FILE, "https://github.com/aws/karpenter-provider-aws", generatedAt),
        };
    }
    return { regions, generatedAt: new Date().toISOString().slice(0, 10), locationNames, maps, ec2FromMaps, ec2FromKarpenter };
}

async function main(argv: string[]): Promise<void> {
    const { values } = parseArgs({
        args: argv,
        options: {
            karpenter: { type: "string" },
            capture: { type: "string" },
            "capture-repository": { type: "string", default: "lamngockhuong/aws-price" },
            fetch: { type: "boolean", default: false },
            regions: { type: "string" },
            out: { type: "string", default: PRICE_TABLE_DIR },
        },
        strict: true,
    });
    const captureDir = values.fetch ? await fetchCapture() : values.capture;
    if (!captureDir) {
        throw new Error("give --capture <dir> (a copy of AWS's pricing-page maps) or --fetch");
    }
    const capture = new SourceReader(captureDir, values.fetch ? "aws pricing pages (fetched)" : values["capture-repository"]);
    const karpenter = values.karpenter ? new SourceReader(values.karpenter, "aws/karpenter-provider-aws") : undefined;
    const regions = values.regions ? values.regions.split(",").map((r) => r.trim()) : regionsInUse();
    const { tables, disagreements } = buildPriceTables(loadInputs(regions, capture, karpenter));
    fs.mkdirSync(values.out, { recursive: true });
    for (const table of tables) {
        fs.writeFileSync(path.join(values.out, `${table.region}.json`), JSON.stringify(table, null, 2) + "\n");
        console.log(
            `${table.region}: ${Object.keys(table.ec2OnDemandHourly).length} instance types, ${Object.keys(table.services).length} service prices, missing: ${Object.keys(table.missing).join(", ")}`,
        );
    }
    if (disagreements.length > 0) {
        console.log(`EC2 sources disagree on ${disagreements.length} instance type(s) (Karpenter's price was kept):`);
        disagreements.forEach((d) => console.log(`  ${d.region} ${d.instanceType}: Karpenter ${d.karpenter}, price map ${d.maps}`));
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((error: Error) => {
        console.error(error.message);
        process.exit(1);
    });
}
