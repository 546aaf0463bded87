import type { RegionFacts } from "../../config";
import type { ConfigProblem } from "../../config/problems";
import { formatPath } from "../../config/schemaTree";
import type { ValidationFacts } from "../capability";
import { minorOf } from "../versions";
import { hasSpotCapacity, kubeletLabelRefusal, LIFECYCLE_LABEL, NODE_POOL_LABEL, SPOT_TAINT } from "./labels";
import { nodeGroupTags } from "./nodePool";
import { maxPodsFor } from "./maxPods";
import type { ComputeSettings, NodePoolSettings } from "./settings";

/**
 * Kubernetes' version-skew policy: since 1.28 a kubelet may be up to three minors older than the
 * API server, and never newer.
 */
const MAX_KUBELET_MINOR_SKEW = 3;

const FALLBACK_PODS_PER_NODE = 110;
const PREFIX_DELEGATION_BLOCK = 16;

/**
 * Pod-subnet addresses a pool's node can take: its largest type's maxPods (the VPC CNI's warm ENI
 * can fill every secondary slot), rounded up to whole /28 blocks under prefix delegation. A type
 * without facts (already reported as unknown) counts as EKS's common ceiling of 110.
 */

function podIpsPerNode(pool: NodePoolSettings, facts: Pick<RegionFacts, "instanceTypes">, prefixDelegation: boolean): number {
    const pods = Math.max(
        ...pool.instanceTypes.map((type) => (facts.instanceTypes[type] ? maxPodsFor(facts.instanceTypes[type], prefixDelegation) : FALLBACK_PODS_PER_NODE)),
    );
    return prefixDelegation ? Math.ceil(pods / PREFIX_DELEGATION_BLOCK) * PREFIX_DELEGATION_BLOCK : pods;
}

/** Tags an Auto Scaling group, and each instance it launches, may carry (Auto Scaling and EC2 tag limits). */
const MAX_TAGS_PER_RESOURCE = 50;

/**
 * What the kubelet refuses in a pool's labels and taints (the node would never join), what the
 * platform sets itself, and whether the group's tags fit Auto Scaling's 50.
 */
function labelAndTaintProblems(pool: NodePoolSettings, index: number, facts: Pick<ValidationFacts, "clusterName" | "tags">): ConfigProblem[] {
    const at = (...field: (string | number)[]) => formatPath(["compute", "nodePools", index, ...field]);
    const problems: ConfigProblem[] = [];
    for (const [key, value] of Object.entries(pool.labels)) {
        const path = at("labels", key);
        const refusal = kubeletLabelRefusal(key);
        if (refusal) {
            problems.push({ path, value, message: refusal });
        }
        if (key === LIFECYCLE_LABEL || key === NODE_POOL_LABEL) {
            problems.push({
                path,
                value,
                message: `is a label the platform sets on every node itself (${LIFECYCLE_LABEL}: the capacity type, ${NODE_POOL_LABEL}: the pool); choose another key`,
            });
        }
    }
    pool.taints.forEach((taint, t) => {
        if (taint.key === SPOT_TAINT.key && hasSpotCapacity(pool)) {
            problems.push({
                path: at("taints", t, "key"),
                value: taint.key,
                message: `is the taint the platform sets on pools with Spot capacity (${SPOT_TAINT.key}=${SPOT_TAINT.value}:${SPOT_TAINT.effect}); choose another key`,
            });
        }
    });
    const { group } = nodeGroupTags(pool, facts.clusterName, facts.tags);
    const count = Object.keys(group).length;
    if (count > MAX_TAGS_PER_RESOURCE) {
        problems.push({
            path: at("labels"),
            value: pool.labels,
            message: `give the pool's Auto Scaling group ${count} tags (the stack's tags, the platform's, and one per label and taint for the autoscaler), more than the ${MAX_TAGS_PER_RESOURCE} it may carry; use fewer labels, taints or stack tags`,
        });
    }
    return problems;
}

const shapeOf = (facts: { vcpus: number; memoryMiB: number }) => `${facts.vcpus} vCPU / ${facts.memoryMiB / 1024} GiB`;

/**
 * Pool sizes, diversification, families, instance-type existence, shape and architecture, version
 * skew and whether the pod subnets can hold the pods.
 */
export function validateCompute(compute: ComputeSettings, facts: ValidationFacts): ConfigProblem[] {
    const { cluster, network, cidrPlan } = facts;
    const problems: ConfigProblem[] = [];
    compute.nodePools.forEach((pool, index) => {
        const at = (field: string) => `compute.nodePools[${index}].${field}`;
        problems.push(...labelAndTaintProblems(pool, index, facts));

        if (pool.minSize > pool.maxSize) {
            problems.push({ path: at("minSize"), value: pool.minSize, message: `must be at most maxSize (${pool.maxSize})` });
        }
        if (pool.desiredSize !== undefined && (pool.desiredSize < pool.minSize || pool.desiredSize > pool.maxSize)) {
            problems.push({
                path: at("desiredSize"),
                value: pool.desiredSize,
                message: `must lie between minSize (${pool.minSize}) and maxSize (${pool.maxSize})`,
            });
        }
        pool.instanceTypes.forEach((type, typeIndex) => {
            const path = `${at("instanceTypes")}[${typeIndex}]`;
            const family = type.split(".")[0];
            if (!compute.allowedInstanceFamilies.includes(family)) {
                problems.push({
                    path,
                    value: type,
                    message: `is of family "${family}", not in compute.allowedInstanceFamilies (${compute.allowedInstanceFamilies.join(", ")})`,
                });
            }
            if (facts.unknownInstanceTypes.includes(type)) {
                problems.push({
                    path,
                    value: type,
                    message: "is not an EC2 instance type offered in this region (DescribeInstanceTypes answered InvalidInstanceType)",
                });
                return;
            }
            const known = facts.instanceTypes[type];
            if (known && !known.architectures.includes(pool.architecture)) {
                problems.push({
                    path,
                    value: type,
                    message: `runs ${known.architectures.join("/")}, but the pool's architecture is ${pool.architecture}; the AMI is chosen per pool, so every type must run it`,
                });
            }
        });
        const typed = pool.instanceTypes.filter((type) => facts.instanceTypes[type]);
        const reference = typed[0];
        typed.slice(1).forEach((type) => {
            const [first, other] = [facts.instanceTypes[reference], facts.instanceTypes[type]];
            if (first.vcpus !== other.vcpus || first.memoryMiB !== other.memoryMiB) {
                problems.push({
                    path: `${at("instanceTypes")}[${pool.instanceTypes.indexOf(type)}]`,
                    value: type,
                    message: `has ${shapeOf(other)} but ${reference} has ${shapeOf(first)}; the Cluster Autoscaler sizes a group from one type, so all types of a pool must share vCPU and memory`,
                });
            }
        });
        if (hasSpotCapacity(pool) && new Set(pool.instanceTypes).size < compute.minSpotInstanceTypes) {
            problems.push({
                path: at("instanceTypes"),
                value: pool.instanceTypes,
                message: `a pool with Spot capacity needs at least ${compute.minSpotInstanceTypes} distinct instance types (compute.minSpotInstanceTypes) so one reclaimed Spot pool cannot empty it`,
            });
        }
        if (pool.kubernetesVersion !== undefined) {
            const skew = minorOf(cluster.kubernetesVersion) - minorOf(pool.kubernetesVersion);
            if (skew < 0) {
                problems.push({
                    path: at("kubernetesVersion"),
                    value: pool.kubernetesVersion,
                    message: `is newer than the control plane (cluster.kubernetesVersion ${cluster.kubernetesVersion}); upgrade the control plane first`,
                });
            } else if (skew > MAX_KUBELET_MINOR_SKEW) {
                problems.push({
                    path: at("kubernetesVersion"),
                    value: pool.kubernetesVersion,
                    message: `is ${skew} minors behind the control plane (${cluster.kubernetesVersion}); the version-skew policy allows at most ${MAX_KUBELET_MINOR_SKEW}`,
                });
            }
        }
    });

    if (compute.nodePools.every((pool) => (pool.desiredSize ?? pool.minSize) === 0)) {
        problems.push({
            path: "compute.nodePools",
            value: compute.nodePools.map((pool) => ({ name: pool.name, minSize: pool.minSize, desiredSize: pool.desiredSize })),
            message:
                "start no node: CoreDNS, the termination handler and the Cluster Autoscaler itself need one to run on; give at least one pool a desiredSize or minSize of 1 or more",
        });
    }
    if (compute.clusterAutoscaler.enabled && compute.clusterAutoscaler.expander === "price") {
        problems.push({
            path: "compute.clusterAutoscaler.expander",
            value: compute.clusterAutoscaler.expander,
            message:
                "the price expander has no AWS implementation in the Cluster Autoscaler (GCE only); use priority (Spot first), least-waste, most-pods or random",
        });
    }

    if (cidrPlan) {
        const poolNodesPerAz = (pool: NodePoolSettings) => Math.ceil(pool.maxSize / network.azCount);
        const nodesPerAz = compute.nodePools.reduce((sum, pool) => sum + poolNodesPerAz(pool), 0);
        const podIpsNeeded = compute.nodePools.reduce((sum, pool) => sum + poolNodesPerAz(pool) * podIpsPerNode(pool, facts, cluster.prefixDelegation), 0);
        if (podIpsNeeded > cidrPlan.usablePodIpsPerAz) {
            problems.push({
                path: "network.podSubnetPrefix",
                value: network.podSubnetPrefix,
                message: `gives ${cidrPlan.usablePodIpsPerAz} pod IPs per AZ, but the node pools at maxSize put up to ${nodesPerAz} nodes in one AZ needing ${podIpsNeeded}; use a shorter prefix or a larger network.podCidr`,
            });
        }
        const privateIps = cidrPlan.privateSubnets[0].usableIps;
        if (nodesPerAz > privateIps) {
            problems.push({
                path: "network.privateSubnetPrefix",
                value: network.privateSubnetPrefix,
                message: `gives ${privateIps} node IPs per AZ, fewer than the ${nodesPerAz} nodes the pools can place in one AZ`,
            });
        }
    }
    return problems;
}
