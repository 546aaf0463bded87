import type { PlannedResource } from "../harness/render";
import { costMarkdown } from "../cost";
import { diffPlans, PlanDiff } from "./diff";
import { isBlocking, mandatoryCount, PlanDocument } from "./document";

/** Sections longer than this many rows are collapsed behind <details>. */
const COLLAPSE_AFTER_ROWS = 10;
const MAX_VALUE_LENGTH = 120;

function cell(value: unknown): string {
    const text = value === undefined ? "—" : typeof value === "string" ? value : JSON.stringify(value);
    const short = text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
    return `\`${short.replace(/`/g, "'").replace(/\|/g, "\\|").replace(/\n/g, " ")}\``;
}

function table(headers: string[], rows: string[][]): string {
    return [`| ${headers.join(" | ")} |`, `| ${headers.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

function section(title: string, rows: number, body: string): string {
    return rows > COLLAPSE_AFTER_ROWS ? `<details><summary>${title} (${rows})</summary>\n\n${body}\n\n</details>` : `**${title}** (${rows})\n\n${body}`;
}

function shortUrn(urn: string | null): string {
    if (!urn) {
        return "(stack)";
    }
    const parts = urn.split("::");
    return `${parts[2].split("$").pop()}::${parts[3]}`;
}

function countBy<T>(items: T[], key: (item: T) => string): [string, number][] {
    const counts = new Map<string, number>();
    items.forEach((item) => counts.set(key(item), (counts.get(key(item)) ?? 0) + 1));
    return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The top-level component a resource belongs to: the Platform's direct child in its parent chain. */
function componentOf(resource: PlannedResource, byUrn: Map<string, PlannedResource>): string {
    let current = resource;
    while (current.parent) {
        const parent = byUrn.get(current.parent);
        if (!parent || !parent.parent) {
            return current === resource && !resource.parent ? "(root)" : current.type;
        }
        current = parent;
    }
    return "(root)";
}

function settingsTable(document: PlanDocument): string {
    const s = document.summary;
    const rows: string[][] = [];
    if (s) {
        rows.push(["cluster", cell(`${s.clusterName} (${s.region}, ${s.availabilityZones.join(", ")})`)]);
        rows.push(["Kubernetes", cell(s.kubernetesVersion)]);
        rows.push(["API endpoint", cell(s.endpointAccess + (s.publicAccessCidrs.length ? ` from ${s.publicAccessCidrs.join(", ")}` : ""))]);
        rows.push(["NAT gateways", cell(s.natGateways)]);
        for (const pool of s.nodePools) {
            const mix = `${pool.onDemandBaseCapacity} On-Demand base, ${pool.onDemandPercentageAboveBaseCapacity}% On-Demand above`;
            rows.push([`node pool ${pool.name}`, cell(`${pool.minSize}-${pool.maxSize} × ${pool.instanceTypes.join("/")}; ${mix}`)]);
        }
        rows.push(["mesh backend", cell(s.meshBackend)]);
    }
    for (const sc of document.resources.filter((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass")) {
        const meta = (sc.props.metadata ?? {}) as { name?: string; annotations?: Record<string, string> };
        const isDefault = meta.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true";
        rows.push([
            `storage class ${meta.name ?? sc.name}`,
            cell(`${sc.props.provisioner}, reclaim ${sc.props.reclaimPolicy ?? "Delete"}${isDefault ? ", default" : ""}`),
        ]);
    }
    for (const group of document.resources.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")) {
        rows.push([
            `log group ${group.props.name ?? group.name}`,
            cell(group.props.retentionInDays === undefined ? "never expires" : `${group.props.retentionInDays} days`),
        ]);
    }
    const protectedCount = document.resources.filter((r) => r.options.protect).length;
    rows.push(["protected resources", cell(`${protectedCount} (${document.resources.filter((r) => r.options.retainOnDelete).length} retained on delete)`)]);
    return table(["setting", "value"], rows);
}

function verdicts(document: PlanDocument): string {
    if (document.violations.length === 0) {
        return "No guardrail violations.";
    }
    const sorted = [...document.violations].sort((a, b) => a.enforcementLevel.localeCompare(b.enforcementLevel) * -1 || a.policy.localeCompare(b.policy));
    const rows = sorted.map((v) => [
        v.enforcementLevel === "mandatory" ? "❌ mandatory" : "⚠️ advisory",
        `\`${v.policy}\``,
        v.controls.join(", "),
        cell(shortUrn(v.urn)),
        v.message.replace(/\|/g, "\\|"),
    ]);
    return section("Guardrail verdicts", rows.length, table(["level", "policy", "controls", "resource", "message"], rows));
}

function schemaSection(document: PlanDocument): string {
    if (document.schemaFindings.length === 0) {
        return "Every Kubernetes object matches its schema (strict: unknown fields are errors).";
    }
    const rows = document.schemaFindings.map((f) => [cell(shortUrn(f.urn)), `\`${f.apiVersion} ${f.kind}\``, `\`${f.path}\``, f.message.replace(/\|/g, "\\|")]);
    return section("❌ Schema findings", rows.length, table(["resource", "kind", "field", "problem"], rows));
}

function changes(diff: PlanDiff): string {
    const parts = [`**Against the base plan:** ${diff.added.length} to add, ${diff.removed.length} to remove, ${diff.changed.length} to change.`];
    if (diff.added.length) {
        parts.push(
            section(
                "Added",
                diff.added.length,
                table(
                    ["resource", "type"],
                    diff.added.map((r) => [cell(shortUrn(r.urn)), `\`${r.type}\``]),
                ),
            ),
        );
    }
    if (diff.removed.length) {
        parts.push(
            section(
                "Removed",
                diff.removed.length,
                table(
                    ["resource", "type", "protected"],
                    diff.removed.map((r) => [cell(shortUrn(r.urn)), `\`${r.type}\``, r.options.protect ? "🔒 yes" : "no"]),
                ),
            ),
        );
    }
    if (diff.changed.length) {
        const rows = diff.changed.flatMap((c) => c.changes.map((p) => [cell(shortUrn(c.urn)), `\`${p.path}\``, cell(p.before), cell(p.after)]));
        parts.push(section("Changed properties", rows.length, table(["resource", "property", "before", "after"], rows)));
    }
    return parts.join("\n\n");
}

/** The PR comment for one stack: verdict, settings, changes against the base, counts, verdicts. */
export function renderStackMarkdown(document: PlanDocument, base?: PlanDocument): string {
    const mandatory = mandatoryCount(document);
    const findings = document.schemaFindings.length;
    const problems = [
        mandatory > 0 ? `${mandatory} mandatory guardrail violation${mandatory === 1 ? "" : "s"}` : undefined,
        findings > 0 ? `${findings} schema finding${findings === 1 ? "" : "s"}` : undefined,
    ].filter(Boolean);
    const headline = isBlocking(document) ? `❌ ${problems.join(", ")}` : "✅ no mandatory guardrail violation, schema-clean";
    const byUrn = new Map(document.resources.map((r) => [r.urn, r]));
    const typeRows = countBy(document.resources, (r) => r.type).map(([type, n]) => [`\`${type}\``, String(n)]);
    const componentRows = countBy(document.resources, (r) => componentOf(r, byUrn)).map(([component, n]) => [`\`${component}\``, String(n)]);
    return [
        `### Stack \`${document.stack}\` — ${headline}`,
        `${document.resources.length} resources, ${document.violations.length - mandatory} advisory finding(s).`,
        settingsTable(document),
        base ? changes(diffPlans(base, document)) : "_No base plan given: showing the full plan._",
        ...(document.cost ? [costMarkdown(document.cost)] : []),
        section("Resources by type", typeRows.length, table(["type", "count"], typeRows)),
        section("Resources by component", componentRows.length, table(["component", "count"], componentRows)),
        verdicts(document),
        schemaSection(document),
    ].join("\n\n");
}

/** Markdown for several stacks; `bases` pairs each stack with its base plan by stack name. */
export function renderMarkdown(documents: PlanDocument[], bases: PlanDocument[] = []): string {
    const baseOf = new Map(bases.map((b) => [b.stack, b]));
    return `## Offline plan\n\n${documents.map((d) => renderStackMarkdown(d, baseOf.get(d.stack))).join("\n\n---\n\n")}\n`;
}
