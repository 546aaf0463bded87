// How many of each family's applicable controls the pack's rules implement, and which applicable
// controls it leaves out, with the reason for each (left-out.ts). Rendered into docs/guardrails.md.
import type { Guardrail } from "../../lib/policy";
import { FAMILIES, findControl, type Catalog, type CatalogControl, type FamilyName } from "./catalog";
import { LEFT_OUT } from "./left-out";

export interface FamilyCoverage {
    family: FamilyName;
    source: string;
    applicable: number;
    notApplicable: number;
    /** Applicable control ID → the rules that implement it. */
    covered: Map<string, string[]>;
    leftOut: Array<{ control: CatalogControl; reason: string }>;
    /** Applicable, not implemented and without a reason: work not done yet. */
    uncovered: CatalogControl[];
}

export function coverageOf(catalog: Catalog, policies: readonly Guardrail[]): FamilyCoverage[] {
    return FAMILIES.map((name) => {
        const family = catalog.families.find((candidate) => candidate.name === name);
        if (!family) {
            throw new Error(`the control catalog has no family ${name}; regenerate it (npm run -s controls:generate)`);
        }
        const covered = new Map<string, string[]>();
        for (const policy of policies) {
            for (const claim of policy.controls) {
                const found = findControl(catalog, claim);
                if (found?.family.name === name && found.control.applicable) {
                    covered.set(found.control.id, [...(covered.get(found.control.id) ?? []), policy.name]);
                }
            }
        }
        const applicable = family.controls.filter((control) => control.applicable);
        const open = applicable.filter((control) => !covered.has(control.id));
        const reasons = LEFT_OUT[name] ?? {};
        return {
            family: name,
            source: `${family.source.repository}@${family.source.version} (${family.source.commit.slice(0, 12)})`,
            applicable: applicable.length,
            notApplicable: family.controls.length - applicable.length,
            covered,
            leftOut: open.filter((control) => reasons[control.id]).map((control) => ({ control, reason: reasons[control.id] })),
            uncovered: open.filter((control) => !reasons[control.id]),
        };
    });
}

function percent(part: number, whole: number): string {
    return whole === 0 ? "n/a" : `${Math.floor((100 * part) / whole)}%`;
}

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function renderCoverage(catalog: Catalog, policies: readonly Guardrail[]): string {
    const coverage = coverageOf(catalog, policies);
    const lines = [
        "| Family | Source | Applicable | Covered | Coverage | Left out (below) | Not covered yet | Not applicable |",
        "|---|---|---|---|---|---|---|---|",
        ...coverage.map((family) =>
            [
                family.family,
                family.source,
                family.applicable,
                family.covered.size,
                percent(family.covered.size, family.applicable),
                family.leftOut.length,
                family.uncovered.length,
                family.notApplicable,
            ].join(" | "),
        ),
    ].map((line, index) => (index < 2 ? line : `| ${line} |`));
    const details = coverage.flatMap((family) => [
        "",
        `**${family.family}**: left out deliberately${family.leftOut.length === 0 ? ": none." : ":"}`,
        ...(family.leftOut.length === 0 ? [] : ["", ...family.leftOut.map(({ control, reason }) => `- \`${control.id}\` ${cell(control.title)}: ${reason}`)]),
        ...(family.uncovered.length === 0
            ? []
            : ["", `Not covered yet: ${family.uncovered.map((control) => `\`${control.id}\` (${cell(control.title)})`).join(", ")}.`]),
    ]);
    return [...lines, ...details].join("\n");
}
