import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { settingsFromPulumiConfig } from "../config";
import { parseStackConfig, type PlatformConfig } from "../config/stack";
import { instanceTypesNamedIn, lookUpInstanceTypes } from "./compute/instanceTypeFacts";
import { Platform } from "./platform";

export interface ProgramResult {
    config: PlatformConfig;
    platform: Platform;
}

/**
 * Reads the facts validation needs (zones, account, the node pools' instance types), validates the stack's configuration (every
 * key of every namespace, as Pulumi hands it: "namespace:key" to string) and only then builds the platform, so bad
 * configuration never leaves a half-registered stack.
 */
export async function runProgram(pulumiConfig: Record<string, string>, source?: string): Promise<ProgramResult> {
    const rawSettings = settingsFromPulumiConfig(pulumiConfig);
    const [zones, identity, partition, region, instanceTypes] = await Promise.all([
        // Local and Wavelength zones are opt-in and cannot host EKS subnets.
        aws.getAvailabilityZones({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }),
        aws.getCallerIdentity({}),
        aws.getPartition({}),
        aws.getRegion({}),
        lookUpInstanceTypes(instanceTypesNamedIn(rawSettings)),
    ]);
    // An assumed role's session ARN names no path; the session context gives the role ARN that access entries use.
    const session = await aws.iam.getSessionContext({ arn: identity.arn });
    const config = parseStackConfig(
        rawSettings,
        { region: region.region, availabilityZones: zones.names, deployerPrincipalArn: session.issuerArn, ...instanceTypes },
        { project: pulumi.getProject(), stack: pulumi.getStack() },
        { source, pulumiConfig },
    );
    const platform = new Platform(config.clusterName, {
        config,
        scope: {
            region: config.region,
            accountId: identity.accountId,
            partition: partition.partition,
            permissionsBoundaryArn: config.iam.permissionsBoundaryArn,
        },
    });
    return { config, platform };
}

/** The command an admin runs to reach the cluster as one of its admin roles (a user ARN has no role to assume). */
function updateKubeconfigCommand(clusterName: string, region: string, roleArn: string): string {
    return `aws eks update-kubeconfig --name ${clusterName} --region ${region} --role-arn ${roleArn}`;
}

/** The stack outputs operators use (docs/cluster.md, "Reaching the cluster after up"). */
export function stackOutputs({ config, platform }: ProgramResult) {
    const adminRoles = config.cluster.adminPrincipals.filter((arn) => /:role\//.test(arn));
    return {
        environment: config.environment,
        clusterName: config.clusterName,
        vpcId: platform.network.vpcId,
        availabilityZones: config.availabilityZones,
        privateSubnetIds: platform.network.privateSubnetIds,
        podSubnetIds: platform.network.podSubnetIds,
        platformKeyArn: platform.key.arn,
        clusterEndpoint: platform.cluster.endpoint,
        oidcIssuerUrl: pulumi.interpolate`https://${platform.cluster.oidcIssuer}`,
        oidcProviderArn: platform.cluster.oidcProviderArn,
        nodeSecurityGroupId: platform.cluster.nodeSecurityGroupId,
        nodeRoleArns: [platform.compute.nodeAccess.role.arn],
        /** One command per admin role: what each admin runs to get a kubeconfig for the cluster. */
        kubeconfigCommands: Object.fromEntries(adminRoles.map((arn) => [arn, updateKubeconfigCommand(config.clusterName, config.region, arn)])),
        /** The deployer's kubeconfig (it calls `aws eks get-token` with the caller's credentials); a secret, never printed. */
        kubeconfig: pulumi.secret(platform.cluster.eksCluster.kubeconfigJson),
        runnerTransitGatewayAttachmentId: platform.network.runnerAccess?.transitGatewayAttachmentId,
        runnerPeeringConnectionId: platform.network.runnerAccess?.peeringConnectionId,
        repositoryUrls: platform.registry?.repositoryUrls ?? {},
        pullThroughCachePrefixes: platform.registry?.cachePrefixes ?? {},
        logGroupNames: platform.addOns.logging.logGroupNames,
        logBucketName: platform.addOns.logging.bucketName,
        logArchiveQueries: platform.addOns.logging.archiveQueries && {
            database: platform.addOns.logging.archiveQueries.databaseName,
            workgroup: platform.addOns.logging.archiveQueries.workgroupName,
            readerPolicyArn: platform.addOns.logging.archiveQueries.readerPolicyArn,
        },
        meshBackend: config.mesh.backend,
        meshServiceNetworkArn: platform.addOns.mesh?.serviceNetworkArn,
        meshEnvoyPolicyArn: platform.addOns.mesh?.envoyPolicyArn,
    };
}
