import { z } from "zod";
import { alsoReadWhile } from "../../config/schemaRules";
import { retentionDays } from "./retention";

/** A Kubernetes resource quantity as the API accepts it for CPU ("100m", "1") or memory ("256Mi"). */
const cpuQuantity = z.string().regex(/^\d+(\.\d+)?m?$/, 'must be a Kubernetes CPU quantity such as "100m" or "1"');
const memoryQuantity = z.string().regex(/^\d+(Ki|Mi|Gi)$/, 'must be a Kubernetes memory quantity in Ki, Mi or Gi, such as "256Mi"');

export const loggingSettingsSchema = z
    .strictObject({
        fluentBit: z
            .strictObject({
                enabled: z
                    .boolean()
                    .default(true)
                    .describe("Run aws-for-fluent-bit on every node, shipping container, host and data-plane logs to CloudWatch Logs."),
                retentionDays: retentionDays(
                    365,
                    "How long the application, host and data-plane log groups (and Container Insights' performance group) keep logs, " +
                        "whichever shipper writes them (with Fluent Bit off, Container Insights does)",
                ).meta(alsoReadWhile("logging.containerInsights.enabled")),
                resources: z
                    .strictObject({
                        cpuRequest: cpuQuantity.default("100m").describe("CPU each Fluent Bit pod requests."),
                        memoryRequest: memoryQuantity.default("128Mi").describe("Memory each Fluent Bit pod requests."),
                        cpuLimit: cpuQuantity.default("500m").describe("CPU limit of each Fluent Bit pod."),
                        memoryLimit: memoryQuantity
                            .default("512Mi")
                            .describe(
                                "Memory limit of each Fluent Bit pod; the default holds a busy node's tail buffers (10 MB per input), the 10 MB S3 emitter buffer and the metadata cache.",
                            ),
                    })
                    .prefault({})
                    .describe("Requests and limits of each Fluent Bit pod."),
            })
            .prefault({})
            .describe("Fluent Bit, the log shipper on every node."),
        s3: z
            .strictObject({
                enabled: z
                    .boolean()
                    .default(false)
                    .describe("Also archive container logs in an S3 bucket (cheaper long-term, queryable with Athena); needs `fluentBit.enabled`."),
                bucketName: z
                    .string()
                    .optional()
                    .describe(
                        "Name of the archive bucket, checked against S3's naming rules before anything is created. When unset, `<cluster>-logs-<account>`.",
                    ),
                transitionToIaDays: z.int().min(1).default(30).describe("Days after which objects move to S3 Standard-IA; S3 requires at least 30."),
                transitionToGlacierDays: z
                    .int()
                    .min(1)
                    .default(90)
                    .describe("Days after which objects move to Glacier Flexible Retrieval; at least 30 after `transitionToIaDays`."),
                expirationDays: z
                    .int()
                    .min(1)
                    .default(730)
                    .describe("Days after which objects expire; more than `transitionToGlacierDays` (Glacier bills at least 90 days per object)."),
                noncurrentVersionDays: z
                    .int()
                    .min(1)
                    .default(30)
                    .describe("Days a superseded object version (after expiry, for example) is kept before it is deleted."),
                athena: z
                    .strictObject({
                        bytesScannedCutoffPerQueryGiB: z
                            .int()
                            .min(1)
                            .max(1024)
                            .default(10)
                            .describe(
                                "Largest amount of data one query of the archive's workgroup may scan, in GiB; Athena cancels a query that reaches it " +
                                    "(Athena bills per byte scanned).",
                            ),
                        resultsExpirationDays: z
                            .int()
                            .min(1)
                            .default(30)
                            .describe("Days the workgroup's query results are kept in the bucket (under athena-results/) before they expire."),
                    })
                    .prefault({})
                    .describe("The Athena workgroup, Glue tables and saved queries created with the archive, so it can be queried without a manual step."),
            })
            .prefault({})
            .describe("The S3 archive of container logs: versioned, encrypted with the platform key, with a lifecycle."),
        containerInsights: z
            .strictObject({
                enabled: z
                    .boolean()
                    .default(true)
                    .describe("Install the `amazon-cloudwatch-observability` add-on: Container Insights metrics (and logs, when Fluent Bit is off)."),
                addonVersion: z
                    .string()
                    .regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, 'must be an EKS add-on version such as "v6.4.0-eksbuild.1"')
                    .optional()
                    .describe(
                        "Add-on version, as `aws eks describe-addon-versions` lists it. When unset, the build components/versions.ts pins for the cluster's Kubernetes minor.",
                    ),
            })
            .prefault({})
            .describe("Container Insights, through the CloudWatch observability add-on."),
    })
    .prefault({})
    .describe("Node log shipping (Fluent Bit to CloudWatch Logs), the S3 log archive and Container Insights.");

export type LoggingSettings = z.output<typeof loggingSettingsSchema>;
