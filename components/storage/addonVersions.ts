import type { KubernetesVersion } from "../cluster/versions";

/** The EKS managed add-ons that install the three CSI drivers. */
export type CsiAddonName = "aws-ebs-csi-driver" | "aws-efs-csi-driver" | "aws-fsx-csi-driver";

/**
 * Add-on builds pinned per control-plane minor, so two `pulumi up` runs months apart install the
 * same driver. Keyed by every supported Kubernetes version: adding a version to
 * components/cluster/versions.ts fails the type check here until each driver is pinned for it.
 *
 * Source: the newest upstream driver releases (kubernetes-sigs/aws-ebs-csi-driver v1.64.0, Aug 2026;
 * aws-efs-csi-driver v3.4.1, Jul 2026; aws-fsx-csi-driver v1.9.0, Apr 2026) in their first EKS
 * builds, as EKS 1.35 and 1.36 clusters reported them in Aug-Sep 2026. A driver release supports
 * every minor EKS still offers it for; confirm 1.34 with the command below before relying on it.
 * Refresh before a cluster upgrade with:
 *   aws eks describe-addon-versions --addon-name <addon> --kubernetes-version <minor> \
 *     --query 'addons[].addonVersions[].addonVersion' --output text
 */
export const CSI_ADDON_VERSIONS: Record<CsiAddonName, Record<KubernetesVersion, string>> = {
    "aws-ebs-csi-driver": { "1.34": "v1.64.0-eksbuild.1", "1.35": "v1.64.0-eksbuild.1", "1.36": "v1.64.0-eksbuild.1" },
    "aws-efs-csi-driver": { "1.34": "v3.4.1-eksbuild.1", "1.35": "v3.4.1-eksbuild.1", "1.36": "v3.4.1-eksbuild.1" },
    "aws-fsx-csi-driver": { "1.34": "v1.9.0-eksbuild.1", "1.35": "v1.9.0-eksbuild.1", "1.36": "v1.9.0-eksbuild.1" },
};

/** The pinned build of `addon` for the cluster's minor; fails loudly for a version nobody pinned. */
export function csiAddonVersion(addon: CsiAddonName, kubernetesVersion: string): string {
    const version = (CSI_ADDON_VERSIONS[addon] as Record<string, string>)[kubernetesVersion];
    if (!version) {
        throw new Error(`no ${addon} build pinned for Kubernetes ${kubernetesVersion} in components/storage/addonVersions.ts`);
    }
    return version;
}
