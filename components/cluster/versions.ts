/**
 * Kubernetes minor versions in Amazon EKS standard support when this release was cut, with the
 * date AWS ends standard support (after which extended support bills extra per cluster hour).
 * Newest last: the default is the newest.
 */
export const SUPPORTED_KUBERNETES_VERSIONS = [
    { version: "1.34", endOfStandardSupport: "2026-12-02" },
    { version: "1.35", endOfStandardSupport: "2027-03-27" },
    { version: "1.36", endOfStandardSupport: "2027-08-02" },
] as const;

export type KubernetesVersion = (typeof SUPPORTED_KUBERNETES_VERSIONS)[number]["version"];

export const KUBERNETES_VERSIONS = SUPPORTED_KUBERNETES_VERSIONS.map((v) => v.version) as [KubernetesVersion, ...KubernetesVersion[]];

export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = KUBERNETES_VERSIONS[KUBERNETES_VERSIONS.length - 1];

/** Minor number of "1.35" is 35. */
export function minorOf(version: string): number {
    return Number(version.split(".")[1]);
}

/**
 * Kubernetes' version-skew policy: since 1.28 a kubelet may be up to three minors older than the
 * API server, and never newer.
 */
export const MAX_KUBELET_MINOR_SKEW = 3;
