import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { configErrorOf, ofType, oneOfType, parseStackWith, physicalName, renderNamedStack, renderStackWith, STACKS as KNOWN_STACKS } from "./support";
import { isValidLustreCapacity, nextValidLustreCapacity } from "../components/storage/lustre";
import { validateStorage } from "../components/storage/validate";
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

describe("Storage validation", () => {
    const storage = (overrides: Record<string, unknown>) => ({ "eks-platform:storage": overrides });

    it("rejects an unknown FSx deployment type, listing the allowed ones", async () => {
        const message = await configErrorOf("dev", storage({ fsx: { deploymentType: "PERSISTENT_3" } }));
        assert.match(message, /storage\.fsx\.deploymentType = "PERSISTENT_3": must be one of SCRATCH_1, SCRATCH_2, PERSISTENT_1, PERSISTENT_2/);
    });

    it("rejects a throughput tier the deployment type does not offer", async () => {
        const message = await configErrorOf("prod", storage({ fsx: { perUnitStorageThroughput: 200 } }));
        assert.match(
            message,
            /storage\.fsx\.perUnitStorageThroughput = 200: is not a PERSISTENT_2 throughput tier; allowed \(MB\/s per TiB\): 125, 250, 500, 1000/,
        );
        const persistent1 = await configErrorOf("prod", storage({ fsx: { deploymentType: "PERSISTENT_1", perUnitStorageThroughput: 250 } }));
        assert.match(
            persistent1,
            /storage\.fsx\.perUnitStorageThroughput = 250: is not a PERSISTENT_1 throughput tier; allowed \(MB\/s per TiB\): 50, 100, 200/,
        );
    });

    it("rejects a throughput on a scratch file system", async () => {
        const message = await configErrorOf("dev", storage({ fsx: { perUnitStorageThroughput: 125 } }));
        assert.match(message, /storage\.fsx\.perUnitStorageThroughput = 125: is not accepted by SCRATCH_2: scratch file systems have a fixed throughput/);
    });

    it("rejects capacities off FSx's increments, suggesting the next valid one", async () => {
        const message = await configErrorOf("prod", storage({ fsx: { storageCapacityGiB: 3600 } }));
        assert.match(
            message,
            /storage\.fsx\.storageCapacityGiB = 3600: is not a PERSISTENT_2 capacity: allowed are 1200, 2400 or a multiple of 2400 GiB \(nearest above: 4800\)/,
        );
        const scratch1 = await configErrorOf("dev", storage({ fsx: { deploymentType: "SCRATCH_1", storageCapacityGiB: 4800 } }));
        assert.match(
            scratch1,
            /storage\.fsx\.storageCapacityGiB = 4800: is not a SCRATCH_1 capacity: allowed are 1200, 2400 or a multiple of 3600 GiB \(nearest above: 7200\)/,
        );
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
        const message = await configErrorOf("dev", storage({ fsx: { throughput: 125 } }));
        assert.match(message, /storage\.fsx\.throughput = 125: is not a known setting; allowed here: enabled, deploymentType, perUnitStorageThroughput/);
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

                it("provisions Lustre file systems per claim with the environment's deployment type", async () => {
                    const { resources, program } = await renderNamedStack(stack);
                    const fsx = program.config.storage.fsx;
                    const fsxClass = storageClass(resources, "fsx-lustre")!;
                    const zone = program.config.availabilityZones[0];
                    const persistentParameters =
                        fsx.deploymentType === "PERSISTENT_2" ? { perUnitStorageThroughput: "250", kmsKeyId: await valueOf(program.platform.key.arn) } : {};
                    assert.equal(fsxClass.props.provisioner, "fsx.csi.aws.com");
                    assert.deepEqual(fsxClass.props.parameters, {
                        subnetId: await valueOf(program.platform.network.privateSubnetIds[zone]),
                        securityGroupIds: await valueOf(program.platform.addOns.storage.fsx!.securityGroup.id),
                        deploymentType: stack === "dev" ? "SCRATCH_2" : "PERSISTENT_2",
                        dataCompressionType: "LZ4",
                        fileSystemTypeVersion: "2.15",
                        ...persistentParameters,
                    });
                    assert.equal(fsxClass.props.reclaimPolicy, stack === "dev" ? "Delete" : "Retain");

                    const statements = inlinePolicyOf(resources, roleOfAddon(resources, oneOfType(resources, ADDON, "fsx-csi"))).Statement;
                    const destructive = statements.find((s) => (s.Action as string[]).includes("fsx:DeleteFileSystem"));
                    assert.deepEqual(destructive?.Condition, { Null: { "aws:ResourceTag/CSIVolumeName": "false" } });
                    assert.equal(
                        statements.some((s) => String(s.Action).includes("kms:")),
                        fsx.deploymentType !== "SCRATCH_2",
                        "key grants only for persistent types",
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
                fsx: { enabled: false, deploymentType: undefined, reclaimPolicy: undefined },
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

    it("places dynamically provisioned Lustre in the configured zone", async () => {
        const { resources, program } = await renderStackWith("dev", { "eks-platform:storage": { fsx: { availabilityZone: "eu-west-1c" } } });
        const fsxClass = storageClass(resources, "fsx-lustre")!;
        assert.equal((fsxClass.props.parameters as Props).subnetId, await valueOf(program.platform.network.privateSubnetIds["eu-west-1c"]));
    });
});
