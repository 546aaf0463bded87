// vCPU and memory of an instance type, derived from the EC2 naming convention where it holds
// exactly: in the general-purpose (m), compute (c) and memory (r) families of generation 5 and
// later, "large" has 2 vCPUs, "xlarge" 4 and "<n>xlarge" 4n, and memory per vCPU is fixed by
// the family letter. Families where that breaks (c5n, m5zn's siblings, burstable t, storage
// i/d, accelerated) are deliberately absent: an unlisted type is reported, not guessed, and
// a platform team adds it through the rule's `additionalInstanceShapes` config.

export interface InstanceShape {
    vcpus: number;
    memoryGiB: number;
}

const MEMORY_GIB_PER_VCPU: Record<string, number> = { c: 2, m: 4, r: 8 };

const REGULAR_FAMILIES = new Set([
    "c5",
    "c5a",
    "c5d",
    "c6a",
    "c6g",
    "c6gd",
    "c6i",
    "c6id",
    "c7a",
    "c7g",
    "c7gd",
    "c7i",
    "m5",
    "m5a",
    "m5d",
    "m6a",
    "m6g",
    "m6gd",
    "m6i",
    "m6id",
    "m7a",
    "m7g",
    "m7gd",
    "m7i",
    "r5",
    "r5a",
    "r5d",
    "r6a",
    "r6g",
    "r6gd",
    "r6i",
    "r6id",
    "r7a",
    "r7g",
    "r7gd",
    "r7i",
]);

export function familyOf(instanceType: string): string {
    return instanceType.split(".")[0];
}

export function shapeOf(instanceType: string, additional: Record<string, InstanceShape> = {}): InstanceShape | undefined {
    if (additional[instanceType]) {
        return additional[instanceType];
    }
    const [family, size] = instanceType.split(".");
    if (!REGULAR_FAMILIES.has(family) || size === undefined) {
        return undefined;
    }
    const sizeMatch = /^(\d*)xlarge$/.exec(size);
    const vcpus = size === "large" ? 2 : sizeMatch ? 4 * Number(sizeMatch[1] || 1) : undefined;
    return vcpus === undefined ? undefined : { vcpus, memoryGiB: vcpus * MEMORY_GIB_PER_VCPU[family[0]] };
}
