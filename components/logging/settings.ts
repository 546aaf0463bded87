import { z } from "zod";
import { retentionDays } from "./retention";

export const loggingSettingsSchema = z
    .strictObject({
        fluentBit: z
            .strictObject({
                /** Run aws-for-fluent-bit on every node. Default true. */
                enabled: z.boolean().default(true),
                /** Days the application, host and dataplane log groups keep logs. Default 365. */
                retentionDays: retentionDays(365),
            })
            .prefault({}),
        s3: z
            .strictObject({
                /** Also ship container logs to S3 (cheaper long-term, queryable with Athena). Default false. */
                enabled: z.boolean().default(false),
                /** Bucket name; default "<cluster>-logs-<account>". */
                bucketName: z.string().optional(),
                /** Days before objects move to S3 Standard-IA. Default 30. */
                transitionToIaDays: z.int().min(30).default(30),
                /** Days before objects move to Glacier Flexible Retrieval. Default 90. */
                transitionToGlacierDays: z.int().min(1).default(90),
                /** Days before objects expire. Default 730. */
                expirationDays: z.int().min(1).default(730),
            })
            .prefault({}),
        containerInsights: z
            .strictObject({
                /** Install the amazon-cloudwatch-observability add-on. Default true. */
                enabled: z.boolean().default(true),
            })
            .prefault({}),
    })
    .prefault({});

export type LoggingSettings = z.output<typeof loggingSettingsSchema>;
