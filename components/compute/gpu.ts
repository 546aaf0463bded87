import type { InstanceTypeFacts } from "../../config";
import type { Taint } from "./labels";

/** The extended resource the NVIDIA device plugin advertises and pods request. */
export const NVIDIA_GPU_RESOURCE = "nvidia.com/gpu";

/**
 * Keeps every pod that does not ask for a GPU off GPU nodes. EKS runs the ExtendedResourceToleration
 * admission plugin, which gives any pod requesting nvidia.com/gpu a toleration for exactly this key,
 * so GPU workloads need no toleration of their own.
 */
export const GPU_TAINT: Taint = { key: NVIDIA_GPU_RESOURCE, value: "true", effect: "NoSchedule" };

/**
 * Labels of NVIDIA pools. `nvidia.com/gpu.present` is what the device plugin chart's default node
 * affinity selects (nodeadm adds it itself from Kubernetes 1.35; the launch template sets it for every
 * minor). `k8s.amazonaws.com/accelerator` is the Cluster Autoscaler's GPU label on AWS: a node that
 * carries it but advertises no GPU yet counts as still starting, so the autoscaler does not scale up
 * again while the device plugin registers.
 */
export const GPU_PRESENT_LABEL = "nvidia.com/gpu.present";
export const ACCELERATOR_LABEL = "k8s.amazonaws.com/accelerator";

/** Whole GPUs of a type (EC2 reports a fractional share, g6f, as 0). */
export function gpuCount(facts: Pick<InstanceTypeFacts, "gpus">): number {
    return facts.gpus.reduce((sum, gpu) => sum + gpu.count, 0);
}

/** "1 NVIDIA a10g GPU", "4 NVIDIA l4 GPUs", "a fractional NVIDIA l4 GPU", for messages. */
export function describeGpus(facts: Pick<InstanceTypeFacts, "gpus">): string {
    const count = gpuCount(facts);
    const kinds = [...new Set(facts.gpus.map((gpu) => `${gpu.manufacturer === "nvidia" ? "NVIDIA" : gpu.manufacturer} ${gpu.name}`))].join(" + ");
    return count === 0 ? `a fractional ${kinds} GPU` : `${count} ${kinds} GPU${count === 1 ? "" : "s"}`;
}

/** What the pool's nodes carry, from its (validated) instance types: same GPU count on every type. */
export interface PoolGpus {
    /** GPUs per node: the autoscaler's node-template nvidia.com/gpu. */
    count: number;
    /** The value of the accelerator label: nvidia-<model> when every type has the same model (nvidia-a10g), else nvidia. */
    accelerator: string;
}

export function poolGpus(types: Pick<InstanceTypeFacts, "gpus">[]): PoolGpus {
    const models = new Set(types.flatMap((type) => type.gpus.map((gpu) => gpu.name)));
    return { count: types.length > 0 ? gpuCount(types[0]) : 0, accelerator: models.size === 1 ? `nvidia-${[...models][0]}` : "nvidia" };
}
