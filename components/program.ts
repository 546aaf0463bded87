import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, type PlatformConfig } from "../config/stack";
import { instanceTypesNamedIn, lookUpInstanceTypes } from "./compute/instanceTypeFacts";
import { Platform } from "./platform";

export interface ProgramResult {
    config: PlatformConfig;
    platform: Platform;
}

/**
 * Reads the facts validation needs (zones, account, the node pools' instance types), validates the stack settings and only then
 * builds the platform, so bad configuration never leaves a half-registered stack.
 */
export async function runProgram(rawSettings: Record<string, unknown>, source?: string): Promise<ProgramResult> {
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
        pulumi.getProject(),
        source,
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

/** The stack outputs operators use: where the VPC and subnets are. */
export function stackOutputs({ config, platform }: ProgramResult) {
    return {
        environment: config.environment,
        clusterName: config.clusterName,
        vpcId: platform.network.vpcId,
        availabilityZones: config.availabilityZones,
        privateSubnetIds: platform.network.privateSubnetIds,
        podSubnetIds: platform.network.podSubnetIds,
        platformKeyArn: platform.key.arn,
        clusterEndpoint: platform.cluster.endpoint,
        oidcProviderArn: platform.cluster.oidcProviderArn,
        nodeSecurityGroupId: platform.cluster.nodeSecurityGroupId,
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
