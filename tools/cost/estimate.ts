import type { CostAssumptions } from "../../components/cost/settings";
import type { PlannedResource } from "../harness/render";
import type { PriceTable } from "./prices";
import { CAPABILITIES, Capability, classify, RuleContext } from "./rules";

/** A resource's monthly cost in the estimate. */
interface ResourceCost {
    urn: string;
    type: string;
    name: string;
    capability: Capability;
    /** USD per month at the node pools' desired size. */
    monthly: number;
    /** USD per month with every node pool at its maximum size. */
    monthlyAtMaxSize: number;
    /** The arithmetic, one entry per priced part. */
    basis: string[];
}

/** A resource (or part of one) the estimate leaves out, and why. */
interface UnpricedResource {
    urn: string;
    type: string;
    name: string;
    what: string;
    reason: string;
}

/** How a resource's cost moves between the base plan and this one. */
interface ResourceCostChange {
    urn: string;
    type: string;
    name: string;
    change: "added" | "removed" | "changed";
    monthly: number;
    monthlyAtMaxSize: number;
}

/** The plan JSON's `cost` (docs/cost.md). Money is USD per month, rounded to cents. */
export interface CostEstimate {
    currency: "USD";
    region: string;
    /** Every assumption the figures rest on, the settings and the fixed ones. */
    assumptions: CostAssumptions & { asOf: string; dataTransfer: "excluded"; requests: "excluded" };
    /** Which table priced it: its generation date and sources. */
    prices: { generatedAt: string; sources: PriceTable["sources"] } | null;
    total: number;
    totalAtMaxSize: number;
    byCapability: Record<Capability, { monthly: number; monthlyAtMaxSize: number }>;
    byResource: ResourceCost[];
    unpriced: UnpricedResource[];
    /** Monthly change against the base plan (with --base), at desired size; null without a base. */
    delta: number | null;
    deltaAtMaxSize: number | null;
    /** The resources behind the delta, largest change first. */
    deltaByResource: ResourceCostChange[];
}

export interface EstimateOptions {
    region: string;
    /** The table of the region; undefined when none was generated. */
    prices: PriceTable | undefined;
    assumptions: CostAssumptions;
    /** ISO day the estimate is for (Kubernetes support windows); default today. */
    asOf?: string;
}

const cents = (value: number) => Math.round(value * 100) / 100;

/** An estimate's sums before rounding to cents, so that a change is the rounded difference, not the difference of two roundings. */
interface ExactSums {
    total: number;
    totalAtMaxSize: number;
    byResource: Map<string, { monthly: number; monthlyAtMaxSize: number }>;
}

const exactSums = new WeakMap<CostEstimate, ExactSums>();

function emptyByCapability(): CostEstimate["byCapability"] {
    return Object.fromEntries(CAPABILITIES.map((c) => [c, { monthly: 0, monthlyAtMaxSize: 0 }])) as CostEstimate["byCapability"];
}

/**
 * The monthly cost of a rendered plan: every resource priced by its type's rule from the region's
 * table and the assumptions, or listed as unpriced with the reason. Pure: no I/O, no clock unless
 * `asOf` is left out.
 */
export function estimate(resources: PlannedResource[], options: EstimateOptions): CostEstimate {
    const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
    const assumptions = { ...options.assumptions, asOf, dataTransfer: "excluded" as const, requests: "excluded" as const };
    const byResource: ResourceCost[] = [];
    const unpriced: UnpricedResource[] = [];
    const byCapability = emptyByCapability();
    const table = options.prices;
    const context: RuleContext | undefined = table && {
        resources,
        byId: new Map(resources.filter((r) => r.id).map((r) => [r.id, r])),
        prices: table,
        assumptions: options.assumptions,
        asOf,
    };
    let total = 0;
    let totalAtMaxSize = 0;
    const exactByResource = new Map<string, { monthly: number; monthlyAtMaxSize: number }>();
    for (const resource of resources) {
        const classification = classify(resource.type);
        const where = { urn: resource.urn, type: resource.type, name: resource.name };
        if (classification.kind === "free") {
            continue;
        }
        if (classification.kind === "unknown") {
            unpriced.push({ ...where, what: resource.type, reason: "no cost rule for this resource type" });
            continue;
        }
        if (!context) {
            unpriced.push({ ...where, what: resource.type, reason: `no price table for ${options.region} (generate one: docs/cost.md)` });
            continue;
        }
        const result = classification.rule(resource, context);
        unpriced.push(...result.unpriced.map((u) => ({ ...where, ...u })));
        if (result.items.length === 0) {
            continue;
        }
        const monthly = result.items.reduce((sum, item) => sum + item.monthly, 0);
        const monthlyAtMaxSize = result.items.reduce((sum, item) => sum + item.monthlyAtMaxSize, 0);
        const capability = result.items[0].capability;
        byResource.push({ ...where, capability, monthly: cents(monthly), monthlyAtMaxSize: cents(monthlyAtMaxSize), basis: result.items.map((i) => i.basis) });
        exactByResource.set(resource.urn, { monthly, monthlyAtMaxSize });
        for (const item of result.items) {
            byCapability[item.capability].monthly += item.monthly;
            byCapability[item.capability].monthlyAtMaxSize += item.monthlyAtMaxSize;
        }
        total += monthly;
        totalAtMaxSize += monthlyAtMaxSize;
    }
    for (const capability of CAPABILITIES) {
        byCapability[capability] = { monthly: cents(byCapability[capability].monthly), monthlyAtMaxSize: cents(byCapability[capability].monthlyAtMaxSize) };
    }
    byResource.sort((a, b) => b.monthly - a.monthly || a.urn.localeCompare(b.urn));
    const result: CostEstimate = {
        currency: "USD",
        region: options.region,
        assumptions,
        prices: table ? { generatedAt: table.generatedAt, sources: table.sources } : null,
        total: cents(total),
        totalAtMaxSize: cents(totalAtMaxSize),
        byCapability,
        byResource,
        unpriced,
        delta: null,
        deltaAtMaxSize: null,
        deltaByResource: [],
    };
    exactSums.set(result, { total, totalAtMaxSize, byResource: exactByResource });
    return result;
}

/**
 * The change from a base estimate to the current one, resource by resource. Both estimates should
 * come from the same table and assumptions, so the delta shows what the change does, not price moves.
 */
export function withDelta(current: CostEstimate, base: CostEstimate): CostEstimate {
    const before = new Map(base.byResource.map((r) => [r.urn, r]));
    const after = new Map(current.byResource.map((r) => [r.urn, r]));
    // Differences of the exact sums where both estimates were made here (a parsed one has only cents).
    const exactNow = exactSums.get(current);
    const exactBase = exactSums.get(base);
    const exact = (estimate: CostEstimate, sums: ExactSums | undefined, urn: string) =>
        sums?.byResource.get(urn) ?? estimate.byResource.find((r) => r.urn === urn);
    const changes: ResourceCostChange[] = [];
    for (const [urn, now] of after) {
        const old = before.get(urn);
        const nowExact = exact(current, exactNow, urn)!;
        const oldExact = old && exact(base, exactBase, urn);
        const monthly = cents(nowExact.monthly - (oldExact?.monthly ?? 0));
        const monthlyAtMaxSize = cents(nowExact.monthlyAtMaxSize - (oldExact?.monthlyAtMaxSize ?? 0));
        if (!old || monthly !== 0 || monthlyAtMaxSize !== 0) {
            changes.push({ urn, type: now.type, name: now.name, change: old ? "changed" : "added", monthly, monthlyAtMaxSize });
        }
    }
    for (const [urn, old] of before) {
        if (!after.has(urn)) {
            changes.push({ urn, type: old.type, name: old.name, change: "removed", monthly: -old.monthly, monthlyAtMaxSize: -old.monthlyAtMaxSize });
        }
    }
    changes.sort((a, b) => Math.abs(b.monthlyAtMaxSize) - Math.abs(a.monthlyAtMaxSize) || a.urn.localeCompare(b.urn));
    return {
        ...current,
        delta: cents((exactNow?.total ?? current.total) - (exactBase?.total ?? base.total)),
        deltaAtMaxSize: cents((exactNow?.totalAtMaxSize ?? current.totalAtMaxSize) - (exactBase?.totalAtMaxSize ?? base.totalAtMaxSize)),
        deltaByResource: changes,
    };
}

/** Estimates other resources (a base plan's) exactly as `like` was estimated: same region, table, assumptions and day. */
export function estimateLike(resources: PlannedResource[], like: CostEstimate, prices: PriceTable | undefined): CostEstimate {
    const fixed = new Set(["asOf", "dataTransfer", "requests"]);
    const assumptions = Object.fromEntries(Object.entries(like.assumptions).filter(([key]) => !fixed.has(key))) as CostAssumptions;
    return estimate(resources, { region: like.region, prices, assumptions, asOf: like.assumptions.asOf });
}
