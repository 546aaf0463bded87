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
export const RUNNER_ACCESS_KINDS = ["transitGateway", "peering", "existing"] as const;

export const networkSettingsSchema = z
    .strictObject({
        /** Primary VPC CIDR, holding node and public subnets. Default 10.0.0.0/16. */
        vpcCidr: z.string().default("10.0.0.0/16"),
        /** Secondary CIDR for pods (VPC CNI custom networking); inside 100.64.0.0/10 or 198.19.0.0/16. Default 100.64.0.0/16. */
        podCidr: z.string().default("100.64.0.0/16"),
        /** Number of Availability Zones, at least 2. Default 3. */
        azCount: z.int().min(2, "must be at least 2 (EKS needs subnets in two AZs)").default(3),
        /** Prefix length of each private (node) subnet. Default 20 (4,091 usable IPs). */
        privateSubnetPrefix: z.int().min(16).max(28).default(20),
        /** Prefix length of each public subnet (load balancers, NAT). Default 24. */
        publicSubnetPrefix: z.int().min(16).max(28).default(24),
        /** Prefix length of each pod subnet in the secondary CIDR. Default 18 (16,379 usable IPs). */
        podSubnetPrefix: z.int().min(16).max(28).default(18),
        /** NAT gateways: none, one shared (cheap, one AZ's failure cuts egress) or one per AZ. Default perAz. */
        natGateways: z.enum(["none", "single", "perAz"]).default("perAz"),
        vpcEndpoints: z
            .strictObject({
                /** Create the S3 gateway endpoint and the interface endpoints. Default true. */
                enabled: z.boolean().default(true),
                additionalServices: z
                    .array(z.string())
                    .default([])
                    .describe(
                        "Interface endpoints beyond those the stack's capabilities need (which are always created), as short names (secretsmanager) or full service names of the stack's region (com.amazonaws.eu-west-1.secretsmanager). Default none.",
                    ),
            })
            .prefault({}),
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
                /** Traffic captured: ACCEPT, REJECT or ALL. Default ALL. */
                trafficType: z.enum(["ACCEPT", "REJECT", "ALL"]).default("ALL"),
                /** Days CloudWatch keeps flow logs; a CloudWatch-accepted value. Default 365. */
                retentionDays: retentionDays(365),
            })
            .prefault({}),
    })
    .prefault({});

export type NetworkSettings = z.output<typeof networkSettingsSchema>;
