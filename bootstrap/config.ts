import { ConfigError, type ConfigProblem, parseSettings } from "../config/problems";
import { bucketNameProblems } from "../config/names";
import { type ConfigNamespaces, namespaceProblems, settingsFromPulumiConfig } from "../config/namespaces";
import { duplicateProblems } from "../config/schemaRules";
import { objectShape } from "../config/schemaTree";
import { allocateTier, BlockAllocator, cidrsOverlap, parseCidr, type SubnetPlan } from "../components/network/cidrPlan";
import { deployRoleName, RESERVED_ENVIRONMENT_WORDS, runnerProjectName } from "./delivery";
import { BOOTSTRAP_NAMESPACE, bootstrapSettingsSchema, type BootstrapSettings, type ToolingNetworkSettings } from "./settings";

/** What the account and region say, read before anything is registered. */
export interface AccountFacts {
    accountId: string;
    partition: string;
    region: string;
    /** Available zone names, in the order AWS lists them. */
    availabilityZones: string[];
}

export interface ToolingSubnetPlan {
    availabilityZones: string[];
    privateSubnets: SubnetPlan[];
    publicSubnets: SubnetPlan[];
}

/** The validated settings with everything derived from them. */
export interface BootstrapConfig extends BootstrapSettings {
    account: AccountFacts;
    /** Bucket of the S3 access logs and VPC flow logs. */
    logsBucketName: string;
    /** Subnets of the tooling VPC, when there is one. */
    toolingSubnets?: ToolingSubnetPlan;
}

/** The bootstrap project's stack files: "eks-platform-bootstrap:<key>", AWS through the default provider (aws:allowedAccountIds applies). */
const BOOTSTRAP_NAMESPACES: ConfigNamespaces = {
    own: BOOTSTRAP_NAMESPACE,
    reader: "the bootstrap project",
    awsProvider: "default",
    unreadProviders: { github: `the GitHub provider is built from ${BOOTSTRAP_NAMESPACE}:github and reads no stack settings` },
};

/**
 * The "eks-platform-bootstrap:*" keys of a stack, as Pulumi hands them (strings, structured values
 * JSON-encoded). Every other key is read or refused as for the platform (config/namespaces.ts): a
 * misspelt namespace would be silently ignored by Pulumi.
 */
export function bootstrapSettingsFromPulumiConfig(all: Record<string, string>, source?: string): Record<string, unknown> {
    const problems = namespaceProblems(all, Object.keys(objectShape(bootstrapSettingsSchema) ?? {}), BOOTSTRAP_NAMESPACES);
    if (problems.length > 0) {
        throw new ConfigError(problems, source);
    }
    return settingsFromPulumiConfig(all, BOOTSTRAP_NAMESPACE);
}

function cidrProblems(cidr: string, path: string): ConfigProblem[] {
    return parseCidr(cidr) ? [] : [{ path, value: cidr, message: "is not an IPv4 CIDR in network form (e.g. 10.255.0.0/24)" }];
}

/** The CIDRs the runners must reach, wherever the path kind keeps them. */
export function platformCidrsOf(network: ToolingNetworkSettings): { cidr: string; path: string }[] {
    const path = network.platformPath;
    return path.kind === "peering"
        ? path.peers.map((peer, index) => ({ cidr: peer.cidr, path: `network.platformPath.peers[${index}].cidr` }))
        : path.platformCidrs.map((cidr, index) => ({ cidr, path: `network.platformPath.platformCidrs[${index}]` }));
}

function networkProblems(network: ToolingNetworkSettings, zones: string[]): { problems: ConfigProblem[]; plan?: ToolingSubnetPlan } {
    const problems: ConfigProblem[] = [];
    const vpc = parseCidr(network.vpcCidr);
    if (!vpc) {
        problems.push(...cidrProblems(network.vpcCidr, "network.vpcCidr"));
    } else if (vpc.subnetMask < 16 || vpc.subnetMask > 28) {
        problems.push({ path: "network.vpcCidr", value: network.vpcCidr, message: "must have a prefix length between /16 and /28 (AWS VPC limits)" });
    }
    if (network.azCount > zones.length) {
        problems.push({
            path: "network.azCount",
            value: network.azCount,
            message: `exceeds the ${zones.length} Availability Zones this region has (${zones.join(", ")})`,
        });
    }
    for (const { cidr, path } of platformCidrsOf(network)) {
        const cidrProblem = cidrProblems(cidr, path);
        problems.push(...cidrProblem);
        if (cidrProblem.length === 0 && vpc && cidrsOverlap(cidr, network.vpcCidr)) {
            problems.push({ path, value: cidr, message: `overlaps network.vpcCidr ${network.vpcCidr}; routes between overlapping networks cannot work` });
        }
    }
    const platformPath = network.platformPath;
    if (platformPath.kind === "transitGateway") {
        const asn = platformPath.amazonSideAsn;
        if (asn !== undefined && !((asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294))) {
            problems.push({ path: "network.platformPath.amazonSideAsn", value: asn, message: "must be a private ASN: 64512-65534 or 4200000000-4294967294" });
        }
        platformPath.shareWith.forEach((principal, index) => {
            if (!/^\d{12}$/.test(principal) && !/^arn:aws[a-z-]*:organizations::\d{12}:(organization|ou)\/.+$/.test(principal)) {
                problems.push({
                    path: `network.platformPath.shareWith[${index}]`,
                    value: principal,
                    message: "must be a 12-digit account ID or an AWS Organizations organisation or OU ARN",
                });
            }
        });
        // Settings of a Transit Gateway this stack creates mean nothing for one it only attaches to.
        if (platformPath.transitGatewayId) {
            const createOnly = [
                ["shareWith", platformPath.shareWith.length > 0 ? platformPath.shareWith : undefined, "its owner shares it"],
                [
                    "platformAttachmentIds",
                    platformPath.platformAttachmentIds.length > 0 ? platformPath.platformAttachmentIds : undefined,
                    "its owner routes its attachments",
                ],
                ["amazonSideAsn", platformPath.amazonSideAsn, "its owner chose its ASN"],
            ] as const;
            for (const [setting, value, why] of createOnly.filter(([, value]) => value !== undefined)) {
                problems.push({
                    path: `network.platformPath.${setting}`,
                    value,
                    message: `applies to a Transit Gateway this stack creates; with transitGatewayId ${platformPath.transitGatewayId}, ${why}: remove it`,
                });
            }
        }
    }
    if (problems.length > 0 || !vpc) {
        return { problems };
    }
    const availabilityZones = zones.slice(0, network.azCount);
    const allocator = new BlockAllocator(network.vpcCidr);
    // Larger blocks first, so alignment wastes nothing.
    const tiers = [
        { tier: "private" as const, prefix: network.privateSubnetPrefix },
        { tier: "public" as const, prefix: network.publicSubnetPrefix },
    ].sort((a, b) => a.prefix - b.prefix);
    const planned: Partial<Record<"private" | "public", SubnetPlan[]>> = {};
    for (const { tier, prefix } of tiers) {
        planned[tier] = allocateTier(allocator, availabilityZones, prefix);
        if (!planned[tier]) {
            problems.push({
                path: `network.${tier}SubnetPrefix`,
                value: prefix,
                message: `leaves no room: ${availabilityZones.length} ${tier} /${prefix} subnets (after the larger tier) do not fit in network.vpcCidr ${network.vpcCidr}`,
            });
        }
    }
    if (!planned.private || !planned.public) {
        return { problems };
    }
    return { problems, plan: { availabilityZones, privateSubnets: planned.private, publicSubnets: planned.public } };
}

/**
 * Validates a bootstrap stack's settings against the schema and the account, and derives names and
 * the tooling subnets. Throws ConfigError listing every problem; nothing is registered before it returns.
 */
export function parseBootstrapConfig(raw: Record<string, unknown>, account: AccountFacts, source?: string): BootstrapConfig {
    const parsed = parseSettings(bootstrapSettingsSchema, raw);
    if (!parsed.success) {
        throw new ConfigError(parsed.problems, source);
    }
    const settings = parsed.data;
    // Repeated environments, reviewers and list items, by the schema's identities (config/schemaRules.ts).
    const problems: ConfigProblem[] = duplicateProblems(bootstrapSettingsSchema, settings);
    settings.environments.forEach((environment, index) => {
        const firstWord = environment.name.split("-")[0];
        if ((RESERVED_ENVIRONMENT_WORDS as readonly string[]).includes(firstWord)) {
            problems.push({
                path: `environments[${index}].name`,
                value: environment.name,
                message: `must not start with "${firstWord}": names starting with ${RESERVED_ENVIRONMENT_WORDS.join(", ")} belong to the delivery foundation, and this environment's deploy role could change them`,
            });
        }
        const roleName = deployRoleName(settings.platformProject, environment.name);
        if (roleName.length > 64) {
            problems.push({
                path: `environments[${index}].name`,
                value: environment.name,
                message: `makes the deploy role name ${roleName} longer than IAM's 64 characters`,
            });
        }
    });

    if (!settings.github.manageRepository && settings.github.requiredApprovals !== undefined) {
        problems.push({
            path: "github.requiredApprovals",
            value: settings.github.requiredApprovals,
            message: "is part of the branch protection, which the stack with github.manageRepository true sets; set it there",
        });
    }

    const backend = settings.backend;
    if (backend.kind === "s3") {
        problems.push(
            ...bucketNameProblems(backend.stateBucketName).map((message) => ({ path: "backend.stateBucketName", value: backend.stateBucketName, message })),
        );
    }
    const logsBucketName = settings.logs.bucketName ?? `${settings.platformProject}-delivery-logs-${account.accountId}`;
    problems.push(...bucketNameProblems(logsBucketName).map((message) => ({ path: "logs.bucketName", value: logsBucketName, message })));
    if (backend.kind === "s3" && logsBucketName === backend.stateBucketName) {
        problems.push({ path: "logs.bucketName", value: logsBucketName, message: "is the state bucket; access logs go to a bucket of their own" });
    }

    const withRunner = settings.environments.filter((environment) => environment.runner);
    let toolingSubnets: ToolingSubnetPlan | undefined;
    if (settings.network) {
        if (withRunner.length === 0) {
            problems.push({
                path: "network",
                value: settings.network,
                message: "is set, but no environment has a runner; give the private environments a runner or remove the tooling network",
            });
        }
        const network = networkProblems(settings.network, account.availabilityZones);
        problems.push(...network.problems);
        toolingSubnets = network.plan;
    } else if (withRunner.length > 0) {
        problems.push({
            path: "network",
            value: undefined,
            message: `is required: ${withRunner.map((environment) => environment.name).join(", ")} ${withRunner.length === 1 ? "has" : "have"} a runner, which runs in the tooling VPC`,
        });
    }
    if (problems.length > 0) {
        throw new ConfigError(problems, source);
    }
    return { ...settings, account, logsBucketName, toolingSubnets };
}

/** The CodeBuild project names of the environments that have a runner. */
export function runnerProjects(config: Pick<BootstrapSettings, "platformProject" | "environments">): Record<string, string> {
    return Object.fromEntries(
        config.environments
            .filter((environment) => environment.runner)
            .map((environment) => [environment.name, runnerProjectName(config.platformProject, environment.name)]),
    );
}
