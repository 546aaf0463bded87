// Regenerates the policy table in docs/guardrails.md from the policies' own metadata and the
// per-environment config files: `npm run docs:policies`. A test fails when the table is stale.
import * as fs from "fs";
import * as path from "path";
import { loadStackConfig, policies } from "../evaluate";
import { enforcementLevelOf, parametersOf } from "../lib/config";
import type { Guardrail } from "../lib/policy";
import { kindOf } from "../lib/kubernetes";
import { WORKLOAD_KINDS, WORKLOAD_TYPES } from "../lib/workloads";

export const POLICY_DOCS_PATH = path.resolve(__dirname, "../../docs/guardrails.md");
export const START_MARKER = "<!-- policies:start -->";
export const END_MARKER = "<!-- policies:end -->";
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
    const header = [
        `${policies.length} policies. Levels per environment come from \`policy-pack/config/<stack>.json\`, with settings that differ from the defaults; see \`policy-pack/config/README.md\` for why.`,
        "",
        "| Policy | Checks | Applies to | Controls | dev | staging | prod |",
        "|---|---|---|---|---|---|---|",
    ];
    const rows = policies.map((policy) =>
        [
            `\`${policy.name}\``,
            cell(policy.description),
            appliesTo(policy),
            cell(policy.controls.join(", ") || "platform rule"),
            ...STACKS.map((stack) => cell(environmentCell(policy, stack))),
        ].join(" | "),
    );
    const remediation = ["", "### Remediation", "", ...policies.map((policy) => `- \`${policy.name}\`: ${policy.remediation}`)];
    return [...header, ...rows.map((row) => `| ${row} |`), ...remediation].join("\n");
}

/** The page with the region between the markers replaced by the generated docs. */
export function withPolicyDocs(readme: string): string {
    const start = readme.indexOf(START_MARKER);
    const end = readme.indexOf(END_MARKER);
    if (start === -1 || end < start) {
        throw new Error(`docs/guardrails.md lacks the ${START_MARKER} ... ${END_MARKER} region`);
    }
    return `${readme.slice(0, start + START_MARKER.length)}\n${renderPolicyDocs()}\n${readme.slice(end)}`;
}

if (require.main === module) {
    fs.writeFileSync(POLICY_DOCS_PATH, withPolicyDocs(fs.readFileSync(POLICY_DOCS_PATH, "utf8")));
    console.log(`Updated the policy table in ${path.relative(process.cwd(), POLICY_DOCS_PATH)}`);
}
