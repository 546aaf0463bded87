import { z } from "zod";

const costAssumptionsSchema = z
    .strictObject({
        hoursPerMonth: z.number().min(1).max(744).default(730).describe("Hours billed per month for always-on resources (730 = 8,760 h / 12)."),
        spotDiscountPercent: z
            .number()
            .min(0)
            .max(95)
            .default(60)
            .describe("Spot price as a discount off the On-Demand price of the pool's instance types, in percent."),
        logIngestedGiBPerMonth: z
            .number()
            .min(0)
            .default(100)
            .describe("GiB of logs the cluster sends to CloudWatch Logs per month, spread over its log groups."),
        logStorageHorizonMonths: z.int().min(1).max(120).default(12).describe("Months of logs a log group that never expires is assumed to hold."),
        natProcessedGiBPerMonth: z.number().min(0).default(100).describe("GiB the NAT gateways process per month, spread over them."),
        endpointProcessedGiBPerMonth: z.number().min(0).default(50).describe("GiB the interface endpoints process per month, spread over them."),
        efsStoredGiB: z.number().min(0).default(100).describe("GiB stored on each EFS file system."),
        efsReadGiBPerMonth: z.number().min(0).default(100).describe("GiB read per month from each EFS file system with Elastic throughput."),
        efsWriteGiBPerMonth: z.number().min(0).default(20).describe("GiB written per month to each EFS file system with Elastic throughput."),
        s3StoredGiB: z.number().min(0).default(500).describe("GiB stored in each S3 bucket the stack creates."),
        athenaScannedGiBPerMonth: z
            .number()
            .min(0)
            .default(100)
            .describe("GiB the Athena queries of the log archive scan per month, spread over its workgroups (compressed bytes, as Athena bills them)."),
        meshProcessedGiBPerMonth: z.number().min(0).default(50).describe("GiB VPC Lattice services process per month, spread over them."),
        loadBalancerCapacityUnits: z
            .number()
            .min(0)
            .default(1)
            .describe("Capacity units (ALB LCUs, NLB NLCUs, GWLB GLCUs) each load balancer is billed per hour, on average."),
        classicLoadBalancerProcessedGiBPerMonth: z.number().min(0).default(100).describe("GiB each Classic Load Balancer processes per month."),
    })
    .prefault({})
    .describe(
        "What the monthly estimate assumes where the rendered resources cannot say (usage, not configuration); every value is printed with every estimate.",
    );

export type CostAssumptions = z.output<typeof costAssumptionsSchema>;

export const costSettingsSchema = z
    .strictObject({
        assumptions: costAssumptionsSchema,
        budget: z
            .strictObject({
                monthlyUsd: z.number().positive().describe("The budget, in USD per month."),
                basis: z
                    .enum(["desired", "maxSize"])
                    .default("desired")
                    .describe("Which estimate the budget caps: at the node pools' desired size, or at their maximum size."),
                enforcement: z
                    .enum(["advisory", "mandatory"])
                    .default("advisory")
                    .describe('"advisory" reports an estimate above the budget; "mandatory" also fails the plan (exit 1).'),
            })
            .optional()
            .describe("A monthly budget for the stack; the plan reports an estimate above it. When unset, no budget is checked."),
    })
    .prefault({})
    .describe("Assumptions of the offline plan's monthly cost estimate, and an optional budget. Deploys nothing.");

export type CostSettings = z.output<typeof costSettingsSchema>;

/** The assumptions with every default applied, for projects whose stacks have no cost settings. */
export const DEFAULT_COST_ASSUMPTIONS: CostAssumptions = costAssumptionsSchema.parse(undefined);
