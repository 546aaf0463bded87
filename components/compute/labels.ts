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
/** Label naming a node's pool. */
export const NODE_POOL_LABEL = "eks-platform/node-pool";

/**
 * Labels the kubelet may set on its own Node in the kubernetes.io and k8s.io namespaces: these keys,
 * and any key in a namespace ending in these (Kubernetes staging/src/k8s.io/kubelet/pkg/apis/
 * well_known_labels.go, kubeletLabels and kubeletLabelNamespaces). The kubelet refuses to start with
 * any other such key in --node-labels (cmd/kubelet/app/options/options.go, ValidateKubeletFlags),
 * so a node given one never joins.
 */
const KUBELET_LABELS = [
    "kubernetes.io/hostname",
    "topology.kubernetes.io/zone",
    "topology.kubernetes.io/region",
    "failure-domain.beta.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/region",
    "beta.kubernetes.io/instance-type",
    "node.kubernetes.io/instance-type",
    "kubernetes.io/os",
    "kubernetes.io/arch",
    "beta.kubernetes.io/os",
    "beta.kubernetes.io/arch",
];
const KUBELET_LABEL_NAMESPACES = ["kubelet.kubernetes.io", "node.kubernetes.io"];
const KUBERNETES_NAMESPACES = ["kubernetes.io", "k8s.io"];

const inNamespace = (namespace: string, domain: string) => namespace === domain || namespace.endsWith(`.${domain}`);

/** Why the kubelet would refuse to set this label on its node, or undefined when it may. */
export function kubeletLabelRefusal(key: string): string | undefined {
    const slash = key.indexOf("/");
    const namespace = slash >= 0 ? key.slice(0, slash) : "";
    if (!KUBERNETES_NAMESPACES.some((domain) => inNamespace(namespace, domain))) {
        return undefined;
    }
    if (KUBELET_LABELS.includes(key) || KUBELET_LABEL_NAMESPACES.some((domain) => inNamespace(namespace, domain))) {
        return undefined;
    }
    return (
        `is in the ${namespace} namespace, which the kubelet may not set on its own node: with it in --node-labels the kubelet refuses to start and no node of the pool joins. ` +
        `Kubernetes-namespaced labels must be under ${KUBELET_LABEL_NAMESPACES.join(" or ")} (or be one of ${KUBELET_LABELS.join(", ")}); use a namespace of your own (example.com/role)`
    );
}

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
        [NODE_POOL_LABEL]: pool.name,
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
