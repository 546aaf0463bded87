import { ACCELERATOR_LABEL, GPU_PRESENT_LABEL, GPU_TAINT, type PoolGpus } from "./gpu";
import type { NodePoolSettings } from "./settings";

export interface Taint {
    key: string;
    value: string;
    effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** Label workloads select on to pick a capacity type: lifecycle=Ec2Spot or lifecycle=OnDemand. */
export const LIFECYCLE_LABEL = "lifecycle";
export const SPOT_LIFECYCLE = "Ec2Spot";
export const ON_DEMAND_LIFECYCLE = "OnDemand";
/** Soft taint: pods that do not tolerate interruption prefer other nodes but are not locked out. */
export const SPOT_TAINT: Taint = { key: "spotInstance", value: "true", effect: "PreferNoSchedule" };

/** Whether any of the pool's capacity can be Spot (all On-Demand needs 100% above a base that covers maxSize). */
export function hasSpotCapacity(pool: Pick<NodePoolSettings, "onDemandPercentageAboveBaseCapacity" | "onDemandBaseCapacity" | "maxSize">): boolean {
    return pool.onDemandPercentageAboveBaseCapacity < 100 && pool.maxSize > pool.onDemandBaseCapacity;
}

/**
 * Labels a pool's nodes register with. A mixed pool is labelled Ec2Spot: the labels are fixed in
 * the launch template, so they describe the pool's exposure to interruption, and any pod placed on
 * it must assume it may be reclaimed; the On-Demand share is a capacity floor, not a guarantee.
 * NVIDIA pools (`gpus` given) add the GPU labels of ./gpu.ts.
 */
export function nodeLabels(pool: NodePoolSettings, gpus: PoolGpus | undefined): Record<string, string> {
    return {
        ...pool.labels,
        ...(gpus ? { [GPU_PRESENT_LABEL]: "true", [ACCELERATOR_LABEL]: gpus.accelerator } : {}),
        [LIFECYCLE_LABEL]: hasSpotCapacity(pool) ? SPOT_LIFECYCLE : ON_DEMAND_LIFECYCLE,
        "eks-platform/node-pool": pool.name,
    };
}

/** Taints a pool's nodes register with: the configured ones, the GPU taint on NVIDIA pools, the Spot taint on pools with Spot. */
export function nodeTaints(pool: NodePoolSettings): Taint[] {
    const configured = pool.taints.filter((t) => !(hasSpotCapacity(pool) && t.key === SPOT_TAINT.key));
    return [...configured, ...(pool.accelerator === "nvidia" ? [GPU_TAINT] : []), ...(hasSpotCapacity(pool) ? [SPOT_TAINT] : [])];
}

/** kubelet --node-labels value: k=v,k=v. */
export function nodeLabelsFlag(labels: Record<string, string>): string {
    return `--node-labels=${Object.entries(labels)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`)
        .join(",")}`;
}

/** kubelet --register-with-taints value: k=v:Effect,... */
export function registerWithTaintsFlag(taints: Taint[]): string {
    return `--register-with-taints=${taints.map((t) => `${t.key}=${t.value}:${t.effect}`).join(",")}`;
}

/**
 * Cluster Autoscaler node-template tags: from zero nodes it cannot see a node, so it reads the
 * labels, taints and resources a new node would have from these ASG tags (cloudprovider/aws/README.md).
 * `resources` overrides what the autoscaler would otherwise assume: for `pods` it assumes 110 whatever
 * the kubelet's maxPods, and GPUs it reads from a table of its own.
 */
export function nodeTemplateTags(labels: Record<string, string>, taints: Taint[], resources: Record<string, number>): Record<string, string> {
    return {
        ...Object.fromEntries(Object.entries(labels).map(([k, v]) => [`k8s.io/cluster-autoscaler/node-template/label/${k}`, v])),
        ...Object.fromEntries(taints.map((t) => [`k8s.io/cluster-autoscaler/node-template/taint/${t.key}`, `${t.value}:${t.effect}`])),
        ...Object.fromEntries(Object.entries(resources).map(([k, v]) => [`k8s.io/cluster-autoscaler/node-template/resources/${k}`, String(v)])),
    };
}
