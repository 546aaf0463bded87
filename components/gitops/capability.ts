import { defineCapability } from "../capability";
import { Flux, FLUX_IMAGES } from "./flux";
import { gitopsSettingsSchema } from "./settings";
import { validateGitops } from "./validate";

/** eks-platform:gitops: Flux and the environment's bootstrap objects; nothing while `enabled` is false. */
export const gitopsCapability = defineCapability({
    key: "gitops",
    settings: gitopsSettingsSchema,
    validate: (gitops, facts) => validateGitops(gitops, facts.cluster.applicationNamespaces),
    // An OCI source is pulled from ECR with the source-controller's IRSA role; a Git host is outside AWS (NAT).
    awsServices: (settings) =>
        settings.enabled && settings.source.kind === "oci"
            ? [
                  { service: "sts", reason: "Flux source-controller: its IRSA role's credentials" },
                  ...["ecr.api", "ecr.dkr"].map((service) => ({ service, reason: "Flux source-controller: pulls the GitOps artifact from ECR" })),
                  { service: "s3", reason: "Flux source-controller: the artifact's layers in ECR" },
              ]
            : [],
    // The controllers the chart runs, at `<imageRepository>/<name>`, the values keys of the chart's image table.
    images: (settings) =>
        settings.enabled
            ? Object.entries(FLUX_IMAGES).map(([key, image]) => ({
                  repository: `${settings.imageRepository}/${image}`,
                  reason: "Flux (gitops.imageRepository)",
                  chart: { key: "flux", valuesPath: `${key}.image` },
              }))
            : [],
    deploy: (name, context, settings, opts) => (settings.enabled ? new Flux(name, { context, settings }, opts) : undefined),
});
