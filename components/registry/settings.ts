import { z } from "zod";

/** ECR's repository name grammar (CreateRepository API reference). */
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)");

const repositorySchema = z.strictObject({
    name: z
        .string()
        .min(2)
        .max(256)
        .regex(REPOSITORY_NAME, "must be an ECR repository name: lower-case letters, digits and . _ - separated by /")
        .describe("The repository's name, e.g. shop/catalog. Required."),
    pushPrincipals: z
        .array(roleArn)
        .default([])
        .describe("Roles of this account that may push images (CI roles). Every role of the account may pull, as its IAM policies allow. Default none."),
    untaggedExpiryDays: z.int().min(1).max(3650).default(7).describe("Days an untagged image (a superseded layer set) is kept. Default 7."),
    maxImages: z.int().min(1).max(10000).default(200).describe("Most images kept; the oldest beyond this are expired. Default 200."),
});

export type RepositorySettings = z.output<typeof repositorySchema>;

export const registrySettingsSchema = z
    .strictObject({
        namespace: z
            .string()
            .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/, "must be lower-case letters and digits, separated by . _ or -")
            .optional()
            .describe(
                "Prefix of the repositories this stack's pull-through cache creates (<namespace>/<upstream>/<path>); unique per account and region, at most 19 characters. Default: the environment (dev, staging, prod).",
            ),
        pullThroughCache: z
            .enum(["auto", "on", "off"])
            .default("auto")
            .describe(
                "Pull the platform's images through this account's ECR pull-through cache: auto (when the network has no NAT, the only way nodes reach them), on (always: no public registry rate limits, images kept in the account) or off. Default auto.",
            ),
        upstreamCredentials: z
            .record(z.string(), z.string())
            .default({})
            .describe(
                "For upstream registries that need credentials (docker.io, ghcr.io, registry.gitlab.com, cgr.dev): registry host to the ARN of a Secrets Manager secret named ecr-pullthroughcache/... in this account and region. Default none.",
            ),
        scanning: z
            .enum(["basic", "enhanced"])
            .default("basic")
            .describe(
                "basic: every repository scans each image on push (no registry-wide setting). enhanced: the account's registry scanning configuration scans this stack's repositories and cache continuously with Amazon Inspector; it is one setting per account and region, so only one stack there may choose it. Default basic.",
            ),
        repositories: z
            .array(repositorySchema)
            .default([])
            .describe("Repositories for the applications' images: tags immutable, scanned, encrypted with the platform key. Default none."),
        replicationRegions: z
            .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "must be an AWS region such as eu-central-1"))
            .default([])
            .describe(
                "Regions of this account the repositories are replicated to. The account's replication configuration is one setting per account and region, so only one stack there may set it. Default none.",
            ),
    })
    .prefault({})
    .describe(
        "The stack's part of the account's ECR: pull-through cache rules for the public registries its images come from, and repositories for application images.",
    );

export type RegistrySettings = z.output<typeof registrySettingsSchema>;
