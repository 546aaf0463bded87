import { strict as assert } from "assert";
import * as fs from "fs";
import { evaluate } from "../policy-pack/evaluate";
import { policyConfigFile } from "../tools/plan/guardrails";
import * as path from "path";
import { ROOT } from "../tools/harness/render";
import { configErrorOf, ofType, renderNamedStack, renderStackFile, renderStackWith, STACKS } from "./support";

/** Add-ons whose pods must run before EKS reports them ACTIVE; vpc-cni, kube-proxy and the Pod Identity agent are DaemonSets. */
const ADDONS_NEEDING_NODES = ["coredns", "aws-ebs-csi-driver", "aws-efs-csi-driver", "aws-fsx-csi-driver", "amazon-cloudwatch-observability"];
/** Charts that deploy a DaemonSet only, ready with zero nodes; every other chart runs a Deployment and waits for it. */
const DAEMONSET_ONLY_CHARTS = ["aws-for-fluent-bit"];

const STATEFUL_TYPES = [
    "aws:kms/key:Key",
    "aws:efs/fileSystem:FileSystem",
    "aws:fsx/lustreFileSystem:LustreFileSystem",
    "aws:s3/bucket:Bucket",
    "aws:cloudwatch/logGroup:LogGroup",
    "eks:index:Cluster",
];

const prodPolicyConfig = () => JSON.parse(fs.readFileSync(policyConfigFile("prod"), "utf8"));

describe("operational safety", () => {
    it("protects and retains every stateful resource in prod", async () => {
        const { resources } = await renderNamedStack("prod");
        const stateful = resources.filter((r) => STATEFUL_TYPES.includes(r.type));
        // Key, file systems, archive bucket, log groups and the cluster all exist in prod.
        assert.deepEqual([...new Set(stateful.map((r) => r.type))].sort(), [...STATEFUL_TYPES].sort());
        for (const resource of stateful) {
            assert.equal(resource.options.protect, true, `${resource.urn} protect`);
            assert.equal(resource.options.retainOnDelete, true, `${resource.urn} retainOnDelete`);
        }
    });

    it("keeps KMS keys 30 days after deletion, versions the log archive and backs up EFS in prod", async () => {
        const { resources } = await renderNamedStack("prod");
        ofType(resources, "aws:kms/key:Key").forEach((key) => assert.equal(key.props.deletionWindowInDays, 30));
        const versioning = ofType(resources, "aws:s3/bucketVersioning:BucketVersioning");
        assert.ok(versioning.length > 0);
        versioning.forEach((v) => assert.equal((v.props.versioningConfiguration as { status: string }).status, "Enabled"));
        const backup = ofType(resources, "aws:efs/backupPolicy:BackupPolicy");
        assert.equal(backup.length, 1);
        assert.equal((backup[0].props.backupPolicy as { status: string }).status, "ENABLED");
        const cluster = ofType(resources, "eks:index:Cluster")[0];
        assert.equal(cluster.props.deletionProtection, true);
    });

    it("the prod guardrails pass the prod plan and fail it when protection is switched off", async () => {
        const prod = await renderNamedStack("prod");
        const passing = await evaluate(prod.resources, { stack: "prod", config: prodPolicyConfig() });
        assert.deepEqual(
            passing.filter((v) => v.policy === "stateful-resources-protected"),
            [],
        );

        const unprotected = await renderStackWith("prod", { "eks-platform:protection": { protectStatefulResources: false } });
        const failing = (await evaluate(unprotected.resources, { stack: "prod", config: prodPolicyConfig() })).filter(
            (v) => v.policy === "stateful-resources-protected",
        );
        const expected = unprotected.resources.filter((r) => STATEFUL_TYPES.includes(r.type));
        failing.forEach((v) => assert.equal(v.enforcementLevel, "mandatory"));
        // One finding per missing option: protect, and retainOnDelete (which only the plan can see).
        assert.deepEqual(failing.map((v) => v.urn).sort(), expected.flatMap((r) => [r.urn, r.urn]).sort());
    });

    const renders = [
        ...STACKS.map((stack) => ({ name: stack, render: () => renderNamedStack(stack) })),
        { name: "examples/Pulumi.appmesh-demo.yaml", render: () => renderStackFile(path.join(ROOT, "examples", "Pulumi.appmesh-demo.yaml")) },
    ];
    for (const { name, render } of renders) {
        it(`${name}: everything that waits for running pods depends on every node group itself`, async () => {
            const { resources } = await render();
            const groups = ofType(resources, "aws:autoscaling/group:Group").map((g) => g.urn);
            assert.ok(groups.length > 0);
            const waiting = [
                ...ofType(resources, "aws:eks/addon:Addon").filter((a) => ADDONS_NEEDING_NODES.includes(String(a.props.addonName))),
                ...ofType(resources, "kubernetes:helm.sh/v4:Chart").filter((c) => !DAEMONSET_ONLY_CHARTS.includes(String(c.props.chart).split("/").pop()!)),
            ];
            assert.ok(waiting.some((r) => r.props.addonName === "coredns"));
            // A component's dependsOn does not reach its children: each of these must carry the groups in its own registration.
            for (const resource of waiting) {
                groups.forEach((group) => assert.ok(resource.dependsOn.includes(group), `${resource.type} ${resource.name} may be created before ${group}`));
            }
        });
    }

    it("rolls a pool to a new AMI only when its pinned AMI release moves", async () => {
        const pool = {
            name: "pinned",
            instanceTypes: ["m6i.xlarge", "m6a.xlarge", "m5.xlarge", "m5a.xlarge"],
            minSize: 1,
            maxSize: 4,
            onDemandPercentageAboveBaseCapacity: 100,
        };
        const imageOf = async (amiReleaseVersion?: string) => {
            const { resources } = await renderStackWith("staging", { "eks-platform:compute": { nodePools: [{ ...pool, amiReleaseVersion }] } });
            return ofType(resources, "aws:ec2/launchTemplate:LaunchTemplate")[0].props.imageId;
        };
        const recommended = await imageOf(undefined);
        const pinned = await imageOf("v20261101");
        assert.notEqual(pinned, recommended);
        assert.equal(await imageOf("v20261101"), pinned, "the same pin resolves to the same AMI");
        assert.notEqual(await imageOf("v20261115"), pinned, "moving the pin changes the launch template, which starts an instance refresh");
    });

    it("rejects an AMI release that is not a dated release version", async () => {
        const message = await configErrorOf("staging", {
            "eks-platform:compute": {
                nodePools: [
                    { name: "pinned", instanceTypes: ["m6i.xlarge"], maxSize: 2, onDemandPercentageAboveBaseCapacity: 100, amiReleaseVersion: "latest" },
                ],
            },
        });
        assert.match(message, /compute\.nodePools\[0\]\.amiReleaseVersion = "latest": must be an AMI release version such as "v20261101"/);
    });

    it("refuses a node pool whose kubelet would be newer than the control plane", async () => {
        const message = await configErrorOf("staging", {
            "eks-platform:cluster": { kubernetesVersion: "1.35" },
            "eks-platform:compute": {
                nodePools: [{ name: "ahead", instanceTypes: ["m6i.xlarge"], maxSize: 2, onDemandPercentageAboveBaseCapacity: 100, kubernetesVersion: "1.36" }],
            },
        });
        assert.match(
            message,
            /compute\.nodePools\[0\]\.kubernetesVersion = "1\.36": is newer than the control plane \(cluster\.kubernetesVersion 1\.35\); upgrade the control plane first/,
        );
    });

    it("refuses a node pool more than three minors behind the control plane", async () => {
        const message = await configErrorOf("staging", {
            "eks-platform:cluster": { kubernetesVersion: "1.36" },
            "eks-platform:compute": {
                nodePools: [{ name: "behind", instanceTypes: ["m6i.xlarge"], maxSize: 2, onDemandPercentageAboveBaseCapacity: 100, kubernetesVersion: "1.32" }],
            },
        });
        assert.match(
            message,
            /compute\.nodePools\[0\]\.kubernetesVersion = "1\.32": is 4 minors behind the control plane \(1\.36\); the version-skew policy allows at most 3/,
        );
    });
});
