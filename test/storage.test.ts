import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { configErrorOf, ofType, oneOfType, parseStackWith, physicalName, renderNamedStack, renderStackWith, STACKS as KNOWN_STACKS } from "./support";
import { isValidLustreCapacity, nextValidLustreCapacity } from "../components/storage/lustre";
import { validateStorage } from "../components/storage/validate";
import { lustreClassParameters } from "../components/storage/fsxLustreStorage";
import { storageSettingsSchema } from "../components/storage/settings";
import { settingsFromPulumiConfig } from "../config";
import { stackSettingsSchema } from "../config/stack";
import { PlannedResource, readStack } from "../tools/harness/render";
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

describe("Lustre classes", () => {
    it("default to the one PERSISTENT_2 class `fsx-lustre` when a stack enables FSx and lists none", () => {
        const { fsx } = storageSettingsSchema.parse({ fsx: { enabled: true } });
        assert.deepEqual(fsx.classes, [{ name: "fsx-lustre", deploymentType: "PERSISTENT_2", dataCompression: "LZ4", reclaimPolicy: "Retain" }]);
        assert.deepEqual(lustreClassParameters(fsx.classes[0], "arn:key"), {
            deploymentType: "PERSISTENT_2",
            dataCompressionType: "LZ4",
            fileSystemTypeVersion: "2.15",
            perUnitStorageThroughput: "125",
            kmsKeyId: "arn:key",
        });
    });

    it("pass backups to the driver only with a retention, and no start time FSx would choose", () => {
        const base = { name: "c", deploymentType: "PERSISTENT_1", dataCompression: "NONE", reclaimPolicy: "Retain" } as const;
        const withBackups = lustreClassParameters({ ...base, perUnitStorageThroughput: 100, automaticBackupRetentionDays: 3 }, "k");
        assert.deepEqual(withBackups, {
            deploymentType: "PERSISTENT_1",
            dataCompressionType: "NONE",
            fileSystemTypeVersion: "2.15",
            perUnitStorageThroughput: "100",
            kmsKeyId: "k",
            automaticBackupRetentionDays: "3",
            copyTagsToBackups: "true",
        });
        assert.equal(lustreClassParameters({ ...base, automaticBackupRetentionDays: 0 }, "k").automaticBackupRetentionDays, undefined);
    });
});

describe("Storage validation", () => {
    const storage = (overrides: Record<string, unknown>) => ({ "eks-platform:storage": overrides });

    const lustreClass = (overrides: Record<string, unknown>) =>
        storage({ fsx: { classes: [{ name: "lustre", deploymentType: "PERSISTENT_2", ...overrides }] } });
    const s3Linked = (overrides: Record<string, unknown>) => storage({ fsx: { s3DataRepository: { bucketName: "ml-data", ...overrides } } });

    it("rejects an unknown FSx deployment type, listing the allowed ones", async () => {
        const message = await configErrorOf("dev", lustreClass({ deploymentType: "PERSISTENT_3" }));
        assert.match(message, /storage\.fsx\.classes\[0\]\.deploymentType = "PERSISTENT_3": must be one of SCRATCH_1, SCRATCH_2, PERSISTENT_1, PERSISTENT_2/);
    });

    it("rejects a throughput tier the deployment type does not offer, in a class and on the S3-linked file system", async () => {
        const message = await configErrorOf("prod", lustreClass({ perUnitStorageThroughput: 200 }));
        assert.match(
            message,
            /storage\.fsx\.classes\[0\]\.perUnitStorageThroughput = 200: is not a PERSISTENT_2 throughput tier; allowed \(MB\/s per TiB\): 125, 250, 500, 1000/,
        );
        const persistent1 = await configErrorOf("prod", s3Linked({ deploymentType: "PERSISTENT_1", perUnitStorageThroughput: 250 }));
        assert.match(
            persistent1,
            /storage\.fsx\.s3DataRepository\.perUnitStorageThroughput = 250: is not a PERSISTENT_1 throughput tier; allowed \(MB\/s per TiB\): 50, 100, 200/,
        );
    });

    it("rejects a throughput or backups on a scratch class", async () => {
        const message = await configErrorOf(
            "dev",
            lustreClass({ deploymentType: "SCRATCH_2", perUnitStorageThroughput: 125, automaticBackupRetentionDays: 7 }),
        );
        assert.match(
            message,
            /storage\.fsx\.classes\[0\]\.perUnitStorageThroughput = 125: is not accepted by SCRATCH_2: scratch file systems have a fixed throughput/,
        );
        assert.match(
            message,
            /storage\.fsx\.classes\[0\]\.automaticBackupRetentionDays = 7: is not accepted by SCRATCH_2: scratch file systems have no backups/,
        );
    });

    it("rejects a backup start time without retention, or not a UTC HH:MM", async () => {
        const orphan = await configErrorOf("dev", lustreClass({ dailyAutomaticBackupStartTime: "02:00" }));
        assert.match(orphan, /storage\.fsx\.classes\[0\]\.dailyAutomaticBackupStartTime = "02:00": needs automaticBackupRetentionDays of 1 or more/);
        const malformed = await configErrorOf("dev", lustreClass({ automaticBackupRetentionDays: 7, dailyAutomaticBackupStartTime: "2am" }));
        assert.match(malformed, /storage\.fsx\.classes\[0\]\.dailyAutomaticBackupStartTime = "2am": must be a UTC time of day as HH:MM/);
        const tooLong = await configErrorOf("dev", lustreClass({ automaticBackupRetentionDays: 91 }));
        assert.match(tooLong, /storage\.fsx\.classes\[0\]\.automaticBackupRetentionDays = 91: /);
    });

    it("rejects two classes of one name", async () => {
        const classes = [
            { name: "lustre", deploymentType: "SCRATCH_2" },
            { name: "lustre", deploymentType: "PERSISTENT_2" },
        ];
        const message = await configErrorOf("dev", storage({ fsx: { classes } }));
        assert.match(
            message,
            /storage\.fsx\.classes\[1\]\.name = "lustre": repeats storage\.fsx\.classes\[0\] \(name "lustre"\): a class's name is its StorageClass's/,
        );
    });

    it("keeps persistent Lustre in prod but lets a scratch class delete with its claim", async () => {
        const classes = [
            { name: "scratch", deploymentType: "SCRATCH_2", reclaimPolicy: "Delete" },
            { name: "lustre", deploymentType: "PERSISTENT_2", reclaimPolicy: "Delete" },
        ];
        const message = await configErrorOf("prod", storage({ fsx: { classes } }));
        assert.match(message, /storage\.fsx\.classes\[1\]\.reclaimPolicy = "Delete": must be "Retain" for a PERSISTENT_2 class in prod/);
        assert.doesNotMatch(message, /classes\[0\]/);
    });

    it("rejects S3-linked capacities off FSx's increments, suggesting the next valid one", async () => {
        const message = await configErrorOf("prod", s3Linked({ storageCapacityGiB: 3600 }));
        assert.match(
            message,
            /storage\.fsx\.s3DataRepository\.storageCapacityGiB = 3600: is not a PERSISTENT_2 capacity: allowed are 1200, 2400 or a multiple of 2400 GiB \(nearest above: 4800\)/,
        );
        const persistent1 = await configErrorOf("dev", s3Linked({ deploymentType: "PERSISTENT_1", storageCapacityGiB: 6000 }));
        assert.match(
            persistent1,
            /storage\.fsx\.s3DataRepository\.storageCapacityGiB = 6000: is not a PERSISTENT_1 capacity: allowed are 1200, 2400 or a multiple of 2400 GiB \(nearest above: 7200\)/,
        );
    });

    it("rejects a scratch S3-linked file system: SCRATCH_1 has no data repository associations, neither takes the platform key", async () => {
        const scratch1 = await configErrorOf("dev", s3Linked({ deploymentType: "SCRATCH_1", storageCapacityGiB: 3600 }));
        assert.match(scratch1, /storage\.fsx\.s3DataRepository\.deploymentType = "SCRATCH_1": has no data repository associations/);
        const scratch2 = await configErrorOf("dev", s3Linked({ deploymentType: "SCRATCH_2" }));
        assert.match(scratch2, /storage\.fsx\.s3DataRepository\.deploymentType = "SCRATCH_2": cannot be encrypted with the platform key/);
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

    it("rejects settings of a driver that is switched off, and takes a switched-off driver without them", async () => {
        const message = await configErrorOf("dev", storage({ ebs: { enabled: false, defaultClass: true } }));
        assert.match(message, /storage\.ebs\.defaultClass = true: is set, but storage\.ebs\.enabled is false, so the feature is off/);
        assert.match(message, /storage\.ebs\.reclaimPolicy = "Delete": is set, but storage\.ebs\.enabled is false/);
        assert.equal(parseStackWith("dev", storage({ ebs: { enabled: false, reclaimPolicy: undefined } })).storage.ebs.enabled, false);
    });

    it("keeps prod data: a Delete reclaim policy is rejected in prod", async () => {
        const message = await configErrorOf("prod", storage({ ebs: { reclaimPolicy: "Delete" }, efs: { reclaimPolicy: "Delete" } }));
        assert.match(message, /storage\.ebs\.reclaimPolicy = "Delete": must be "Retain" in prod/);
        assert.match(message, /storage\.efs\.reclaimPolicy = "Delete": must be "Retain" in prod/);
    });

    it("names unknown storage settings and what is allowed there", async () => {
        const message = await configErrorOf("dev", storage({ fsx: { deploymentType: "SCRATCH_2" } }));
        assert.match(
            message,
            /storage\.fsx\.deploymentType = "SCRATCH_2": is not a known setting; allowed here: enabled, availabilityZone, classes, s3DataRepository/,
        );
    });

    it("rejects EFS and FSx when the network has no private subnets", () => {
        const dev = readStack("dev").config;
        const settings = stackSettingsSchema.parse(settingsFromPulumiConfig(Object.fromEntries(Object.entries(dev).map(([k, v]) => [k, JSON.stringify(v)]))));
        assert.ok(settings.storage.efs.enabled && settings.storage.fsx.enabled, "the dev stack enables EFS and FSx");
        const noPrivateSubnets = { privateSubnets: [], publicSubnets: [], podSubnets: [], usablePodIpsPerAz: 0 } as unknown as CidrPlan;
        const paths = validateStorage(settings.storage, { environment: "dev", cidrPlan: noPrivateSubnets }).map((p) => `${p.path}: ${p.message}`);
        assert.ok(
            paths.some((p) => /^storage\.efs\.enabled: EFS needs a mount target in a private subnet of every AZ/.test(p)),
            paths.join("\n"),
        );
        assert.ok(
            paths.some((p) => /^storage\.fsx\.enabled: FSx for Lustre file systems live in a private subnet/.test(p)),
            paths.join("\n"),
        );
    });

    it("accepts every shipped stack", () => {
        for (const stack of KNOWN_STACKS) {
            assert.doesNotThrow(() => parseStackWith(stack), stack);
        }
    });
});

type Props = Record<string, unknown>;

const ADDON = "aws:eks/addon:Addon";
const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

/** The value an output resolves to under the mocks (ids and ARNs the program passes on). */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

function storageClass(resources: PlannedResource[], name: string): PlannedResource | undefined {
    return ofType(resources, STORAGE_CLASS).find((c) => (c.props.metadata as Props).name === name);
}

/** The IAM role a managed add-on's service account assumes, found by the role name in its ARN. */
function roleOfAddon(resources: PlannedResource[], addon: PlannedResource): PlannedResource {
    const roleName = String(addon.props.serviceAccountRoleArn).split("/").pop();
    const roles = ofType(resources, "aws:iam/role:Role").filter((r) => physicalName(r) === roleName);
    assert.equal(roles.length, 1, `roles named ${roleName}`);
    return roles[0];
}

function inlinePolicyOf(resources: PlannedResource[], role: PlannedResource): { Statement: Props[] } {
    const policy = ofType(resources, "aws:iam/rolePolicy:RolePolicy").find((p) => p.parent === role.parent);
    assert.ok(policy, `${role.name} has no inline policy`);
    return JSON.parse(String(policy.props.policy));
}

function managedPoliciesOf(resources: PlannedResource[], role: PlannedResource): string[] {
    return ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((a) => a.parent === role.parent)
        .map((a) => String(a.props.policyArn));
}

/** Ingress or egress rules of one group, as "tcp 988-988 from <peer>" strings. */
function rulesOf(resources: PlannedResource[], type: string, groupId: string, peers: Record<string, string>): string[] {
    return ofType(resources, type)
        .filter((r) => r.props.securityGroupId === groupId)
        .map((r) => {
            const peer = (r.props.referencedSecurityGroupId ?? r.props.cidrIpv4) as string;
            return `${String(r.props.ipProtocol)} ${String(r.props.fromPort)}-${String(r.props.toPort)} ${peers[peer] ?? peer}`;
        })
        .sort();
}

/** The CSI drivers a stack file enables (EBS always), read as the program reads them. */
function expectedDrivers(stack: string): Record<"ebs" | "efs" | "fsx", boolean> {
    const { storage } = parseStackWith(stack);
    return { ebs: true, efs: storage.efs.enabled, fsx: storage.fsx.enabled };
}

const DRIVERS = [
    { key: "ebs", addon: "aws-ebs-csi-driver", serviceAccount: "ebs-csi-controller-sa" },
    { key: "efs", addon: "aws-efs-csi-driver", serviceAccount: "efs-csi-controller-sa" },
    { key: "fsx", addon: "aws-fsx-csi-driver", serviceAccount: "fsx-csi-controller-sa" },
] as const;

describe("Storage component, per environment", () => {
    for (const stack of KNOWN_STACKS) {
        describe(stack, () => {
            it("installs exactly the enabled drivers as pinned managed add-ons, each with its own IRSA role", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const addons = ofType(resources, ADDON);
                const issuer = await valueOf(program.platform.cluster.oidcIssuer);
                const providerArn = await valueOf(program.platform.cluster.oidcProviderArn);
                for (const driver of DRIVERS) {
                    const found = addons.filter((a) => a.props.addonName === driver.addon);
                    assert.equal(found.length, expectedDrivers(stack)[driver.key] ? 1 : 0, `${driver.addon} add-ons`);
                    if (found.length === 0) {
                        continue;
                    }
                    const addon = found[0];
                    assert.equal(addon.props.clusterName, program.config.clusterName);
                    const role = roleOfAddon(resources, addon);
                    const trust = JSON.parse(String(role.props.assumeRolePolicy));
                    assert.equal(trust.Statement.length, 1);
                    assert.equal(trust.Statement[0].Principal.Federated, providerArn);
                    assert.deepEqual(trust.Statement[0].Condition.StringEquals, {
                        [`${issuer}:sub`]: `system:serviceaccount:kube-system:${driver.serviceAccount}`,
                        [`${issuer}:aud`]: "sts.amazonaws.com",
                    });
                    assert.ok(addon.dependsOn.includes(role.urn), `${driver.addon} must wait for its role`);
                }
            });

            it("starts the driver add-ons only after everything CoreDNS waits for: their controllers need nodes", async () => {
                const { resources } = await renderNamedStack(stack);
                const coreDns = oneOfType(resources, "eksplatform:cluster:CoreDns");
                for (const addon of ofType(resources, ADDON).filter((a) => String(a.props.addonName).endsWith("-csi-driver"))) {
                    const missing = coreDns.dependsOn.filter((urn) => !addon.dependsOn.includes(urn));
                    assert.deepEqual(missing, [], `${String(addon.props.addonName)} may start before ${missing.join(", ")}`);
                }
            });

            it("lets the EBS driver use the platform key only for AWS-resource grants, on top of the scoped managed policy", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const keyArn = await valueOf(program.platform.key.arn);
                const role = roleOfAddon(resources, oneOfType(resources, ADDON, "ebs-csi"));
                assert.deepEqual(managedPoliciesOf(resources, role), ["arn:aws:iam::aws:policy/AmazonEBSCSIDriverPolicyV2"]);
                const statements = inlinePolicyOf(resources, role).Statement;
                assert.deepEqual(
                    statements.map((s) => s.Resource),
                    [keyArn, keyArn],
                );
                const grants = statements.find((s) => (s.Action as string[]).includes("kms:CreateGrant"));
                assert.deepEqual(grants?.Action, ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]);
                assert.deepEqual(grants?.Condition, { Bool: { "kms:GrantIsForAWSResource": "true" } });
                const use = statements.find((s) => s !== grants);
                assert.deepEqual(use?.Action, ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]);
            });

            it("makes the encrypted gp3 class the only default StorageClass, with no in-tree EBS class", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const classes = ofType(resources, STORAGE_CLASS);
                const defaults = classes.filter(
                    (c) => ((c.props.metadata as Props).annotations as Props | undefined)?.["storageclass.kubernetes.io/is-default-class"] === "true",
                );
                assert.deepEqual(
                    defaults.map((c) => (c.props.metadata as Props).name),
                    ["gp3"],
                );
                assert.ok(!classes.some((c) => c.props.provisioner === "kubernetes.io/aws-ebs"), "an in-tree EBS class is registered");
                const gp3 = storageClass(resources, "gp3")!;
                assert.equal(gp3.props.provisioner, "ebs.csi.aws.com");
                assert.deepEqual(gp3.props.parameters, {
                    type: "gp3",
                    "csi.storage.k8s.io/fstype": "ext4",
                    encrypted: "true",
                    kmsKeyId: await valueOf(program.platform.key.arn),
                });
                assert.equal(gp3.props.volumeBindingMode, "WaitForFirstConsumer");
                assert.equal(gp3.props.allowVolumeExpansion, true);
                assert.equal(gp3.props.reclaimPolicy, stack === "dev" ? "Delete" : "Retain");
            });

            it("creates every Kubernetes object with the cluster's provider", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const providerUrn = await valueOf(program.platform.cluster.kubeProvider.urn);
                const objects = resources.filter((r) => r.type.startsWith("kubernetes:") && r.parent?.includes("eksplatform:storage:"));
                assert.ok(objects.length >= 2);
                for (const object of objects) {
                    assert.equal(object.provider, providerUrn, object.name);
                }
            });

            it("puts an encrypted EFS file system in every private AZ, reachable on NFS only from nodes and pods", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const efs = program.platform.addOns.storage.efs!;
                const fileSystem = oneOfType(resources, "aws:efs/fileSystem:FileSystem");
                assert.equal(fileSystem.props.encrypted, true);
                assert.equal(fileSystem.props.kmsKeyId, await valueOf(program.platform.key.arn));
                assert.equal(fileSystem.props.automaticBackupRetentionDays, undefined, "S3 is the data set's copy of record: no backups configured");
                assert.deepEqual(fileSystem.props.lifecyclePolicies, [
                    { transitionToIa: "AFTER_30_DAYS" },
                    { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" },
                ]);
                const protect = program.config.protection.protectStatefulResources;
                assert.equal(fileSystem.options.protect, protect);
                assert.equal(fileSystem.options.retainOnDelete, protect);
                assert.deepEqual(oneOfType(resources, "aws:efs/backupPolicy:BackupPolicy").props.backupPolicy, {
                    status: stack === "dev" ? "DISABLED" : "ENABLED",
                });

                const fileSystemId = await valueOf(efs.fileSystem.id);
                const groupId = await valueOf(efs.securityGroup.id);
                const mountTargets = ofType(resources, "aws:efs/mountTarget:MountTarget");
                const subnetByZone = Object.fromEntries(
                    await Promise.all(Object.entries(program.platform.network.privateSubnetIds).map(async ([zone, id]) => [await valueOf(id), zone])),
                );
                assert.deepEqual(mountTargets.map((m) => subnetByZone[String(m.props.subnetId)]).sort(), [...program.config.availabilityZones].sort());
                for (const target of mountTargets) {
                    assert.equal(target.props.fileSystemId, fileSystemId);
                    assert.deepEqual(target.props.securityGroups, [groupId]);
                }
                const nodeGroupId = await valueOf(program.platform.cluster.nodeSecurityGroupId);
                const peers = { [nodeGroupId]: "nodes", [program.config.network.podCidr]: "pods" };
                assert.deepEqual(rulesOf(resources, INGRESS, groupId, peers), ["tcp 2049-2049 nodes", "tcp 2049-2049 pods"]);
                assert.deepEqual(rulesOf(resources, EGRESS, groupId, peers), []);

                const efsClass = storageClass(resources, "efs")!;
                assert.equal(efsClass.props.provisioner, "efs.csi.aws.com");
                assert.deepEqual(efsClass.props.parameters, {
                    provisioningMode: "efs-ap",
                    fileSystemId,
                    directoryPerms: "700",
                    gidRangeStart: "50000",
                    gidRangeEnd: "7000000",
                });
                assert.equal(efsClass.props.reclaimPolicy, stack === "dev" ? "Delete" : "Retain");
                for (const target of mountTargets) {
                    assert.ok(efsClass.dependsOn.includes(target.urn), "the EFS class must wait for the mount targets");
                }
                assert.deepEqual(managedPoliciesOf(resources, roleOfAddon(resources, oneOfType(resources, ADDON, "efs-csi"))), [
                    "arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy",
                ]);
            });

            if (expectedDrivers(stack).fsx) {
                it("opens Lustre's ports (988, 1018-1023) between the file servers, nodes and pods, and nothing else", async () => {
                    const { resources, program } = await renderNamedStack(stack);
                    const groupId = await valueOf(program.platform.addOns.storage.fsx!.securityGroup.id);
                    const nodeGroupId = await valueOf(program.platform.cluster.nodeSecurityGroupId);
                    const peers = { [groupId]: "self", [nodeGroupId]: "nodes", [program.config.network.podCidr]: "pods" };
                    const expected = ["nodes", "pods", "self"].flatMap((peer) => [`tcp 1018-1023 ${peer}`, `tcp 988-988 ${peer}`]).sort();
                    assert.deepEqual(rulesOf(resources, INGRESS, groupId, peers), expected);
                    assert.deepEqual(rulesOf(resources, EGRESS, groupId, peers), expected);
                    const fromFsx = ofType(resources, INGRESS).filter(
                        (r) => r.props.securityGroupId === nodeGroupId && r.props.referencedSecurityGroupId === groupId,
                    );
                    assert.deepEqual(fromFsx.map((r) => `${String(r.props.fromPort)}-${String(r.props.toPort)}`).sort(), ["1018-1023", "988-988"]);
                });

                it("offers each configured Lustre class, with persistent-only parameters on persistent classes", async () => {
                    const { resources, program } = await renderNamedStack(stack);
                    const { classes } = program.config.storage.fsx;
                    const zone = program.config.availabilityZones[0];
                    const common = {
                        subnetId: await valueOf(program.platform.network.privateSubnetIds[zone]),
                        securityGroupIds: await valueOf(program.platform.addOns.storage.fsx!.securityGroup.id),
                        dataCompressionType: "LZ4",
                        fileSystemTypeVersion: "2.15",
                    };
                    const keyArn = await valueOf(program.platform.key.arn);
                    const lustreClasses = ofType(resources, STORAGE_CLASS).filter((c) => c.props.provisioner === "fsx.csi.aws.com");
                    assert.deepEqual(lustreClasses.map((c) => (c.props.metadata as Props).name).sort(), classes.map((c) => c.name).sort());
                    assert.deepEqual(
                        classes.map((c) => c.deploymentType).sort(),
                        ["PERSISTENT_2", "SCRATCH_2"],
                        `${stack} offers a scratch and a persistent class side by side`,
                    );
                    const expected: Record<string, { parameters: Props; reclaimPolicy: string }> = {
                        dev: {
                            "fsx-scratch": { parameters: { ...common, deploymentType: "SCRATCH_2" }, reclaimPolicy: "Delete" },
                            "fsx-lustre": {
                                parameters: { ...common, deploymentType: "PERSISTENT_2", perUnitStorageThroughput: "125", kmsKeyId: keyArn },
                                reclaimPolicy: "Delete",
                            },
                        },
                        prod: {
                            "fsx-scratch": { parameters: { ...common, deploymentType: "SCRATCH_2" }, reclaimPolicy: "Delete" },
                            "fsx-lustre": {
                                parameters: {
                                    ...common,
                                    deploymentType: "PERSISTENT_2",
                                    perUnitStorageThroughput: "250",
                                    kmsKeyId: keyArn,
                                    automaticBackupRetentionDays: "14",
                                    dailyAutomaticBackupStartTime: "02:00",
                                    copyTagsToBackups: "true",
                                },
                                reclaimPolicy: "Retain",
                            },
                        },
                    }[stack]!;
                    for (const lustreClass of lustreClasses) {
                        const name = (lustreClass.props.metadata as Props).name as string;
                        assert.deepEqual(
                            { parameters: lustreClass.props.parameters, reclaimPolicy: lustreClass.props.reclaimPolicy },
                            expected[name],
                            `${stack} class ${name}`,
                        );
                        assert.equal(lustreClass.props.allowVolumeExpansion, true, `${name}: SCRATCH_2 and PERSISTENT_2 file systems grow`);
                    }

                    const statements = inlinePolicyOf(resources, roleOfAddon(resources, oneOfType(resources, ADDON, "fsx-csi"))).Statement;
                    const destructive = statements.find((s) => (s.Action as string[]).includes("fsx:DeleteFileSystem"));
                    assert.deepEqual(destructive?.Condition, { Null: { "aws:ResourceTag/CSIVolumeName": "false" } });
                    assert.ok(
                        statements.some((s) => String(s.Action).includes("kms:")),
                        "a persistent class encrypts with the platform key, so the driver is granted it",
                    );
                });
            }
        });
    }

    it("prod links a protected PERSISTENT_2 file system to the data set bucket and exposes it as a static volume", async () => {
        const { resources, program } = await renderNamedStack("prod");
        const fileSystem = oneOfType(resources, "aws:fsx/lustreFileSystem:LustreFileSystem");
        assert.deepEqual(
            [
                fileSystem.props.deploymentType,
                fileSystem.props.perUnitStorageThroughput,
                fileSystem.props.storageCapacity,
                fileSystem.props.fileSystemTypeVersion,
            ],
            ["PERSISTENT_2", 250, 2400, "2.15"],
        );
        assert.equal(fileSystem.props.kmsKeyId, await valueOf(program.platform.key.arn));
        assert.equal(fileSystem.props.automaticBackupRetentionDays, undefined, "S3 is the data set's copy of record: no backups configured");
        assert.deepEqual([fileSystem.options.protect, fileSystem.options.retainOnDelete], [true, true]);

        const association = oneOfType(resources, "aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation");
        const fileSystemId = await valueOf(program.platform.addOns.storage.fsx!.s3LinkedFileSystem!.id);
        assert.equal(association.props.fileSystemId, fileSystemId);
        assert.equal(association.props.dataRepositoryPath, "s3://example-corp-ml-datasets-prod/training/");
        assert.equal(association.props.fileSystemPath, "/datasets");

        const volume = oneOfType(resources, "kubernetes:core/v1:PersistentVolume");
        const spec = volume.props.spec as Props;
        assert.equal((volume.props.metadata as Props).name, "fsx-s3-data");
        assert.deepEqual(spec.csi, {
            driver: "fsx.csi.aws.com",
            volumeHandle: fileSystemId,
            volumeAttributes: { dnsname: `${fileSystemId}.fsx.eu-west-1.amazonaws.com`, mountname: "abcdefgh" },
        });
        assert.deepEqual([spec.storageClassName, spec.persistentVolumeReclaimPolicy, (spec.capacity as Props).storage], ["", "Retain", "2400Gi"]);
        assert.ok(volume.dependsOn.includes(association.urn), "the volume must wait for the data to be linked");
    });

    it("switches each driver off per environment", async () => {
        // A driver that is off takes no other setting: dev's are removed with it.
        const { resources } = await renderStackWith("dev", {
            "eks-platform:storage": {
                ebs: { enabled: false, reclaimPolicy: undefined },
                efs: { enabled: false, backups: undefined, reclaimPolicy: undefined },
                fsx: { enabled: false, classes: undefined },
            },
        });
        assert.deepEqual(
            ofType(resources, ADDON)
                .map((a) => a.props.addonName)
                .filter((n) => String(n).includes("csi")),
            [],
        );
        assert.deepEqual(ofType(resources, STORAGE_CLASS), []);
        assert.deepEqual(ofType(resources, "aws:efs/fileSystem:FileSystem"), []);
    });

    it("places dynamically provisioned Lustre in the configured zone, and grants the driver no key when every class is scratch", async () => {
        const { resources, program } = await renderStackWith("dev", {
            "eks-platform:storage": {
                fsx: { availabilityZone: "eu-west-1c", classes: [{ name: "fsx-scratch", deploymentType: "SCRATCH_2", reclaimPolicy: "Delete" }] },
            },
        });
        const lustreClasses = ofType(resources, STORAGE_CLASS).filter((c) => c.props.provisioner === "fsx.csi.aws.com");
        assert.deepEqual(
            lustreClasses.map((c) => [(c.props.metadata as Props).name, (c.props.parameters as Props).subnetId]),
            [["fsx-scratch", await valueOf(program.platform.network.privateSubnetIds["eu-west-1c"])]],
        );
        const statements = inlinePolicyOf(resources, roleOfAddon(resources, oneOfType(resources, ADDON, "fsx-csi"))).Statement;
        assert.ok(!statements.some((s) => String(s.Action).includes("kms:")), "scratch file systems are not encrypted with the platform key");
    });
});
