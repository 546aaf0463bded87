import * as aws from "@pulumi/aws";
import { Bootstrap } from "./components/bootstrap";
import { parseBootstrapConfig, runnerProjects, type BootstrapConfig } from "./config";
import { runnerLabel } from "./delivery";

export interface BootstrapResult {
    config: BootstrapConfig;
    bootstrap: Bootstrap;
}

/** Reads the account's facts, validates the settings, and only then builds the foundation. */
export async function runBootstrap(rawSettings: Record<string, unknown>, source?: string): Promise<BootstrapResult> {
    const [identity, partition, region, zones] = await Promise.all([
        aws.getCallerIdentity({}),
        aws.getPartition({}),
        aws.getRegion({}),
        // Local and Wavelength zones are opt-in and hold no runner subnets.
        aws.getAvailabilityZones({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }),
    ]);
    const config = parseBootstrapConfig(
        rawSettings,
        { accountId: identity.accountId, partition: partition.partition, region: region.region, availabilityZones: zones.names },
        source,
    );
    const bootstrap = new Bootstrap(`${config.platformProject}-delivery`, { config });
    return { config, bootstrap };
}

/** What an operator needs next: where state lives, the roles, the runners and the network to connect. */
export function bootstrapOutputs({ config, bootstrap }: BootstrapResult) {
    const network = bootstrap.network;
    return {
        accountId: config.account.accountId,
        backendUrl: bootstrap.backendUrl,
        secretsProvider: bootstrap.secretsProvider,
        oidcProviderArn: bootstrap.identities.oidcProviderArn,
        deployRoleArns: bootstrap.identities.deployRoleArns,
        previewRoleArn: bootstrap.identities.previewRoleArn,
        // The value of `eks-platform:iam.permissionsBoundaryArn` in every platform stack file of this account.
        workloadBoundaryArn: bootstrap.identities.workloadBoundaryArn,
        runners: Object.fromEntries(
            Object.entries(runnerProjects(config)).map(([environment, project]) => [
                environment,
                { project, runsOn: runnerLabel(project, "${{ github.run_id }}", "${{ github.run_attempt }}") },
            ]),
        ),
        githubConnectionArn: bootstrap.runners?.connectionArn,
        tooling: network
            ? {
                  vpcId: network.vpcId,
                  vpcCidr: config.network?.vpcCidr,
                  privateSubnetIds: network.privateSubnetIds,
                  privateRouteTableIds: network.privateRouteTableIds,
                  transitGatewayId: network.transitGatewayId,
                  transitGatewayRouteTableIds: network.transitGatewayRouteTableIds,
              }
            : undefined,
    };
}
