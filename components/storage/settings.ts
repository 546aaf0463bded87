import { z } from "zod";
import { uniqueBy } from "../../config/schemaRules";
import { LUSTRE_DEPLOYMENT_TYPES, LustreDeploymentType } from "./lustre";

const reclaimPolicy = z.enum(["Delete", "Retain"], { error: 'must be "Delete" or "Retain"' });

const ebsSettingsSchema = z
    .strictObject({
        enabled: z.boolean().default(true).describe("Install the EBS CSI driver add-on and the `gp3` StorageClass (volumes encrypted with the platform key)."),
        reclaimPolicy: reclaimPolicy
            .default("Retain")
            .describe("What deleting a claim does to its volume: `Retain` keeps it, `Delete` deletes it. Must be `Retain` in prod."),
        defaultClass: z.boolean().default(true).describe("Make `gp3` the cluster's one default StorageClass, for claims that name none; needs `ebs.enabled`."),
    })
    .prefault({})
    .describe("EBS: block volumes, one pod (ReadWriteOnce) in one zone.");

const efsSettingsSchema = z
    .strictObject({
        enabled: z
            .boolean()
            .default(false)
            .describe(
                "Create an encrypted EFS file system with a mount target in every zone's private subnet, the EFS CSI driver add-on and the `efs` StorageClass.",
            ),
        throughputMode: z
            .enum(["bursting", "elastic", "provisioned"])
            .default("elastic")
            .describe(
                "EFS throughput mode: `elastic` scales with demand and bills per GiB transferred; `bursting` scales with the data stored, plus burst credits; `provisioned` buys a fixed rate.",
            ),
        provisionedThroughputMibps: z
            .number()
            .min(1)
            .max(3414)
            .optional()
            .describe("Throughput bought, in MiB/s; required with, and only with, `throughputMode: provisioned`."),
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
            .default("AFTER_30_DAYS")
            .describe("How long a file stays unread before it moves to Infrequent Access; it returns to Standard on its first read."),
        backups: z.boolean().default(true).describe("Daily AWS Backup backups, through the file system's backup policy."),
        reclaimPolicy: reclaimPolicy
            .default("Retain")
            .describe("What deleting a claim does: `Delete` removes its access point (the directory stays on the file system). Must be `Retain` in prod."),
        directoryPerms: z
            .string()
            .regex(/^[0-7]{3,4}$/, 'must be octal permissions such as "700"')
            .default("700")
            .describe("Permissions of the root directory of each claim's access point."),
        gidRangeStart: z
            .int()
            .min(1)
            .default(50000)
            .describe("First POSIX group id handed to claims' access points, at most `gidRangeEnd`; the default is the driver's own."),
        gidRangeEnd: z.int().min(1).default(7000000).describe("Last POSIX group id handed to claims' access points; the default is the driver's own."),
    })
    .prefault({})
    .describe("EFS: one regional file system shared by any number of pods (ReadWriteMany), one access point per claim.");

/**
 * What a Lustre file system takes, whoever creates it: the FSx CSI driver for a claim on a class,
 * or the stack for the S3-linked file system. Which combinations FSx accepts is checked in
 * validate.ts, per deployment type.
 */
const lustreFileSystemShape = {
    perUnitStorageThroughput: z
        .int()
        .optional()
        .describe(
            "Throughput in MB/s per TiB stored: 50, 100 or 200 for PERSISTENT_1; 125, 250, 500 or 1000 for PERSISTENT_2; not accepted by SCRATCH types. " +
                "When unset, the cheapest tier of a persistent type (50 or 125).",
        ),
    dataCompression: z.enum(["LZ4", "NONE"]).default("LZ4").describe("Data compression of the file systems."),
    automaticBackupRetentionDays: z
        .int()
        .min(0)
        .max(90)
        .optional()
        .describe("Days FSx keeps the daily automatic backups, 1-90 (0 turns them off); PERSISTENT types only. When unset, no automatic backups."),
    dailyAutomaticBackupStartTime: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a UTC time of day as HH:MM, such as "03:00"')
        .optional()
        .describe("UTC time of day (HH:MM) the daily backup starts; needs automaticBackupRetentionDays. When unset, FSx chooses."),
};

const lustreDeploymentType = z.enum(LUSTRE_DEPLOYMENT_TYPES, { error: `must be one of ${LUSTRE_DEPLOYMENT_TYPES.join(", ")}` });

const lustreClassSchema = z
    .strictObject({
        name: z
            .string()
            .max(253)
            .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, "must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.')")
            .describe("Name of the StorageClass: what claims set as storageClassName."),
        deploymentType: lustreDeploymentType.describe(
            "Lustre deployment type of the file systems this class creates: `SCRATCH_2` is fast and cheap but not replicated (for data a job can " +
                "regenerate); `PERSISTENT_2` is replicated within its zone, encrypted with the platform key, with throughput bought per TiB and backups.",
        ),
        ...lustreFileSystemShape,
        reclaimPolicy: reclaimPolicy
            .default("Retain")
            .describe("What deleting a claim does: `Delete` deletes its whole file system. Must be `Retain` for PERSISTENT classes in prod."),
    })
    .describe("A StorageClass that creates one Lustre file system per claim.");

/** The StorageClasses the EBS and EFS drivers get; a Lustre class may not take their names. */
export const EBS_STORAGE_CLASS = "gp3";
export const EFS_STORAGE_CLASS = "efs";

/** The class a stack gets when it enables FSx and lists none: the one class the platform offered before classes were configurable. */
export const DEFAULT_LUSTRE_CLASS_NAME = "fsx-lustre";

const DEFAULT_LUSTRE_CLASSES: z.output<typeof lustreClassSchema>[] = [
    { name: DEFAULT_LUSTRE_CLASS_NAME, deploymentType: "PERSISTENT_2", dataCompression: "LZ4", reclaimPolicy: "Retain" },
];

const fsxSettingsSchema = z
    .strictObject({
        enabled: z
            .boolean()
            .default(false)
            .describe("Install the FSx for Lustre CSI driver add-on, the Lustre security group, its classes and the S3-linked file system."),
        availabilityZone: z
            .string()
            .optional()
            .describe("Zone whose private subnet holds the file systems (Lustre is single-zone); one of the stack's zones. When unset, the first zone."),
        classes: z
            .array(lustreClassSchema)
            .default(DEFAULT_LUSTRE_CLASSES)
            .meta(uniqueBy(["name"], "a class's name is its StorageClass's, so each class needs its own"))
            .describe(
                "The Lustre StorageClasses, side by side (e.g. a SCRATCH_2 and a PERSISTENT_2 class), each with its own parameters; names unique. " +
                    "When unset, one PERSISTENT_2 class, `fsx-lustre`.",
            ),
        s3DataRepository: z
            .strictObject({
                bucketName: z
                    .string()
                    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)")
                    .describe("Existing S3 bucket holding the data set."),
                prefix: z
                    .string()
                    .regex(/^([^/].*)?$/, "must not start with /")
                    .default("")
                    .describe("Prefix inside the bucket, without a leading `/`; empty links the whole bucket."),
                fileSystemPath: z
                    .string()
                    .regex(/^\/[^\s]*[^/\s]$/, "must be an absolute directory path other than /, such as /data")
                    .default("/data")
                    .describe("Lustre directory the bucket's objects appear under."),
                volumeName: z
                    .string()
                    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label")
                    .default("fsx-s3-data")
                    .describe("Name of the PersistentVolume that exposes the file system."),
                deploymentType: lustreDeploymentType
                    .default("PERSISTENT_2")
                    .describe("Lustre deployment type of the S3-linked file system: PERSISTENT_1 or PERSISTENT_2, the types that take the platform key."),
                storageCapacityGiB: z
                    .int()
                    .default(1200)
                    .describe("Size of the S3-linked file system, in GiB: 1200, 2400, then multiples of 2400 (of 3600 for SCRATCH_1)."),
                ...lustreFileSystemShape,
            })
            .optional()
            .describe(
                "A statically provisioned file system linked to an S3 bucket (a data repository association: objects appear as files, " +
                    "imported lazily), exposed as a PersistentVolume. When unset, none.",
            ),
    })
    .prefault({})
    .describe("FSx for Lustre: high-throughput file systems shared by many pods, one zone each, optionally linked to S3.");

export const storageSettingsSchema = z
    .strictObject({
        ebs: ebsSettingsSchema,
        efs: efsSettingsSchema,
        fsx: fsxSettingsSchema,
    })
    .prefault({})
    .describe("CSI drivers and StorageClasses for EBS, EFS and FSx for Lustre.");

export type StorageSettings = z.output<typeof storageSettingsSchema>;
export type FsxSettings = StorageSettings["fsx"];
export type LustreClass = FsxSettings["classes"][number];
export type S3DataRepository = NonNullable<FsxSettings["s3DataRepository"]>;

/** A Lustre file system's type and throughput, whether a class or the S3-linked file system asks for it. */
type LustreThroughput = Pick<LustreClass, "deploymentType" | "perUnitStorageThroughput">;

/**
 * perUnitStorageThroughput when the stack leaves it unset: the cheapest tier of a persistent type,
 * none for scratch. Explicit because the FSx CSI driver would otherwise send "200", which
 * PERSISTENT_2 rejects.
 */
function defaultPerUnitStorageThroughput(type: LustreDeploymentType): number | undefined {
    return type === "PERSISTENT_1" ? 50 : type === "PERSISTENT_2" ? 125 : undefined;
}

/** The throughput tier in effect for a class or the S3-linked file system. */
export function perUnitStorageThroughputOf(fileSystem: LustreThroughput): number | undefined {
    return fileSystem.perUnitStorageThroughput ?? defaultPerUnitStorageThroughput(fileSystem.deploymentType);
}
