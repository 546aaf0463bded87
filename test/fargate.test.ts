import { strict as assert } from "assert";
import { FARGATE_LOGGING_MAX_CHARACTERS, fargateLogRouterConfig } from "../components/fargate/logRouter";
import { podExecutionTrustPolicy } from "../components/fargate/fargate";
import { selectorsOverlap } from "../components/fargate/validate";
import { fluentBitValues } from "../components/logging/fluentBitValues";
import type { PlannedResource } from "../tools/harness/render";
import { configErrorOf, ofType, oneOfType, parseStackWith, physicalName, renderNamedStack, STACKS } from "./support";

type Values = Record<string, any>;

const PROFILE = "aws:eks/fargateProfile:FargateProfile";
const fargate = (settings: Record<string, unknown>) => ({ "eks-platform:fargate": settings });
const profile = (name: string, ...selectors: Record<string, unknown>[]) => ({ name, selectors });

describe("Fargate: what each stack deploys", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            it("runs its profiles in the private subnets only, with the pod execution role, one profile after another", async () => {
                const rendered = await renderNamedStack(stack);
                const { config, platform } = rendered.program;
                const profiles = ofType(rendered.resources, PROFILE);
                assert.deepEqual(
                    profiles.map((p) => p.props.fargateProfileName),
                    config.fargate.profiles.map((p) => p.name),
                );
                const subnets = ofType(rendered.resources, "aws:ec2/subnet:Subnet");
                const tierOf = new Map(subnets.map((s) => [s.id, (s.props.tags as Record<string, string>).tier]));
                const role = oneOfType(rendered.resources, "aws:iam/role:Role", "-pod-execution");
                for (const [index, created] of profiles.entries()) {
                    const subnetIds = created.props.subnetIds as string[];
                    assert.equal(subnetIds.length, config.network.azCount);
                    assert.deepEqual(
                        subnetIds.map((id) => tierOf.get(id)),
                        subnetIds.map(() => "private"),
                        `${created.name} uses subnets other than the private ones`,
                    );
                    assert.equal(created.props.podExecutionRoleArn, `arn:aws:iam::111122223333:role/${physicalName(role)}`);
                    assert.deepEqual(created.props.selectors, [{ namespace: "apps", labels: { "compute.eks-platform/fargate": "true" } }]);
                    // EKS creates one profile of a cluster at a time; Fargate registers pods as nodes, after the data plane.
                    if (index > 0) {
                        assert.ok(created.dependsOn.includes(profiles[index - 1].urn));
                    }
                    for (const ready of platform.cluster.dataPlaneReady) {
                        const urn = await new Promise<string>((resolve) => ready.urn.apply(resolve));
                        assert.ok(created.dependsOn.includes(urn), `${created.name} does not wait for ${urn}`);
                    }
                }
                const attached = ofType(rendered.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter(
                    (a) => a.props.role === physicalName(role),
                );
                assert.deepEqual(
                    attached.map((a) => a.props.policyArn),
                    ["arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy"],
                );
                assert.deepEqual(
                    JSON.parse(String(role.props.assumeRolePolicy)),
                    podExecutionTrustPolicy({ region: config.region, accountId: "111122223333", partition: "aws" }, config.clusterName),
                );
            });

            it("configures Fargate's log router to write the node pods' application group, streams named as theirs", async () => {
                const rendered = await renderNamedStack(stack);
                const { config } = rendered.program;
                const configMap = ofType(rendered.resources, "kubernetes:core/v1:ConfigMap").find((c) => (c.props.metadata as Values).name === "aws-logging")!;
                assert.equal((configMap.props.metadata as Values).namespace, "aws-observability");
                const data = configMap.props.data as Record<string, string>;
                assert.deepEqual(data, fargateLogRouterConfig(config.clusterName, config.region));
                const nodeValues = fluentBitValues({
                    clusterName: config.clusterName,
                    region: config.region,
                    settings: config.logging,
                    serviceAccount: { create: true, name: "x" },
                }) as Values;
                assert.ok(data["output.conf"].includes(`log_group_name       ${String(nodeValues.cloudWatchLogs.logGroupName)}`));
                assert.ok(data["output.conf"].includes(`log_stream_template  ${String(nodeValues.cloudWatchLogs.logStreamTemplate)}`));
                assert.ok(data["output.conf"].includes("auto_create_group    false"));
                // Fargate refuses a longer ConfigMap, and takes only filters, outputs and parsers.
                assert.ok(Object.values(data).join("").length <= FARGATE_LOGGING_MAX_CHARACTERS);
                assert.ok(!Object.values(data).some((section) => /\[(SERVICE|INPUT)\]/.test(section)));
                const namespace = ofType(rendered.resources, "kubernetes:core/v1:Namespace").find(
                    (n) => (n.props.metadata as Values).name === "aws-observability",
                )!;
                assert.equal((namespace.props.metadata as Values).labels["aws-observability"], "enabled");
                // The profiles wait for the configuration: Fargate reads it when a pod starts.
                for (const created of ofType(rendered.resources, PROFILE)) {
                    assert.ok(created.dependsOn.includes(configMap.urn));
                }
            });

            it("opens DNS from Fargate pods (the cluster group) to CoreDNS, and pods on nodes to Fargate pods", async () => {
                const rendered = await renderNamedStack(stack);
                const rules = ofType(rendered.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) =>
                    /fargate:Fargate/.test(r.urn),
                );
                const summary = (r: PlannedResource) => [r.props.ipProtocol, r.props.fromPort, r.props.toPort].join(" ");
                assert.deepEqual(rules.map(summary).sort(), ["tcp 1025 65535", "tcp 53 53", "udp 53 53"]);
            });
        });
    }
});

describe("Fargate: settings", () => {
    it("sees two selectors overlap when one pod can match both", () => {
        assert.equal(selectorsOverlap({ namespace: "apps", labels: { a: "1" } }, { namespace: "apps", labels: { b: "2" } }), true);
        assert.equal(selectorsOverlap({ namespace: "apps", labels: {} }, { namespace: "apps", labels: { b: "2" } }), true);
        assert.equal(selectorsOverlap({ namespace: "apps", labels: { a: "1" } }, { namespace: "apps", labels: { a: "2" } }), false);
        assert.equal(selectorsOverlap({ namespace: "apps", labels: {} }, { namespace: "jobs", labels: {} }), false);
    });

    it("takes no profile by default", () => {
        assert.deepEqual(parseStackWith("dev", fargate({ profiles: undefined })).fargate.profiles, []);
    });

    it("refuses platform namespaces, unlabelled selectors not marked whole-namespace, overlapping profiles and repeated names, naming each", async () => {
        const message = await configErrorOf(
            "dev",
            fargate({
                profiles: [
                    profile("system", { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } }),
                    profile("everything", { namespace: "apps" }),
                    profile("batch", { namespace: "apps", labels: { tier: "batch" } }),
                    profile("batch", { namespace: "apps", labels: { tier: "web" }, wholeNamespace: true }),
                ],
            }),
        );
        assert.match(message, /fargate\.profiles\[0\]\.selectors\[0\]\.namespace = "kube-system": is not one of cluster\.applicationNamespaces \(apps\)/);
        assert.match(
            message,
            /fargate\.profiles\[1\]\.selectors\[0\]\.labels = \{\}: is empty, so the profile would take every pod of apps from the node pools/,
        );
        assert.match(message, /fargate\.profiles\[2\]\.selectors\[0\] = \{"tier":"batch"\}: can match the same pods as profile everything/);
        assert.match(message, /fargate\.profiles\[3\]\.name = "batch": is used by another profile/);
        assert.match(message, /fargate\.profiles\[3\]\.selectors\[0\]\.wholeNamespace = true: contradicts labels/);
    });

    it("takes a whole namespace when told to, and more than five selectors never", async () => {
        const config = parseStackWith("dev", fargate({ profiles: [profile("all-apps", { namespace: "apps", wholeNamespace: true })] }));
        assert.equal(config.fargate.profiles[0].selectors[0].wholeNamespace, true);
        const six = Array.from({ length: 6 }, (_, i) => ({ namespace: "apps", labels: { n: String(i) } }));
        assert.match(await configErrorOf("dev", fargate({ profiles: [profile("wide", ...six)] })), /a Fargate profile takes at most 5 selectors/);
    });

    it("refuses Fargate logging without the group it writes to, and profiles without any egress", async () => {
        assert.match(
            await configErrorOf("dev", { "eks-platform:logging": { fluentBit: { enabled: false } } }),
            /fargate\.logging\.enabled = true: needs the application log group node pods write to/,
        );
        assert.match(
            await configErrorOf("dev", {
                "eks-platform:network": { natGateways: "none", vpcEndpoints: { enabled: false } },
                "eks-platform:cluster": { endpointAccess: "public" },
            }),
            /fargate\.profiles = \["apps-fargate"\]: Fargate pods pull images and register with the cluster through the private subnets' egress/,
        );
    });
});
