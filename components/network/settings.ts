import { z } from "zod";
import { retentionDays } from "../logging/retention";

/** Interface endpoints a private cluster needs to pull images, join nodes and ship logs without NAT. */
const DEFAULT_INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "sts", "ec2", "logs", "elasticloadbalancing", "autoscaling"] as const;

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
                /** Interface endpoint service suffixes (com.amazonaws.<region>.<suffix>). Default: ecr.api, ecr.dkr, sts, ec2, logs, elasticloadbalancing, autoscaling. */
                interfaceServices: z
                    .array(z.string().regex(/^[a-z0-9.-]+$/, "must be a service suffix such as ecr.api"))
                    .default([...DEFAULT_INTERFACE_ENDPOINTS]),
            })
            .prefault({}),
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
