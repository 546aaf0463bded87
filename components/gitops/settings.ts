import { z } from "zod";
import { dnsLabel } from "../common/kubernetesNames";

/** A path inside the repository or artifact, as Flux's Kustomization takes it: relative, no `..`. */
const repositoryPath = z
    .string()
    .regex(/^\.?\/?[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*\/?$|^\.\/?$/, "must be a relative path of letters, digits, '.', '_', '-' and '/'")
    .refine((path) => !path.split("/").includes(".."), "must not climb out of the repository with '..'");

const gitopsSourceSchema = z
    .strictObject({
        kind: z
            .enum(["git", "oci"])
            .default("git")
            .describe(
                "Where the manifests come from: `git` (a Flux GitRepository, HTTPS or SSH) or `oci` (a Flux OCIRepository in Amazon ECR, " +
                    "pulled with the source-controller's own IRSA role, no secret).",
            ),
        url: z
            .string()
            .default("")
            .describe(
                "Repository URL: `https://…` or `ssh://git@…` for git, `oci://<account>.dkr.ecr.<region>.amazonaws.com/<repository>` for oci. " +
                    "Required when GitOps is on. Never with credentials in it: they come from `secretName`.",
            ),
        branch: z.string().min(1).default("main").describe("Git branch the environment follows (git only)."),
        tag: z
            .string()
            .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "must be an OCI tag")
            .optional()
            .describe("OCI artifact tag the environment follows (oci only, required there), such as the environment's name."),
        path: repositoryPath
            .optional()
            .describe("Directory of the platform's own cluster manifests in the repository. When unset, `./clusters/<environment>`."),
        secretName: dnsLabel
            .optional()
            .describe(
                "Name of the Kubernetes Secret in the Flux namespace holding the Git credentials (`username`/`password`, or `identity`/`known_hosts` " +
                    "for SSH), created outside this program (`flux create secret git`, External Secrets): a reference, never the token itself. " +
                    "When unset, the repository must be public. Not for oci, which authenticates with IRSA.",
            ),
        intervalMinutes: z.int().min(1).max(60).default(5).describe("Minutes between two fetches of the source."),
    })
    .prefault({})
    .describe("The Git repository or OCI artifact the environment is reconciled from.");

const gitopsTenantSchema = z.strictObject({
    namespace: dnsLabel.describe("Application namespace the team deploys to: one of `cluster.applicationNamespaces`."),
    path: repositoryPath.describe("Directory of the team's manifests in the same source, such as `./apps/<team>/<environment>`."),
});

export const gitopsSettingsSchema = z
    .strictObject({
        enabled: z.boolean().default(false).describe("Install Flux and reconcile the environment from `source`."),
        source: gitopsSourceSchema,
        tenants: z
            .array(gitopsTenantSchema)
            .default([])
            .describe(
                "Application teams, one namespace each. Each gets a Flux Kustomization of its `path` that applies as a service account " +
                    "allowed workloads, Services, ConfigMaps, autoscalers and disruption budgets in its namespace only: not Secrets, RBAC or " +
                    "NetworkPolicies, and nothing in another namespace or at cluster scope.",
            ),
        imageRepository: z
            .string()
            .regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/, "must be a registry host and path, without a tag")
            .default("ghcr.io/fluxcd")
            .describe(
                "Where the Flux controller images are pulled from: `<repository>/source-controller` and so on, at the tags the pinned chart sets. " +
                    "The default is Flux's own registry, which the policy pack's `container-image-registry-allowed` does not admit; point it at a " +
                    "mirror it admits, such as an ECR pull-through cache for ghcr.io (`<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/fluxcd`).",
            ),
        reconcileIntervalMinutes: z
            .int()
            .min(1)
            .max(120)
            .default(10)
            .describe("Minutes between two reconciliations of the platform and tenant Kustomizations."),
        prune: z.boolean().default(true).describe("Delete from the cluster what was removed from the source (Kustomization `prune`)."),
    })
    .prefault({})
    .describe("GitOps with Flux: controllers and bootstrap objects owned by the platform, application manifests in Git.");

export type GitopsSettings = z.output<typeof gitopsSettingsSchema>;
