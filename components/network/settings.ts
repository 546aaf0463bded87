import { z } from "zod";
import { retentionDays } from "../logging/retention";

const cidrList = (what: string) => z.array(z.string()).min(1, `must list at least one CIDR: ${what}`);

const transitGatewayAccess = z.strictObject({
    kind: z.literal("transitGateway").describe("Through a Transit Gateway the runners' network is attached to."),
    transitGatewayId: z
        .string()
        .regex(/^tgw-[0-9a-f]{8,17}$/, "must be a Transit Gateway ID (tgw-...)")
        .describe(
            "The Transit Gateway (tgw-...): the bootstrap stack's output tooling.transitGatewayId, or the network team's. The private subnets attach to it. Required.",
        ),
    cidrs: cidrList("the runners' networks").describe(
        "The runners' CIDRs (the tooling VPC's network.vpcCidr), routed through the Transit Gateway from every private route table. Required.",
    ),
});

const peeringAccess = z.strictObject({
    kind: z.literal("peering").describe("Through a VPC peering connection this stack requests to the tooling VPC."),
    peerVpcId: z
        .string()
        .regex(/^vpc-[0-9a-f]{8,17}$/, "must be a VPC ID (vpc-...)")
        .describe("The tooling VPC (vpc-...): the bootstrap stack's output tooling.vpcId. Required."),
    peerAccountId: z
        .string()
        .regex(/^\d{12}$/, "must be a 12-digit AWS account ID")
        .optional()
        .describe("The tooling VPC's account. Default: this stack's account."),
    peerRegion: z
        .string()
        .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "must be an AWS region such as eu-west-1")
        .optional()
        .describe("The tooling VPC's region. Default: this stack's region."),
    cidrs: cidrList("the tooling VPC's CIDR").describe("The tooling VPC's CIDR, routed through the connection from every private route table. Required."),
    accepter: z
        .strictObject({
            roleArn: z
                .string()
                .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "must be an IAM role ARN")
                .describe("A role in the tooling VPC's account that may accept peering connections and add routes there. Required."),
            routeTableIds: z
                .array(z.string().regex(/^rtb-[0-9a-f]{8,17}$/, "must be a route table ID (rtb-...)"))
                .min(1, "must list the tooling VPC's runner route tables (the bootstrap stack's output tooling.privateRouteTableIds)")
                .describe("The tooling VPC's runner route tables (bootstrap output tooling.privateRouteTableIds), each given a route to this VPC. Required."),
        })
        .optional()
        .describe(
            "Accept the connection from this stack through a second provider that assumes roleArn. Default: not set; the bootstrap stack accepts it (network.platformPath.peers) on its next up.",
        ),
});

const existingAccess = z.strictObject({
    kind: z.literal("existing").describe("Through a path managed elsewhere (the network team's Transit Gateway routes): this stack creates no route."),
    cidrs: cidrList("the runners' networks").describe("The runners' CIDRs the path carries. Required."),
});

/** How the deploy runner reaches a private API endpoint; see docs/cluster.md. */
const RUNNER_ACCESS_KINDS = ["transitGateway", "peering", "existing"] as const;

export const networkSettingsSchema = z
    .strictObject({
        vpcCidr: z
            .string()
            .default("10.0.0.0/16")
            .describe(
                "Primary IPv4 CIDR of the VPC, in network form, /16 to /28: holds the private (node) and public subnets. " +
                    "Must not overlap `podCidr` or `cluster.serviceCidr`.",
            ),
        podCidr: z
            .string()
            .default("100.64.0.0/16")
            .describe(
                "Secondary IPv4 CIDR for pods (VPC CNI custom networking), /16 to /28, inside 100.64.0.0/10 or 198.19.0.0/16 " +
                    "(the ranges AWS allows for it), not overlapping `vpcCidr`. Carved into one pod subnet per zone.",
            ),
        azCount: z
            .int()
            .min(2, "must be at least 2 (EKS needs subnets in two AZs)")
            .default(3)
            .describe("Availability Zones to span, the region's first ones in AWS's order; at least 2 (EKS needs two) and at most what the region has."),
        privateSubnetPrefix: z
            .int()
            .min(16)
            .max(28)
            .default(20)
            .describe(
                "Prefix length of each zone's private (node) subnet; the default /20 gives 4,091 usable addresses. Must leave room for the nodes the pools can place in one zone.",
            ),
        publicSubnetPrefix: z
            .int()
            .min(16)
            .max(28)
            .default(24)
            .describe(
                "Prefix length of each zone's public subnet (NAT gateways and internet-facing load balancers); the default /24 gives 251 usable addresses.",
            ),
        podSubnetPrefix: z
            .int()
            .min(16)
            .max(28)
            .default(18)
            .describe(
                "Prefix length of each zone's pod subnet, in `podCidr`; the default /18 gives 16,379 usable addresses. " +
                    "Must hold the pods the node pools can place in one zone at their `maxSize`.",
            ),
        natGateways: z
            .enum(["none", "single", "perAz"])
            .default("perAz")
            .describe(
                "NAT gateways for egress from the private and pod subnets: `perAz` gives each zone its own; `single` shares one " +
                    "(cheaper, but that zone's outage cuts all egress); `none` needs `vpcEndpoints.enabled` for a private cluster.",
            ),
        vpcEndpoints: z
            .strictObject({
                enabled: z
                    .boolean()
                    .default(true)
                    .describe(
                        "Create the S3 gateway endpoint and the interface endpoints the stack's capabilities need (private DNS, HTTPS admitted from the VPC and pod CIDRs). Must stay true without NAT.",
                    ),
                additionalServices: z
                    .array(z.string())
                    .default([])
                    .describe(
                        "Interface endpoints beyond those the stack's capabilities need (which are always created), as short names (secretsmanager) or full service names of the stack's region (com.amazonaws.eu-west-1.secretsmanager). Default none.",
                    ),
            })
            .prefault({})
            .describe("VPC endpoints, so nodes and pods reach the AWS APIs the stack calls without NAT."),
        runnerAccess: z
            .discriminatedUnion("kind", [transitGatewayAccess, peeringAccess, existingAccess], {
                error: `must set kind to ${RUNNER_ACCESS_KINDS.map((kind) => `"${kind}"`)
                    .join(", ")
                    .replace(/, ([^,]*)$/, " or $1")}`,
            })
            .optional()
            .describe(
                "How the runner that executes `pulumi up` reaches a private API endpoint: transitGateway, peering or existing. Created before any Kubernetes call. Required with cluster.endpointAccess private. Default: not set.",
            ),
        flowLogs: z
            .strictObject({
                trafficType: z.enum(["ACCEPT", "REJECT", "ALL"]).default("ALL").describe("Traffic the flow logs record: accepted, rejected or both."),
                retentionDays: retentionDays(365, "How long the flow log group, encrypted with the platform key, keeps records"),
            })
            .prefault({})
            .describe("VPC flow logs, written to a CloudWatch log group."),
    })
    .prefault({})
    .describe("The VPC: its CIDRs, zones, subnets, NAT, endpoints and flow logs.");

export type NetworkSettings = z.output<typeof networkSettingsSchema>;
