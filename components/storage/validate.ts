import { autoname, EFS_CREATION_TOKEN, IAM_ROLE, K8S_SUBDOMAIN_NAME, type NameUse, S3_BUCKET } from "../../config/names";
import type { ConfigProblem } from "../../config/problems";
import { clusterNameOrigin, type ValidationFacts } from "../capability";
import { storageResourceNames } from "./driverParts";
import {
    isPersistent,
    isValidLustreCapacity,
    lustreCapacityIncrementGiB,
    nextValidLustreCapacity,
    PER_UNIT_STORAGE_THROUGHPUT,
    supportsDataRepositoryAssociation,
} from "./lustre";
import { EBS_STORAGE_CLASS, EFS_STORAGE_CLASS, type LustreClass, type S3DataRepository, type StorageSettings } from "./settings";

/** Combinations FSx, EFS and Kubernetes would reject at apply time (or accept and regret), caught before anything registers. */
export function validateStorage(storage: StorageSettings, { environment, cidrPlan }: Pick<ValidationFacts, "environment" | "cidrPlan">): ConfigProblem[] {
    const { ebs, efs, fsx } = storage;
    const problems: ConfigProblem[] = [];
    const privateZones = cidrPlan?.privateSubnets.map((s) => s.availabilityZone);

    if (environment === "prod") {
        for (const [driver, enabled, policy] of [
            ["ebs", ebs.enabled, ebs.reclaimPolicy],
            ["efs", efs.enabled, efs.reclaimPolicy],
        ] as const) {
            if (enabled && policy !== "Retain") {
                problems.push({
                    path: `storage.${driver}.reclaimPolicy`,
                    value: policy,
                    message: 'must be "Retain" in prod: deleting a claim must never delete the data behind it',
                });
            }
        }
    }

    if (efs.enabled) {
        if (privateZones && privateZones.length === 0) {
            problems.push({
                path: "storage.efs.enabled",
                value: efs.enabled,
                message: "EFS needs a mount target in a private subnet of every AZ, and the network has no private subnets",
            });
        }
        if (efs.throughputMode === "provisioned" && efs.provisionedThroughputMibps === undefined) {
            problems.push({
                path: "storage.efs.provisionedThroughputMibps",
                value: undefined,
                message: 'is required with throughputMode "provisioned" (MiB/s, 1-3414)',
            });
        }
        if (efs.throughputMode !== "provisioned" && efs.provisionedThroughputMibps !== undefined) {
            problems.push({
                path: "storage.efs.provisionedThroughputMibps",
                value: efs.provisionedThroughputMibps,
                message: `applies only to throughputMode "provisioned" (throughputMode is "${efs.throughputMode}"); remove it or switch the mode`,
            });
        }
        if (efs.gidRangeStart > efs.gidRangeEnd) {
            problems.push({
                path: "storage.efs.gidRangeStart",
                value: efs.gidRangeStart,
                message: `must not exceed storage.efs.gidRangeEnd (${efs.gidRangeEnd})`,
            });
        }
    }

    if (fsx.enabled) {
        if (privateZones && privateZones.length === 0) {
            problems.push({
                path: "storage.fsx.enabled",
                value: fsx.enabled,
                message: "FSx for Lustre file systems live in a private subnet, and the network has no private subnets",
            });
        }
        if (fsx.availabilityZone !== undefined && privateZones && !privateZones.includes(fsx.availabilityZone)) {
            problems.push({
                path: "storage.fsx.availabilityZone",
                value: fsx.availabilityZone,
                message: `is not one of the stack's zones (${privateZones.join(", ")})`,
            });
        }
        problems.push(...validateLustreClasses(storage, environment));
        if (fsx.s3DataRepository) {
            problems.push(...validateS3LinkedFileSystem(fsx.s3DataRepository));
        }
    }
    return problems;
}

/** Each class's file systems, its prod reclaim policy, and a name no other StorageClass of the stack has (repeats: the generic rule). */
function validateLustreClasses(storage: StorageSettings, environment: ValidationFacts["environment"]): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const taken = [...(storage.ebs.enabled ? [["storage.ebs", EBS_STORAGE_CLASS]] : []), ...(storage.efs.enabled ? [["storage.efs", EFS_STORAGE_CLASS]] : [])];
    storage.fsx.classes.forEach((lustreClass, index) => {
        const path = `storage.fsx.classes[${index}]`;
        for (const [driver, name] of taken.filter(([, name]) => name === lustreClass.name)) {
            problems.push({
                path: `${path}.name`,
                value: lustreClass.name,
                message: `is the name of ${driver}'s StorageClass ("${name}"); two StorageClasses cannot share a name, so choose another`,
            });
        }
        problems.push(...validateLustreFileSystem(path, lustreClass));
        if (environment === "prod" && isPersistent(lustreClass.deploymentType) && lustreClass.reclaimPolicy !== "Retain") {
            problems.push({
                path: `${path}.reclaimPolicy`,
                value: lustreClass.reclaimPolicy,
                message: `must be "Retain" for a ${lustreClass.deploymentType} class in prod: deleting a claim must never delete persistent data (scratch classes may use "Delete")`,
            });
        }
    });
    return problems;
}

function validateS3LinkedFileSystem(repository: S3DataRepository): ConfigProblem[] {
    const path = "storage.fsx.s3DataRepository";
    const type = repository.deploymentType;
    const problems = validateLustreFileSystem(path, repository);
    if (!isValidLustreCapacity(type, repository.storageCapacityGiB)) {
        problems.push({
            path: `${path}.storageCapacityGiB`,
            value: repository.storageCapacityGiB,
            message: `is not a ${type} capacity: allowed are 1200, 2400 or a multiple of ${lustreCapacityIncrementGiB(type)} GiB (nearest above: ${nextValidLustreCapacity(type, repository.storageCapacityGiB)})`,
        });
    }
    if (!supportsDataRepositoryAssociation(type)) {
        problems.push({
            path: `${path}.deploymentType`,
            value: type,
            message: `has no data repository associations, which linking a bucket needs; use PERSISTENT_1 or PERSISTENT_2`,
        });
    } else if (!isPersistent(type)) {
        // The stack's own file systems must carry the platform key (guardrail fsx-lustre-customer-key), which FSx takes only on persistent types.
        problems.push({
            path: `${path}.deploymentType`,
            value: type,
            message: `cannot be encrypted with the platform key, which every file system the stack creates must be; use PERSISTENT_1 or PERSISTENT_2 (a scratch class serves ephemeral data)`,
        });
    }
    return problems;
}

/** Throughput and backups, which FSx accepts only on the deployment types that have them. */
function validateLustreFileSystem(path: string, fileSystem: LustreClass | S3DataRepository): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const type = fileSystem.deploymentType;
    const persistent = isPersistent(type);
    const throughputs = PER_UNIT_STORAGE_THROUGHPUT[type];
    if (fileSystem.perUnitStorageThroughput !== undefined) {
        if (!persistent) {
            problems.push({
                path: `${path}.perUnitStorageThroughput`,
                value: fileSystem.perUnitStorageThroughput,
                message: `is not accepted by ${type}: scratch file systems have a fixed throughput; remove it or use PERSISTENT_1/PERSISTENT_2`,
            });
        } else if (!throughputs.includes(fileSystem.perUnitStorageThroughput)) {
            problems.push({
                path: `${path}.perUnitStorageThroughput`,
                value: fileSystem.perUnitStorageThroughput,
                message: `is not a ${type} throughput tier; allowed (MB/s per TiB): ${throughputs.join(", ")}`,
            });
        }
    }
    if (!persistent && fileSystem.automaticBackupRetentionDays !== undefined && fileSystem.automaticBackupRetentionDays > 0) {
        problems.push({
            path: `${path}.automaticBackupRetentionDays`,
            value: fileSystem.automaticBackupRetentionDays,
            message: `is not accepted by ${type}: scratch file systems have no backups; remove it or use PERSISTENT_1/PERSISTENT_2`,
        });
    }
    if (fileSystem.dailyAutomaticBackupStartTime !== undefined && !(fileSystem.automaticBackupRetentionDays ?? 0)) {
        problems.push({
            path: `${path}.dailyAutomaticBackupStartTime`,
            value: fileSystem.dailyAutomaticBackupStartTime,
            message: "needs automaticBackupRetentionDays of 1 or more: without retention there is no daily backup to start",
        });
    }
    return problems;
}

/**
 * The drivers' auto-named roles and the EFS file system's creation token (from the cluster name),
 * and, for the S3-linked file system, the bucket it reads and the PersistentVolume it becomes.
 */
export function storageNames(storage: StorageSettings, facts: ValidationFacts): NameUse[] {
    const fromCluster = clusterNameOrigin(facts);
    const names = storageResourceNames(facts.clusterName);
    const role = (driver: string, what: string): NameUse => ({
        ...fromCluster,
        name: autoname(driver),
        rule: IAM_ROLE,
        composedAs: `the ${what} driver's role, auto-named`,
    });
    const uses: NameUse[] = [];
    if (storage.ebs.enabled) {
        uses.push(role(names.ebsDriver, "EBS CSI"));
    }
    if (storage.efs.enabled) {
        uses.push(role(names.efsDriver, "EFS CSI"), {
            ...fromCluster,
            name: autoname(names.efsFileSystem),
            rule: EFS_CREATION_TOKEN,
            composedAs: "the file system's creation token, auto-named",
        });
    }
    if (storage.fsx.enabled) {
        uses.push(role(names.fsxDriver, "FSx CSI"));
        const repository = storage.fsx.s3DataRepository;
        if (repository) {
            uses.push(
                { path: "storage.fsx.s3DataRepository.bucketName", value: repository.bucketName, name: repository.bucketName, rule: S3_BUCKET },
                { path: "storage.fsx.s3DataRepository.volumeName", value: repository.volumeName, name: repository.volumeName, rule: K8S_SUBDOMAIN_NAME },
            );
        }
    }
    return uses;
}
