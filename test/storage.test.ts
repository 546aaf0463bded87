import { strict as assert } from "assert";
import { configErrorOf, STACKS as KNOWN_STACKS } from "./support";
import { CSI_ADDON_VERSIONS, csiAddonVersion } from "../components/storage/addonVersions";
import { KUBERNETES_VERSIONS } from "../components/cluster/versions";
import { isValidLustreCapacity, nextValidLustreCapacity } from "../components/storage/lustre";
import { validateStorage } from "../components/storage/validate";
import { settingsFromPulumiConfig, stackSettingsSchema } from "../config";
import { readStack } from "../tools/harness/render";
import type { CidrPlan } from "../components/network/cidrPlan";

describe("Lustre capacity rules", () => {
    it("accepts 1200, 2400 and multiples of 2400 GiB for SCRATCH_2 and PERSISTENT types", () => {
        for (const type of ["SCRATCH_2", "PERSISTENT_1", "PERSISTENT_2"] as const) {
            for (const gib of [1200, 2400, 4800, 7200, 24000]) {
                assert.ok(isValidLustreCapacity(type, gib), `${type} ${gib}`);
            }
            for (const gib of [600, 1000, 1800, 3600, 6000]) {
                assert.ok(!isValidLustreCapacity(type, gib), `${type} ${gib}`);
            }
        }
    });

    it("accepts 1200, 2400 and multiples of 3600 GiB for SCRATCH_1", () => {
        for (const gib of [1200, 2400, 3600, 7200, 10800]) {
            assert.ok(isValidLustreCapacity("SCRATCH_1", gib), String(gib));
        }
        for (const gib of [4800, 6000, 9600]) {
            assert.ok(!isValidLustreCapacity("SCRATCH_1", gib), String(gib));
        }
    });

    it("suggests the next valid capacity", () => {
        assert.equal(nextValidLustreCapacity("PERSISTENT_2", 1000), 1200);
        assert.equal(nextValidLustreCapacity("PERSISTENT_2", 1300), 2400);
        assert.equal(nextValidLustreCapacity("PERSISTENT_2", 3000), 4800);
        assert.equal(nextValidLustreCapacity("SCRATCH_1", 3000), 3600);
        assert.equal(nextValidLustreCapacity("SCRATCH_1", 5000), 7200);
    });
});

describe("CSI add-on pins", () => {
    it("pin every driver for every supported Kubernetes version, as an EKS build string", () => {
        for (const [addon, byVersion] of Object.entries(CSI_ADDON_VERSIONS)) {
            for (const version of KUBERNETES_VERSIONS) {
                assert.match(byVersion[version], /^v\d+\.\d+\.\d+-eksbuild\.\d+$/, `${addon} ${version}`);
            }
        }
    });

    it("refuse a version nobody pinned", () => {
        assert.throws(() => csiAddonVersion("aws-ebs-csi-driver", "1.20"), /no aws-ebs-csi-driver build pinned for Kubernetes 1.20/);
    });
});

describe("Storage validation", () => {
    const storage = (overrides: Record<string, unknown>) => ({ "eks-platform:storage": overrides });

    it("rejects an unknown FSx deployment type, listing the allowed ones", async () => {
        const message = await configErrorOf("dev", storage({ fsx: { deploymentType: "PERSISTENT_3" } }));
        assert.match(message, /storage\.fsx\.deploymentType = "PERSISTENT_3": must be one of SCRATCH_1, SCRATCH_2, PERSISTENT_1, PERSISTENT_2/);
    });

    it("rejects a throughput tier the deployment type does not offer", async () => {
        const message = await configErrorOf("prod", storage({ fsx: { perUnitStorageThroughput: 200 } }));
        assert.match(message, /storage\.fsx\.perUnitStorageThroughput = 200: is not a PERSISTENT_2 throughput tier; allowed \(MB\/s per TiB\): 125, 250, 500, 1000/);
        const persistent1 = await configErrorOf("prod", storage({ fsx: { deploymentType: "PERSISTENT_1", perUnitStorageThroughput: 250 } }));
        assert.match(persistent1, /storage\.fsx\.perUnitStorageThroughput = 250: is not a PERSISTENT_1 throughput tier; allowed \(MB\/s per TiB\): 50, 100, 200/);
    });

    it("rejects a throughput on a scratch file system", async () => {
        const message = await configErrorOf("dev", storage({ fsx: { perUnitStorageThroughput: 125 } }));
        assert.match(message, /storage\.fsx\.perUnitStorageThroughput = 125: is not accepted by SCRATCH_2: scratch file systems have a fixed throughput/);
    });

    it("rejects capacities off FSx's increments, suggesting the next valid one", async () => {
        const message = await configErrorOf("prod", storage({ fsx: { storageCapacityGiB: 3600 } }));
        assert.match(message, /storage\.fsx\.storageCapacityGiB = 3600: is not a PERSISTENT_2 capacity: allowed are 1200, 2400 or a multiple of 2400 GiB \(nearest above: 4800\)/);
        const scratch1 = await configErrorOf("dev", storage({ fsx: { deploymentType: "SCRATCH_1", storageCapacityGiB: 4800 } }));
        assert.match(scratch1, /storage\.fsx\.storageCapacityGiB = 4800: is not a SCRATCH_1 capacity: allowed are 1200, 2400 or a multiple of 3600 GiB \(nearest above: 7200\)/);
    });

    it("rejects an S3 data repository on SCRATCH_1, which has no data repository associations", async () => {
        const message = await configErrorOf("dev", storage({ fsx: { deploymentType: "SCRATCH_1", s3DataRepository: { bucketName: "ml-data" } } }));
        assert.match(message, /storage\.fsx\.s3DataRepository = .*: needs a data repository association, which SCRATCH_1 does not support/);
    });

    it("rejects an FSx zone outside the stack", async () => {
        const message = await configErrorOf("dev", storage({ fsx: { availabilityZone: "us-east-1a" } }));
        assert.match(message, /storage\.fsx\.availabilityZone = "us-east-1a": is not one of the stack's zones \(eu-west-1a, eu-west-1b, eu-west-1c\)/);
    });

    it("requires provisioned EFS throughput exactly when the mode is provisioned", async () => {
        const missing = await configErrorOf("dev", storage({ efs: { throughputMode: "provisioned" } }));
        assert.match(missing, /storage\.efs\.provisionedThroughputMibps = \(not set\): is required with throughputMode "provisioned"/);
        const stray = await configErrorOf("dev", storage({ efs: { provisionedThroughputMibps: 100 } }));
        assert.match(stray, /storage\.efs\.provisionedThroughputMibps = 100: applies only to throughputMode "provisioned" \(throughputMode is "elastic"\)/);
    });

    it("rejects an inverted EFS group-id range", async () => {
        const message = await configErrorOf("dev", storage({ efs: { gidRangeStart: 9000, gidRangeEnd: 1000 } }));
        assert.match(message, /storage\.efs\.gidRangeStart = 9000: must not exceed storage\.efs\.gidRangeEnd \(1000\)/);
    });

    it("rejects a default class whose driver is switched off", async () => {
        const message = await configErrorOf("dev", storage({ ebs: { enabled: false } }));
        assert.match(message, /storage\.ebs\.defaultClass = true: makes the gp3 class the default, but storage\.ebs\.enabled is false/);
    });

    it("keeps prod data: a Delete reclaim policy is rejected in prod", async () => {
        const message = await configErrorOf("prod", storage({ ebs: { reclaimPolicy: "Delete" }, efs: { reclaimPolicy: "Delete" } }));
        assert.match(message, /storage\.ebs\.reclaimPolicy = "Delete": must be "Retain" in prod/);
        assert.match(message, /storage\.efs\.reclaimPolicy = "Delete": must be "Retain" in prod/);
    });

    it("names unknown storage settings and what is allowed there", async () => {
        const message = await configErrorOf("dev", storage({ fsx: { throughput: 125 } }));
        assert.match(message, /storage\.fsx\.throughput = 125: is not a known setting; allowed here: enabled, deploymentType, perUnitStorageThroughput/);
    });

    it("rejects EFS and FSx when the network has no private subnets", () => {
        const dev = readStack("dev").config;
        const settings = stackSettingsSchema.parse(settingsFromPulumiConfig(Object.fromEntries(Object.entries(dev).map(([k, v]) => [k, JSON.stringify(v)]))));
        assert.ok(settings.storage.efs.enabled && settings.storage.fsx.enabled, "the dev stack enables EFS and FSx");
        const noPrivateSubnets = { privateSubnets: [], publicSubnets: [], podSubnets: [], usablePodIpsPerAz: 0 } as unknown as CidrPlan;
        const paths = validateStorage(settings, noPrivateSubnets).map((p) => `${p.path}: ${p.message}`);
        assert.ok(paths.some((p) => /^storage\.efs\.enabled: EFS needs a mount target in a private subnet of every AZ/.test(p)), paths.join("\n"));
        assert.ok(paths.some((p) => /^storage\.fsx\.enabled: FSx for Lustre file systems live in a private subnet/.test(p)), paths.join("\n"));
    });

    it("accepts every shipped stack", async () => {
        for (const stack of KNOWN_STACKS) {
            await assert.rejects(configErrorOf(stack, {}), /expected the configuration to be rejected/);
        }
    });
});
