import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ToolingSubnetPlan } from "../config";
import type { ToolingNetworkSettings } from "../settings";

/** The ASN of a Transit Gateway created here when none is set: the first private ASN, AWS's own default. */
const DEFAULT_TRANSIT_GATEWAY_ASN = 64512;

export interface ToolingNetworkArgs {
    /** Name prefix of the network's Name tags. */
    namePrefix: string;
    settings: ToolingNetworkSettings;
    subnets: ToolingSubnetPlan;
    /** ARN of the bucket (and prefix) the VPC flow logs are delivered to. */
    flowLogDestination: pulumi.Input<string>;
    tags: Record<string, string>;
}

/**
 * The VPC the runners run in: private subnets whose only ways out are a NAT gateway (GitHub, AWS
 * APIs, package registries) and the declared path to the platform VPCs (Transit Gateway or
 * peering), public subnets for the NAT gateways only, flow logs, and a default security group
 * that admits nothing.
 */
export class ToolingNetwork extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly privateSubnetIds: pulumi.Output<string>[];
    readonly privateRouteTableIds: pulumi.Output<string>[];
    /** The Transit Gateway the runners reach the platform through, when that is the path. */
    readonly transitGatewayId?: pulumi.Output<string>;
    /** Route tables of a Transit Gateway created here: platform attachments associate with `platform` and propagate to `tooling`. */
    readonly transitGatewayRouteTableIds?: { tooling: pulumi.Output<string>; platform: pulumi.Output<string> };

    constructor(name: string, args: ToolingNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:bootstrap:ToolingNetwork", name, {}, opts);
        const { settings, subnets, namePrefix } = args;
        const tagged = (suffix: string) => ({ ...args.tags, Name: `${namePrefix}-${suffix}` });
        const zones = subnets.availabilityZones;

        const vpc = new aws.ec2.Vpc(
            name,
            { cidrBlock: settings.vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, tags: tagged("vpc") },
            { parent: this },
        );
        this.vpcId = vpc.id;
        // The default security group is attached to anything created without one; it admits and sends nothing.
        new aws.ec2.DefaultSecurityGroup(name, { vpcId: vpc.id, tags: tagged("default-deny") }, { parent: this });
        new aws.ec2.FlowLog(
            name,
            {
                vpcId: vpc.id,
                trafficType: "ALL",
                logDestinationType: "s3",
                logDestination: args.flowLogDestination,
                maxAggregationInterval: 60,
                tags: tagged("flow-log"),
            },
            { parent: this },
        );

        const subnet = (tier: "public" | "private", index: number) => {
            const plan = (tier === "public" ? subnets.publicSubnets : subnets.privateSubnets)[index];
            return new aws.ec2.Subnet(
                `${name}-${tier}-${plan.availabilityZone}`,
                {
                    vpcId: vpc.id,
                    cidrBlock: plan.cidr,
                    availabilityZone: plan.availabilityZone,
                    mapPublicIpOnLaunch: false,
                    tags: tagged(`${tier}-${plan.availabilityZone}`),
                },
                { parent: this },
            );
        };
        const publicSubnets = zones.map((_, index) => subnet("public", index));
        const privateSubnets = zones.map((_, index) => subnet("private", index));
        this.privateSubnetIds = privateSubnets.map((s) => s.id);

        const internetGateway = new aws.ec2.InternetGateway(name, { vpcId: vpc.id, tags: tagged("igw") }, { parent: this });
        const publicRoutes = new aws.ec2.RouteTable(`${name}-public`, { vpcId: vpc.id, tags: tagged("public") }, { parent: this });
        new aws.ec2.Route(
            `${name}-public-internet`,
            { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id },
            { parent: this },
        );
        publicSubnets.forEach(
            (s, index) =>
                new aws.ec2.RouteTableAssociation(`${name}-public-${zones[index]}`, { subnetId: s.id, routeTableId: publicRoutes.id }, { parent: this }),
        );

        const natZones = settings.natGateways === "perAz" ? zones : zones.slice(0, 1);
        const natGateways = natZones.map((zone, index) => {
            const address = new aws.ec2.Eip(`${name}-nat-${zone}`, { domain: "vpc", tags: tagged(`nat-${zone}`) }, { parent: this });
            return new aws.ec2.NatGateway(
                `${name}-${zone}`,
                { allocationId: address.id, subnetId: publicSubnets[index].id, tags: tagged(`nat-${zone}`) },
                { parent: this, dependsOn: [internetGateway] },
            );
        });
        const privateRouteTables = zones.map((zone, index) => {
            const table = new aws.ec2.RouteTable(`${name}-private-${zone}`, { vpcId: vpc.id, tags: tagged(`private-${zone}`) }, { parent: this });
            new aws.ec2.Route(
                `${name}-private-${zone}-internet`,
                { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: natGateways[Math.min(index, natGateways.length - 1)].id },
                { parent: this },
            );
            new aws.ec2.RouteTableAssociation(`${name}-private-${zone}`, { subnetId: privateSubnets[index].id, routeTableId: table.id }, { parent: this });
            return { zone, table };
        });
        this.privateRouteTableIds = privateRouteTables.map(({ table }) => table.id);

        const path = settings.platformPath;
        if (path.kind === "transitGateway") {
            const created = path.transitGatewayId
                ? undefined
                : new aws.ec2transitgateway.TransitGateway(
                      name,
                      {
                          description: `${namePrefix}: runners to platform VPCs`,
                          amazonSideAsn: path.amazonSideAsn ?? DEFAULT_TRANSIT_GATEWAY_ASN,
                          // Routing is explicit: platform VPCs reach the runners, never each other.
                          defaultRouteTableAssociation: "disable",
                          defaultRouteTablePropagation: "disable",
                          // Attachments from the accounts it is shared with need no manual acceptance.
                          autoAcceptSharedAttachments: path.shareWith.length > 0 ? "enable" : "disable",
                          dnsSupport: "enable",
                          tags: tagged("tgw"),
                      },
                      { parent: this },
                  );
            const transitGatewayId = created ? created.id : pulumi.output(path.transitGatewayId!);
            this.transitGatewayId = transitGatewayId;
            const attachment = new aws.ec2transitgateway.VpcAttachment(
                name,
                {
                    transitGatewayId,
                    vpcId: vpc.id,
                    subnetIds: this.privateSubnetIds,
                    dnsSupport: "enable",
                    // On a Transit Gateway created here, route tables are explicit (below); an existing one keeps its owner's defaults.
                    ...(created ? { transitGatewayDefaultRouteTableAssociation: false, transitGatewayDefaultRouteTablePropagation: false } : {}),
                    tags: tagged("tgw-attachment"),
                },
                { parent: this },
            );
            if (created) {
                this.transitGatewayRouteTableIds = this.routeTables(name, created, attachment, path.platformAttachmentIds, tagged);
                this.share(name, created, path.shareWith, args.tags);
            }
            for (const { zone, table } of privateRouteTables) {
                path.platformCidrs.forEach(
                    (cidr, index) =>
                        new aws.ec2.Route(
                            `${name}-private-${zone}-platform-${index}`,
                            { routeTableId: table.id, destinationCidrBlock: cidr, transitGatewayId },
                            { parent: this, dependsOn: [attachment] },
                        ),
                );
            }
        } else if (path.kind === "peering") {
            path.peers.forEach((peer, index) => {
                const accepted = new aws.ec2.VpcPeeringConnectionAccepter(
                    `${name}-peer-${index}`,
                    { vpcPeeringConnectionId: peer.peeringConnectionId, autoAccept: true, tags: tagged(`peer-${index}`) },
                    { parent: this },
                );
                for (const { zone, table } of privateRouteTables) {
                    new aws.ec2.Route(
                        `${name}-private-${zone}-peer-${index}`,
                        { routeTableId: table.id, destinationCidrBlock: peer.cidr, vpcPeeringConnectionId: accepted.id },
                        { parent: this },
                    );
                }
            });
        }
        this.registerOutputs({ vpcId: this.vpcId });
    }

    /**
     * Two route tables: the runners' attachment is associated with `tooling` and propagated into
     * `platform`; each platform attachment the other way round. A platform VPC so learns only the
     * runners' CIDR, never another environment's VPC.
     */
    private routeTables(
        name: string,
        transitGateway: aws.ec2transitgateway.TransitGateway,
        toolingAttachment: aws.ec2transitgateway.VpcAttachment,
        platformAttachmentIds: string[],
        tagged: (suffix: string) => Record<string, string>,
    ) {
        const tooling = new aws.ec2transitgateway.RouteTable(
            `${name}-tooling`,
            { transitGatewayId: transitGateway.id, tags: tagged("tgw-tooling") },
            { parent: this },
        );
        const platform = new aws.ec2transitgateway.RouteTable(
            `${name}-platform`,
            { transitGatewayId: transitGateway.id, tags: tagged("tgw-platform") },
            { parent: this },
        );
        new aws.ec2transitgateway.RouteTableAssociation(
            `${name}-tooling`,
            { transitGatewayAttachmentId: toolingAttachment.id, transitGatewayRouteTableId: tooling.id },
            { parent: this },
        );
        new aws.ec2transitgateway.RouteTablePropagation(
            `${name}-tooling-to-platform`,
            { transitGatewayAttachmentId: toolingAttachment.id, transitGatewayRouteTableId: platform.id },
            { parent: this },
        );
        for (const attachmentId of platformAttachmentIds) {
            new aws.ec2transitgateway.RouteTableAssociation(
                `${name}-${attachmentId}`,
                { transitGatewayAttachmentId: attachmentId, transitGatewayRouteTableId: platform.id },
                { parent: this },
            );
            new aws.ec2transitgateway.RouteTablePropagation(
                `${name}-${attachmentId}-to-tooling`,
                { transitGatewayAttachmentId: attachmentId, transitGatewayRouteTableId: tooling.id },
                { parent: this },
            );
        }
        return { tooling: tooling.id, platform: platform.id };
    }

    /** Shares a Transit Gateway created here with the platform accounts, inside the organisation only. */
    private share(name: string, transitGateway: aws.ec2transitgateway.TransitGateway, principals: string[], tags: Record<string, string>) {
        if (principals.length === 0) {
            return;
        }
        const share = new aws.ram.ResourceShare(name, { name: `${name}-tgw`, allowExternalPrincipals: false, tags }, { parent: this });
        new aws.ram.ResourceAssociation(name, { resourceArn: transitGateway.arn, resourceShareArn: share.arn }, { parent: this });
        principals.forEach(
            (principal, index) => new aws.ram.PrincipalAssociation(`${name}-${index}`, { principal, resourceShareArn: share.arn }, { parent: this }),
        );
    }
}
