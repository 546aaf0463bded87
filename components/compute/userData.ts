import { stringify } from "yaml";
import type { KubeReserved } from "./kubeletReserved";
import { nodeLabelsFlag, registerWithTaintsFlag, Taint } from "./labels";

export interface NodeUserDataArgs {
    clusterName: string;
    /** API server URL (https://...). */
    apiServerEndpoint: string;
    /** Base64 PEM of the cluster CA. */
    certificateAuthority: string;
    /** Service CIDR; nodeadm derives the cluster DNS IP from it. */
    serviceCidr: string;
    maxPods: number;
    /** The kubelet's reservation for itself and the runtime, sized for maxPods (./kubeletReserved.ts). */
    kubeReserved: KubeReserved;
    labels: Record<string, string>;
    taints: Taint[];
}

const BOUNDARY = "//EKS-PLATFORM//";

/** The nodeadm NodeConfig (node.eks.aws/v1alpha1) an AL2023 EKS node reads from its user data. */
function nodeConfig(args: NodeUserDataArgs): object {
    const flags = [nodeLabelsFlag(args.labels), ...(args.taints.length > 0 ? [registerWithTaintsFlag(args.taints)] : [])];
    return {
        apiVersion: "node.eks.aws/v1alpha1",
        kind: "NodeConfig",
        spec: {
            cluster: {
                name: args.clusterName,
                apiServerEndpoint: args.apiServerEndpoint,
                certificateAuthority: args.certificateAuthority,
                cidr: args.serviceCidr,
            },
            // nodeadm's own default maxPods assumes pods on every ENI and no prefix delegation, and it sizes
            // its memory reservation from that default: both are set here, from the same pod count.
            kubelet: { config: { maxPods: args.maxPods, kubeReserved: args.kubeReserved }, flags },
        },
    };
}

/**
 * MIME multi-part user data with one application/node.eks.aws part, as nodeadm reads it from IMDS
 * (awslabs.github.io/amazon-eks-ami/nodeadm). Holds no credentials: the node authenticates with its
 * instance role through an EC2_LINUX access entry.
 */
export function nodeUserData(args: NodeUserDataArgs): string {
    return [
        "MIME-Version: 1.0",
        `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`,
        "",
        `--${BOUNDARY}`,
        "Content-Type: application/node.eks.aws",
        "",
        "---",
        stringify(nodeConfig(args)).trimEnd(),
        "",
        `--${BOUNDARY}--`,
        "",
    ].join("\n");
}

/**
 * The EKS-optimized AL2023 AMI variant: "standard", or "nvidia" with the NVIDIA driver, container
 * toolkit and fabric manager (no device plugin: the platform installs it, see ./nvidiaDevicePlugin.ts).
 */
export type AmiVariant = "standard" | "nvidia";

/**
 * The public SSM parameter holding the EKS-optimized AL2023 AMI of a variant: AWS's current
 * recommendation for the Kubernetes minor and architecture, or, with a release version
 * ("v20261101"), that dated release, so an AMI rollout happens when the pin moves in a reviewed
 * change rather than whenever AWS publishes.
 */
export function amiParameterName(kubernetesVersion: string, architecture: "x86_64" | "arm64", variant: AmiVariant, releaseVersion?: string): string {
    const image = releaseVersion ? `amazon-eks-node-al2023-${architecture}-${variant}-${kubernetesVersion}-${releaseVersion}` : "recommended";
    return `/aws/service/eks/optimized-ami/${kubernetesVersion}/amazon-linux-2023/${architecture}/${variant}/${image}/image_id`;
}
