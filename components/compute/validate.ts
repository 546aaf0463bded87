import type { InstanceTypeFacts } from "../../config";
import type { ConfigProblem } from "../../config/problems";
import { formatPath } from "../../config/schemaTree";
import type { ValidationFacts } from "../capability";
import { WARM_PREFIX_TARGET } from "../cluster/vpcCniConfig";
import { subnetName } from "../network/cidrPlan";
import { minorOf } from "../versions";
import { ACCELERATOR_LABEL, describeGpus, GPU_PRESENT_LABEL, GPU_TAINT, gpuCount, poolGpus } from "./gpu";
import { hasSpotCapacity, kubeletLabelRefusal, LIFECYCLE_LABEL, NODE_POOL_LABEL, SPOT_TAINT } from "./labels";
import { poolMaxPods } from "./maxPods";
import { nodeGroupTags } from "./nodePool";
import { type PoolPodSubnetDemand, podSubnetCapacity, podSubnetDemand } from "./podAddresses";
import type { ComputeSettings, NodePoolSettings } from "./settings";

/**
 * Kubernetes' version-skew policy: since 1.28 a kubelet may be up to three minors older than the
 * API server, and never newer.
 */
const MAX_KUBELET_MINOR_SKEW = 3;

/** Taint effects that keep the platform's own pods (CoreDNS, the autoscaler) off a node. */
const REPELLING_EFFECTS = new Set(["NoSchedule", "NoExecute"]);

/** Tags an Auto Scaling group, and each instance it launches, may carry (Auto Scaling and EC2 tag limits). */
const MAX_TAGS_PER_RESOURCE = 50;

/**
 * What the kubelet refuses in a pool's labels and taints (the node would never join), what the
 * platform sets itself, and whether the group's tags fit Auto Scaling's 50.
 */
function labelAndTaintProblems(pool: NodePoolSettings, index: number, facts: ValidationFacts): ConfigProblem[] {
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
    // The node template's resources are tags too; without a described type (refused already) they cannot be counted.
    const types = typedInstanceTypes(pool, facts)
        .map((type) => type.facts)
        .filter(hasPodEnis);
    const template =
        types.length > 0
            ? { maxPods: poolMaxPods(types, facts.cluster.prefixDelegation), gpus: pool.accelerator === "nvidia" ? poolGpus(types) : undefined }
            : undefined;
    const count = template ? Object.keys(nodeGroupTags(pool, facts.clusterName, facts.tags, template).group).length : 0;
    if (count > MAX_TAGS_PER_RESOURCE) {
        problems.push({
            path: at("labels"),
            value: pool.labels,
            message: `give the pool's Auto Scaling group ${count} tags (the stack's tags, the platform's, and the autoscaler's node-template tags: one per label, taint and resource), more than the ${MAX_TAGS_PER_RESOURCE} it may carry; use fewer labels, taints or stack tags`,
        });
    }
    return problems;
}

const shapeOf = (facts: { vcpus: number; memoryMiB: number }) => `${facts.vcpus} vCPU / ${facts.memoryMiB / 1024} GiB`;

/** The pool's instance types that EC2 (or the offline table) described, with their facts. */
function typedInstanceTypes(pool: NodePoolSettings, facts: ValidationFacts): { name: string; index: number; facts: InstanceTypeFacts }[] {
    return pool.instanceTypes.flatMap((name, index) => (facts.instanceTypes[name] ? [{ name, index, facts: facts.instanceTypes[name] }] : []));
}

/** Whether a type can carry pods at all under custom networking, where its primary ENI carries none. */
const hasPodEnis = (type: InstanceTypeFacts) => type.maxNetworkInterfaces >= 2 && type.ipv4PerInterface >= 2;

/**
 * Checks of one instance type in a pool: family, existence, architecture, pod ENIs, prefix
 * delegation, GPUs against the pool's accelerator.
 */
function instanceTypeProblems(compute: ComputeSettings, pool: NodePoolSettings, type: string, path: string, facts: ValidationFacts): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
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
        return problems;
    }
    const known = facts.instanceTypes[type];
    if (!known) {
        return problems;
    }
    if (!known.architectures.includes(pool.architecture)) {
        problems.push({
            path,
            value: type,
            message: `runs ${known.architectures.join("/")}, but the pool's architecture is ${pool.architecture}; the AMI is chosen per pool, so every type must run it`,
        });
    }
    if (!hasPodEnis(known)) {
        problems.push({
            path,
            value: type,
            message: `has ${known.maxNetworkInterfaces} ENI(s) of ${known.ipv4PerInterface} IPv4 addresses on its default network card; under VPC CNI custom networking the primary ENI carries no pods, so it has no room for any`,
        });
    }
    if (facts.cluster.prefixDelegation && !known.prefixDelegationSupported) {
        problems.push({
            path,
            value: type,
            message: `runs on the ${known.hypervisor || "unreported"} hypervisor; VPC CNI prefix delegation (cluster.prefixDelegation, on by default) assigns /28 prefixes on Nitro and bare-metal types only, so its pods would get no address: pick a Nitro type or set cluster.prefixDelegation: false`,
        });
    }
    const hasGpus = known.gpus.length > 0;
    if (pool.accelerator === "none" && hasGpus) {
        problems.push({
            path,
            value: type,
            message: `has ${describeGpus(known)}; set accelerator: nvidia on the pool for the NVIDIA AMI and device plugin (the standard AMI has no GPU driver, the GPUs would be paid for and unusable), or pick a type without GPUs`,
        });
    }
    if (pool.accelerator === "nvidia") {
        if (!known.gpus.some((gpu) => gpu.manufacturer === "nvidia")) {
            problems.push({
                path,
                value: type,
                message: `has ${hasGpus ? describeGpus(known) : "no GPU"}; a pool with accelerator: nvidia takes NVIDIA GPU types only (the AL2023 NVIDIA AMI and the NVIDIA device plugin)`,
            });
        } else if (gpuCount(known) === 0) {
            problems.push({
                path,
                value: type,
                message: `has ${describeGpus(known)} (EC2 reports 0 whole GPUs); the pool's nodes must advertise whole nvidia.com/gpu to the scheduler and the Cluster Autoscaler, so pick a type with whole GPUs`,
            });
        }
    }
    return problems;
}

/** A pool's GPUs agree across its types, and its own labels and taints leave the GPU ones to the platform. */
function acceleratorProblems(pool: NodePoolSettings, at: (field: string) => string, facts: ValidationFacts): ConfigProblem[] {
    if (pool.accelerator !== "nvidia") {
        return [];
    }
    const problems: ConfigProblem[] = [];
    const withGpus = typedInstanceTypes(pool, facts).filter((type) => gpuCount(type.facts) > 0);
    const reference = withGpus[0];
    for (const other of withGpus.slice(1)) {
        if (gpuCount(other.facts) !== gpuCount(reference.facts)) {
            problems.push({
                path: `${at("instanceTypes")}[${other.index}]`,
                value: other.name,
                message: `has ${describeGpus(other.facts)} but ${reference.name} has ${describeGpus(reference.facts)}; the Cluster Autoscaler sizes the pool from one node template (k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu), so every type of a GPU pool must have the same GPU count`,
            });
        }
    }
    for (const key of [GPU_PRESENT_LABEL, ACCELERATOR_LABEL].filter((label) => label in pool.labels)) {
        problems.push({ path: `${at("labels")}.${key}`, value: pool.labels[key], message: "is set by the platform on every NVIDIA pool; remove it" });
    }
    pool.taints.forEach((taint, index) => {
        if (taint.key === GPU_TAINT.key) {
            problems.push({
                path: `${at("taints")}[${index}]`,
                value: taint,
                message: `is set by the platform on every NVIDIA pool (${GPU_TAINT.key}=${GPU_TAINT.value}:${GPU_TAINT.effect}); remove it`,
            });
        }
    });
    return problems;
}

/** "7 prefixes for 110 pods + 1 warm + 1 ENI primary address" or "2 ENIs of 10 addresses". */
function perNodeLine(demand: PoolPodSubnetDemand): string {
    const { perNode } = demand;
    return perNode.prefixes > 0
        ? `${perNode.prefixes - WARM_PREFIX_TARGET} prefix(es) for ${demand.maxPods} pods + ${WARM_PREFIX_TARGET} warm + ${perNode.enis} for ENI primary address(es) = ${perNode.units} blocks`
        : `${perNode.secondaryIps} pod addresses + ${perNode.enis} ENI primary address(es) = ${perNode.units} addresses`;
}

/**
 * Whether each zone's pod subnet can hold the pools' worst case: every pool at maxSize, spread evenly
 * over the zones, every node at its kubelet maxPods with the VPC CNI's warm target, counted in /28
 * blocks with prefix delegation (a prefix needs 16 contiguous free addresses; an ENI's own primary
 * address may take a block of its own) or in addresses without.
 */
function podSubnetProblems(compute: ComputeSettings, facts: ValidationFacts): ConfigProblem[] {
    const { cluster, network, cidrPlan, clusterName } = facts;
    if (!cidrPlan) {
        return [];
    }
    const prefixDelegation = cluster.prefixDelegation;
    const pools = compute.nodePools.flatMap((pool) => {
        const types = typedInstanceTypes(pool, facts).filter((type) => hasPodEnis(type.facts));
        return types.length === 0
            ? []
            : [
                  {
                      name: pool.name,
                      maxSize: pool.maxSize,
                      maxPods: poolMaxPods(
                          types.map((t) => t.facts),
                          prefixDelegation,
                      ),
                      instanceTypes: types,
                  },
              ];
    });
    const demand = podSubnetDemand(pools, network.azCount, prefixDelegation);
    const needed = demand.reduce((sum, pool) => sum + pool.units, 0);
    const capacity = podSubnetCapacity(network.podSubnetPrefix, prefixDelegation);
    if (needed <= capacity) {
        return [];
    }
    const unit = prefixDelegation ? "/28 prefix blocks" : "pod addresses";
    const subnets = cidrPlan.podSubnets.map((subnet) => `${subnetName(clusterName, "pods", subnet.availabilityZone)} (${subnet.cidr})`).join(", ");
    const perPool = demand
        .map((pool) => `pool ${pool.pool}: ${pool.nodesPerZone} node(s) per zone at maxSize × ${pool.instanceType} (${perNodeLine(pool)}) = ${pool.units}`)
        .join("; ");
    const room = prefixDelegation
        ? `${capacity} ${unit} (every aligned /28 but the two holding AWS's reserved addresses)`
        : `${capacity} ${unit} (the block less AWS's 5 reserved addresses)`;
    return [
        {
            path: "network.podSubnetPrefix",
            value: network.podSubnetPrefix,
            message: `makes each pod subnet too small for the node pools at maxSize: ${subnets} each hold ${room}, but one zone needs ${needed}: ${perPool}; use a shorter network.podSubnetPrefix (a larger network.podCidr if needed) or lower the pools' maxSize`,
        },
    ];
}

/**
 * Pool sizes, diversification, families, instance-type existence, shape and architecture, pod
 * density (ENIs, prefix delegation), GPUs, version skew and whether the subnets can hold the nodes
 * and their pods.
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
        pool.instanceTypes.forEach((type, typeIndex) =>
            problems.push(...instanceTypeProblems(compute, pool, type, `${at("instanceTypes")}[${typeIndex}]`, facts)),
        );
        const [reference, ...others] = typedInstanceTypes(pool, facts);
        for (const other of others) {
            if (reference.facts.vcpus !== other.facts.vcpus || reference.facts.memoryMiB !== other.facts.memoryMiB) {
                problems.push({
                    path: `${at("instanceTypes")}[${other.index}]`,
                    value: other.name,
                    message: `has ${shapeOf(other.facts)} but ${reference.name} has ${shapeOf(reference.facts)}; the Cluster Autoscaler sizes a group from one type, so all types of a pool must share vCPU and memory`,
                });
            }
        }
        problems.push(...acceleratorProblems(pool, at, facts));
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

    // The platform's own Deployments tolerate neither the GPU taint nor a configured NoSchedule/NoExecute one.
    const acceptsPlatformPods = (pool: NodePoolSettings) => pool.accelerator === "none" && !pool.taints.some((taint) => REPELLING_EFFECTS.has(taint.effect));
    if (!compute.nodePools.some((pool) => acceptsPlatformPods(pool) && (pool.desiredSize ?? pool.minSize) > 0)) {
        problems.push({
            path: "compute.nodePools",
            value: compute.nodePools.map((pool) => ({ name: pool.name, minSize: pool.minSize, desiredSize: pool.desiredSize })),
            message:
                "start no node: CoreDNS, the termination handler and the Cluster Autoscaler itself need one to run on; give at least one pool without GPUs or a NoSchedule/NoExecute taint a desiredSize or minSize of 1 or more",
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

    problems.push(...podSubnetProblems(compute, facts));
    if (cidrPlan) {
        const nodesPerAz = compute.nodePools.reduce((sum, pool) => sum + Math.ceil(pool.maxSize / network.azCount), 0);
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
