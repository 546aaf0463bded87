import type { OutputBuilder } from "./types";

/** Computed attributes of the registry's resources, in the shapes ECR and EC2 return them. */
export const REGISTRY_OUTPUTS: Record<string, OutputBuilder> = {
    "aws:ecr/repository:Repository": (_, context) => {
        const name = context.physicalName;
        return {
            arn: `arn:aws:ecr:${context.region}:${context.account}:repository/${name}`,
            registryId: context.account,
            repositoryUrl: `${context.account}.dkr.ecr.${context.region}.amazonaws.com/${name}`,
        };
    },
    "aws:ecr/pullThroughCacheRule:PullThroughCacheRule": (_, context) => ({ registryId: context.account }),
    "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate": (_, context) => ({ registryId: context.account }),
};
