import { policies } from "../../policy-pack/evaluate";
import type { PlannedResource } from "../harness/render";
import { costMarkdown } from "../cost";
import type { FailedStack } from "../plan";
import { countsLine, diffResources, ResourceChange } from "./diff";
import { isBlocking, mandatoryCount, PlanDocument, PlanViolation, podCapacity } from "./document";
import { PROTECTED_RESOURCE_REPLACED } from "./replacements";

/** Sections longer than this many rows are collapsed behind <details>. */
const COLLAPSE_AFTER_ROWS = 10;
const MAX_VALUE_LENGTH = 120;

function code(text: string): string {
    return `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|").replace(/\n/g, " ")}\``;
}

/** A value in a table cell, shortened: values can be whole documents. */
function cell(value: unknown): string {
    const text = value === undefined ? "—" : typeof value === "string" ? value : JSON.stringify(value);
    return code(text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text);
}

/** A resource, never shortened: a reviewer must be able to tell every one apart. */
function resourceCell(urn: string | null): string {
    return code(shortUrn(urn));
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
            rows.push([`pod capacity of ${pool.name}`, cell(podCapacity(pool))]);
        }
        rows.push(["mesh backend", cell(s.meshBackend)]);
    }
    for (const sc of document.resources.filter((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass")) {
        const meta = (sc.props.metadata ?? {}) as { name?: string; annotations?: Record<string, string> };
        const isDefault = meta.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true";
        rows.push([
            `storage class ${meta.name ?? sc.name}`,
            cell(
                `${String(sc.props.provisioner)}, reclaim ${typeof sc.props.reclaimPolicy === "string" ? sc.props.reclaimPolicy : "Delete"}${isDefault ? ", default" : ""}`,
            ),
        ]);
    }
    for (const group of document.resources.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")) {
        rows.push([
            `log group ${typeof group.props.name === "string" ? group.props.name : group.name}`,
            cell(typeof group.props.retentionInDays === "number" ? `${group.props.retentionInDays} days` : "never expires"),
        ]);
    }
    const protectedCount = document.resources.filter((r) => r.options.protect).length;
    rows.push(["protected resources", cell(`${protectedCount} (${document.resources.filter((r) => r.options.retainOnDelete).length} retained on delete)`)]);
    return table(["setting", "value"], rows);
}

/** Remediation text of every rule that can report a violation: the policy pack's and the diff's own. */
const REMEDIATION = new Map<string, string>([
    ...policies.map((p): [string, string] => [p.name, p.remediation]),
    [PROTECTED_RESOURCE_REPLACED.name, PROTECTED_RESOURCE_REPLACED.remediation],
]);

function finding(v: PlanViolation): string {
    const controls = v.controls.length ? ` (${v.controls.join(", ")})` : "";
    const remediation = REMEDIATION.get(v.policy);
    return `- \`${v.policy}\`${controls} on ${resourceCell(v.urn)}: ${v.message}${remediation ? `\n  _Remediation:_ ${remediation}` : ""}`;
}

/** Mandatory findings are never collapsed; advisory ones are when there are many. */
function verdicts(document: PlanDocument): string {
    if (document.violations.length === 0) {
        return "No guardrail violations.";
    }
    const sorted = [...document.violations].sort((a, b) => a.policy.localeCompare(b.policy));
    const mandatory = sorted.filter((v) => v.enforcementLevel === "mandatory");
    const advisory = sorted.filter((v) => v.enforcementLevel !== "mandatory");
    const parts: string[] = [];
    if (mandatory.length) {
        parts.push(`**❌ Mandatory findings** (${mandatory.length})\n\n${mandatory.map(finding).join("\n")}`);
    }
    if (advisory.length) {
        parts.push(section("⚠️ Advisory findings", advisory.length, advisory.map(finding).join("\n")));
    }
    return parts.join("\n\n");
}

function schemaSection(document: PlanDocument): string {
    if (document.schemaFindings.length === 0) {
        return "Every Kubernetes object matches its schema (strict: unknown fields are errors).";
    }
    const rows = document.schemaFindings.map((f) => [resourceCell(f.urn), `\`${f.apiVersion} ${f.kind}\``, `\`${f.path}\``, f.message.replace(/\|/g, "\\|")]);
    return section("❌ Schema findings", rows.length, table(["resource", "kind", "field", "problem"], rows));
}

const KIND_SYMBOL: Record<ResourceChange["kind"], string> = { create: "➕ create", update: "✏️ update", replace: "♻️ replace", delete: "🗑️ delete" };

function changeReason(change: ResourceChange): string {
    if (change.kind === "replace") {
        const refused = (change.refused ?? []).map((r) => `: ${r.reason} ([source](${r.source}))`).join("");
        return `forced by ${change.forcedBy.map((f) => `\`${f}\``).join(", ")}${change.deleteBeforeReplace ? " (deleted first)" : ""}${refused}`;
    }
    if (change.kind === "update") {
        return `${change.properties.map((p) => `\`${p}\``).join(", ")}${change.mayReplace ? `; may replace: ${change.mayReplace.join(", ")}` : ""}`;
    }
    return "";
}

/** Replacements and deletions first, never collapsed; then updates and creates; then the values that change. */
function diffSection(document: PlanDocument, base: PlanDocument): string {
    const changes = diffResources(base.resources, document.resources);
    const parts = [`**Against the base plan:** ${countsLine(changes)}.`];
    const destructive = changes.filter((c) => c.kind === "replace" || c.kind === "delete");
    const rest = changes.filter((c) => c.kind === "update" || c.kind === "create");
    const resource = (c: ResourceChange) => `${resourceCell(c.urn)}${c.previousUrn ? ` (was ${resourceCell(c.previousUrn)})` : ""}`;
    const rows = (list: ResourceChange[]) => list.map((c) => [KIND_SYMBOL[c.kind], resource(c), changeReason(c)]);
    if (destructive.length) {
        parts.push(
            `**Replaced or deleted** (${destructive.length}, in the order the engine runs them)\n\n${table(["step", "resource", "why"], rows(destructive))}`,
        );
    }
    if (rest.length) {
        parts.push(section("Updated or created", rest.length, table(["step", "resource", "inputs"], rows(rest))));
    }
    const values = changes.flatMap((c) => c.details.map((p) => [resourceCell(c.urn), `\`${p.path}\``, cell(p.before), cell(p.after)]));
    if (values.length) {
        parts.push(section("Changed values", values.length, table(["resource", "property", "before", "after"], values)));
    }
    for (const exception of document.exceptions ?? []) {
        parts.push(`✅ Reviewed exception (\`--allow-replace\`): ${resourceCell(exception.urn)}: ${exception.message}`);
    }
    return parts.join("\n\n");
}

/** A stack whose configuration was refused: in the comment with its error, never silently missing. */
function failedStackSection(failure: FailedStack): string {
    return `### Stack \`${failure.stack}\` — ⛔ not planned: its stack file or configuration was refused (${failure.origin})\n\n\`\`\`\n${failure.message}\n\`\`\``;
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
        base ? diffSection(document, base) : "_No base plan given: showing the full plan._",
        ...(document.cost ? [costMarkdown(document.cost)] : []),
        section("Resources by type", typeRows.length, table(["type", "count"], typeRows)),
        section("Resources by component", componentRows.length, table(["component", "count"], componentRows)),
        verdicts(document),
        schemaSection(document),
    ].join("\n\n");
}

/** Markdown for several stacks; `bases` pairs each stack with its base plan by stack name; refused stacks come first. */
export function renderMarkdown(documents: PlanDocument[], bases: PlanDocument[] = [], failures: FailedStack[] = []): string {
    const baseOf = new Map(bases.map((b) => [b.stack, b]));
    const failed = failures.length
        ? [
              `**${failures.length} stack${failures.length === 1 ? "" : "s"} failed to plan:** ${failures.map((f) => `\`${f.stack}\``).join(", ")}.`,
              ...failures.map(failedStackSection),
          ]
        : [];
    const planned = documents.map((d) => renderStackMarkdown(d, baseOf.get(d.stack) ?? (bases.length ? { ...d, resources: [] } : undefined)));
    return `## Offline plan\n\n${[...failed, ...planned].join("\n\n---\n\n")}\n`;
}
