// Regenerates the policy table in docs/guardrails.md from the policies' own metadata and the
// per-environment config files, and the control coverage table from the control catalog
// (policy-pack/controls/catalog.json): `npm run docs:policies`. A test fails when either is stale.
import * as fs from "fs";
import * as path from "path";
import { loadStackConfig, policies } from "../evaluate";
import { enforcementLevelOf, parametersOf } from "../lib/config";
import { ADVISORY_TWIN_SUFFIX, enginePoliciesOf } from "../lib/engine";
import type { Guardrail } from "../lib/policy";
import { kindOf } from "../lib/kubernetes";
import { WORKLOAD_KINDS, WORKLOAD_TYPES } from "../lib/workloads";
import { loadCatalog } from "./controls/catalog";
import { renderCoverage } from "./controls/coverage";

export const POLICY_DOCS_PATH = path.resolve(__dirname, "../../docs/guardrails.md");
export const START_MARKER = "<!-- policies:start -->";
export const END_MARKER = "<!-- policies:end -->";
export const COVERAGE_START_MARKER = "<!-- coverage:start -->";
export const COVERAGE_END_MARKER = "<!-- coverage:end -->";
const STACKS = ["dev", "staging", "prod"];

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** Kubernetes types by kind: each rule covers every API version of a kind and its `*Patch` type. */
function appliesTo(policy: Guardrail): string {
    if (policy.kind === "stack") {
        return "whole stack";
    }
    const workloads = WORKLOAD_TYPES.every((type) => policy.resourceTypes.includes(type));
    const kinds = [
        ...new Set(
            policy.resourceTypes
                .filter((type) => type.startsWith("kubernetes:") && !(workloads && WORKLOAD_TYPES.includes(type)))
                .map((type) => kindOf({ type })),
        ),
    ];
    return [
        ...(workloads ? [`Kubernetes workloads: ${WORKLOAD_KINDS.join(", ")}`] : []),
        ...(kinds.length > 0 ? [`Kubernetes ${kinds.join(", ")}`] : []),
        ...policy.resourceTypes.filter((type) => !type.startsWith("kubernetes:")).map((type) => `\`${type}\``),
    ].join("<br>");
}

/** Level in one environment, plus parameters that differ from the policy's defaults. */
function environmentCell(policy: Guardrail, stack: string): string {
    const config = loadStackConfig(stack);
    const defaults = parametersOf(policy, undefined);
    const configured = parametersOf(policy, config[policy.name]);
    const changed = Object.keys(configured)
        .filter((key) => JSON.stringify(configured[key]) !== JSON.stringify(defaults[key]))
        .map((key) => `${key}: \`${JSON.stringify(configured[key])}\``);
    return [enforcementLevelOf(policy, config), ...changed].join("<br>");
}

export function renderPolicyDocs(): string {
    const twins = policies
        .flatMap(enginePoliciesOf)
        .map((policy) => policy.name)
        .filter((name) => name.endsWith(ADVISORY_TWIN_SUFFIX))
        .map((name) => `\`${name}\``);
    const header = [
        `${policies.length} policies. Levels per environment come from \`policy-pack/config/<environment>.json\`, with settings that differ from the defaults; see \`policy-pack/config/README.md\` for why. ` +
            `The published pack registers ${policies.flatMap(enginePoliciesOf).length} engine policies: every rule, and an advisory twin of each rule whose level differs between environments (${twins.join(", ")}).`,
        "",
        "| Policy | Checks | Applies to | Controls | dev | staging | prod |",
        "|---|---|---|---|---|---|---|",
    ];
    const rows = policies.map((policy) =>
        [
            `\`${policy.name}\``,
            cell(policy.description),
            appliesTo(policy),
            cell(policy.platformSpecific ? `platform rule: ${policy.platformSpecific}` : policy.controls.join(", ")),
            ...STACKS.map((stack) => cell(environmentCell(policy, stack))),
        ].join(" | "),
    );
    const remediation = ["", "### Remediation", "", ...policies.map((policy) => `- \`${policy.name}\`: ${policy.remediation}`)];
    return [...header, ...rows.map((row) => `| ${row} |`), ...remediation].join("\n");
}

function replaceRegion(page: string, startMarker: string, endMarker: string, content: string): string {
    const start = page.indexOf(startMarker);
    const end = page.indexOf(endMarker);
    if (start === -1 || end < start) {
        throw new Error(`docs/guardrails.md lacks the ${startMarker} ... ${endMarker} region`);
    }
    return `${page.slice(0, start + startMarker.length)}\n${content}\n${page.slice(end)}`;
}

/** The page with the policy table replaced by the generated one. */
export function withPolicyDocs(page: string): string {
    return replaceRegion(page, START_MARKER, END_MARKER, renderPolicyDocs());
}

/** The page with both generated regions (policy table, control coverage) replaced. */
export function withGeneratedDocs(page: string): string {
    return replaceRegion(withPolicyDocs(page), COVERAGE_START_MARKER, COVERAGE_END_MARKER, renderCoverage(loadCatalog(), policies));
}

if (require.main === module) {
    fs.writeFileSync(POLICY_DOCS_PATH, withGeneratedDocs(fs.readFileSync(POLICY_DOCS_PATH, "utf8")));
    console.log(`Updated the policy table and the control coverage in ${path.relative(process.cwd(), POLICY_DOCS_PATH)}`);
}
