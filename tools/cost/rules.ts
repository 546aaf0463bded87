import type { CostAssumptions } from "../../components/cost/settings";
import { KUBERNETES_MINORS, minorOf } from "../../components/versions";
import type { PlannedResource } from "../harness/render";
import type { PriceTable, ServicePriceName } from "./prices";

/** The capabilities an estimate is broken down by. */
export const CAPABILITIES = ["network", "cluster", "nodes", "storage", "logging", "mesh"] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** One priced part of a resource, with the arithmetic behind it. */
interface CostItem {
    capability: Capability;
    /** USD per month at the node pools' desired size. */
    monthly: number;
    /** USD per month with every node pool at its maximum size. */
    monthlyAtMaxSize: number;
    /** How the figure was reached, e.g. "3 × m6i.2xlarge On-Demand × $0.428/h × 730 h". */
    basis: string;
}

/** A part of a resource the table cannot price, and why. */
interface UnpricedItem {
    what: string;
    reason: string;
}

interface RuleResult {
    items: CostItem[];
    unpriced: UnpricedItem[];
}

/** Everything a rule may read besides its resource. */
export interface RuleContext {
    resources: PlannedResource[];
    byId: Map<string, PlannedResource>;
    prices: PriceTable;
    assumptions: CostAssumptions;
    /** The day the estimate is for: decides standard or extended Kubernetes support. */
    asOf: string;
}

type Rule = (resource: PlannedResource, context: RuleContext) => RuleResult;

const usd = (value: number) => `$${Number(value.toPrecision(6))}`;

function priced(capability: Capability, monthly: number, basis: string, monthlyAtMaxSize = monthly): RuleResult {
    return { items: [{ capability, monthly, monthlyAtMaxSize, basis }], unpriced: [] };
}

function servicePrice(context: RuleContext, name: ServicePriceName): number | undefined {
    return context.prices.services[name]?.usd;
}

function missingPrice(context: RuleContext, name: string, what: string): RuleResult {
    const reason = context.prices.missing[name] ?? `no ${name} price in the ${context.prices.region} table`;
    return { items: [], unpriced: [{ what, reason }] };
}

/** The named prices, or the "missing" result naming the first one the table lacks. */
function needPrices<N extends ServicePriceName>(context: RuleContext, what: string, ...names: N[]): Record<N, number> | RuleResult {
    const found = {} as Record<N, number>;
    for (const name of names) {
        const price = servicePrice(context, name);
        if (price === undefined) {
            return missingPrice(context, name, what);
        }
        found[name] = price;
    }
    return found;
}

function isResult(value: object): value is RuleResult {
    return "items" in value && "unpriced" in value;
}

/** Resources of a type in the plan, to spread a usage assumption over them. */
function countOf(context: RuleContext, predicate: (r: PlannedResource) => boolean): number {
    return Math.max(1, context.resources.filter(predicate).length);
}

function asNumber(value: unknown): number | undefined {
    const n = typeof value === "string" ? Number(value) : value;
    return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

// --- EKS control plane -------------------------------------------------------------------------

/** Whether a Kubernetes minor is past standard support on a day, by the platform's version table. */
export function inExtendedSupport(version: string, asOf: string): { extended: boolean; note?: string } {
    const known = KUBERNETES_MINORS.find((v) => v.version === version);
    if (known) {
        return asOf > known.endOfStandardSupport
            ? { extended: true, note: `standard support ended ${known.endOfStandardSupport}` }
            : { extended: false, note: `standard support until ${known.endOfStandardSupport}` };
    }
    const oldest = Math.min(...KUBERNETES_MINORS.map((v) => minorOf(v.version)));
    return minorOf(version) < oldest
        ? { extended: true, note: `older than every version in standard support (${KUBERNETES_MINORS[0].version} is the oldest)` }
        : { extended: false, note: "newer than the version table: assumed in standard support" };
}

const eksControlPlane: Rule = (resource, context) => {
    const hourly = servicePrice(context, "eksClusterHour");
    if (hourly === undefined) {
        return missingPrice(context, "eksClusterHour", "EKS control plane");
    }
    const hours = context.assumptions.hoursPerMonth;
    const version = typeof resource.props.version === "string" ? resource.props.version : undefined;
    // With supportType STANDARD, EKS upgrades the cluster at the end of standard support instead of billing extended support.
    const supportType = asRecord(resource.props.upgradePolicy).supportType;
    const support = version && supportType !== "STANDARD" ? inExtendedSupport(version, context.asOf) : { extended: false, note: undefined };
    const extra = support.extended ? servicePrice(context, "eksExtendedSupportHour") : 0;
    if (extra === undefined) {
        return missingPrice(context, "eksExtendedSupportHour", `EKS extended support for Kubernetes ${version}`);
    }
    const basis = support.extended
        ? `${usd(hourly)}/h + extended support ${usd(extra)}/h × ${hours} h (Kubernetes ${version}: ${support.note})`
        : `${usd(hourly)}/h × ${hours} h${version ? ` (Kubernetes ${version}, ${support.note})` : ""}`;
    return priced("cluster", (hourly + extra) * hours, basis);
};

// --- Node pools ----------------------------------------------------------------------------------

interface NodePoolShape {
    desired: number;
    max: number;
    instanceTypes: string[];
    onDemandBase: number;
    onDemandPercentAbove: number;
    launchTemplate?: PlannedResource;
}

/** Reads a node pool from the Auto Scaling group as registered (and its launch template). */
export function nodePoolShape(group: PlannedResource, byId: Map<string, PlannedResource>): NodePoolShape {
    const props = group.props;
    const mixed = asRecord(props.mixedInstancesPolicy);
    const distribution = asRecord(mixed.instancesDistribution);
    const templateSpec = mixed.launchTemplate
        ? asRecord(asRecord(mixed.launchTemplate).launchTemplateSpecification)
        : asRecord(props.launchTemplate ?? props.launchTemplateSpecification);
    const templateId = templateSpec.launchTemplateId ?? templateSpec.id;
    const launchTemplate = typeof templateId === "string" ? byId.get(templateId) : undefined;
    const overrides = Array.isArray(asRecord(mixed.launchTemplate).overrides) ? (asRecord(mixed.launchTemplate).overrides as unknown[]) : [];
    const fromOverrides = overrides.map((o) => asRecord(o).instanceType).filter((t): t is string => typeof t === "string");
    const fromTemplate = typeof launchTemplate?.props.instanceType === "string" ? [launchTemplate.props.instanceType] : [];
    const min = asNumber(props.minSize) ?? 0;
    return {
        desired: asNumber(props.desiredCapacity) ?? min,
        max: asNumber(props.maxSize) ?? min,
        instanceTypes: fromOverrides.length > 0 ? fromOverrides : fromTemplate,
        // Without a mixed-instances policy every instance is On-Demand.
        onDemandBase: mixed.instancesDistribution ? (asNumber(distribution.onDemandBaseCapacity) ?? 0) : 0,
        onDemandPercentAbove: mixed.instancesDistribution ? (asNumber(distribution.onDemandPercentageAboveBaseCapacity) ?? 100) : 100,
        launchTemplate,
    };
}

/** On-Demand and Spot nodes at a size: the base first, then the percentage split of the rest (an expected mix, not rounded). */
export function capacityMix(size: number, base: number, percentAbove: number): { onDemand: number; spot: number } {
    const baseNodes = Math.min(size, base);
    const above = size - baseNodes;
    const onDemand = baseNodes + (above * percentAbove) / 100;
    return { onDemand, spot: size - onDemand };
}

/** Root and data volumes per node, from the launch template's block device mappings. */
function nodeVolumes(template: PlannedResource | undefined): { gib: number; type: string; iops?: number; throughput?: number }[] {
    const mappings = Array.isArray(template?.props.blockDeviceMappings) ? (template.props.blockDeviceMappings as unknown[]) : [];
    return mappings
        .map((m) => asRecord(asRecord(m).ebs))
        .filter((ebs) => asNumber(ebs.volumeSize) !== undefined)
        .map((ebs) => ({
            gib: asNumber(ebs.volumeSize) ?? 0,
            type: typeof ebs.volumeType === "string" ? ebs.volumeType : "gp2",
            iops: asNumber(ebs.iops),
            throughput: asNumber(ebs.throughput),
        }));
}

/** What a gp3 volume pays for beyond its size: IOPS above the 3,000 and MiB/s above the 125 it includes. */
function gp3Extras(volume: { iops?: number; throughput?: number }): { iops: number; mibps: number } {
    return { iops: Math.max(0, (volume.iops ?? 3000) - 3000), mibps: Math.max(0, (volume.throughput ?? 125) - 125) };
}

/** Monthly price of one gp3 volume: storage, plus IOPS above 3,000 and throughput above 125 MiB/s. */
function gp3Monthly(volume: { gib: number; iops?: number; throughput?: number }, prices: { gb: number; iops: number; gibps: number }): number {
    const extra = gp3Extras(volume);
    return volume.gib * prices.gb + extra.iops * prices.iops + (extra.mibps / 1024) * prices.gibps;
}

const autoScalingGroup: Rule = (resource, context) => {
    const pool = nodePoolShape(resource, context.byId);
    const hours = context.assumptions.hoursPerMonth;
    const onDemandPrices = pool.instanceTypes.map((t) => context.prices.ec2OnDemandHourly[t]);
    const unknown = pool.instanceTypes.filter((_, i) => onDemandPrices[i] === undefined);
    if (pool.instanceTypes.length === 0 || unknown.length > 0) {
        const reason =
            pool.instanceTypes.length === 0
                ? "no instance type in the group's overrides or launch template"
                : `no On-Demand price for ${unknown.join(", ")} in the ${context.prices.region} table`;
        return { items: [], unpriced: [{ what: "EC2 instances", reason }] };
    }
    // On-Demand capacity launches in override order ("prioritized"); Spot spreads over the pools, so it is
    // priced off the mean On-Demand price of the listed types.
    const onDemandHourly = onDemandPrices[0];
    const meanOnDemand = onDemandPrices.reduce((a, b) => a + b, 0) / onDemandPrices.length;
    const spotHourly = meanOnDemand * (1 - context.assumptions.spotDiscountPercent / 100);
    const nodeMonthly = (size: number) => {
        const mix = capacityMix(size, pool.onDemandBase, pool.onDemandPercentAbove);
        return (mix.onDemand * onDemandHourly + mix.spot * spotHourly) * hours;
    };
    const mixAt = capacityMix(pool.desired, pool.onDemandBase, pool.onDemandPercentAbove);
    const round = (n: number) => Number(n.toFixed(2));
    const items: CostItem[] = [
        {
            capability: "nodes",
            monthly: nodeMonthly(pool.desired),
            monthlyAtMaxSize: nodeMonthly(pool.max),
            basis:
                `${pool.desired} node(s) (max ${pool.max}): ${round(mixAt.onDemand)} On-Demand × ${pool.instanceTypes[0]} ${usd(onDemandHourly)}/h` +
                ` + ${round(mixAt.spot)} Spot × ${usd(spotHourly)}/h (${context.assumptions.spotDiscountPercent}% off the mean On-Demand ${usd(meanOnDemand)}/h of ${pool.instanceTypes.join("/")})` +
                ` × ${hours} h`,
        },
    ];
    const unpriced: UnpricedItem[] = [];
    for (const volume of nodeVolumes(pool.launchTemplate)) {
        const gb = servicePrice(context, "ebsGp3GbMonth");
        const iops = servicePrice(context, "ebsGp3IopsMonth");
        const gibps = servicePrice(context, "ebsGp3ThroughputGibpsMonth");
        if (volume.type !== "gp3") {
            unpriced.push({ what: `${volume.gib} GiB ${volume.type} volume per node`, reason: `only gp3 volumes are priced` });
        } else if (gb === undefined || iops === undefined || gibps === undefined) {
            unpriced.push({ what: `${volume.gib} GiB gp3 volume per node`, reason: context.prices.missing.ebsGp3GbMonth ?? "no gp3 price in the table" });
        } else {
            const perNode = gp3Monthly(volume, { gb, iops, gibps });
            const extra = gp3Extras(volume);
            const extras = [
                extra.iops > 0 ? ` + ${extra.iops} IOPS above 3,000 × ${usd(iops)}/IOPS-month` : "",
                extra.mibps > 0 ? ` + ${extra.mibps} MiB/s above 125 × ${usd(gibps)}/GiB/s-month ÷ 1,024` : "",
            ].join("");
            items.push({
                capability: "nodes",
                monthly: perNode * pool.desired,
                monthlyAtMaxSize: perNode * pool.max,
                basis: `${pool.desired} (max ${pool.max}) volume(s) × (${volume.gib} GiB gp3 × ${usd(gb)}/GB-month${extras}) = ${usd(perNode)} a volume`,
            });
        }
    }
    return { items, unpriced };
};

// --- Network -------------------------------------------------------------------------------------

const natGateway: Rule = (resource, context) => {
    const prices = needPrices(context, "NAT gateway", "natGatewayHour", "natGatewayGb");
    if (isResult(prices)) {
        return prices;
    }
    const { natGatewayHour: hourly, natGatewayGb: perGb } = prices;
    const gateways = countOf(context, (r) => r.type === resource.type);
    const gb = context.assumptions.natProcessedGiBPerMonth / gateways;
    const hours = context.assumptions.hoursPerMonth;
    return priced("network", hourly * hours + gb * perGb, `${usd(hourly)}/h × ${hours} h + ${Number(gb.toFixed(2))} GB processed × ${usd(perGb)}/GB`);
};

const elasticIp: Rule = (_resource, context) => {
    const hourly = servicePrice(context, "publicIpv4Hour");
    if (hourly === undefined) {
        return missingPrice(context, "publicIpv4Hour", "public IPv4 address");
    }
    const hours = context.assumptions.hoursPerMonth;
    return priced("network", hourly * hours, `public IPv4 address ${usd(hourly)}/h × ${hours} h`);
};

const vpcEndpoint: Rule = (resource, context) => {
    if (resource.props.vpcEndpointType !== "Interface") {
        return { items: [], unpriced: [] };
    }
    const prices = needPrices(context, "interface endpoint", "interfaceEndpointAzHour", "interfaceEndpointGb");
    if (isResult(prices)) {
        return prices;
    }
    const { interfaceEndpointAzHour: hourly, interfaceEndpointGb: perGb } = prices;
    const zones = Array.isArray(resource.props.subnetIds) ? resource.props.subnetIds.length : 1;
    const endpoints = countOf(context, (r) => r.type === resource.type && r.props.vpcEndpointType === "Interface");
    const gb = context.assumptions.endpointProcessedGiBPerMonth / endpoints;
    const hours = context.assumptions.hoursPerMonth;
    return priced(
        "network",
        zones * hourly * hours + gb * perGb,
        `${zones} AZ × ${usd(hourly)}/h × ${hours} h + ${Number(gb.toFixed(2))} GB processed × ${usd(perGb)}/GB`,
    );
};

// --- Security, logging, storage ------------------------------------------------------------------

const kmsKey: Rule = (_resource, context) => {
    const monthly = servicePrice(context, "kmsKeyMonth");
    if (monthly === undefined) {
        return missingPrice(context, "kmsKeyMonth", "KMS key");
    }
    return priced("cluster", monthly, `${usd(monthly)}/key-month (requests not estimated)`);
};

const logGroup: Rule = (resource, context) => {
    const prices = needPrices(context, "CloudWatch Logs", "logsIngestionGb", "logsStorageGbMonth");
    if (isResult(prices)) {
        return prices;
    }
    const { logsIngestionGb: ingest, logsStorageGbMonth: store } = prices;
    const groups = countOf(context, (r) => r.type === resource.type);
    const gb = context.assumptions.logIngestedGiBPerMonth / groups;
    const retention = asNumber(resource.props.retentionInDays);
    // At steady state a group holds its retention's worth of logs; one that never expires, the horizon's.
    const months =
        retention === undefined || retention === 0
            ? context.assumptions.logStorageHorizonMonths
            : Math.min(retention / 30, context.assumptions.logStorageHorizonMonths);
    const stored = gb * months;
    const basis = `${Number(gb.toFixed(2))} GB/month ingested × ${usd(ingest)}/GB + ${Number(stored.toFixed(2))} GB stored (${retention ? `${retention} days` : "never expires"}) × ${usd(store)}/GB-month`;
    return priced("logging", gb * ingest + stored * store, basis);
};

const s3Bucket: Rule = (_resource, context) => {
    const perGb = servicePrice(context, "s3StandardGbMonth");
    if (perGb === undefined) {
        return missingPrice(context, "s3StandardGbMonth", "S3 storage");
    }
    const gb = context.assumptions.s3StoredGiB;
    return priced("logging", gb * perGb, `${gb} GB in S3 Standard × ${usd(perGb)}/GB-month (requests and lifecycle tiers not estimated)`);
};

/** Athena bills SQL queries per TB scanned (at least 10 MB each): usage, so the assumption decides it. */
const athenaWorkgroup: Rule = (resource, context) => {
    const perTb = servicePrice(context, "athenaScannedTb");
    if (perTb === undefined) {
        return missingPrice(context, "athenaScannedTb", "Athena queries");
    }
    const workgroups = countOf(context, (r) => r.type === resource.type);
    const gb = context.assumptions.athenaScannedGiBPerMonth / workgroups;
    return priced("logging", (gb / 1024) * perTb, `${Number(gb.toFixed(2))} GB scanned/month × ${usd(perTb)}/TB (1 TB = 1,024 GB)`);
};

const efsFileSystem: Rule = (resource, context) => {
    const oneZone = typeof resource.props.availabilityZoneName === "string";
    const storageName: ServicePriceName = oneZone ? "efsOneZoneGbMonth" : "efsStandardGbMonth";
    const perGb = servicePrice(context, storageName);
    if (perGb === undefined) {
        return missingPrice(context, storageName, "EFS storage");
    }
    const gb = context.assumptions.efsStoredGiB;
    const mode = typeof resource.props.throughputMode === "string" ? resource.props.throughputMode : "bursting";
    const storage = gb * perGb;
    const parts = [`${gb} GB ${oneZone ? "One Zone" : "Standard"} × ${usd(perGb)}/GB-month`];
    let throughput = 0;
    if (mode === "elastic") {
        const prices = needPrices(context, "EFS Elastic throughput", "efsElasticReadGb", "efsElasticWriteGb");
        if (isResult(prices)) {
            return prices;
        }
        const { efsElasticReadGb: read, efsElasticWriteGb: write } = prices;
        const { efsReadGiBPerMonth: r, efsWriteGiBPerMonth: w } = context.assumptions;
        throughput = r * read + w * write;
        parts.push(`Elastic throughput ${r} GB read × ${usd(read)} + ${w} GB written × ${usd(write)}`);
    } else if (mode === "provisioned") {
        const perMibps = servicePrice(context, "efsProvisionedThroughputMibpsMonth");
        const mibps = asNumber(resource.props.provisionedThroughputInMibps) ?? 0;
        if (perMibps === undefined) {
            return missingPrice(context, "efsProvisionedThroughputMibpsMonth", "EFS provisioned throughput");
        }
        throughput = mibps * perMibps;
        parts.push(`${mibps} MiB/s provisioned × ${usd(perMibps)}/MiB/s-month`);
    }
    return priced("storage", storage + throughput, parts.join(" + "));
};

const lustreFileSystem: Rule = (resource, context) => {
    const capacity = asNumber(resource.props.storageCapacity);
    const deployment = typeof resource.props.deploymentType === "string" ? resource.props.deploymentType : "SCRATCH_1";
    const throughput = asNumber(resource.props.perUnitStorageThroughput);
    const backupDays = asNumber(resource.props.automaticBackupRetentionDays) ?? 0;
    const backups = backupDays > 0 ? `, ${backupDays} days of automatic backups` : "";
    const what = `FSx for Lustre ${capacity ?? "?"} GiB ${deployment}${throughput ? ` at ${throughput} MB/s/TiB` : ""}${backups}`;
    return { items: [], unpriced: [{ what, reason: context.prices.missing.fsxLustre ?? "no FSx for Lustre prices in the table" }] };
};

// --- Load balancers ------------------------------------------------------------------------------

type LoadBalancerKind = "application" | "network" | "gateway" | "classic";

/** The prices of each kind with a capacity-unit charge, and what AWS calls its unit. */
const CAPACITY_PRICED: Record<Exclude<LoadBalancerKind, "classic">, { label: string; hour: ServicePriceName; unit: ServicePriceName; unitName: string }> = {
    application: { label: "Application Load Balancer", hour: "applicationLoadBalancerHour", unit: "applicationLoadBalancerLcuHour", unitName: "LCU" },
    network: { label: "Network Load Balancer", hour: "networkLoadBalancerHour", unit: "networkLoadBalancerLcuHour", unitName: "NLCU" },
    gateway: { label: "Gateway Load Balancer", hour: "gatewayLoadBalancerHour", unit: "gatewayLoadBalancerLcuHour", unitName: "GLCU" },
};

/**
 * One load balancer for the month: ALB, NLB and GWLB bill an hour plus the capacity units used each
 * hour (`loadBalancerCapacityUnits`); a Classic Load Balancer bills an hour plus every GB it processes.
 */
function loadBalancerCost(kind: LoadBalancerKind, context: RuleContext, why: string): RuleResult {
    const hours = context.assumptions.hoursPerMonth;
    if (kind === "classic") {
        const prices = needPrices(context, "Classic Load Balancer", "classicLoadBalancerHour", "classicLoadBalancerGb");
        if (isResult(prices)) {
            return prices;
        }
        const { classicLoadBalancerHour: hourly, classicLoadBalancerGb: perGb } = prices;
        const gb = context.assumptions.classicLoadBalancerProcessedGiBPerMonth;
        return priced(
            "network",
            hourly * hours + gb * perGb,
            `Classic Load Balancer ${usd(hourly)}/h × ${hours} h + ${gb} GB processed × ${usd(perGb)}/GB (${why})`,
        );
    }
    const spec = CAPACITY_PRICED[kind];
    const prices = needPrices(context, spec.label, spec.hour, spec.unit);
    if (isResult(prices)) {
        return prices;
    }
    const [hourly, perUnit] = [prices[spec.hour], prices[spec.unit]];
    const units = context.assumptions.loadBalancerCapacityUnits;
    return priced(
        "network",
        (hourly + units * perUnit) * hours,
        `${spec.label} (${usd(hourly)}/h + ${units} ${spec.unitName} × ${usd(perUnit)}/${spec.unitName}-hour) × ${hours} h (${why})`,
    );
}

const LOAD_BALANCER_TYPES: Record<string, LoadBalancerKind> = { application: "application", network: "network", gateway: "gateway" };

/** aws.lb.LoadBalancer (and its alb alias): its loadBalancerType, "application" unless set. */
const elbV2LoadBalancer: Rule = (resource, context) => {
    const type = typeof resource.props.loadBalancerType === "string" ? resource.props.loadBalancerType : "application";
    const kind = LOAD_BALANCER_TYPES[type];
    return kind
        ? loadBalancerCost(kind, context, `loadBalancerType ${type}`)
        : { items: [], unpriced: [{ what: `load balancer of type ${type}`, reason: `no price for loadBalancerType "${type}"` }] };
};

const classicLoadBalancer: Rule = (_resource, context) => loadBalancerCost("classic", context, "aws.elb.LoadBalancer");

function metadataOf(resource: PlannedResource): { name?: string; annotations: Record<string, unknown> } {
    const metadata = asRecord(resource.props.metadata);
    return { name: typeof metadata.name === "string" ? metadata.name : undefined, annotations: asRecord(metadata.annotations) };
}

/** The AWS Load Balancer Controller chart in the plan, if any (its values say what it does by default). */
function loadBalancerController(context: RuleContext): Record<string, unknown> | undefined {
    const chart = context.resources.find(
        (r) => r.type.startsWith("kubernetes:helm.sh/") && typeof r.props.chart === "string" && /(^|\/)aws-load-balancer-controller$/.test(r.props.chart),
    );
    return chart ? asRecord(chart.props.values) : undefined;
}

const NLB_SERVICE_CLASSES = ["service.k8s.aws/nlb", "eks.amazonaws.com/nlb"];
const NLB_SERVICE_TYPES = ["nlb", "nlb-ip", "external"];

/**
 * Which load balancer a Service of type LoadBalancer gets: an NLB for the AWS Load Balancer Controller's
 * (or EKS Auto Mode's) class, or the aws-load-balancer-type annotation, or when the controller's webhook
 * sets its class on every such Service (its default); otherwise the in-tree cloud provider's Classic one.
 */
function serviceLoadBalancer(resource: PlannedResource, context: RuleContext): { kind?: LoadBalancerKind; why: string } {
    const spec = asRecord(resource.props.spec);
    const loadBalancerClass = typeof spec.loadBalancerClass === "string" ? spec.loadBalancerClass : undefined;
    if (loadBalancerClass) {
        return NLB_SERVICE_CLASSES.includes(loadBalancerClass)
            ? { kind: "network", why: `loadBalancerClass ${loadBalancerClass}` }
            : { why: `loadBalancerClass ${loadBalancerClass} is not an AWS load balancer class` };
    }
    const annotated = metadataOf(resource).annotations["service.beta.kubernetes.io/aws-load-balancer-type"];
    if (typeof annotated === "string" && NLB_SERVICE_TYPES.includes(annotated)) {
        return { kind: "network", why: `aws-load-balancer-type ${annotated}` };
    }
    const controller = loadBalancerController(context);
    if (controller && controller.enableServiceMutatorWebhook !== false) {
        return { kind: "network", why: "the AWS Load Balancer Controller's webhook gives it the service.k8s.aws/nlb class" };
    }
    return { kind: "classic", why: "the in-tree AWS cloud provider's default" };
}

const kubernetesService: Rule = (resource, context) => {
    if (asRecord(resource.props.spec).type !== "LoadBalancer") {
        return { items: [], unpriced: [] };
    }
    const { kind, why } = serviceLoadBalancer(resource, context);
    return kind ? loadBalancerCost(kind, context, why) : { items: [], unpriced: [{ what: "load balancer", reason: why }] };
};

const ALB_INGRESS_CONTROLLERS = ["ingress.k8s.aws/alb", "eks.amazonaws.com/alb"];
const ALB_GROUP_ANNOTATION = "alb.ingress.kubernetes.io/group.name";

/** Which ALB serves an Ingress (`albKey`: one per IngressGroup), that none does, or why that is unknown. */
type IngressBalancer = { albKey: string; why: string } | { none: true } | { unknown: string };

/**
 * The ALB an Ingress is served by. Its class is spec.ingressClassName, else the legacy
 * kubernetes.io/ingress.class annotation, else the plan's default IngressClass; it is an ALB class when
 * that IngressClass names the AWS Load Balancer Controller (or EKS Auto Mode), or, with no IngressClass
 * of that name in the plan, when it is the class the controller's chart creates. Ingresses of one group
 * (the group.name annotation, or the class's IngressClassParams) share one ALB.
 */
function ingressLoadBalancer(resource: PlannedResource, context: RuleContext): IngressBalancer {
    const ingressClasses = context.resources.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:IngressClass");
    const { annotations } = metadataOf(resource);
    const explicit = asRecord(resource.props.spec).ingressClassName ?? annotations["kubernetes.io/ingress.class"];
    const ingressClass =
        typeof explicit === "string"
            ? ingressClasses.find((c) => metadataOf(c).name === explicit)
            : ingressClasses.find((c) => metadataOf(c).annotations["ingressclass.kubernetes.io/is-default-class"] === "true");
    const className = typeof explicit === "string" ? explicit : ingressClass && metadataOf(ingressClass).name;
    if (className === undefined) {
        return { none: true };
    }
    const classSpec = asRecord(ingressClass?.props.spec);
    if (!ingressClass) {
        const controller = loadBalancerController(context);
        const chartClass = controller && controller.createIngressClassResource !== false ? (controller.ingressClass ?? "alb") : undefined;
        if (className !== chartClass) {
            return { unknown: `its IngressClass ${className} is not in the plan, so whether an ALB serves it is unknown` };
        }
    } else if (!ALB_INGRESS_CONTROLLERS.includes(String(classSpec.controller))) {
        return { none: true };
    }
    const parameters = asRecord(classSpec.parameters);
    const params =
        parameters.kind === "IngressClassParams"
            ? context.resources.find((r) => r.type.endsWith(":IngressClassParams") && metadataOf(r).name === parameters.name)
            : undefined;
    const group = annotations[ALB_GROUP_ANNOTATION] ?? asRecord(asRecord(params?.props.spec).group).name;
    return typeof group === "string" ? { albKey: `group ${group}`, why: `IngressGroup ${group}` } : { albKey: resource.urn, why: `Ingress class ${className}` };
}

/** An Ingress the AWS Load Balancer Controller serves: one ALB per IngressGroup, priced on the group's first Ingress. */
const kubernetesIngress: Rule = (resource, context) => {
    const alb = ingressLoadBalancer(resource, context);
    if ("none" in alb) {
        return { items: [], unpriced: [] };
    }
    if ("unknown" in alb) {
        return { items: [], unpriced: [{ what: "Ingress load balancer", reason: alb.unknown }] };
    }
    const sameAlb = (r: PlannedResource) => {
        const other = ingressLoadBalancer(r, context);
        return "albKey" in other && other.albKey === alb.albKey;
    };
    const first = context.resources.find((r) => r.type === resource.type && sameAlb(r));
    if (first && first.urn !== resource.urn) {
        return priced("network", 0, `shares the Application Load Balancer of ${alb.why}, priced with ${first.name}`);
    }
    return loadBalancerCost("application", context, alb.why);
};

const GATEWAY_CONTROLLERS: Record<string, LoadBalancerKind> = { "gateway.k8s.aws/alb": "application", "gateway.k8s.aws/nlb": "network" };
const LATTICE_CONTROLLER = "application-networking.k8s.aws/gateway-api-controller";

/** A Gateway of the AWS Load Balancer Controller's classes is one ALB or NLB; a VPC Lattice one is priced by its routes. */
const gatewayApiGateway: Rule = (resource, context) => {
    const className = asRecord(resource.props.spec).gatewayClassName;
    const gatewayClass = context.resources.find((r) => r.type.endsWith(":GatewayClass") && metadataOf(r).name === className);
    if (!gatewayClass) {
        return {
            items: [],
            unpriced: [{ what: "Gateway", reason: `its GatewayClass ${String(className)} is not in the plan, so which load balancer it makes is unknown` }],
        };
    }
    const controller = String(asRecord(gatewayClass.props.spec).controllerName);
    const kind = GATEWAY_CONTROLLERS[controller];
    if (kind) {
        return loadBalancerCost(kind, context, `GatewayClass ${String(className)} of ${controller}`);
    }
    if (controller === LATTICE_CONTROLLER) {
        return { items: [], unpriced: [] };
    }
    return {
        items: [],
        unpriced: [
            { what: "Gateway", reason: `GatewayClass ${String(className)} of ${controller}: any load balancer it creates at run time is not in the plan` },
        ],
    };
};

/** An HTTPRoute on a VPC Lattice gateway becomes one VPC Lattice service. */
const latticeRoute: Rule = (_resource, context) => {
    const lattice = context.resources.some((r) => r.type.endsWith(":GatewayClass") && asRecord(r.props.spec).controllerName === LATTICE_CONTROLLER);
    if (!lattice) {
        return { items: [], unpriced: [] };
    }
    const prices = needPrices(context, "VPC Lattice service", "latticeServiceHour", "latticeGb");
    if (isResult(prices)) {
        return prices;
    }
    const { latticeServiceHour: hourly, latticeGb: perGb } = prices;
    const routes = countOf(context, (r) => /:(HTTPRoute|GRPCRoute)$/.test(r.type));
    const gb = context.assumptions.meshProcessedGiBPerMonth / routes;
    const hours = context.assumptions.hoursPerMonth;
    return priced(
        "mesh",
        hourly * hours + gb * perGb,
        `VPC Lattice service ${usd(hourly)}/h × ${hours} h + ${Number(gb.toFixed(2))} GB processed × ${usd(perGb)}/GB (requests not estimated)`,
    );
};

// --- The rule book -------------------------------------------------------------------------------

/** Resource types with a price, by type token. */
const PRICED: Record<string, Rule> = {
    "eks:index:Cluster": eksControlPlane,
    "aws:eks/cluster:Cluster": eksControlPlane,
    "aws:autoscaling/group:Group": autoScalingGroup,
    "aws:ec2/natGateway:NatGateway": natGateway,
    "aws:ec2/eip:Eip": elasticIp,
    "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
    "aws:kms/key:Key": kmsKey,
    "aws:cloudwatch/logGroup:LogGroup": logGroup,
    "aws:s3/bucket:Bucket": s3Bucket,
    "aws:s3/bucketV2:BucketV2": s3Bucket,
    "aws:athena/workgroup:Workgroup": athenaWorkgroup,
    "aws:efs/fileSystem:FileSystem": efsFileSystem,
    "aws:fsx/lustreFileSystem:LustreFileSystem": lustreFileSystem,
    "aws:lb/loadBalancer:LoadBalancer": elbV2LoadBalancer,
    "aws:alb/loadBalancer:LoadBalancer": elbV2LoadBalancer,
    "aws:elb/loadBalancer:LoadBalancer": classicLoadBalancer,
    "kubernetes:core/v1:Service": kubernetesService,
    "kubernetes:networking.k8s.io/v1:Ingress": kubernetesIngress,
    "kubernetes:gateway.networking.k8s.io/v1:Gateway": gatewayApiGateway,
    "kubernetes:gateway.networking.k8s.io/v1beta1:Gateway": gatewayApiGateway,
    "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute": latticeRoute,
    "kubernetes:gateway.networking.k8s.io/v1:GRPCRoute": latticeRoute,
};

/** Resource types that cost nothing by themselves, each with the reason. */
const FREE: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "no charge",
    "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation": "no charge",
    "aws:ec2/subnet:Subnet": "no charge",
    "aws:ec2/internetGateway:InternetGateway": "no charge (data transfer is excluded)",
    "aws:ec2/routeTable:RouteTable": "no charge",
    "aws:ec2/route:Route": "no charge",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "no charge",
    "aws:ec2/securityGroup:SecurityGroup": "no charge",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "no charge",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "no charge",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "no charge",
    "aws:ec2/flowLog:FlowLog": "billed as the ingestion and storage of its log group",
    "aws:ec2/launchTemplate:LaunchTemplate": "no charge; its instances and volumes are priced with the Auto Scaling group that launches them",
    "aws:autoscaling/lifecycleHook:LifecycleHook": "no charge",
    "aws:iam/role:Role": "no charge",
    "aws:iam/rolePolicy:RolePolicy": "no charge",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "no charge",
    "aws:iam/policy:Policy": "no charge",
    "aws:iam/instanceProfile:InstanceProfile": "no charge",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "no charge",
    "aws:kms/alias:Alias": "no charge",
    "aws:eks/addon:Addon": "no charge for EKS add-ons; their pods run on the priced nodes",
    "aws:eks/accessEntry:AccessEntry": "no charge",
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": "no charge",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": "no charge",
    "aws:eks/fargateProfile:FargateProfile":
        "no charge for a profile; pods on Fargate bill per vCPU and GB of memory they request per second, which the plan cannot know",
    "aws:sqs/queue:Queue": "request-priced; interruption notices stay far inside the first million free requests a month",
    "aws:sqs/queuePolicy:QueuePolicy": "no charge",
    "aws:cloudwatch/eventRule:EventRule": "AWS service events delivered to EventBridge carry no charge",
    "aws:cloudwatch/eventTarget:EventTarget": "no charge",
    "aws:efs/mountTarget:MountTarget": "no charge",
    "aws:efs/backupPolicy:BackupPolicy": "AWS Backup bills the backup storage it uses, which depends on the data; not estimated",
    "aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation": "no charge; S3 requests it makes are not estimated",
    "aws:s3/bucketPolicy:BucketPolicy": "no charge",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "no charge",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "no charge",
    "aws:s3/bucketVersioning:BucketVersioning": "no charge; old versions are storage, within the bucket's assumption",
    "aws:s3/bucketVersioningV2:BucketVersioningV2": "no charge; old versions are storage, within the bucket's assumption",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "no charge; transitions are requests, not estimated",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": "no charge; transitions are requests, not estimated",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "no charge",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": "no charge",
    "aws:athena/namedQuery:NamedQuery": "no charge; running it is billed as its workgroup's scanned bytes",
    "aws:glue/catalogDatabase:CatalogDatabase":
        "no charge: the Glue Data Catalog stores the first million objects a month free, and partition projection keeps partitions out of it",
    "aws:glue/catalogTable:CatalogTable":
        "no charge: the Glue Data Catalog stores the first million objects a month free, and partition projection keeps partitions out of it",
    "aws:vpclattice/serviceNetwork:ServiceNetwork": "no charge for a service network; its services are priced (HTTPRoute)",
    "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation": "no charge for a VPC association",
    "aws:s3/bucketLogging:BucketLogging": "no charge; the access logs it delivers are storage of the target bucket, within that bucket's assumption",
    "aws:codebuild/project:Project": "no charge for a project; build minutes are billed per build and depend on the pipeline's use, not estimated",
    "aws:codebuild/webhook:Webhook": "no charge",
    "aws:codeconnections/connection:Connection": "no charge",
    "aws:ec2transitgateway/transitGateway:TransitGateway": "no charge for the gateway itself; its attachments and the data they process are billed",
    "aws:ec2transitgateway/routeTable:RouteTable": "no charge",
    "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation": "no charge",
    "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation": "no charge",
};

/** Families of free types, matched by prefix, each with the reason. */
const FREE_PREFIXES: [string, string][] = [
    ["pulumi:providers:", "a provider configuration, not a cloud resource"],
    ["eksplatform:", "a component: its children are priced"],
    ["kubernetes:helm.sh/", "a component: its workloads run on the priced nodes"],
    ["kubernetes:yaml/", "a component: its objects are priced one by one"],
    ["kubernetes:", "a Kubernetes object: it runs on the priced nodes"],
    ["github:", "a GitHub repository setting: no AWS charge"],
];

export type Classification = { kind: "priced"; rule: Rule } | { kind: "free"; reason: string } | { kind: "unknown" };

/** How the estimate treats a resource type: priced by a rule, free with a reason, or not known. */
export function classify(type: string): Classification {
    if (PRICED[type]) {
        return { kind: "priced", rule: PRICED[type] };
    }
    if (FREE[type]) {
        return { kind: "free", reason: FREE[type] };
    }
    const prefix = FREE_PREFIXES.find(([p]) => type.startsWith(p));
    return prefix ? { kind: "free", reason: prefix[1] } : { kind: "unknown" };
}
