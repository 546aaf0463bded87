import { resourceGuardrail } from "../../lib/policy";

interface CanaryAnalysisConfig {
    maximumMaxWeight: number;
}

interface CanarySpec {
    revertOnDeletion?: unknown;
    analysis?: { maxWeight?: unknown; metrics?: unknown };
}

// A Canary is Flagger's declaration of how much traffic an unproven version may get and what proves
// it; the platform renders them from mesh.canaries (components/mesh/canary.ts).
export const canaryAnalysisGuarded = resourceGuardrail<CanaryAnalysisConfig>({
    name: "canary-analysis-guarded",
    description:
        "Every Flagger Canary judges its new version on at least one metric check, hands the Deployment back serving when the Canary is deleted (revertOnDeletion), and gives the canary at most maximumMaxWeight percent of requests.",
    enforcementLevel: "advisory",
    controls: [],
    platformSpecific: "Progressive delivery safety is this platform's own rule for Flagger canaries; no public benchmark describes Flagger's analysis",
    remediation:
        "Declare the canary under eks-platform:mesh canaries (the platform renders its Container Insights checks and revertOnDeletion), and keep maxWeight at or below the environment's maximum (policy-pack/config).",
    configSchema: {
        maximumMaxWeight: {
            type: "number",
            description: "Highest analysis.maxWeight (percent of requests on the canary before promotion) the environment accepts.",
            default: 100,
        },
    },
    resourceTypes: ["kubernetes:flagger.app/v1beta1:Canary"],
    validate: (canary, config, report) => {
        const spec = (canary.props.spec ?? {}) as CanarySpec;
        const metrics = spec.analysis?.metrics;
        if (!Array.isArray(metrics) || metrics.length === 0) {
            report("The Canary has no metric checks: Flagger would promote the new version on pod readiness alone.");
        }
        if (spec.revertOnDeletion !== true) {
            report("The Canary does not set revertOnDeletion: deleting it would leave its Deployment scaled to zero and its Service without pods.");
        }
        const maxWeight = spec.analysis?.maxWeight;
        if (typeof maxWeight === "number" && maxWeight > config.maximumMaxWeight) {
            report(`The Canary sends up to ${maxWeight}% of requests to the unproven version; this environment allows at most ${config.maximumMaxWeight}%.`);
        }
    },
});
