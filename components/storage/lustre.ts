/**
 * FSx for Lustre's rules for deployment types, throughput tiers and capacities, as the FSx
 * CreateFileSystem API reference states them (StorageCapacity, PerUnitStorageThroughput) and the
 * EKS "Deploy the FSx for Lustre driver" guide repeats for claims. SSD storage only: HDD and
 * Intelligent-Tiering are not offered by this platform.
 */
export const LUSTRE_DEPLOYMENT_TYPES = ["SCRATCH_1", "SCRATCH_2", "PERSISTENT_1", "PERSISTENT_2"] as const;

export type LustreDeploymentType = (typeof LUSTRE_DEPLOYMENT_TYPES)[number];

/** MB/s per TiB each deployment type accepts; scratch file systems have a fixed throughput and accept none. */
export const PER_UNIT_STORAGE_THROUGHPUT: Record<LustreDeploymentType, readonly number[]> = {
    SCRATCH_1: [],
    SCRATCH_2: [],
    PERSISTENT_1: [50, 100, 200],
    PERSISTENT_2: [125, 250, 500, 1000],
};

/** The smallest capacity of every deployment type, in GiB. */
const MIN_LUSTRE_CAPACITY_GIB = 1200;

/** Capacities above the first steps come in multiples of this many GiB. */
export function lustreCapacityIncrementGiB(type: LustreDeploymentType): number {
    return type === "SCRATCH_1" ? 3600 : 2400;
}

export function isPersistent(type: LustreDeploymentType): boolean {
    return type === "PERSISTENT_1" || type === "PERSISTENT_2";
}

/**
 * SCRATCH_2 and PERSISTENT_*: 1200 GiB, 2400 GiB or a multiple of 2400 GiB.
 * SCRATCH_1: 1200 GiB, 2400 GiB or a multiple of 3600 GiB.
 */
export function isValidLustreCapacity(type: LustreDeploymentType, gib: number): boolean {
    if (!Number.isInteger(gib) || gib < MIN_LUSTRE_CAPACITY_GIB) {
        return false;
    }
    return gib === 1200 || gib === 2400 || gib % lustreCapacityIncrementGiB(type) === 0;
}

/** The smallest valid capacity at or above `gib`, to suggest in an error. */
export function nextValidLustreCapacity(type: LustreDeploymentType, gib: number): number {
    if (gib <= 1200) {
        return 1200;
    }
    if (gib <= 2400) {
        return 2400;
    }
    const increment = lustreCapacityIncrementGiB(type);
    return Math.ceil(gib / increment) * increment;
}

/**
 * Data repository associations (a directory linked to an S3 prefix) exist on Lustre 2.12 and 2.15
 * file systems of every deployment type except SCRATCH_1 (FSx API reference,
 * CreateDataRepositoryAssociation).
 */
export function supportsDataRepositoryAssociation(type: LustreDeploymentType): boolean {
    return type !== "SCRATCH_1";
}

/**
 * Lustre server version for every file system this platform creates: 2.15 is valid for every
 * deployment type, matches the Lustre client built for current AL2023/Bottlerocket kernels, and
 * carries data repository associations; the API default, 2.10, carries none.
 */
export const LUSTRE_VERSION = "2.15";
