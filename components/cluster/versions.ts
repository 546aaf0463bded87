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

/** The EKS managed add-ons this program installs, by their EKS add-on name. */
export type ManagedAddonName = "vpc-cni" | "kube-proxy" | "coredns" | "eks-pod-identity-agent";

/**
 * Add-on versions pinned per Kubernetes minor, so a version change is a reviewed diff and never a
 * silent "latest" at deploy time. Each is the newest version the Amazon EKS User Guide lists for that
 * minor (sources per add-on below). Refresh with
 *   aws eks describe-addon-versions --kubernetes-version <minor> --addon-name <add-on> \
 *     --query 'addons[].addonVersions[].addonVersion'
 * and bump one add-on minor at a time (the CNI and CoreDNS upgrade guides require it).
 */
export const ADDON_VERSIONS: Record<KubernetesVersion, Partial<Record<ManagedAddonName, string>>> = {
    // kube-proxy: "Manage kube-proxy in Amazon EKS clusters", table "kube-proxy versions"
    //   (docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html).
    // coredns: "Manage CoreDNS for DNS in Amazon EKS clusters", table "CoreDNS versions"
    //   (docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html).
    // vpc-cni and eks-pod-identity-agent are not pinned yet: the User Guide's vpc-cni table available
    // when this was written stopped at 1.33, and the Pod Identity agent page has no version table.
    // Until they are pinned from describe-addon-versions, EKS installs its default version for the
    // cluster's minor at creation and keeps it (no input changes, so no drift on later `up`s).
    "1.34": { "kube-proxy": "v1.34.6-eksbuild.13", coredns: "v1.13.2-eksbuild.11" },
    "1.35": { "kube-proxy": "v1.35.3-eksbuild.13", coredns: "v1.14.3-eksbuild.3" },
    "1.36": { "kube-proxy": "v1.36.0-eksbuild.14", coredns: "v1.14.3-eksbuild.3" },
};

/** The pinned version of an add-on for a cluster version (validation admits only versions listed here). */
export function addonVersion(kubernetesVersion: string, addon: ManagedAddonName): string | undefined {
    const pins = ADDON_VERSIONS[kubernetesVersion as KubernetesVersion];
    if (!pins) {
        throw new Error(`no add-on versions pinned for Kubernetes ${kubernetesVersion}; supported: ${KUBERNETES_VERSIONS.join(", ")}`);
    }
    return pins[addon];
}
