import { STATEFUL_TYPES as DEFAULT_STATEFUL_TYPES } from "../../policy-pack/policies/operations/protection";
import type { PlannedResource } from "../harness/render";
import type { ResourceChange } from "./diff";
import type { PlanViolation } from "./document";

/**
 * The plan's own guardrail on its diff. It needs the base plan, which the policy pack never sees
 * (the engine gives policies the goal state only), so it lives here rather than in policy-pack/.
 * It is specific to this platform: no public control catalogue covers replacements.
 */
export const PROTECTED_RESOURCE_REPLACED = {
    name: "protected-resource-replaced",
    description:
        "A replacement or deletion of a protected or retained resource, or of a stateful one (KMS key, file systems, buckets, log groups, the EKS cluster), destroys data or identity that cannot be recreated.",
    enforcementLevel: "mandatory" as const,
    controls: [] as string[],
    platformSpecific: "This platform's own rule; it implements no external control.",
    remediation:
        "Change the program so the resource keeps its force-new inputs (revert the edit, or move the new value to a new resource and migrate), or, after a reviewed migration plan, re-run the plan with `--allow-replace <urn>` to record the exception.",
};

/** Types that hold data or an identity others depend on (the pack's default list): replacing one is never routine. */
const STATEFUL_TYPES = new Set(DEFAULT_STATEFUL_TYPES);

function isStateful(type: string): boolean {
    return STATEFUL_TYPES.has(type);
}

/** A finding waived by `--allow-replace`, kept in the plan so the review is on record. */
export interface ReviewedException {
    policy: string;
    urn: string;
    message: string;
    allowedBy: "--allow-replace";
}

function describe(change: ResourceChange, resource: PlannedResource): string {
    const reasons = [
        resource.options.protect ? "protected" : undefined,
        resource.options.retainOnDelete ? "retained on delete" : undefined,
        isStateful(resource.type) ? "stateful" : undefined,
    ].filter(Boolean);
    const what = `${resource.type} ${resource.name} (${reasons.join(", ")})`;
    if (change.kind === "delete") {
        return `${what} is deleted: it is no longer in the program.${resource.options.retainOnDelete ? " retainOnDelete leaves it in AWS, unmanaged." : ""}`;
    }
    const refusals = (change.refused ?? []).map((r) => `${r.reason} (${r.source})`);
    const consequence = refusals.length
        ? ` The provider would update it in place, and AWS refuses: ${refusals.join("; ")}. \`pulumi up\` would fail at this step, after the steps it waits for have run; only a replacement and a migration make this change.`
        : resource.options.protect
          ? " The engine refuses to replace a protected resource, so `pulumi up` fails here."
          : resource.options.retainOnDelete
            ? " The old one stays in AWS unmanaged; the new one starts empty."
            : " Its data or identity does not carry over.";
    return `${what} is replaced, forced by ${change.forcedBy.join(", ")}.${consequence}`;
}

/** Findings for every replacement or deletion of a protected, retained or stateful resource, minus the allowed ones. */
export function replacementFindings(
    changes: ResourceChange[],
    base: PlannedResource[],
    allowReplace: ReadonlySet<string>,
): { violations: PlanViolation[]; exceptions: ReviewedException[] } {
    const before = new Map(base.map((r) => [r.urn, r]));
    const violations: PlanViolation[] = [];
    const exceptions: ReviewedException[] = [];
    for (const change of changes.filter((c) => c.kind === "replace" || c.kind === "delete")) {
        const resource = before.get(change.previousUrn ?? change.urn);
        if (!resource || !(resource.options.protect || resource.options.retainOnDelete || isStateful(resource.type))) {
            continue;
        }
        const message = describe(change, resource);
        if (allowReplace.has(change.urn)) {
            exceptions.push({ policy: PROTECTED_RESOURCE_REPLACED.name, urn: change.urn, message, allowedBy: "--allow-replace" });
        } else {
            violations.push({
                policy: PROTECTED_RESOURCE_REPLACED.name,
                enforcementLevel: PROTECTED_RESOURCE_REPLACED.enforcementLevel,
                controls: PROTECTED_RESOURCE_REPLACED.controls,
                urn: change.urn,
                message,
            });
        }
    }
    return { violations, exceptions };
}
