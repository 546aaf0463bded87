import { z } from "zod";

/**
 * What the monthly estimate assumes where the rendered resources cannot say (usage, not
 * configuration). Every value is printed with every estimate; docs/cost.md explains each.
 */
export const costAssumptionsSchema = z
    .strictObject({
        /** Hours billed per month for always-on resources. Default 730 (8,760 h / 12). */
        hoursPerMonth: z.number().min(1).max(744).default(730),
        /** Spot price as a discount off the On-Demand price of the pool's instance types, in percent. Default 60. */
        spotDiscountPercent: z.number().min(0).max(95).default(60),
        /** GiB of logs the cluster sends to CloudWatch Logs per month, spread over its log groups. Default 100. */
        logIngestedGiBPerMonth: z.number().min(0).default(100),
        /** Months of logs a log group that never expires is assumed to hold. Default 12. */
        logStorageHorizonMonths: z.int().min(1).max(120).default(12),
        /** GiB the NAT gateways process per month, spread over them. Default 100. */
        natProcessedGiBPerMonth: z.number().min(0).default(100),
        /** GiB the interface endpoints process per month, spread over them. Default 50. */
        endpointProcessedGiBPerMonth: z.number().min(0).default(50),
        /** GiB stored on each EFS file system. Default 100. */
        efsStoredGiB: z.number().min(0).default(100),
        /** GiB read and written per month on each EFS file system with Elastic throughput. Defaults 100 and 20. */
        efsReadGiBPerMonth: z.number().min(0).default(100),
        efsWriteGiBPerMonth: z.number().min(0).default(20),
        /** GiB stored in each S3 bucket the stack creates. Default 500. */
        s3StoredGiB: z.number().min(0).default(500),
        /** GiB VPC Lattice services process per month, spread over them. Default 50. */
        meshProcessedGiBPerMonth: z.number().min(0).default(50),
        /** Capacity units (ALB LCUs, NLB NLCUs, GWLB GLCUs) each load balancer is billed per hour, on average. Default 1. */
        loadBalancerCapacityUnits: z.number().min(0).default(1),
        /** GiB each Classic Load Balancer processes per month. Default 100. */
        classicLoadBalancerProcessedGiBPerMonth: z.number().min(0).default(100),
    })
    .prefault({});

export type CostAssumptions = z.output<typeof costAssumptionsSchema>;

export const costSettingsSchema = z
    .strictObject({
        assumptions: costAssumptionsSchema,
        /** A monthly budget for the stack; the plan reports an estimate above it. Default: none. */
        budget: z
            .strictObject({
                /** USD per month. */
                monthlyUsd: z.number().positive(),
                /** Which estimate the budget caps: at the node pools' desired size, or at their maximum size. Default "desired". */
                basis: z.enum(["desired", "maxSize"]).default("desired"),
                /** "advisory" reports it; "mandatory" also fails the plan (exit 1). Default "advisory". */
                enforcement: z.enum(["advisory", "mandatory"]).default("advisory"),
            })
            .optional(),
    })
    .prefault({});

export type CostSettings = z.output<typeof costSettingsSchema>;

/** The assumptions with every default applied, for projects whose stacks have no cost settings. */
export const DEFAULT_COST_ASSUMPTIONS: CostAssumptions = costAssumptionsSchema.parse(undefined);
