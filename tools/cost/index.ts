import { CostSettings, DEFAULT_COST_ASSUMPTIONS } from "../../components/cost/settings";
import type { PlannedResource } from "../harness/render";
import { CostEstimate, estimate, estimateLike, withDelta } from "./estimate";
import { loadPriceTable } from "./prices";

export type { CostEstimate } from "./estimate";
export { assumptionsLine, budgetFinding, costMarkdown, costSummary } from "./format";

/** The estimate of a rendered stack, from its region's generated table and its cost settings (defaults without). */
export function costOfPlan(resources: PlannedResource[], region: string, settings?: CostSettings, asOf?: string): CostEstimate {
    return estimate(resources, { region, prices: loadPriceTable(region), assumptions: settings?.assumptions ?? DEFAULT_COST_ASSUMPTIONS, asOf });
}

/** The estimate with its change against a base plan's resources, priced the same way. */
export function costWithBase(cost: CostEstimate, baseResources: PlannedResource[]): CostEstimate {
    return withDelta(cost, estimateLike(baseResources, cost, loadPriceTable(cost.region)));
}
