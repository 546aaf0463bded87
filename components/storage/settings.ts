import { z } from "zod";
import { LUSTRE_DEPLOYMENT_TYPES, LustreDeploymentType } from "./lustre";

const reclaimPolicy = z.enum(["Delete", "Retain"], { error: 'must be "Delete" or "Retain"' });

const ebsSettingsSchema = z
    .strictObject({
        /** Install the EBS CSI driver add-on and its encrypted gp3 StorageClass. Default true. */
        enabled: z.boolean().default(true),
        /** What happens to a volume when its claim is deleted. Default Retain. */
        reclaimPolicy: reclaimPolicy.default("Retain"),
        /** Make the gp3 class the cluster's one default StorageClass. Default true. */
        defaultClass: z.boolean().default(true),
    })
    .prefault({});

const efsSettingsSchema = z
    .strictObject({
        /** Create an EFS file system with a mount target per AZ, the EFS CSI driver and its StorageClass. Default false. */
        enabled: z.boolean().default(false),
        /** bursting, elastic (pay per use) or provisioned. Default elastic. */
        throughputMode: z.enum(["bursting", "elastic", "provisioned"]).default("elastic"),
        /** MiB/s, only with throughputMode provisioned (1-3414). Default none. */
        provisionedThroughputMibps: z.number().min(1).max(3414).optional(),
        /** Move files to Infrequent Access after this long unread. Default AFTER_30_DAYS. */
        transitionToIa: z
            .enum([
                "AFTER_1_DAY",
                "AFTER_7_DAYS",
                "AFTER_14_DAYS",
                "AFTER_30_DAYS",
                "AFTER_60_DAYS",
                "AFTER_90_DAYS",
                "AFTER_180_DAYS",
                "AFTER_270_DAYS",
                "AFTER_365_DAYS",
            ])
            .default("AFTER_30_DAYS"),
        /** AWS Backup automatic daily backups (the file system's backup policy). Default true. */
        backups: z.boolean().default(true),
        /** Reclaim policy of the StorageClass (Delete removes the claim's access point). Default Retain. */
        reclaimPolicy: reclaimPolicy.default("Retain"),
        /** Octal permissions of each claim's access-point root directory. Default "700". */
        directoryPerms: z
            .string()
            .regex(/^[0-7]{3,4}$/, 'must be octal permissions such as "700"')
            .default("700"),
        /** First POSIX group id handed to claims' access points. Default 50000 (the driver's own default). */
        gidRangeStart: z.int().min(1).default(50000),
        /** Last POSIX group id handed to claims' access points. Default 7000000 (the driver's own default). */
        gidRangeEnd: z.int().min(1).default(7000000),
    })
    .prefault({});

const fsxSettingsSchema = z
    .strictObject({
        /** Install the FSx for Lustre CSI driver and its StorageClass. Default false. */
        enabled: z.boolean().default(false),
        /** Lustre deployment type: SCRATCH_1, SCRATCH_2, PERSISTENT_1 or PERSISTENT_2. Default PERSISTENT_2. */
        deploymentType: z.enum(LUSTRE_DEPLOYMENT_TYPES, { error: `must be one of ${LUSTRE_DEPLOYMENT_TYPES.join(", ")}` }).default("PERSISTENT_2"),
        /**
         * MB/s per TiB: PERSISTENT_1 50, 100 or 200; PERSISTENT_2 125, 250, 500 or 1000; not allowed
         * for SCRATCH. Default: the lowest the persistent type accepts (see defaultPerUnitStorageThroughput).
         */
        perUnitStorageThroughput: z.int().optional(),
        /** Capacity of the S3-linked file system, in GiB (1200, 2400, then FSx's increments). Default 1200. */
        storageCapacityGiB: z.int().default(1200),
        /** Data compression: LZ4 or NONE. Default LZ4. */
        dataCompression: z.enum(["LZ4", "NONE"]).default("LZ4"),
        /** Reclaim policy of the StorageClass (Delete deletes a claim's whole file system). Default Retain. */
        reclaimPolicy: reclaimPolicy.default("Retain"),
        /** Zone whose private subnet holds dynamically provisioned file systems (Lustre is single-AZ). Default the first zone. */
        availabilityZone: z.string().optional(),
        /** A static file system linked to this S3 bucket (data repository association), exposed as a PersistentVolume. Default none. */
        s3DataRepository: z
            .strictObject({
                /** Existing S3 bucket holding the data set. */
                bucketName: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)"),
                /** Prefix inside the bucket, without leading slash. Default the whole bucket. */
                prefix: z
                    .string()
                    .regex(/^([^/].*)?$/, "must not start with /")
                    .default(""),
                /** Lustre directory the data appears under. Default /data. */
                fileSystemPath: z
                    .string()
                    .regex(/^\/[^\s]*[^/\s]$/, "must be an absolute directory path other than /, such as /data")
                    .default("/data"),
                /** Name of the PersistentVolume that exposes the file system. Default fsx-s3-data. */
                volumeName: z
                    .string()
                    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label")
                    .default("fsx-s3-data"),
            })
            .optional(),
    })
    .prefault({});

export const storageSettingsSchema = z
    .strictObject({
        ebs: ebsSettingsSchema,
        efs: efsSettingsSchema,
        fsx: fsxSettingsSchema,
    })
    .prefault({});

export type StorageSettings = z.output<typeof storageSettingsSchema>;
export type FsxSettings = StorageSettings["fsx"];

/**
 * perUnitStorageThroughput when the stack leaves it unset: the cheapest tier of a persistent type,
 * none for scratch. Explicit because the FSx CSI driver would otherwise send "200", which
 * PERSISTENT_2 rejects.
 */
function defaultPerUnitStorageThroughput(type: LustreDeploymentType): number | undefined {
    return type === "PERSISTENT_1" ? 50 : type === "PERSISTENT_2" ? 125 : undefined;
}

/** The throughput tier in effect for the FSx settings. */
export function perUnitStorageThroughputOf(fsx: FsxSettings): number | undefined {
    return fsx.perUnitStorageThroughput ?? defaultPerUnitStorageThroughput(fsx.deploymentType);
}
