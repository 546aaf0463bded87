import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsScope } from "../capability";
import type { NetworkSettings } from "./settings";

export interface RunnerAccessArgs {
    /** The path, as network.runnerAccess declares it. */
    access: NonNullable<NetworkSettings["runnerAccess"]>;
    vpcId: pulumi.Input<string>;
    /** The VPC's primary CIDR, where the API endpoint's ENIs are: the tooling side's routes point it at the connection. */
    vpcCidr: string;
    /** The node subnets, one per zone: a Transit Gateway attachment puts an ENI in each. */
    privateSubnetIds: pulumi.Input<string>[];
    /** Every private route table (nodes and pods): each gets a route to every runner CIDR. */
    privateRouteTableIds: pulumi.Input<string>[];
    clusterName: string;
    /** Account and region of the requester, the defaults of the peer's. */
    scope: AwsScope;
}

/**
 * The runner's way into the VPC, created before anything calls the Kubernetes API: a Transit
 * Gateway attachment or a peering connection, and a route to each runner CIDR from every private
 * route table, so replies to the runner leave the way its requests came. For a path managed
 * elsewhere it creates nothing. The 443 rule on the cluster security group comes from
 * cluster.privateAccessCidrs, which holds every runner CIDR (validation checks it).
 */
export class RunnerAccess extends pulumi.ComponentResource {
    /** What a call from the runner needs in place: the attachment or accepted connection and its routes. */
    readonly ready: pulumi.Resource[];
    readonly transitGatewayAttachmentId?: pulumi.Output<string>;
    readonly peeringConnectionId?: pulumi.Output<string>;

    constructor(name: string, args: RunnerAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:network:RunnerAccess", name, {}, opts);
        const { access, clusterName } = args;
        const routes = (target: { transitGatewayId?: pulumi.Input<string>; vpcPeeringConnectionId?: pulumi.Input<string> }, dependsOn: pulumi.Resource[]) =>
            args.privateRouteTableIds.flatMap((routeTableId, table) =>
                access.cidrs.map(
                    (cidr, index) =>
                        new aws.ec2.Route(
                            `${name}-runner-${table}-${index}`,
                            { routeTableId, destinationCidrBlock: cidr, ...target },
                            { parent: this, dependsOn },
                        ),
                ),
            );

        if (access.kind === "transitGateway") {
            const attachment = new aws.ec2transitgateway.VpcAttachment(
                `${name}-runner-tgw`,
                {
                    transitGatewayId: access.transitGatewayId,
                    vpcId: args.vpcId,
                    subnetIds: args.privateSubnetIds,
                    dnsSupport: "enable",
                    // The Transit Gateway's owner routes it: the bootstrap stack associates this attachment
                    // with its platform route table (network.platformPath.platformAttachmentIds), so the
                    // gateway's default tables, which would let platform VPCs reach each other, stay out.
                    transitGatewayDefaultRouteTableAssociation: false,
                    transitGatewayDefaultRouteTablePropagation: false,
                    tags: { Name: `${clusterName}-runners` },
                },
                { parent: this },
            );
            this.transitGatewayAttachmentId = attachment.id;
            // A route to a Transit Gateway is refused until the VPC is attached to it.
            this.ready = [attachment, ...routes({ transitGatewayId: access.transitGatewayId }, [attachment])];
        } else if (access.kind === "peering") {
            const crossAccount = access.peerAccountId !== undefined && access.peerAccountId !== args.scope.accountId;
            const crossRegion = access.peerRegion !== undefined && access.peerRegion !== args.scope.region;
            const connection = new aws.ec2.VpcPeeringConnection(
                `${name}-runner-peering`,
                {
                    vpcId: args.vpcId,
                    peerVpcId: access.peerVpcId,
                    ...(access.peerAccountId ? { peerOwnerId: access.peerAccountId } : {}),
                    ...(access.peerRegion ? { peerRegion: access.peerRegion } : {}),
                    // Within one account and region the requester may accept its own request.
                    autoAccept: !crossAccount && !crossRegion && !access.accepter,
                    tags: { Name: `${clusterName}-runners` },
                },
                { parent: this },
            );
            this.peeringConnectionId = connection.id;
            const accepted = access.accepter ? this.accept(name, args, access.accepter, connection) : [];
            this.ready = [connection, ...accepted, ...routes({ vpcPeeringConnectionId: connection.id }, [connection, ...accepted])];
        } else {
            this.ready = [];
        }
        this.registerOutputs({ transitGatewayAttachmentId: this.transitGatewayAttachmentId, peeringConnectionId: this.peeringConnectionId });
    }

    /** The tooling side through a second provider: accept the connection and route the runners' tables to this VPC. */
    private accept(
        name: string,
        args: RunnerAccessArgs,
        accepter: NonNullable<Extract<RunnerAccessArgs["access"], { kind: "peering" }>["accepter"]>,
        connection: aws.ec2.VpcPeeringConnection,
    ): pulumi.Resource[] {
        const access = args.access as Extract<RunnerAccessArgs["access"], { kind: "peering" }>;
        const provider = new aws.Provider(
            `${name}-runner-accepter`,
            {
                region: (access.peerRegion ?? args.scope.region) as aws.Region,
                assumeRoles: [{ roleArn: accepter.roleArn, sessionName: `${args.clusterName}-peering` }],
            },
            { parent: this },
        );
        const accept = new aws.ec2.VpcPeeringConnectionAccepter(
            `${name}-runner-peering`,
            { vpcPeeringConnectionId: connection.id, autoAccept: true, tags: { Name: `${args.clusterName}-runners` } },
            { parent: this, provider },
        );
        const back = accepter.routeTableIds.map(
            (routeTableId, index) =>
                new aws.ec2.Route(
                    `${name}-runner-return-${index}`,
                    { routeTableId, destinationCidrBlock: args.vpcCidr, vpcPeeringConnectionId: connection.id },
                    { parent: this, provider, dependsOn: [accept] },
                ),
        );
        return [accept, ...back];
    }
}
