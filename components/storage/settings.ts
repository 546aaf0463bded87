import { z } from "zod";

const reclaimPolicy = z.enum(["Delete", "Retain"]);

export const ebsSettingsSchema = z
    .strictObject({
        /** Install the EBS CSI driver and its gp3 StorageClass. Default true. */
        enabled: z.boolean().default(true),
        /** What happens to a volume when its claim is deleted. Default Retain. */
        reclaimPolicy: reclaimPolicy.default("Retain"),
        /** Make the gp3 class the cluster default. Default true. */
        defaultClass: z.boolean().default(true),
    })
    .prefault({});

export const efsSettingsSchema = z
    .strictObject({
        /** Create an EFS file system, the EFS CSI driver and its StorageClass. Default false. */
        enabled: z.boolean().default(false),
        /** bursting, elastic (pay per use) or provisioned. Default elastic. */
        throughputMode: z.enum(["bursting", "elastic", "provisioned"]).default("elastic"),
        /** MiB/s, only with throughputMode provisioned (1-3414). */
        provisionedThroughputMibps: z.number().min(1).max(3414).optional(),
        /** Move files to Infrequent Access after this long unread. Default AFTER_30_DAYS. */
        transitionToIa: z
            .enum(["AFTER_1_DAY", "AFTER_7_DAYS", "AFTER_14_DAYS", "AFTER_30_DAYS", "AFTER_60_DAYS", "AFTER_90_DAYS", "AFTER_180_DAYS", "AFTER_270_DAYS", "AFTER_365_DAYS"])
            .default("AFTER_30_DAYS"),
        /** AWS Backup automatic backups. Default true. */
        backups: z.boolean().default(true),
        /** Reclaim policy of the StorageClass. Default Retain. */
        reclaimPolicy: reclaimPolicy.default("Retain"),
    })
    .prefault({});

export const fsxSettingsSchema = z
    .strictObject({
        /** Install the FSx for Lustre CSI driver and its StorageClass. Default false. */
        enabled: z.boolean().default(false),
        /** Lustre deployment type. Default PERSISTENT_2. */
        deploymentType: z.enum(["SCRATCH_1", "SCRATCH_2", "PERSISTENT_1", "PERSISTENT_2"]).default("PERSISTENT_2"),
        /** MB/s per TiB; PERSISTENT_1: 50, 100, 200; PERSISTENT_2: 125, 250, 500, 1000; none for SCRATCH. */
        perUnitStorageThroughput: z.int().optional(),
        /** Capacity of dynamically provisioned and static file systems, in GiB. Default 1200. */
        storageCapacityGiB: z.int().default(1200),
        /** Data compression: LZ4 or NONE. Default LZ4. */
        dataCompression: z.enum(["LZ4", "NONE"]).default("LZ4"),
        /** Reclaim policy of the StorageClass. Default Retain. */
        reclaimPolicy: reclaimPolicy.default("Retain"),
        /** A static file system linked to this S3 bucket (data repository association), exposed as a PersistentVolume. Default none. */
        s3DataRepository: z
            .strictObject({
                /** Existing S3 bucket holding the data set. */
                bucketName: z.string(),
                /** Prefix inside the bucket. Default the whole bucket. */
                prefix: z.string().default(""),
                /** Lustre path the data appears under. Default /data. */
                fileSystemPath: z.string().default("/data"),
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
