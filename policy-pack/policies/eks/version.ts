import { resourceGuardrail } from "../../lib/policy";
import { CLUSTER_TYPES, kubernetesVersion } from "../../lib/clusters";

interface SupportedVersionConfig {
    allowedVersions: string[];
}

export const eksSupportedVersion = resourceGuardrail<SupportedVersionConfig>({
    name: "eks-supported-version",
    description: "The cluster pins a Kubernetes version from the allowlist of versions in EKS standard support.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_339"],
    remediation:
        "Set version explicitly to one of allowedVersions; without it EKS creates the current default and upgrades drift. " +
        "Review allowedVersions against the EKS Kubernetes release calendar at each EKS release.",
    configSchema: {
        allowedVersions: {
            type: "array",
            items: { type: "string", pattern: "^1\\.[0-9]+$" },
            description: "Kubernetes minor versions in EKS standard support that the platform has qualified.",
            // EKS standard support on 2026-11-26 (components/versions.ts lists the end dates).
            default: ["1.34", "1.35", "1.36"],
        },
    },
    resourceTypes: CLUSTER_TYPES,
    validate: (cluster, config, report) => {
        const version = kubernetesVersion(cluster);
        if (version === undefined) {
            report("No Kubernetes version is pinned; EKS would pick its current default.");
        } else if (!config.allowedVersions.includes(version)) {
            report(`Kubernetes ${version} is not in the supported allowlist (${config.allowedVersions.join(", ")}).`);
        }
    },
});
