import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PullThroughUpstream } from "../../policy-pack/lib/images";
import type { AwsScope, ImageSource } from "../capability";
import type { PolicyDocument } from "../iam/policyDocument";
import { cachedRepository, cachePrefix, registryHost, routeImage, type RouteFacts } from "./imageRoutes";
import type { RegistrySettings, RepositorySettings } from "./settings";

export interface RegistryArgs {
    settings: RegistrySettings;
    /** Prefix of the cache's repositories (registry.namespace or the environment). */
    namespace: string;
    /** The upstream registries the stack's images are cached from: one rule each. */
    upstreams: PullThroughUpstream[];
    /** What decides how each image is reached (the region, NAT, the cache settings). */
    routeFacts: RouteFacts;
    scope: AwsScope;
    clusterName: string;
    /** The platform key: repositories and cached repositories are encrypted with it. */
    kmsKeyArn: pulumi.Output<string>;
    /** protect + retainOnDelete on the repositories (they hold the only copy of pushed images). */
    protect: boolean;
}

/** Pulling an image, and pushing one. */
const PULL_ACTIONS = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"];
const PUSH_ACTIONS = ["ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"];

/**
 * A repository's policy: every role of this account may pull (as its own IAM policies allow: nodes
 * through AmazonEC2ContainerRegistryPullOnly), the listed roles may push, nobody outside the
 * account is named.
 */
function repositoryPolicy(scope: AwsScope, pushPrincipals: string[]): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "PullWithinThisAccount", Effect: "Allow", Principal: { AWS: `arn:${scope.partition}:iam::${scope.accountId}:root` }, Action: PULL_ACTIONS },
            ...(pushPrincipals.length > 0
                ? [{ Sid: "PushFromListedRoles", Effect: "Allow" as const, Principal: { AWS: pushPrincipals }, Action: [...PULL_ACTIONS, ...PUSH_ACTIONS] }]
                : []),
        ],
    };
}

/** ECR lifecycle rules: untagged images expire after `untaggedExpiryDays`, and no more than `maxImages` are kept. */
function lifecyclePolicy(settings: Pick<RepositorySettings, "untaggedExpiryDays" | "maxImages">): object {
    return {
        rules: [
            {
                rulePriority: 1,
                description: `Expire untagged images after ${settings.untaggedExpiryDays} days`,
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: settings.untaggedExpiryDays },
                action: { type: "expire" },
            },
            {
                // A rule for "any" must come last (ECR evaluates rules in priority order).
                rulePriority: 2,
                description: `Keep at most ${settings.maxImages} images`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: settings.maxImages },
                action: { type: "expire" },
            },
        ],
    };
}

/** What the nodes need to pull through the cache: import an image and create its repository on the first pull, in the namespace only. */
function cachePullPolicy(scope: AwsScope, namespace: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "PullThroughThisStacksCache",
                Effect: "Allow",
                Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
                Resource: `arn:${scope.partition}:ecr:${scope.region}:${scope.accountId}:repository/${namespace}/*`,
            },
        ],
    };
}

/**
 * What ECR does with the creation templates' role when the cache creates a repository: create it
 * in the namespace with its tags, and have KMS grant it the platform key (for AWS resources only).
 */
function creationRolePolicy(scope: AwsScope, namespace: string, kmsKeyArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "CreateCachedRepositories",
                Effect: "Allow",
                Action: ["ecr:CreateRepository", "ecr:TagResource"],
                Resource: `arn:${scope.partition}:ecr:${scope.region}:${scope.accountId}:repository/${namespace}/*`,
            },
            { Sid: "DescribePlatformKey", Effect: "Allow", Action: "kms:DescribeKey", Resource: kmsKeyArn },
            {
                Sid: "GrantPlatformKeyToRepositories",
                Effect: "Allow",
                Action: ["kms:CreateGrant", "kms:RetireGrant"],
                Resource: kmsKeyArn,
                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
        ],
    };
}

/**
 * The account's container registry as this stack uses it: a pull-through cache rule per public
 * registry its images come from (with a creation template so every cached repository is
 * encrypted with the platform key and keeps its tags immutable), the repositories applications
 * push to, and optionally enhanced scanning and replication. It also says where nodes pull each
 * image from (`images`).
 */
export class Registry extends pulumi.ComponentResource {
    readonly images: ImageSource;
    /** Attached to the node role (and Fargate's pod execution role) when the stack caches anything: the first pull of an image creates its repository. */
    readonly nodePolicyArn?: pulumi.Output<string>;
    readonly repositoryUrls: Record<string, pulumi.Output<string>>;
    /** Repository prefixes of the cache rules, by upstream registry host. */
    readonly cachePrefixes: Record<string, string>;

    constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:registry:Registry", name, {}, opts);
        const { settings, namespace, upstreams, scope, clusterName } = args;
        const encryption = [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }];

        const cacheReady = upstreams.length > 0 ? this.createCache(name, args, encryption) : [];
        if (upstreams.length > 0) {
            this.nodePolicyArn = new aws.iam.Policy(
                `${name}-cache-pull`,
                {
                    description: `Nodes of ${clusterName}: pull images through the ${namespace}/ pull-through cache`,
                    policy: JSON.stringify(cachePullPolicy(scope, namespace)),
                },
                { parent: this },
            ).arn;
        }
        this.cachePrefixes = Object.fromEntries(upstreams.map((upstream) => [upstream.host, cachePrefix(namespace, upstream)]));

        const host = registryHost(scope.accountId, scope.region, scope.partition);
        this.images = {
            repository: (upstream) => {
                const route = routeImage(upstream, args.routeFacts);
                return route.kind === "cache" ? cachedRepository(upstream, route.upstream, host, namespace) : upstream;
            },
            ready: cacheReady,
            pullPolicyArn: this.nodePolicyArn,
        };

        const repositories = settings.repositories.map((repository) => this.createRepository(name, args, repository, encryption));
        this.repositoryUrls = Object.fromEntries(settings.repositories.map((repository, i) => [repository.name, repositories[i].repositoryUrl]));

        if (settings.scanning === "enhanced") {
            new aws.ecr.RegistryScanningConfiguration(
                `${name}-scanning`,
                {
                    scanType: "ENHANCED",
                    rules: [
                        {
                            scanFrequency: "CONTINUOUS_SCAN",
                            repositoryFilters: [namespace, ...settings.repositories.map((r) => r.name)].map((filter) => ({
                                filter: filter === namespace ? `${namespace}/*` : filter,
                                filterType: "WILDCARD",
                            })),
                        },
                    ],
                },
                { parent: this },
            );
        }
        if (settings.replicationRegions.length > 0) {
            new aws.ecr.ReplicationConfiguration(
                `${name}-replication`,
                {
                    replicationConfiguration: {
                        rules: [
                            {
                                destinations: settings.replicationRegions.map((region) => ({ region, registryId: scope.accountId })),
                                repositoryFilters: settings.repositories.map((repository) => ({ filter: repository.name, filterType: "PREFIX_MATCH" })),
                            },
                        ],
                    },
                },
                { parent: this, dependsOn: repositories },
            );
        }
        this.registerOutputs({ repositoryUrls: this.repositoryUrls, cachePrefixes: this.cachePrefixes, nodePolicyArn: this.nodePolicyArn });
    }

    /** A rule per upstream and a creation template per rule; returns what a pull through the cache needs first. */
    private createCache(name: string, args: RegistryArgs, encryption: { encryptionType: string; kmsKey: pulumi.Output<string> }[]): pulumi.Resource[] {
        const { namespace, scope, clusterName } = args;
        // ECR assumes this role to create a cached repository with tags and the platform key.
        const role = new aws.iam.Role(
            `${name}-cache-creation`,
            {
                description: `ECR creates ${clusterName}'s cached repositories (${namespace}/) with this role`,
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "ecr.amazonaws.com" },
                            Action: "sts:AssumeRole",
                            Condition: { StringEquals: { "aws:SourceAccount": scope.accountId } },
                        },
                    ],
                }),
                permissionsBoundary: scope.permissionsBoundaryArn,
            },
            { parent: this },
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-cache-creation`,
            { role: role.id, policy: args.kmsKeyArn.apply((keyArn) => JSON.stringify(creationRolePolicy(scope, namespace, keyArn))) },
            { parent: this },
        );
        return args.upstreams.flatMap((upstream) => {
            const prefix = cachePrefix(namespace, upstream);
            const resourceName = `${name}-cache-${upstream.key}`;
            const credentialArn = args.settings.upstreamCredentials[upstream.host];
            const rule = new aws.ecr.PullThroughCacheRule(
                resourceName,
                { ecrRepositoryPrefix: prefix, upstreamRegistryUrl: upstream.upstreamRegistryUrl, ...(credentialArn ? { credentialArn } : {}) },
                { parent: this },
            );
            const template = new aws.ecr.RepositoryCreationTemplate(
                resourceName,
                {
                    prefix,
                    description: `Repositories ${clusterName} caches from ${upstream.host}`,
                    appliedFors: ["PULL_THROUGH_CACHE"],
                    // Pinned tags stay what was first pulled: a tag re-pushed upstream never changes a running image.
                    imageTagMutability: "IMMUTABLE",
                    encryptionConfigurations: encryption,
                    lifecyclePolicy: JSON.stringify(lifecyclePolicy({ untaggedExpiryDays: 7, maxImages: 50 })),
                    customRoleArn: role.arn,
                    resourceTags: { "eks-platform:cluster": clusterName, "eks-platform:upstream": upstream.host },
                },
                { parent: this, dependsOn: [rolePolicy] },
            );
            return [rule, template];
        });
    }

    private createRepository(
        name: string,
        args: RegistryArgs,
        repository: RepositorySettings,
        encryption: { encryptionType: string; kmsKey: pulumi.Output<string> }[],
    ): aws.ecr.Repository {
        const resourceName = `${name}-repo-${repository.name.replace(/[/._]/g, "-")}`;
        const created = new aws.ecr.Repository(
            resourceName,
            {
                name: repository.name,
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: encryption,
                // Deleting a repository that still holds images fails instead of discarding them.
                forceDelete: false,
            },
            { parent: this, protect: args.protect, retainOnDelete: args.protect },
        );
        new aws.ecr.LifecyclePolicy(resourceName, { repository: created.name, policy: JSON.stringify(lifecyclePolicy(repository)) }, { parent: this });
        new aws.ecr.RepositoryPolicy(
            resourceName,
            { repository: created.name, policy: JSON.stringify(repositoryPolicy(args.scope, repository.pushPrincipals)) },
            { parent: this },
        );
        return created;
    }
}
