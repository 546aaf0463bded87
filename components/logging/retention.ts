import { z } from "zod";

/** The only retention periods CloudWatch Logs accepts (PutRetentionPolicy), in days. */
export const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/**
 * A CloudWatch Logs retention in days, described as `what` plus the periods CloudWatch accepts;
 * "never expire" is deliberately not offered.
 */
export function retentionDays(defaultDays: (typeof CLOUDWATCH_RETENTION_DAYS)[number], what: string) {
    return z
        .int()
        .refine((days) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(days), {
            message: `must be one of CloudWatch's retention periods: ${CLOUDWATCH_RETENTION_DAYS.join(", ")}`,
        })
        .default(defaultDays)
        .describe(`${what}, in days: one of the periods CloudWatch Logs accepts (${CLOUDWATCH_RETENTION_DAYS.join(", ")}); never-expire is not offered.`);
}
