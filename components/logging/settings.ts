import { z } from "zod";
import { retentionDays } from "./retention";

/** A Kubernetes resource quantity as the API accepts it for CPU ("100m", "1") or memory ("256Mi"). */
const cpuQuantity = z.string().regex(/^\d+(\.\d+)?m?$/, 'must be a Kubernetes CPU quantity such as "100m" or "1"');
const memoryQuantity = z.string().regex(/^\d+(Ki|Mi|Gi)$/, 'must be a Kubernetes memory quantity in Ki, Mi or Gi, such as "256Mi"');

export const loggingSettingsSchema = z
    .strictObject({
        fluentBit: z
            .strictObject({
                /** Run aws-for-fluent-bit on every node. Default true. */
                enabled: z.boolean().default(true),
                /** Days the application, host, dataplane (and Container Insights performance) groups keep logs; a CloudWatch-accepted value. Default 365. */
                retentionDays: retentionDays(365),
                /**
                 * Requests and limits of each Fluent Bit pod. Defaults hold a busy node's tail buffers
                 * (10 MB per input), the S3 rewrite emitter (10 MB) and the kubernetes filter cache.
                 */
                resources: z
                    .strictObject({
                        /** Default "100m". */
                        cpuRequest: cpuQuantity.default("100m"),
                        /** Default "128Mi". */
                        memoryRequest: memoryQuantity.default("128Mi"),
                        /** Default "500m". */
                        cpuLimit: cpuQuantity.default("500m"),
                        /** Default "512Mi". */
                        memoryLimit: memoryQuantity.default("512Mi"),
                    })
                    .prefault({}),
            })
            .prefault({}),
        s3: z
            .strictObject({
                /** Also ship container logs to S3 (cheaper long-term, queryable with Athena). Default false. */
                enabled: z.boolean().default(false),
                /** Bucket name; default "<cluster>-logs-<account>". */
                bucketName: z.string().optional(),
                /** Days before objects move to S3 Standard-IA; S3 requires at least 30. Default 30. */
                transitionToIaDays: z.int().min(1).default(30),
                /** Days before objects move to Glacier Flexible Retrieval; at least 30 after Standard-IA. Default 90. */
                transitionToGlacierDays: z.int().min(1).default(90),
                /** Days before objects expire; after the Glacier transition. Default 730. */
                expirationDays: z.int().min(1).default(730),
                /** Days a superseded (non-current) object version is kept before it is deleted. Default 30. */
                noncurrentVersionDays: z.int().min(1).default(30),
            })
            .prefault({}),
        containerInsights: z
            .strictObject({
                /** Install the amazon-cloudwatch-observability add-on (metrics, and logs when Fluent Bit is off). Default true. */
                enabled: z.boolean().default(true),
                /**
                 * Add-on version, as `aws eks describe-addon-versions` lists it. Default: the build
                 * components/versions.ts pins for the cluster's Kubernetes minor.
                 */
                addonVersion: z
                    .string()
                    .regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, 'must be an EKS add-on version such as "v6.4.0-eksbuild.1"')
                    .optional(),
            })
            .prefault({}),
    })
    .prefault({});

export type LoggingSettings = z.output<typeof loggingSettingsSchema>;
