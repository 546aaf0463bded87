import { strict as assert } from "assert";
import { ROLE_ARN_ANNOTATION } from "../components/iam/irsa";
import type { PlannedResource } from "../tools/harness/render";
import { byUrn, ofType, physicalName, renderNamedStack, STACKS } from "./support";

// The two shared helpers (components/common/managedAddon.ts and irsaChart.ts) as every stack uses
// them: what they render for each managed add-on and each chart, whichever capability calls them.

const ADDON = "aws:eks/addon:Addon";
const CHART = "kubernetes:helm.sh/v4:Chart";
const GROUP = "aws:autoscaling/group:Group";
const IRSA_ROLE = "eksplatform:iam:IrsaRole";

/** Add-ons whose pods must run before EKS reports them ACTIVE, and the DaemonSets nodes need before they can run pods. */
const NEED_NODES = ["coredns", "aws-ebs-csi-driver", "aws-efs-csi-driver", "aws-fsx-csi-driver", "amazon-cloudwatch-observability"];
const BEFORE_NODES = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"];

/** The IrsaRole component whose aws.iam.Role has this ARN, and every resource under it (the role and its policies). */
function irsaRoleOf(resources: PlannedResource[], roleArn: string): PlannedResource[] {
    const name = roleArn.split("/").pop();
    const role = ofType(resources, "aws:iam/role:Role").find((r) => physicalName(r) === name);
    assert.ok(role, `no role ${roleArn}`);
    const component = byUrn(resources).get(role.parent ?? "");
    assert.equal(component?.type, IRSA_ROLE, `${role.name} is not made by IrsaRole`);
    return resources.filter((r) => r.parent === component.urn);
}

/** Every object in a chart's values that carries the IRSA role annotation: the service-account blocks. */
function annotatedServiceAccounts(values: unknown): { name: string; annotations: Record<string, string> }[] {
    if (typeof values !== "object" || values === null) {
        return [];
    }
    const own = values as { name?: string; annotations?: Record<string, string> };
    const here = own.annotations?.[ROLE_ARN_ANNOTATION] ? [{ name: String(own.name), annotations: own.annotations }] : [];
    return [...here, ...Object.values(values).flatMap(annotatedServiceAccounts)];
}

describe("Shared helpers, as the stacks use them", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            it("managed add-ons own their configuration, wait for their role's policies, and for the nodes exactly when their pods need them", async () => {
                const { resources } = await renderNamedStack(stack);
                const groups = ofType(resources, GROUP).map((g) => g.urn);
                assert.ok(groups.length > 0);
                for (const addon of ofType(resources, ADDON)) {
                    const addonName = String(addon.props.addonName);
                    assert.equal(addon.props.resolveConflictsOnCreate, "OVERWRITE", addonName);
                    assert.equal(addon.props.resolveConflictsOnUpdate, "OVERWRITE", addonName);
                    const roleArn = addon.props.serviceAccountRoleArn;
                    if (typeof roleArn === "string") {
                        for (const part of irsaRoleOf(resources, roleArn)) {
                            assert.ok(addon.dependsOn.includes(part.urn), `${addonName} may start before ${part.name} (${part.type})`);
                        }
                    }
                    const waits = groups.filter((urn) => addon.dependsOn.includes(urn));
                    if (NEED_NODES.includes(addonName)) {
                        assert.deepEqual(waits, groups, `${addonName} must wait for every node group`);
                    } else {
                        // The nodes wait for these (through the data plane): waiting back would deadlock the deployment.
                        assert.ok(BEFORE_NODES.includes(addonName), `${addonName} is in neither list`);
                        assert.deepEqual(waits, [], `${addonName} must not wait for nodes`);
                    }
                }
            });

            it("charts run on the cluster's provider, in a namespace that exists first, their service account bound to a role only it may assume", async () => {
                const { resources } = await renderNamedStack(stack);
                const namespaces = ofType(resources, "kubernetes:core/v1:Namespace");
                const providers = byUrn(resources);
                for (const chart of ofType(resources, CHART)) {
                    assert.equal(providers.get(chart.provider ?? "")?.type, "pulumi:providers:kubernetes", chart.name);
                    const namespace = String(chart.props.namespace);
                    const created = namespaces.find((n) => (n.props.metadata as { name: string }).name === namespace);
                    if (created) {
                        assert.ok(chart.dependsOn.includes(created.urn), `${chart.name} may install before namespace ${namespace} exists`);
                    } else {
                        assert.equal(namespace, "kube-system", `${chart.name} installs into ${namespace}, which nothing creates`);
                    }
                    for (const account of annotatedServiceAccounts(chart.props.values)) {
                        const parts = irsaRoleOf(resources, account.annotations[ROLE_ARN_ANNOTATION]);
                        const role = parts.find((p) => p.type === "aws:iam/role:Role")!;
                        const trust = JSON.parse(String(role.props.assumeRolePolicy));
                        assert.ok(
                            Object.values(trust.Statement[0].Condition.StringEquals).includes(`system:serviceaccount:${namespace}:${account.name}`),
                            `${role.name} does not trust ${namespace}/${account.name}`,
                        );
                        for (const part of parts) {
                            assert.ok(chart.dependsOn.includes(part.urn), `${chart.name} may start before ${part.name} (${part.type})`);
                        }
                    }
                }
            });

            it("controller charts (Deployments) wait for every node group; the Fluent Bit DaemonSet need not", async () => {
                const { resources } = await renderNamedStack(stack);
                const groups = ofType(resources, GROUP).map((g) => g.urn);
                for (const chart of ofType(resources, CHART)) {
                    const waits = groups.filter((urn) => chart.dependsOn.includes(urn));
                    assert.deepEqual(waits, chart.name.endsWith("-fluent-bit") ? [] : groups, chart.name);
                }
            });
        });
    }
});
