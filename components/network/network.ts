import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsScope } from "../capability";
import { clusterOwnershipTagKey } from "../cluster/names";
import { type CidrPlan, subnetName } from "./cidrPlan";
import type { EndpointPlan } from "./endpointServices";
import type { NetworkHandle } from "./handle";
import { RunnerAccess } from "./runnerAccess";
import type { NetworkSettings } from "./settings";

/** The log group the VPC's flow logs go to. */
export function flowLogGroupName(clusterName: string): string {
    return `/aws/vpc/${clusterName}/flow-logs`;
}

/** The Pulumi name of the flow logs' log group, role and its policy (the role and policy are auto-named from it). */
export function flowLogsResourceName(name: string): string {
    return `${name}-flow-logs`;
}

export interface NetworkArgs {
    /** Validated network settings (defaults applied in ./settings.ts). */
    settings: NetworkSettings;
    /** The zones to span, as validated against the region. */
    availabilityZones: string[];
    /** Subnet layout from planCidrs. */
    cidrPlan: CidrPlan;
    /** Cluster name, for the kubernetes.io/cluster/<name> subnet tags and resource names. */
    clusterName: string;
    /** Region of the endpoint service names; account of the flow-log role's trust. */
    scope: AwsScope;
    /** The endpoints the stack's sections need plus the user's additions (planEndpoints); created when vpcEndpoints.enabled. */
    endpoints: EndpointPlan;
    /** Customer-managed key encrypting the flow-log group. */
    kmsKeyArn: pulumi.Input<string>;
    /** protect + retainOnDelete on the flow-log group. */
    protect: boolean;
}

type ByAz<T> = Record<string, T>;

/**
 * A VPC across N zones: public subnets for load balancers and NAT, private subnets for nodes, and a
 * secondary CIDR carved into one pod subnet per zone for VPC CNI custom networking. Egress through
 * NAT and/or VPC endpoints; every flow logged to an encrypted log group.
 */
export class Network extends pulumi.ComponentResource implements NetworkHandle {
    readonly vpcId: pulumi.Output<string>;
    readonly availabilityZones: string[];
    readonly privateSubnetIds: ByAz<pulumi.Output<string>>;
    readonly publicSubnetIds: ByAz<pulumi.Output<string>>;
    readonly podSubnetIds: ByAz<pulumi.Output<string>>;
    readonly vpcCidr: string;
    readonly podCidr: string;
    /** Resolves once the secondary CIDR is attached and pod subnets exist; pods need both. */
    readonly podCidrAssociation: aws.ec2.VpcIpv4CidrBlockAssociation;
    readonly natGatewayCount: number;
    readonly internetEgress: boolean;
    readonly endpointSecurityGroupId?: pulumi.Output<string>;
    readonly flowLogGroupName: pulumi.Output<string>;
    readonly runnerAccess?: RunnerAccess;
    readonly runnerAccessReady: pulumi.Resource[];

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:network:Network", name, {}, opts);
        const { settings, cidrPlan, clusterName } = args;
        const zones = args.availabilityZones;
        const clusterTag = { [clusterOwnershipTagKey(clusterName)]: "shared" };

        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            { cidrBlock: settings.vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, tags: { Name: `${clusterName}-vpc` } },
            { parent: this },
        );
        this.vpcId = vpc.id;
        this.availabilityZones = zones;
        // Adopting the default security group with no rules removes AWS's allow-all rules, so anything
        // launched without a group of its own (an ENI, an instance) can talk to nothing.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags: { Name: `${clusterName}-default-closed` } }, { parent: this });
        this.vpcCidr = settings.vpcCidr;
        this.podCidr = settings.podCidr;

        this.podCidrAssociation = new aws.ec2.VpcIpv4CidrBlockAssociation(`${name}-pod-cidr`, { vpcId: vpc.id, cidrBlock: settings.podCidr }, { parent: this });

        const subnet = (
            tier: "public" | "private" | "pods",
            plan: CidrPlan["privateSubnets"][number],
            tags: Record<string, string>,
            dependsOn: pulumi.Resource[] = [],
        ) =>
            new aws.ec2.Subnet(
                `${name}-${tier}-${plan.availabilityZone}`,
                {
                    vpcId: vpc.id,
                    cidrBlock: plan.cidr,
                    availabilityZone: plan.availabilityZone,
                    // Nothing here gets a public IP by default: NAT uses Elastic IPs, load balancers their own.
                    mapPublicIpOnLaunch: false,
                    tags: { Name: subnetName(clusterName, tier, plan.availabilityZone), tier, ...tags },
                },
                { parent: this, dependsOn },
            );
        const publicSubnets = cidrPlan.publicSubnets.map((p) => subnet("public", p, { ...clusterTag, "kubernetes.io/role/elb": "1" }));
        const privateSubnets = cidrPlan.privateSubnets.map((p) => subnet("private", p, { ...clusterTag, "kubernetes.io/role/internal-elb": "1" }));
        // A subnet in the secondary range cannot be created before the range is attached to the VPC.
        const podSubnets = cidrPlan.podSubnets.map((p) => subnet("pods", p, {}, [this.podCidrAssociation]));
        const byZone = (subnets: aws.ec2.Subnet[]) => Object.fromEntries(subnets.map((s, i) => [zones[i], s.id]));
        this.publicSubnetIds = byZone(publicSubnets);
        this.privateSubnetIds = byZone(privateSubnets);
        this.podSubnetIds = byZone(podSubnets);

        const internetGateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: `${clusterName}-igw` } }, { parent: this });
        const publicRoutes = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, tags: { Name: `${clusterName}-public` } }, { parent: this });
        new aws.ec2.Route(
            `${name}-public-default`,
            { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id },
            { parent: this },
        );
        publicSubnets.forEach(
            (s, i) => new aws.ec2.RouteTableAssociation(`${name}-public-${zones[i]}`, { subnetId: s.id, routeTableId: publicRoutes.id }, { parent: this }),
        );

        const natZones = settings.natGateways === "perAz" ? zones : settings.natGateways === "single" ? [zones[0]] : [];
        const natGateways = natZones.map((zone) => {
            const eip = new aws.ec2.Eip(`${name}-nat-${zone}`, { domain: "vpc", tags: { Name: `${clusterName}-nat-${zone}` } }, { parent: this });
            return new aws.ec2.NatGateway(
                `${name}-nat-${zone}`,
                { allocationId: eip.id, subnetId: publicSubnets[zones.indexOf(zone)].id, tags: { Name: `${clusterName}-nat-${zone}` } },
                { parent: this, dependsOn: [internetGateway] },
            );
        });
        this.natGatewayCount = natGateways.length;
        this.internetEgress = natGateways.length > 0;

        // One route table per zone: nodes and pods of a zone leave through that zone's NAT (or the single one).
        const privateRouteTables = zones.map((zone, i) => {
            const table = new aws.ec2.RouteTable(
                `${name}-private-rt-${zone}`,
                { vpcId: vpc.id, tags: { Name: `${clusterName}-private-${zone}` } },
                { parent: this },
            );
            const nat = natGateways.length === 0 ? undefined : natGateways[Math.min(i, natGateways.length - 1)];
            if (nat) {
                new aws.ec2.Route(
                    `${name}-private-default-${zone}`,
                    { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id },
                    { parent: this },
                );
            }
            new aws.ec2.RouteTableAssociation(`${name}-private-${zone}`, { subnetId: privateSubnets[i].id, routeTableId: table.id }, { parent: this });
            new aws.ec2.RouteTableAssociation(`${name}-pods-${zone}`, { subnetId: podSubnets[i].id, routeTableId: table.id }, { parent: this });
            return table;
        });

        if (settings.vpcEndpoints.enabled) {
            this.endpointSecurityGroupId = this.createEndpoints(name, args, vpc, privateSubnets, privateRouteTables);
        }
        if (settings.runnerAccess) {
            this.runnerAccess = new RunnerAccess(
                name,
                {
                    access: settings.runnerAccess,
                    vpcId: vpc.id,
                    vpcCidr: settings.vpcCidr,
                    privateSubnetIds: privateSubnets.map((s) => s.id),
                    privateRouteTableIds: privateRouteTables.map((t) => t.id),
                    clusterName,
                    scope: args.scope,
                },
                { parent: this },
            );
        }
        this.runnerAccessReady = this.runnerAccess?.ready ?? [];

        this.flowLogGroupName = this.createFlowLogs(name, args, vpc);

        this.registerOutputs({
            vpcId: this.vpcId,
            privateSubnetIds: this.privateSubnetIds,
            publicSubnetIds: this.publicSubnetIds,
            podSubnetIds: this.podSubnetIds,
            transitGatewayAttachmentId: this.runnerAccess?.transitGatewayAttachmentId,
            peeringConnectionId: this.runnerAccess?.peeringConnectionId,
        });
    }

    private createEndpoints(
        name: string,
        args: NetworkArgs,
        vpc: aws.ec2.Vpc,
        privateSubnets: aws.ec2.Subnet[],
        privateRouteTables: aws.ec2.RouteTable[],
    ): pulumi.Output<string> {
        const { settings, clusterName, endpoints } = args;
        const { region } = args.scope;
        if (endpoints.gateway) {
            new aws.ec2.VpcEndpoint(
                `${name}-${endpoints.gateway.service}`,
                {
                    vpcId: vpc.id,
                    serviceName: `com.amazonaws.${region}.${endpoints.gateway.service}`,
                    vpcEndpointType: "Gateway",
                    routeTableIds: privateRouteTables.map((t) => t.id),
                    tags: { Name: `${clusterName}-${endpoints.gateway.service}` },
                },
                { parent: this },
            );
        }
        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-endpoints`,
            { vpcId: vpc.id, description: "HTTPS from nodes and pods to VPC interface endpoints", tags: { Name: `${clusterName}-endpoints` } },
            { parent: this },
        );
        // Pods carry secondary-CIDR addresses under custom networking, so both ranges must reach the endpoints.
        [settings.vpcCidr, settings.podCidr].forEach((cidr, i) => {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-endpoints-https-${i === 0 ? "vpc" : "pods"}`,
                { securityGroupId: securityGroup.id, cidrIpv4: cidr, ipProtocol: "tcp", fromPort: 443, toPort: 443, description: `HTTPS from ${cidr}` },
                { parent: this },
            );
        });
        for (const { service } of endpoints.interfaces) {
            new aws.ec2.VpcEndpoint(
                `${name}-${service.replace(/\./g, "-")}`,
                {
                    vpcId: vpc.id,
                    serviceName: `com.amazonaws.${region}.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: privateSubnets.map((s) => s.id),
                    securityGroupIds: [securityGroup.id],
                    tags: { Name: `${clusterName}-${service}` },
                },
                { parent: this },
            );
        }
        return securityGroup.id;
    }

    private createFlowLogs(name: string, args: NetworkArgs, vpc: aws.ec2.Vpc): pulumi.Output<string> {
        const { settings, clusterName } = args;
        const logGroup = new aws.cloudwatch.LogGroup(
            flowLogsResourceName(name),
            { name: flowLogGroupName(clusterName), retentionInDays: settings.flowLogs.retentionDays, kmsKeyId: args.kmsKeyArn },
            { parent: this, protect: args.protect, retainOnDelete: args.protect },
        );
        const role = new aws.iam.Role(
            flowLogsResourceName(name),
            {
                description: `VPC flow logs of ${clusterName} to CloudWatch`,
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                            Action: "sts:AssumeRole",
                            // Confused-deputy guard: only flow logs of this account may assume the role.
                            Condition: { StringEquals: { "aws:SourceAccount": args.scope.accountId } },
                        },
                    ],
                }),
                permissionsBoundary: args.scope.permissionsBoundaryArn,
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            flowLogsResourceName(name),
            {
                role: role.id,
                policy: logGroup.arn.apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                                Resource: [arn, `${arn}:log-stream:*`],
                            },
                        ],
                    }),
                ),
            },
            { parent: this },
        );
        new aws.ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId: vpc.id,
                trafficType: settings.flowLogs.trafficType,
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
                tags: { Name: `${clusterName}-flow-log` },
            },
            { parent: this },
        );
        return logGroup.name;
    }
}
