import { createHash } from "crypto";
import { childUrn } from "../harness/aliases";
import type { PlannedResource } from "../harness/render";

/**
 * Resources a remote component creates inside itself that the program can take over: under mocks a
 * remote component registers alone, so the plan writes these in for the diff, as the pinned
 * pulumi-eks source creates them (nodejs/eks/cluster/cluster.ts, createCore; nodejs/eks/servicerole.ts).
 * `eks.Cluster` without a `serviceRole` input makes its own: a ServiceRole component
 * `<name>-eksRole`, its role `<name>-eksRole-role` (auto-named) and one policy attachment
 * `<name>-eksRole-<8 hex of SHA-1 of the policy's aws-partition ARN>` per managed policy.
 */

const CLUSTER = "eks:index:Cluster";
const SERVICE_ROLE = "eks:index:ServiceRole";

/** Stands for the name the provider generated for an implicit role: unknown offline, in the generated form, so a role that continues it keeps its own. */
const UNKNOWN_NAME_DIGITS = "0000000";

function child(parent: PlannedResource, type: string, name: string, props: Record<string, unknown>, dependsOn: string[] = []): PlannedResource {
    return {
        urn: childUrn(parent.urn, type, name),
        type,
        name,
        id: "",
        custom: !type.startsWith("eks:"),
        parent: parent.urn,
        dependsOn,
        // The component's AWS provider, which the plan does not record for a remote component.
        provider: null,
        // A child takes `protect` from its parent (the SDK's option inheritance); `retainOnDelete` it does not.
        options: { protect: parent.options.protect, retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false, replaceOnChanges: [] },
        props,
    };
}

/** The partition of the cluster's own ARNs (its key's), `aws` when it has none. */
function partitionOf(cluster: PlannedResource): string {
    const arn = JSON.stringify(cluster.props).match(/"arn:([a-z-]+):/);
    return arn?.[1] ?? "aws";
}

/** The service role `eks.Cluster` makes when the program passes none, and the cluster with it as its `serviceRole`. */
function clusterServiceRole(cluster: PlannedResource): PlannedResource[] {
    const policies = ["AmazonEKSClusterPolicy"];
    if ((cluster.props.autoMode as { enabled?: boolean } | undefined)?.enabled) {
        policies.push("AmazonEKSComputePolicy", "AmazonEKSBlockStoragePolicy", "AmazonEKSLoadBalancingPolicy", "AmazonEKSNetworkingPolicy");
    }
    const component = child(cluster, SERVICE_ROLE, `${cluster.name}-eksRole`, {});
    const roleName = `${component.name}-role`;
    const role = child(component, "aws:iam/role:Role", roleName, {
        description: "Allows EKS to manage clusters on your behalf.",
        assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Action: ["sts:AssumeRole", "sts:TagSession"], Effect: "Allow", Principal: { Service: ["eks.amazonaws.com"] } }],
        }),
        ...(cluster.props.tags === undefined ? {} : { tags: cluster.props.tags }),
        name: `${roleName}-${UNKNOWN_NAME_DIGITS}`,
    });
    const attachments = policies.map((policy) => {
        const id = `arn:aws:iam::aws:policy/${policy}`;
        const hash = createHash("sha1").update(id).digest("hex").slice(0, 8);
        return child(
            component,
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            `${component.name}-${hash}`,
            { policyArn: `arn:${partitionOf(cluster)}:iam::aws:policy/${policy}`, role: role.props.name },
            [role.urn],
        );
    });
    return [{ ...cluster, props: { ...cluster.props, serviceRole: role.urn } }, component, role, ...attachments];
}

/**
 * The plan's resources with the implicit children of its remote components written in, and each
 * such component with the input that names them (an `eks.Cluster` without `serviceRole` gets its own
 * role's URN), so a resource that takes one over through an alias is judged as continuing it.
 * `implicit` holds the URNs written in: the plan knows neither their provider nor their generated names.
 */
export function withImplicitChildren(resources: PlannedResource[]): { resources: PlannedResource[]; implicit: Set<string> } {
    const implicit = new Set<string>();
    const expanded = resources.flatMap((resource) => {
        if (resource.type !== CLUSTER || resource.props.serviceRole !== undefined) {
            return [resource];
        }
        const [cluster, ...children] = clusterServiceRole(resource);
        children.forEach((c) => implicit.add(c.urn));
        return [cluster, ...children];
    });
    return { resources: expanded, implicit };
}
