import { z } from "zod";
import { retentionDays } from "../logging/retention";

/** Interface endpoints a private cluster needs to pull images, join nodes and ship logs without NAT. */
const DEFAULT_INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "sts", "ec2", "logs", "elasticloadbalancing", "autoscaling"] as const;

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
                    .describe("Create the S3 gateway endpoint and the interface endpoints (private DNS, HTTPS admitted from the VPC and pod CIDRs)."),
                interfaceServices: z
                    .array(z.string().regex(/^[a-z0-9.-]+$/, "must be a service suffix such as ecr.api"))
                    .default([...DEFAULT_INTERFACE_ENDPOINTS])
                    .describe(
                        "Interface endpoints, by the service suffix of `com.amazonaws.<region>.<suffix>`. " +
                            "The default is what nodes need to pull images, join the cluster and ship logs without NAT.",
                    ),
            })
            .prefault({})
            .describe("VPC endpoints, so nodes reach AWS APIs without NAT."),
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
