/**
 * CPU nodeadm reserves for the kubelet and container runtime, by slices of the node's cores: 6 % of
 * the first core, 1 % of the second, 0.5 % of the third and fourth, 0.25 % of every core above four
 * (awslabs/amazon-eks-ami, nodeadm/internal/kubelet/config.go, getCPUMillicoresToReserve). Each
 * slice's share is rounded down to whole millicores, as nodeadm's integer arithmetic does.
 */
const CPU_RESERVATION_SLICES: { upToMillicores: number; basisPoints: number }[] = [
    { upToMillicores: 1000, basisPoints: 600 },
    { upToMillicores: 2000, basisPoints: 100 },
    { upToMillicores: 4000, basisPoints: 50 },
    { upToMillicores: Infinity, basisPoints: 25 },
];

/** Memory nodeadm reserves: 11 MiB per pod the kubelet admits plus 255 MiB (getMemoryMebibytesToReserve). */
const MEMORY_MIB_PER_POD = 11;
const MEMORY_MIB_BASE = 255;
/** nodeadm's fixed ephemeral-storage reservation. */
const EPHEMERAL_STORAGE_RESERVED = "1Gi";

/** kubelet `kubeReserved`, in the quantities a KubeletConfiguration takes. */
export interface KubeReserved {
    cpu: string;
    memory: string;
    "ephemeral-storage": string;
}

/**
 * What an AL2023 node reserves for the kubelet and container runtime, computed as nodeadm computes
 * it, but from the pool's maxPods rather than nodeadm's own.
 *
 * nodeadm sizes the memory reservation from the maxPods it derives itself (ENIs x (IPv4 per ENI - 1)
 * + 2, unaware of custom networking and prefix delegation); the maxPods of the NodeConfig only
 * reaches the kubelet through a drop-in file written afterwards. Left to nodeadm, an m5.2xlarge
 * admitting 110 pods would reserve memory for 58. The platform therefore writes this reservation
 * into the NodeConfig next to maxPods, so the two always describe the same node.
 */
export function kubeReserved(vcpus: number, maxPods: number): KubeReserved {
    if (!Number.isInteger(vcpus) || vcpus < 1 || !Number.isInteger(maxPods) || maxPods < 1) {
        throw new Error(`kubeReserved needs whole positive vCPUs and maxPods, got ${vcpus} and ${maxPods}`);
    }
    const millicores = vcpus * 1000;
    let from = 0;
    let cpu = 0;
    for (const slice of CPU_RESERVATION_SLICES) {
        if (millicores > from) {
            cpu += Math.floor(((Math.min(millicores, slice.upToMillicores) - from) * slice.basisPoints) / 10000);
        }
        from = slice.upToMillicores;
    }
    return { cpu: `${cpu}m`, memory: `${MEMORY_MIB_PER_POD * maxPods + MEMORY_MIB_BASE}Mi`, "ephemeral-storage": EPHEMERAL_STORAGE_RESERVED };
}
