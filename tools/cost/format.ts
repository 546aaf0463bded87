import type { CostSettings } from "../../components/cost/settings";
import type { CostEstimate } from "./estimate";
import { CAPABILITIES } from "./rules";

/** "$1,234.50" (or "−$12.00" / "+$12.00" with `signed`). */
export function money(value: number, signed = false): string {
    const text = `$${Math.abs(value).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    if (value < 0) {
        return `−${text}`;
    }
    return signed ? `+${text}` : text;
}

/** The cost part of the terminal summary line. */
export function costSummary(cost: CostEstimate): string {
    if (!cost.prices) {
        return `cost: no price table for ${cost.region} (docs/cost.md)`;
    }
    const line = `≈ ${money(cost.total)}/month (desired) · up to ${money(cost.totalAtMaxSize)} at max size`;
    const delta = cost.delta === null ? "" : ` · change ${money(cost.delta, true)}/month (${money(cost.deltaAtMaxSize ?? 0, true)} at max size)`;
    const unpriced = cost.unpriced.length > 0 ? ` · ${cost.unpriced.length} unpriced` : "";
    return line + delta + unpriced;
}

/** One line with every assumption, for the PR comment and the terminal. */
export function assumptionsLine(cost: CostEstimate): string {
    const a = cost.assumptions;
    return [
        `${a.hoursPerMonth} h/month`,
        `Spot at ${a.spotDiscountPercent}% off On-Demand`,
        `${a.logIngestedGiBPerMonth} GiB/month of logs (never-expiring groups hold ${a.logStorageHorizonMonths} months)`,
        `${a.natProcessedGiBPerMonth} GiB/month through NAT`,
        `${a.endpointProcessedGiBPerMonth} GiB/month through interface endpoints`,
        `${a.efsStoredGiB} GiB per EFS file system (${a.efsReadGiBPerMonth} GiB read, ${a.efsWriteGiBPerMonth} GiB written a month)`,
        `${a.s3StoredGiB} GiB per S3 bucket`,
        `${a.athenaScannedGiBPerMonth} GiB/month scanned by Athena`,
        `${a.meshProcessedGiBPerMonth} GiB/month through VPC Lattice`,
        `${a.loadBalancerCapacityUnits} LCU (NLCU) per load balancer-hour`,
        `${a.classicLoadBalancerProcessedGiBPerMonth} GiB/month per Classic Load Balancer`,
        `Kubernetes support as of ${a.asOf}`,
        "data transfer and request charges excluded",
    ].join(" · ");
}

function escape(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function shortUrn(urn: string): string {
    const parts = urn.split("::");
    return `${parts[2]?.split("$").pop() ?? ""}::${parts[3] ?? urn}`;
}

function sourceDates(cost: CostEstimate): string {
    if (!cost.prices) {
        return `no price table for ${cost.region}`;
    }
    const published = [cost.prices.sources.ec2, ...Object.values(cost.prices.sources.services)]
        .map((s) => (s.published ?? s.retrieved ?? "").slice(0, 10))
        .filter(Boolean);
    const sorted = [...new Set(published)].sort();
    return `${cost.region} list prices published ${sorted[0]} to ${sorted[sorted.length - 1]}`;
}

/** The PR comment's cost section for one stack: by capability, the change, what is unpriced, the assumptions. */
export function costMarkdown(cost: CostEstimate): string {
    if (!cost.prices) {
        return `**Estimated cost:** none: there is no price table for ${cost.region} (generate one: docs/cost.md).`;
    }
    const rows = CAPABILITIES.map((c) => `| ${c} | ${money(cost.byCapability[c].monthly)} | ${money(cost.byCapability[c].monthlyAtMaxSize)} |`);
    const parts = [
        `**Estimated cost:** ≈ ${money(cost.total)}/month at desired size, up to ${money(cost.totalAtMaxSize)} at max size (USD, ${sourceDates(cost)}).`,
        [
            "| capability | monthly (desired) | monthly (max size) |",
            "| --- | ---: | ---: |",
            ...rows,
            `| **total** | **${money(cost.total)}** | **${money(cost.totalAtMaxSize)}** |`,
        ].join("\n"),
    ];
    if (cost.delta !== null) {
        const changes = cost.deltaByResource.map(
            (c) => `| \`${escape(shortUrn(c.urn))}\` | ${c.change} | ${money(c.monthly, true)} | ${money(c.monthlyAtMaxSize, true)} |`,
        );
        parts.push(
            `**Cost of this change:** ${money(cost.delta, true)}/month at desired size, ${money(cost.deltaAtMaxSize ?? 0, true)}/month at max size.`,
            changes.length === 0
                ? "No resource changes cost."
                : ["| resource | change | monthly (desired) | monthly (max size) |", "| --- | --- | ---: | ---: |", ...changes].join("\n"),
        );
    }
    const resourceRows = cost.byResource.map(
        (r) => `| \`${escape(shortUrn(r.urn))}\` | ${r.capability} | ${money(r.monthly)} | ${money(r.monthlyAtMaxSize)} | ${escape(r.basis.join("; "))} |`,
    );
    parts.push(
        `<details><summary>Cost by resource (${cost.byResource.length})</summary>\n\n${[
            "| resource | capability | monthly (desired) | monthly (max size) | how |",
            "| --- | --- | ---: | ---: | --- |",
            ...resourceRows,
        ].join("\n")}\n\n</details>`,
    );
    if (cost.unpriced.length > 0) {
        const unpricedRows = cost.unpriced.map((u) => `| \`${escape(shortUrn(u.urn))}\` | ${escape(u.what)} | ${escape(u.reason)} |`);
        parts.push(`**Not in the estimate** (${cost.unpriced.length}):\n\n${["| resource | what | why |", "| --- | --- | --- |", ...unpricedRows].join("\n")}`);
    }
    parts.push(`_Assumptions: ${assumptionsLine(cost)}. Settings: \`eks-platform:cost\` (docs/cost.md)._`);
    return parts.join("\n\n");
}

/** A guardrail-style finding when the estimate exceeds the stack's budget; undefined within it. */
export function budgetFinding(
    cost: CostEstimate,
    budget: CostSettings["budget"],
): { policy: string; enforcementLevel: "advisory" | "mandatory"; controls: string[]; urn: null; message: string } | undefined {
    if (!budget) {
        return undefined;
    }
    const estimate = budget.basis === "maxSize" ? cost.totalAtMaxSize : cost.total;
    if (estimate <= budget.monthlyUsd) {
        return undefined;
    }
    const basis = budget.basis === "maxSize" ? "with every node pool at its maximum size" : "at the node pools' desired size";
    return {
        policy: "cost-within-budget",
        enforcementLevel: budget.enforcement,
        controls: [],
        urn: null,
        message:
            `the estimated ${money(estimate)}/month ${basis} exceeds the budget of ${money(budget.monthlyUsd)}/month (cost.budget.monthlyUsd) by ${money(estimate - budget.monthlyUsd)}` +
            (cost.unpriced.length > 0 ? `, before ${cost.unpriced.length} unpriced item(s)` : ""),
    };
}
