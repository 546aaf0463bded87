import { defineCapability } from "../capability";
import { Fargate } from "./fargate";
import { fargateSettingsSchema } from "./settings";
import { validateFargate } from "./validate";

/** eks-platform:fargate: Fargate profiles, their pod execution role and the Fargate log router. */
export const fargateCapability = defineCapability({
    key: "fargate",
    settings: fargateSettingsSchema,
    validate: validateFargate,
    awsServices: (settings) =>
        settings.profiles.length === 0
            ? []
            : [
                  // Fargate pulls the pods' images and ships their logs with the pod execution role, from the private subnets.
                  { service: "ecr.api", reason: "Fargate: image pulls for pods on Fargate" },
                  { service: "ecr.dkr", reason: "Fargate: image pulls for pods on Fargate" },
                  { service: "s3", reason: "Fargate: ECR image layers" },
                  ...(settings.logging.enabled ? [{ service: "logs", reason: "Fargate's log router: container logs of pods on Fargate" }] : []),
              ],
    deploy: (name, context, settings, opts) => (settings.profiles.length > 0 ? new Fargate(name, { context, settings }, opts) : undefined),
});
