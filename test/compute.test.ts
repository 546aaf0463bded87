import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { hasSpotCapacity } from "../components/compute/labels";
import { amiParameterName } from "../components/compute/userData";
import type { PolicyDocument, PolicyStatement } from "../components/iam/policyDocument";
import type { PlannedResource } from "../tools/harness/render";
import { PlatformMocks } from "../tools/harness/mocks";
import { maxPodsIn, ofType, oneOfType, physicalName, renderNamedStack, renderStackWith, STACKS, userDataOf } from "./support";

const GROUP = "aws:autoscaling/group:Group";
const TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const HOOK = "aws:autoscaling/lifecycleHook:LifecycleHook";
const CHART = "kubernetes:helm.sh/v4:Chart";

type Tag = { key: string; value: string; propagateAtLaunch: boolean };
const tagsOf = (group: PlannedResource) => new Map((group.props.tags as Tag[]).map((t) => [t.key, t]));
const urnOf = (resource: pulumi.Resource) => new Promise<string>((resolve) => resource.urn.apply(resolve));

/** The kubelet configuration of a launch template's nodeadm NodeConfig. */
function kubeletConfigOf(template: PlannedResource): Record<string, unknown> {
    const part = userDataOf(template).split("\n---\n")[1].split("\n\n--")[0];
    return (parseYaml(part) as { spec: { kubelet: { config: Record<string, unknown> } } }).spec.kubelet.config;
}

/** The chart installs into the cluster's restricted controller namespace, after that namespace exists. */
function assertInRestrictedNamespace(resources: PlannedResource[], chart: PlannedResource): void {
    const namespace = ofType(resources, "kubernetes:core/v1:Namespace").find((n) => (n.props.metadata as any).name === chart.props.namespace);
    assert.ok(namespace, `${chart.name} installs into ${String(chart.props.namespace)}, which the program does not create`);
    assert.equal((namespace.props.metadata as any).labels["pod-security.kubernetes.io/enforce"], "restricted");
    assert.ok(chart.dependsOn.includes(namespace.urn), `${chart.name} may install before its namespace exists`);
}

function policyOf(resources: PlannedResource[], roleName: string): PolicyDocument {
    return JSON.parse(String(oneOfType(resources, "aws:iam/rolePolicy:RolePolicy", roleName).props.policy)) as PolicyDocument;
}
const statementWith = (policy: PolicyDocument, action: string): PolicyStatement => {
    const found = policy.Statement.find((s) => [s.Action].flat().includes(action));
    assert.ok(found, `no statement grants ${action}`);
    return found;
};

describe("Compute component, per environment", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            it("gives each pool a mixed-instances group with its distribution, overrides, every private subnet and capacity rebalance on Spot", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const { compute, clusterName, availabilityZones } = program.config;
                const groups = ofType(resources, GROUP);
                assert.equal(groups.length, compute.nodePools.length);
                for (const pool of compute.nodePools) {
                    const group = oneOfType(resources, GROUP, `-${pool.name}`);
                    const policy = group.props.mixedInstancesPolicy as any;
                    assert.equal(group.props.name, `${clusterName}-${pool.name}`);
                    assert.deepEqual(policy.instancesDistribution, {
                        onDemandAllocationStrategy: "prioritized",
                        onDemandBaseCapacity: pool.onDemandBaseCapacity,
                        onDemandPercentageAboveBaseCapacity: pool.onDemandPercentageAboveBaseCapacity,
                        spotAllocationStrategy: "price-capacity-optimized",
                    });
                    assert.deepEqual(
                        policy.launchTemplate.overrides,
                        pool.instanceTypes.map((instanceType) => ({ instanceType })),
                    );
                    assert.match(
                        String(policy.launchTemplate.launchTemplateSpecification.version),
                        /^\d+$/,
                        "a pinned version, so template changes start a refresh",
                    );
                    assert.equal(group.props.capacityRebalance, hasSpotCapacity(pool));
                    assert.equal((group.props.vpcZoneIdentifiers as string[]).length, availabilityZones.length);
                    (group.props.vpcZoneIdentifiers as string[]).forEach((subnet) => assert.match(subnet, /-private-/));
                    assert.deepEqual(
                        [group.props.minSize, group.props.maxSize, group.props.desiredCapacity],
                        [pool.minSize, pool.maxSize, pool.desiredSize ?? pool.minSize],
                    );
                }
            });

            it("hands desiredCapacity to the autoscaler and rolls template changes through a checkpointed instance refresh", async () => {
                const { resources, program } = await renderNamedStack(stack);
                for (const pool of program.config.compute.nodePools) {
                    const group = oneOfType(resources, GROUP, `-${pool.name}`);
                    assert.deepEqual(group.options.ignoreChanges, ["desiredCapacity"]);
                    assert.deepEqual(group.props.instanceRefresh, {
                        strategy: "Rolling",
                        preferences: {
                            minHealthyPercentage: pool.minHealthyPercentage,
                            skipMatching: true,
                            checkpointPercentages: [50, 100],
                            checkpointDelay: "300",
                        },
                    });
                }
            });

            it("labels, taints and tags groups for the autoscaler (discovery, scale from zero) and the termination handler", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const { compute, clusterName } = program.config;
                for (const pool of compute.nodePools) {
                    const group = oneOfType(resources, GROUP, `-${pool.name}`);
                    const tags = tagsOf(group);
                    const spot = hasSpotCapacity(pool);
                    assert.deepEqual(tags.get("k8s.io/cluster-autoscaler/enabled"), {
                        key: "k8s.io/cluster-autoscaler/enabled",
                        value: "true",
                        propagateAtLaunch: false,
                    });
                    assert.equal(tags.get(`k8s.io/cluster-autoscaler/${clusterName}`)?.value, "owned");
                    assert.equal(tags.get(`kubernetes.io/cluster/${clusterName}`)?.value, "owned");
                    assert.equal(tags.get("aws-node-termination-handler/managed")?.propagateAtLaunch, true);
                    assert.equal(tags.get("k8s.io/cluster-autoscaler/node-template/label/lifecycle")?.value, spot ? "Ec2Spot" : "OnDemand");
                    assert.equal(tags.get("k8s.io/cluster-autoscaler/node-template/taint/spotInstance")?.value, spot ? "true:PreferNoSchedule" : undefined);
                    assert.equal(tags.get("cost-center")?.propagateAtLaunch, true, "environment tags reach the instances");

                    const userData = userDataOf(oneOfType(resources, TEMPLATE, `-${pool.name}`));
                    assert.match(userData, new RegExp(`--node-labels=eks-platform/node-pool=${pool.name},lifecycle=${spot ? "Ec2Spot" : "OnDemand"}`));
                    assert.equal(/--register-with-taints=spotInstance=true:PreferNoSchedule/.test(userData), spot);
                }
            });

            it("matches the stack file's intent: the base pools On-Demand, the general pools Spot", async () => {
                const expected: Record<string, Record<string, string>> = {
                    dev: { "spot-general": "Ec2Spot" },
                    staging: { "on-demand-base": "OnDemand", "spot-general": "Ec2Spot" },
                    prod: { "on-demand-base": "OnDemand", "spot-general": "Ec2Spot" },
                };
                const { resources } = await renderNamedStack(stack);
                const actual = Object.fromEntries(
                    ofType(resources, GROUP).map((g) => [
                        String(g.props.name).replace(/^eks-platform-\w+-/, ""),
                        tagsOf(g).get("k8s.io/cluster-autoscaler/node-template/label/lifecycle")?.value,
                    ]),
                );
                assert.deepEqual(actual, expected[stack]);
                ofType(resources, GROUP).forEach((g) =>
                    assert.equal(g.props.capacityRebalance, actual[String(g.props.name).replace(/^eks-platform-\w+-/, "")] === "Ec2Spot"),
                );
            });

            it("puts a CONTINUE-by-default termination hook on every group", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const hooks = ofType(resources, HOOK);
                assert.equal(hooks.length, program.config.compute.nodePools.length);
                for (const group of ofType(resources, GROUP)) {
                    const hook = hooks.find((h) => h.props.autoscalingGroupName === group.props.name);
                    assert.ok(hook, `no hook on ${String(group.props.name)}`);
                    assert.equal(hook.props.lifecycleTransition, "autoscaling:EC2_INSTANCE_TERMINATING");
                    assert.equal(hook.props.defaultResult, "CONTINUE");
                    assert.equal(hook.props.heartbeatTimeout, program.config.compute.interruptionHandler.drainTimeoutSeconds);
                }
            });

            it("launches AL2023 nodes with IMDSv2 at hop limit 1, a KMS-encrypted gp3 root volume, no public IP and the node security group", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const key = oneOfType(resources, "aws:kms/key:Key");
                const mocks = new PlatformMocks(program.config.region);
                for (const pool of program.config.compute.nodePools) {
                    const template = oneOfType(resources, TEMPLATE, `-${pool.name}`);
                    assert.deepEqual(template.props.metadataOptions, {
                        httpEndpoint: "enabled",
                        httpTokens: "required",
                        httpPutResponseHopLimit: 1,
                        instanceMetadataTags: "disabled",
                    });
                    const [root] = template.props.blockDeviceMappings as any[];
                    assert.equal(root.deviceName, "/dev/xvda");
                    assert.equal(root.ebs.encrypted, "true");
                    assert.equal(root.ebs.volumeType, "gp3");
                    assert.match(root.ebs.kmsKeyId, new RegExp(`key/${key.name}`));
                    const [eni] = template.props.networkInterfaces as any[];
                    assert.equal(eni.associatePublicIpAddress, "false");
                    assert.deepEqual(eni.securityGroups.length, 1);
                    assert.match(eni.securityGroups[0], /-nodes-/);
                    const ami = mocks.call({
                        token: "aws:ssm/getParameter:getParameter",
                        inputs: { name: amiParameterName(program.config.cluster.kubernetesVersion, "x86_64", "standard") },
                    });
                    assert.equal(template.props.imageId, ami.value);
                    assert.doesNotMatch(userDataOf(template), /aws_secret_access_key|AKIA/i);
                }
            });

            it("launches nodes only after custom networking and the node access entry exist", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const required = [
                    ...(await Promise.all(program.platform.cluster.dataPlaneReady.map(urnOf))),
                    oneOfType(resources, "aws:eks/accessEntry:AccessEntry", "-node").urn,
                ];
                assert.ok(required.some((urn) => urn.includes("ENIConfig")));
                for (const group of ofType(resources, GROUP)) {
                    required.forEach((urn) => assert.ok(group.dependsOn.includes(urn), `${group.name} does not wait for ${urn}`));
                }
            });

            it("runs the termination handler in queue mode: SSE queue, five rules into it, a least-privilege IRSA role, the pinned chart", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const { clusterName } = program.config;
                const queue = oneOfType(resources, "aws:sqs/queue:Queue");
                assert.equal(queue.props.sqsManagedSseEnabled, true);
                assert.equal(queue.props.messageRetentionSeconds, 300);
                // Auto-named: the provider's `<logical name>-<random>`, which the plan records as the engine's Check does.
                const queueArn = `arn:aws:sqs:${program.config.region}:111122223333:${physicalName(queue)}`;

                const rules = ofType(resources, "aws:cloudwatch/eventRule:EventRule");
                const detailTypes = rules.map((r) => JSON.parse(String(r.props.eventPattern))["detail-type"][0]).sort();
                assert.deepEqual(detailTypes, [
                    "AWS Health Event",
                    "EC2 Instance Rebalance Recommendation",
                    "EC2 Instance State-change Notification",
                    "EC2 Instance-terminate Lifecycle Action",
                    "EC2 Spot Instance Interruption Warning",
                ]);
                const targets = ofType(resources, "aws:cloudwatch/eventTarget:EventTarget");
                assert.equal(targets.length, rules.length);
                targets.forEach((t) => assert.equal(t.props.arn, queueArn));
                const lifecycle = rules.find((r) => String(r.props.eventPattern).includes("Lifecycle Action"))!;
                assert.deepEqual(
                    JSON.parse(String(lifecycle.props.eventPattern)).detail.AutoScalingGroupName.sort(),
                    ofType(resources, GROUP)
                        .map((g) => g.props.name)
                        .sort(),
                );

                const queuePolicy = JSON.parse(String(oneOfType(resources, "aws:sqs/queuePolicy:QueuePolicy").props.policy)) as PolicyDocument;
                const send = statementWith(queuePolicy, "sqs:SendMessage");
                assert.deepEqual(send.Principal, { Service: "events.amazonaws.com" });
                assert.deepEqual(
                    (send.Condition!.ArnEquals["aws:SourceArn"] as string[]).sort(),
                    rules.map((r) => `arn:aws:events:${program.config.region}:111122223333:rule/${physicalName(r)}`).sort(),
                );

                const policy = policyOf(resources, "-nth-irsa");
                assert.deepEqual(policy.Statement.flatMap((s) => [s.Action].flat()).sort(), [
                    "autoscaling:CompleteLifecycleAction",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeTags",
                    "ec2:DescribeInstances",
                    "sqs:DeleteMessage",
                    "sqs:ReceiveMessage",
                ]);
                assert.equal(statementWith(policy, "sqs:ReceiveMessage").Resource, queueArn);
                assert.deepEqual(statementWith(policy, "autoscaling:CompleteLifecycleAction").Condition, {
                    StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: "owned" },
                });
                const trust = JSON.parse(String(oneOfType(resources, "aws:iam/role:Role", "-nth-irsa").props.assumeRolePolicy));
                assert.deepEqual(Object.values(trust.Statement[0].Condition.StringEquals).sort(), [
                    "sts.amazonaws.com",
                    "system:serviceaccount:platform-system:aws-node-termination-handler",
                ]);

                const chart = oneOfType(resources, CHART, "-nth");
                assert.match(String(chart.props.chart), /^oci:\/\/public\.ecr\.aws\/aws-ec2\/helm\/aws-node-termination-handler$/);
                assertInRestrictedNamespace(resources, chart);
                const values = chart.props.values as any;
                assert.equal(values.enableSqsTerminationDraining, true);
                assert.equal(values.queueURL, `https://sqs.${program.config.region}.amazonaws.com/111122223333/${physicalName(queue)}`);
                assert.equal(values.awsRegion, program.config.region);
                assert.deepEqual(values.tolerations, [{ operator: "Exists" }]);
                assert.equal(
                    values.serviceAccount.annotations["eks.amazonaws.com/role-arn"],
                    `arn:aws:iam::111122223333:role/${physicalName(oneOfType(resources, "aws:iam/role:Role", `${clusterName}-nth-irsa`))}`,
                );
                assert.match(String(chart.provider), /providers:kubernetes/);
                // What the restricted level checks: seccomp, no escalation, no capabilities, non-root.
                assert.deepEqual(values.podSecurityContext.seccompProfile, { type: "RuntimeDefault" });
                assert.equal(values.securityContext.allowPrivilegeEscalation, false);
                assert.deepEqual(values.securityContext.capabilities, { drop: ["ALL"] });
                assert.equal(values.securityContext.runAsNonRoot, true);
            });

            it("scales with the Cluster Autoscaler: tag-conditioned IRSA role, chart and image of the cluster's minor, Spot first", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const { clusterName, compute } = program.config;
                const policy = policyOf(resources, "-autoscaler-irsa");
                const scale = statementWith(policy, "autoscaling:SetDesiredCapacity");
                assert.deepEqual([scale.Action].flat().sort(), ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]);
                assert.deepEqual(scale.Condition, {
                    StringEquals: {
                        [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
                        "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true",
                    },
                });
                assert.equal(
                    scale.Resource,
                    `arn:aws:autoscaling:${program.config.region}:111122223333:autoScalingGroup:*:autoScalingGroupName/${clusterName}-*`,
                );

                const chart = oneOfType(resources, CHART, "-autoscaler");
                assertInRestrictedNamespace(resources, chart);
                const trust = JSON.parse(String(oneOfType(resources, "aws:iam/role:Role", "-autoscaler-irsa").props.assumeRolePolicy));
                assert.ok(Object.values(trust.Statement[0].Condition.StringEquals).includes("system:serviceaccount:platform-system:cluster-autoscaler"));
                assert.deepEqual(
                    [chart.props.chart, (chart.props.repositoryOpts as any).repo],
                    ["cluster-autoscaler", "https://kubernetes.github.io/autoscaler"],
                );
                const values = chart.props.values as any;
                assert.match(values.image.tag, new RegExp(`^v${program.config.cluster.kubernetesVersion.replace(".", "\\.")}\\.\\d+$`));
                assert.equal(values.autoDiscovery.clusterName, clusterName);
                assert.equal(values.extraArgs.expander, "priority,least-waste");
                const spotNames = compute.nodePools.filter(hasSpotCapacity).map((p) => `^${clusterName}-${p.name}$`);
                const otherNames = compute.nodePools.filter((p) => !hasSpotCapacity(p)).map((p) => `^${clusterName}-${p.name}$`);
                assert.deepEqual(values.expanderPriorities[50], spotNames);
                assert.deepEqual(values.expanderPriorities[10], otherNames.length > 0 ? otherNames : undefined);
                assert.equal(values.rbac.serviceAccount.name, "cluster-autoscaler");
            });

            it("gives nodes a role with only the worker and ECR-pull policies, joined through an EC2_LINUX access entry", async () => {
                const { resources } = await renderNamedStack(stack);
                const role = oneOfType(resources, "aws:iam/role:Role", "-node");
                const attached = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.parent === role.parent);
                assert.deepEqual(attached.map((a) => String(a.props.policyArn).split("/").pop()).sort(), [
                    "AmazonEC2ContainerRegistryPullOnly",
                    "AmazonEKSWorkerNodePolicy",
                ]);
                const entry = oneOfType(resources, "aws:eks/accessEntry:AccessEntry", "-node");
                assert.equal(entry.props.type, "EC2_LINUX");
                assert.equal(entry.props.principalArn, `arn:aws:iam::111122223333:role/${physicalName(role)}`);
            });
        });
    }
});

describe("Compute component, maxPods from the instance types' ENI limits", () => {
    const onDemandPool = (name: string, instanceTypes: string[]) => ({ name, instanceTypes, minSize: 1, maxSize: 3, onDemandPercentageAboveBaseCapacity: 100 });
    const renders = new Map<boolean, ReturnType<typeof renderStackWith>>();
    /** dev with an m5.large and an m5.8xlarge pool, rendered once per mode. */
    const render = (prefixDelegation: boolean) => {
        if (!renders.has(prefixDelegation)) {
            renders.set(
                prefixDelegation,
                renderStackWith("dev", {
                    "eks-platform:cluster": { prefixDelegation },
                    "eks-platform:compute": { nodePools: [onDemandPool("large", ["m5.large"]), onDemandPool("huge", ["m5.8xlarge"])] },
                }),
            );
        }
        return renders.get(prefixDelegation) as ReturnType<typeof renderStackWith>;
    };

    it("custom networking: m5.large 20, m5.8xlarge 205", async () => {
        const { resources } = await render(false);
        assert.equal(maxPodsIn(oneOfType(resources, TEMPLATE, "-large")), 20);
        assert.equal(maxPodsIn(oneOfType(resources, TEMPLATE, "-huge")), 205);
    });

    it("prefix delegation: m5.large 110 (below 30 vCPUs), m5.8xlarge 250", async () => {
        const { resources } = await render(true);
        assert.equal(maxPodsIn(oneOfType(resources, TEMPLATE, "-large")), 110);
        assert.equal(maxPodsIn(oneOfType(resources, TEMPLATE, "-huge")), 250);
    });

    it("per environment, prefix delegation on by default: dev's large, staging's xlarge and prod's 2xlarge nodes all 110 (capped)", async () => {
        // Without it they registered 20, 44 and 44 (the secondary-IP limits above).
        const expected = { dev: 110, staging: 110, prod: 110 };
        for (const [stack, maxPods] of Object.entries(expected)) {
            const { resources } = await renderNamedStack(stack);
            ofType(resources, TEMPLATE).forEach((t) => assert.equal(maxPodsIn(t), maxPods, `${stack} ${t.name}`));
        }
    });

    it("reserves kubelet memory for the pods it admits and CPU for the node's cores, as nodeadm computes them", async () => {
        // prod's m*.2xlarge: 8 vCPU -> 60 + 10 + 10 + 10 = 90m; 110 pods -> 11 x 110 + 255 = 1465Mi.
        const prod = await renderNamedStack("prod");
        for (const template of ofType(prod.resources, TEMPLATE)) {
            assert.deepEqual(kubeletConfigOf(template).kubeReserved, { cpu: "90m", memory: "1465Mi", "ephemeral-storage": "1Gi" }, template.name);
        }
        // Without prefix delegation the reservation follows the smaller pod count: m5.large 20 pods -> 475Mi, 2 vCPU -> 70m.
        const { resources } = await render(false);
        assert.deepEqual(kubeletConfigOf(oneOfType(resources, TEMPLATE, "-large")).kubeReserved, { cpu: "70m", memory: "475Mi", "ephemeral-storage": "1Gi" });
    });

    it("tells the autoscaler each pool's pod capacity for scale-from-zero (it assumes 110 otherwise)", async () => {
        const { resources } = await render(false);
        assert.equal(tagsOf(oneOfType(resources, GROUP, "-large")).get("k8s.io/cluster-autoscaler/node-template/resources/pods")?.value, "20");
        assert.equal(tagsOf(oneOfType(resources, GROUP, "-huge")).get("k8s.io/cluster-autoscaler/node-template/resources/pods")?.value, "205");
    });
});

describe("Compute component, settings that change the shape", () => {
    it("arm64 pools read the arm64 AL2023 AMI of their own kubelet version; hop limit 2 only when asked", async () => {
        const { resources, program } = await renderStackWith("dev", {
            "eks-platform:compute": {
                allowedInstanceFamilies: ["m6g", "m7g", "m8g", "c7g"],
                minSpotInstanceTypes: 3,
                nodePools: [
                    {
                        name: "graviton",
                        architecture: "arm64",
                        instanceTypes: ["m6g.xlarge", "m7g.xlarge", "m8g.xlarge"],
                        minSize: 1,
                        maxSize: 3,
                        kubernetesVersion: "1.35",
                        metadataHopLimit: 2,
                    },
                ],
            },
        });
        const template = oneOfType(resources, TEMPLATE, "-graviton");
        const ami = new PlatformMocks(program.config.region).call({
            token: "aws:ssm/getParameter:getParameter",
            inputs: { name: amiParameterName("1.35", "arm64", "standard") },
        });
        assert.equal(template.props.imageId, ami.value);
        assert.equal((template.props.metadataOptions as any).httpPutResponseHopLimit, 2);
        assert.equal(maxPodsIn(template), 110);
    });

    it("IMDS mode: no queue, rules or IRSA role; the chart runs as a DaemonSet tolerating every taint", async () => {
        const { resources } = await renderStackWith("dev", { "eks-platform:compute": { interruptionHandler: { mode: "imds" } } });
        assert.equal(ofType(resources, "aws:sqs/queue:Queue").length, 0);
        assert.equal(ofType(resources, "aws:cloudwatch/eventRule:EventRule").length, 0);
        assert.equal(ofType(resources, "aws:iam/role:Role").filter((r) => r.name.includes("-nth-")).length, 0);
        const chart = oneOfType(resources, CHART, "-nth");
        const values = chart.props.values as any;
        assert.equal(chart.props.namespace, "kube-system", "host network: not allowed in a restricted namespace");
        assert.equal(values.enableSqsTerminationDraining, false);
        assert.deepEqual(values.daemonsetTolerations, [{ operator: "Exists" }]);
        // The hooks stay: the ASG still holds terminating instances for the drain window.
        assert.equal(ofType(resources, HOOK).length, 1);
    });

    it("a disabled autoscaler leaves no role or chart; another expander goes straight through", async () => {
        const disabled = await renderStackWith("dev", { "eks-platform:compute": { clusterAutoscaler: { enabled: false } } });
        assert.equal(ofType(disabled.resources, CHART).filter((c) => c.name.includes("autoscaler")).length, 0);
        assert.equal(ofType(disabled.resources, "aws:iam/role:Role").filter((r) => r.name.includes("autoscaler")).length, 0);
        const leastWaste = await renderStackWith("dev", { "eks-platform:compute": { clusterAutoscaler: { expander: "least-waste" } } });
        const values = oneOfType(leastWaste.resources, CHART, "-autoscaler").props.values as any;
        assert.equal(values.extraArgs.expander, "least-waste");
        assert.equal(values.expanderPriorities, undefined);
    });

    it("the autoscaler image follows the control plane's minor", async () => {
        const { resources } = await renderStackWith("dev", { "eks-platform:cluster": { kubernetesVersion: "1.34" } });
        assert.equal((oneOfType(resources, CHART, "-autoscaler").props.values as any).image.tag, "v1.34.5");
    });

    it("the sample workload opts into Spot: toleration, Spot affinity, restricted namespace, disruption budget", async () => {
        // On in dev (a smoke test of every deploy), off in prod.
        const { resources } = await renderNamedStack("dev");
        const deployment = oneOfType(resources, "kubernetes:apps/v1:Deployment", "-sample");
        const spec = (deployment.props.spec as any).template.spec;
        assert.deepEqual(spec.tolerations, [{ key: "spotInstance", operator: "Equal", value: "true", effect: "PreferNoSchedule" }]);
        assert.deepEqual(spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions, [
            { key: "lifecycle", operator: "In", values: ["Ec2Spot"] },
        ]);
        assert.equal(spec.securityContext.runAsNonRoot, true);
        assert.equal(spec.containers[0].securityContext.allowPrivilegeEscalation, false);
        assert.match(spec.containers[0].image, /:\d+\.\d+\.\d+-alpine$/);
        // From a registry the guardrails admit, in a namespace isolated like every application namespace.
        assert.match(spec.containers[0].image, /^public\.ecr\.aws\//);
        const isolation = ofType(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter(
            (p) => (p.props.metadata as any).namespace === "spot-sample",
        );
        // Default-deny, with load balancers let in (test/traffic.test.ts checks that policy).
        assert.deepEqual(isolation.map((p) => (p.props.metadata as any).name).sort(), ["allow-dns", "allow-from-load-balancers", "default-deny"]);
        const namespace = oneOfType(resources, "kubernetes:core/v1:Namespace", "-sample");
        assert.equal((namespace.props.metadata as any).labels["pod-security.kubernetes.io/enforce"], "restricted");
        assert.equal(oneOfType(resources, "kubernetes:policy/v1:PodDisruptionBudget", "-sample").props.spec && true, true);
        assert.match(String(deployment.provider), /providers:kubernetes/);
        // Off by default.
        const prod = await renderNamedStack("prod");
        assert.equal(ofType(prod.resources, "kubernetes:apps/v1:Deployment").filter((d) => d.name.includes("-sample")).length, 0);
    });

    it("adds Session Manager to the node role only when asked", async () => {
        const { resources } = await renderStackWith("dev", { "eks-platform:compute": { ssmSessionManager: true } });
        const role = oneOfType(resources, "aws:iam/role:Role", "-node");
        const attached = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.parent === role.parent);
        assert.ok(attached.some((a) => String(a.props.policyArn).endsWith("/AmazonSSMManagedInstanceCore")));
    });
});
