/**
 * Generates the price tables under tools/cost/prices/ (one JSON file per region) from AWS's public,
 * machine-readable price data. Nothing here is typed by hand: every price is read from a source
 * file, and every table records which file, which revision and which publication date it came from.
 *
 * Sources (see docs/cost.md for the full procedure):
 *   --karpenter <dir>       EC2 On-Demand prices generated into the Karpenter AWS provider
 *                           (pkg/providers/pricing/zz_generated.pricing_aws.go; us-east-1 only).
 *   --capture <owner/name>=<dir>
 *                           a copy of AWS's pricing-page price maps ("meteredUnitMaps", served at
 *                           https://b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/<service>/USD/current/<map>.json),
 *                           named by the repository it is a copy of; repeatable. Where several copies
 *                           hold a map, the one AWS published last is read.
 *   --fetch                 download those maps from AWS into a temporary copy first (needs network).
 *   --regions a,b           the regions to write (default: every aws:region the stacks and examples use).
 *   --write-sample <dir>    also write the excerpt of every file read that the tables use (tools/cost/sample/).
 *
 * A <dir> is a bare git repository (read at its HEAD, recording the commit) or a plain directory (with
 * a SOURCE.json recording where it was excerpted from, as --write-sample writes one).
 *
 * Usage: npm run -s cost:prices -- --karpenter <dir> --capture <owner/name>=<dir> [--capture ...] [--regions eu-west-1,us-east-1]
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
    applicationLoadBalancerHour: { map: "elb", meter: "Application Load Balancer Hours", unit: "per Application Load Balancer-hour" },
    applicationLoadBalancerLcuHour: { map: "elb", meter: "Application Load Balancer LCU Hours", unit: "per LCU-hour" },
    networkLoadBalancerHour: { map: "elb", meter: "Network Load Balancer Hours", unit: "per Network Load Balancer-hour" },
    networkLoadBalancerLcuHour: { map: "elb", meter: "Network Load Balancer LCU Hours", unit: "per NLCU-hour" },
    gatewayLoadBalancerHour: { map: "elb", meter: "Gateway Load Balancer Hours", unit: "per Gateway Load Balancer-hour" },
    gatewayLoadBalancerLcuHour: { map: "elb", meter: "Gateway Load Balancer LCU Hours", unit: "per GLCU-hour" },
    classicLoadBalancerHour: { map: "elb", meter: "Classic Load Balancer Hours", unit: "per Classic Load Balancer-hour" },
    classicLoadBalancerGb: { map: "elb", meter: "Classic Load Balancer Data", unit: "per GB a Classic Load Balancer processes" },
    athenaScannedTb: { map: "athena", meter: "Athena Queries", unit: "per TB scanned by SQL queries (10 MB minimum per query)" },
};

/** Service prices no public machine-readable copy could give, with the reason, so the estimate can say so. */
export const PRICES_WITHOUT_SOURCE: Record<string, string> = {
    fsxLustre:
        "AWS's FSx price map (fsx.json) keys every price by an opaque hash rather than by deployment type and throughput, and no public copy of the AmazonFSx Price List offer, which names them, was found (docs/cost.md)",
};

const MAP_URL = "https://b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps";
/** AWS's address of each pricing-page map the tables read, by the name the copies store it under. */
export const MAP_PATHS: Record<string, string> = {
    eks: "eks/USD/current/eks.json",
    natgateway: "ec2/USD/current/natgateway.json",
    vpc: "vpc/USD/current/vpc.json",
    efs: "efs/USD/current/efs.json",
    kms: "kms/USD/current/kms.json",
    cloudwatch: "cloudwatch/USD/current/cloudwatch.json",
    s3: "s3/USD/current/s3.json",
    ebs: "ec2/USD/current/ebs.json",
    elb: "elb/USD/current/elb.json",
    athena: "athena/USD/current/athena.json",
    ec2: "ec2/USD/current/ec2.json",
};
const LOCATIONS_URL = "https://b0.p.awsstatic.com/locations/1.0/aws/current/locations.json";
const KARPENTER_FILE = "pkg/providers/pricing/zz_generated.pricing_aws.go";

/** AWS's pricing-page map format: prices per location name, per meter. */
export interface MeteredUnitMap {
    manifest: { hawkFilePublicationDate?: string; [key: string]: unknown };
    regions: Record<string, Record<string, { price: string; rateCode?: string }>>;
}

/** A row of a copy's pre-split EC2 map: one Linux On-Demand price per instance type and region. */
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
    /** The repositories whose copies of AWS's maps were read, named where a map is in none of them. */
    captures: string[];
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

/** The instance type an EC2 map meter prices ("... Linux-instancetype-m5.large"), or undefined for other OSes and meters. */
function ec2MeterType(meter: string): string | undefined {
    const type = /instancetype-([a-z0-9.-]+)$/i.exec(meter)?.[1];
    return type && !/windows|rhel|suse|sql/i.test(meter) ? type : undefined;
}

/** Reads the EC2 map: AWS's own ec2.json (keys ending "instancetype-<type>") or a copy's pre-split rows. */
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
            const type = ec2MeterType(meter);
            if (type) {
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
                const read = inputs.captures.length > 0 ? inputs.captures.join(", ") : "none";
                missing[name] = `AWS's ${spec.map} price map (${MAP_URL}/${MAP_PATHS[spec.map]}) is in none of the copies read (${read})`;
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

// --- Reading the copies ---------------------------------------------------------------------------

/** Where a copy of AWS's maps keeps them, and what says when it downloaded them. */
interface CaptureLayout {
    maps: string;
    locations?: string;
    /** A file the copy writes with the time it downloaded the maps (`lastPricingFetchAt`). */
    metadata?: string;
    /** The copy commits every download, so the commit that last changed a map is when it was downloaded. */
    retrievedByCommit?: boolean;
}

/** The layouts the copies are read in: lamngockhuong/aws-price's, and QuinnyPig/aws-price-watcher's. */
const CAPTURE_LAYOUTS: CaptureLayout[] = [
    { maps: "lib/data/pricing", locations: "lib/data/locations.json", metadata: "lib/data/pricing/metadata.json" },
    { maps: "raw", retrievedByCommit: true },
];

/** What a plain directory records of the repository it was excerpted from (written by --write-sample). */
interface SourceNote {
    note: string;
    repository: string;
    revision: string | null;
    revisionDate: string | null;
    retrieved: Record<string, string | null>;
}

const SOURCE_NOTE = "SOURCE.json";

/** Files of a copy, from a bare git repository (at its HEAD, recording the commit) or a plain directory. */
class SourceReader {
    private readonly isGit: boolean;
    private readonly note?: SourceNote;

    constructor(
        private readonly location: string,
        readonly repository: string,
    ) {
        if (!fs.existsSync(location)) {
            throw new Error(`${location}: no such directory (a copy of ${repository})`);
        }
        this.isGit = fs.existsSync(path.join(location, "HEAD")) && fs.existsSync(path.join(location, "objects"));
        const notePath = path.join(location, SOURCE_NOTE);
        if (!this.isGit && fs.existsSync(notePath)) {
            this.note = JSON.parse(fs.readFileSync(notePath, "utf8")) as SourceNote;
            if (this.note.repository !== repository) {
                throw new Error(`${location}: its ${SOURCE_NOTE} says it is a copy of ${this.note.repository}, not of ${repository}`);
            }
        }
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

    get revision(): string | null {
        return this.note ? this.note.revision : this.isGit ? this.git("rev-parse", "HEAD").trim() : null;
    }

    get revisionDate(): string | null {
        return this.note ? this.note.revisionDate : this.isGit ? this.git("log", "-1", "--format=%cI").trim() : null;
    }

    /** When the copy downloaded a file from AWS, where the copy records it. */
    private retrieved(file: string, layout?: CaptureLayout): string | null {
        if (this.note) {
            return this.note.retrieved[file] ?? null;
        }
        if (layout?.metadata && this.has(layout.metadata)) {
            return (JSON.parse(this.read(layout.metadata)) as { lastPricingFetchAt?: string }).lastPricingFetchAt ?? null;
        }
        return layout?.retrievedByCommit && this.isGit ? this.git("log", "-1", "--format=%cI", "HEAD", "--", file).trim() || null : null;
    }

    record(file: string, url: string, published: string | null, layout?: CaptureLayout): SourceRecord {
        const { repository, revision, revisionDate } = this;
        return { repository, revision, revisionDate, file, url, published, retrieved: this.retrieved(file, layout) };
    }
}

interface Capture {
    reader: SourceReader;
    layout: CaptureLayout;
}

/** A copy named on the command line as `<owner/name>=<dir>`. */
export function openCapture(spec: string): Capture {
    const separator = spec.indexOf("=");
    const [repository, dir] = separator < 0 ? ["", spec] : [spec.slice(0, separator), spec.slice(separator + 1)];
    if (!/^[\w.-]+\/[\w.-]+$/.test(repository) || !dir) {
        throw new Error(`--capture ${spec}: give <owner/name>=<dir>, naming the repository the copy is from (for example lamngockhuong/aws-price=<dir>)`);
    }
    return withLayout(new SourceReader(dir, repository), `--capture ${spec}`);
}

function withLayout(reader: SourceReader, what: string): Capture {
    const layout = CAPTURE_LAYOUTS.find((l) => reader.has(l.maps));
    if (!layout) {
        throw new Error(`${what}: no price maps in it (looked for ${CAPTURE_LAYOUTS.map((l) => `${l.maps}/`).join(" and ")})`);
    }
    return { reader, layout };
}

/** The Karpenter AWS provider's repository (or an excerpt of it), for its generated EC2 prices. */
export function openKarpenter(dir: string): SourceReader {
    return new SourceReader(dir, "aws/karpenter-provider-aws");
}

/** A file the tables were made from, kept to write its excerpt into the sample. */
interface ReadFile {
    reader: SourceReader;
    file: string;
    kind: "map" | "ec2" | "locations" | "karpenter";
    text: string;
    source?: SourceRecord;
}

/** Of several copies of a file, the one AWS published last (a copy that does not say comes last); the first on ties. */
function newestCopy<T extends { published: string | null }>(copies: T[]): T | undefined {
    return [...copies].sort((a, b) => (b.published ?? "").localeCompare(a.published ?? ""))[0];
}

/** Regions the stacks and examples deploy to: the default region list. */
export function regionsInUse(): string[] {
    const regions = stackConfigs().map((config) => config["aws:region"]);
    return [...new Set(regions.filter((r): r is string => typeof r === "string"))].sort();
}

/** Every instance type a stack or example lists (any `instanceTypes` list in its config): the sample keeps their prices. */
export function instanceTypesInUse(): string[] {
    const found = new Set<string>();
    const walk = (value: unknown): void => {
        if (Array.isArray(value)) {
            value.forEach(walk);
        } else if (typeof value === "object" && value !== null) {
            for (const [key, inner] of Object.entries(value)) {
                if (key === "instanceTypes" && Array.isArray(inner)) {
                    inner.filter((t): t is string => typeof t === "string").forEach((t) => found.add(t));
                } else {
                    walk(inner);
                }
            }
        }
    };
    stackConfigs().forEach(walk);
    return [...found].sort();
}

function stackConfigs(): Record<string, unknown>[] {
    const files = [
        ...fs.readdirSync(path.join(ROOT, "stacks")).map((f) => path.join(ROOT, "stacks", f)),
        ...fs.readdirSync(path.join(ROOT, "examples"), { recursive: true, encoding: "utf8" }).map((f) => path.join(ROOT, "examples", f)),
    ].filter((f) => /Pulumi\.[^/]+\.ya?ml$/.test(f));
    return files.map((f) => (parseYaml(fs.readFileSync(f, "utf8")) as { config?: Record<string, unknown> }).config ?? {});
}

async function fetchCapture(): Promise<Capture> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-price-maps-"));
    const layout = CAPTURE_LAYOUTS[0];
    fs.mkdirSync(path.join(dir, layout.maps), { recursive: true });
    const download = async (url: string, file: string) => {
        const response = await fetch(url);
        if (!response.ok) {
            throw new Error(`${url}: HTTP ${response.status}`);
        }
        fs.writeFileSync(path.join(dir, file), await response.text());
    };
    await download(LOCATIONS_URL, layout.locations!);
    for (const [name, mapPath] of Object.entries(MAP_PATHS)) {
        await download(`${MAP_URL}/${mapPath}`, `${layout.maps}/${name}.json`);
    }
    fs.writeFileSync(path.join(dir, layout.metadata!), JSON.stringify({ lastPricingFetchAt: new Date().toISOString() }));
    return { reader: new SourceReader(dir, "aws pricing pages (fetched)"), layout };
}

/** Loads every source: AWS's locations, each map from the copy AWS published last, the EC2 prices. */
export function loadInputs(
    regions: string[],
    captures: Capture[],
    karpenter: SourceReader | undefined,
    generatedAt: string,
): { inputs: GeneratorInputs; read: ReadFile[] } {
    const read: ReadFile[] = [];
    const withLocations = captures.find((c) => c.layout.locations && c.reader.has(c.layout.locations));
    if (!withLocations?.layout.locations) {
        throw new Error(`no copy has AWS's locations.json (${CAPTURE_LAYOUTS.flatMap((l) => l.locations ?? []).join(", ")})`);
    }
    const locationsText = withLocations.reader.read(withLocations.layout.locations);
    read.push({ reader: withLocations.reader, file: withLocations.layout.locations, kind: "locations", text: locationsText });
    const locations = JSON.parse(locationsText) as Record<string, { code: string; type: string }>;
    const locationNames = Object.fromEntries(
        Object.entries(locations)
            .filter(([, l]) => l.type === "AWS Region")
            .map(([name, l]) => [l.code, name]),
    );

    const maps: GeneratorInputs["maps"] = {};
    for (const name of [...new Set(Object.values(SERVICE_METERS).map((s) => s.map))].sort()) {
        const copies = captures
            .filter((c) => c.reader.has(`${c.layout.maps}/${name}.json`))
            .map((c) => {
                const file = `${c.layout.maps}/${name}.json`;
                const text = c.reader.read(file);
                const data = JSON.parse(text) as MeteredUnitMap;
                const published = data.manifest.hawkFilePublicationDate ?? null;
                return { reader: c.reader, file, text, data, published, source: c.reader.record(file, `${MAP_URL}/${MAP_PATHS[name]}`, published, c.layout) };
            });
        const chosen = newestCopy(copies);
        if (chosen) {
            maps[name] = { data: chosen.data, source: chosen.source };
            read.push({ reader: chosen.reader, file: chosen.file, kind: "map", text: chosen.text, source: chosen.source });
        }
    }

    // AWS's EC2 map is larger than some copies keep; aws-price's pre-split copy of it serves instead.
    const ec2Copies = captures.flatMap((c) =>
        ["ec2.json", "ec2-transformed.json"]
            .map((f) => `${c.layout.maps}/${f}`)
            .filter((file) => c.reader.has(file))
            .map((file) => {
                const text = c.reader.read(file);
                const data = JSON.parse(text) as MeteredUnitMap | Ec2CaptureRow[];
                const published = Array.isArray(data) ? null : (data.manifest.hawkFilePublicationDate ?? null);
                return { reader: c.reader, file, text, data, published, source: c.reader.record(file, `${MAP_URL}/${MAP_PATHS.ec2}`, published, c.layout) };
            }),
    );
    const ec2Copy = newestCopy(ec2Copies);
    let ec2FromMaps: GeneratorInputs["ec2FromMaps"];
    if (ec2Copy) {
        ec2FromMaps = { prices: parseEc2Map(ec2Copy.data, locationNames), source: ec2Copy.source };
        read.push({ reader: ec2Copy.reader, file: ec2Copy.file, kind: "ec2", text: ec2Copy.text, source: ec2Copy.source });
    }

    let ec2FromKarpenter: GeneratorInputs["ec2FromKarpenter"];
    if (karpenter) {
        const goSource = karpenter.read(KARPENTER_FILE);
        const source = karpenter.record(KARPENTER_FILE, "https://github.com/aws/karpenter-provider-aws", /generated at (\S+)/.exec(goSource)?.[1] ?? null);
        ec2FromKarpenter = { prices: parseKarpenterPrices(goSource), source };
        read.push({ reader: karpenter, file: KARPENTER_FILE, kind: "karpenter", text: goSource, source });
    }
    const inputs = { regions, generatedAt, locationNames, captures: captures.map((c) => c.reader.repository), maps, ec2FromMaps, ec2FromKarpenter };
    return { inputs, read };
}

// --- The sample -----------------------------------------------------------------------------------

/** A map cut down to some locations and the meters `keep` accepts. */
function trimMap(data: MeteredUnitMap, locations: string[], keep: (meter: string) => boolean): MeteredUnitMap {
    const regions: MeteredUnitMap["regions"] = {};
    for (const location of locations.filter((l) => data.regions[l])) {
        regions[location] = Object.fromEntries(Object.entries(data.regions[location]).filter(([meter]) => keep(meter)));
    }
    return { manifest: data.manifest, regions };
}

/** The excerpt of a file the tables need: the regions asked for, the meters read, the instance types listed. */
export function excerpt(file: ReadFile, regions: string[], locationNames: Record<string, string>, instanceTypes: string[]): string {
    const locations = regions.map((r) => locationNames[r]);
    const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";
    const types = new Set(instanceTypes);
    switch (file.kind) {
        case "locations": {
            const all = JSON.parse(file.text) as Record<string, { code: string }>;
            return json(Object.fromEntries(Object.entries(all).filter(([, l]) => regions.includes(l.code))));
        }
        case "map": {
            const meters = new Set(Object.values(SERVICE_METERS).map((s) => s.meter));
            return json(trimMap(JSON.parse(file.text) as MeteredUnitMap, locations, (m) => meters.has(m)));
        }
        case "ec2": {
            const data = JSON.parse(file.text) as MeteredUnitMap | Ec2CaptureRow[];
            return Array.isArray(data)
                ? json(data.filter((r) => regions.includes(r.region) && types.has(r.attributes.instanceType)))
                : json(trimMap(data, locations, (m) => types.has(ec2MeterType(m) ?? "")));
        }
        case "karpenter": {
            const prices = parseKarpenterPrices(file.text);
            const generated = /generated at (\S+)/.exec(file.text)?.[1] ?? "unknown";
            const blocks = regions
                .filter((r) => prices[r])
                .map((r) => {
                    const rows = Object.entries(prices[r]).filter(([t]) => types.has(t));
                    return `\t"${r}": {\n${rows.map(([t, p]) => `\t\t"${t}": ${p},\n`).join("")}\t},\n`;
                });
            return `// Excerpt of ${KARPENTER_FILE}, written by tools/cost/generate.ts --write-sample.\n// Its prices were generated at ${generated}\npackage pricing\n\nvar excerpt = map[string]map[string]float64{\n${blocks.join("")}}\n`;
        }
    }
}

/** Writes the excerpts, one directory per repository (owner+name) with a SOURCE.json recording its provenance. */
function writeSample(dir: string, read: ReadFile[], inputs: GeneratorInputs, instanceTypes: string[]): void {
    const byRepository = new Map<string, ReadFile[]>();
    read.forEach((f) => byRepository.set(f.reader.repository, [...(byRepository.get(f.reader.repository) ?? []), f]));
    for (const [repository, files] of byRepository) {
        const root = path.join(dir, repository.replace("/", "+"));
        fs.rmSync(root, { recursive: true, force: true });
        for (const file of files) {
            fs.mkdirSync(path.dirname(path.join(root, file.file)), { recursive: true });
            fs.writeFileSync(path.join(root, file.file), excerpt(file, inputs.regions, inputs.locationNames, instanceTypes));
        }
        const note: SourceNote = {
            note: `Excerpt of ${repository} written by tools/cost/generate.ts --write-sample: regions ${inputs.regions.join(", ")}, the meters the tables read, instance types ${instanceTypes.join(", ")}.`,
            repository,
            revision: files[0].reader.revision,
            revisionDate: files[0].reader.revisionDate,
            retrieved: Object.fromEntries(files.filter((f) => f.source).map((f) => [f.file, f.source!.retrieved])),
        };
        fs.writeFileSync(path.join(root, SOURCE_NOTE), JSON.stringify(note, null, 2) + "\n");
    }
}

async function main(argv: string[]): Promise<void> {
    const { values } = parseArgs({
        args: argv,
        options: {
            karpenter: { type: "string" },
            capture: { type: "string", multiple: true },
            fetch: { type: "boolean", default: false },
            regions: { type: "string" },
            out: { type: "string", default: PRICE_TABLE_DIR },
            "write-sample": { type: "string" },
        },
        strict: true,
    });
    const captures = [...(values.fetch ? [await fetchCapture()] : []), ...(values.capture ?? []).map(openCapture)];
    if (captures.length === 0) {
        throw new Error("give --capture <owner/name>=<dir> (a copy of AWS's pricing-page maps) or --fetch");
    }
    const karpenter = values.karpenter ? openKarpenter(values.karpenter) : undefined;
    const regions = values.regions ? values.regions.split(",").map((r) => r.trim()) : regionsInUse();
    const { inputs, read } = loadInputs(regions, captures, karpenter, new Date().toISOString().slice(0, 10));
    const { tables, disagreements } = buildPriceTables(inputs);
    fs.mkdirSync(values.out, { recursive: true });
    for (const table of tables) {
        fs.writeFileSync(path.join(values.out, `${table.region}.json`), JSON.stringify(table, null, 2) + "\n");
        console.log(
            `${table.region}: ${Object.keys(table.ec2OnDemandHourly).length} instance types, ${Object.keys(table.services).length} service prices, missing: ${Object.keys(table.missing).join(", ")}`,
        );
    }
    for (const [name, map] of Object.entries(inputs.maps)) {
        console.log(`  ${name}: ${map.source.repository} (published ${map.source.published ?? "?"})`);
    }
    if (disagreements.length > 0) {
        console.log(`EC2 sources disagree on ${disagreements.length} instance type(s) (Karpenter's price was kept):`);
        disagreements.forEach((d) => console.log(`  ${d.region} ${d.instanceType}: Karpenter ${d.karpenter}, price map ${d.maps}`));
    }
    if (values["write-sample"]) {
        writeSample(values["write-sample"], read, inputs, instanceTypesInUse());
        console.log(`sample written to ${values["write-sample"]}`);
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((error: Error) => {
        console.error(error.message);
        process.exit(1);
    });
}
