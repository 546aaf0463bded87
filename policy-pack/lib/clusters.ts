import type { ResourceView } from "./policy";
import { asArray } from "./values";

// The program creates clusters through the @pulumi/eks component (a remote component: under
// the engine and under mocks it registers with its ClusterArgs and nothing below it) or as a
// raw aws.eks.Cluster. Both spellings are read here, each with the defaults its API documents,
// so that the cluster rules state each requirement once.

export const EKS_COMPONENT_CLUSTER = "eks:index:Cluster";
export const AWS_EKS_CLUSTER = "aws:eks/cluster:Cluster";
export const CLUSTER_TYPES = [EKS_COMPONENT_CLUSTER, AWS_EKS_CLUSTER] as const;

export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

const WORLD = ["0.0.0.0/0"];

function isComponent(cluster: ResourceView): boolean {
    return cluster.type === EKS_COMPONENT_CLUSTER;
}

/** Both APIs default the public endpoint to on. */
export function publicEndpointEnabled(cluster: ResourceView): boolean {
    const value = isComponent(cluster) ? cluster.props.endpointPublicAccess : cluster.props.vpcConfig?.endpointPublicAccess;
    return value ?? true;
}

/** Both APIs default the private endpoint to off. */
export function privateEndpointEnabled(cluster: ResourceView): boolean {
    const value = isComponent(cluster) ? cluster.props.endpointPrivateAccess : cluster.props.vpcConfig?.endpointPrivateAccess;
    return value ?? false;
}

/** EKS opens an enabled public endpoint to 0.0.0.0/0 unless CIDRs are given. */
export function publicAccessCidrs(cluster: ResourceView): string[] {
    const value = isComponent(cluster) ? cluster.props.publicAccessCidrs : cluster.props.vpcConfig?.publicAccessCidrs;
    return value === undefined || value === null || value.length === 0 ? WORLD : value;
}

/** Control-plane logging is off unless log types are listed. */
export function enabledLogTypes(cluster: ResourceView): string[] {
    return asArray(cluster.props.enabledClusterLogTypes);
}

export function secretsEncryptionKeyArn(cluster: ResourceView): string | undefined {
    if (isComponent(cluster)) {
        return cluster.props.encryptionConfigKeyArn || undefined;
    }
    const encryption = cluster.props.encryptionConfig;
    if (!encryption || !asArray(encryption.resources).includes("secrets")) {
        return undefined;
    }
    return encryption.provider?.keyArn || undefined;
}

/** Neither API requires a version; EKS then picks its current default, so it drifts. */
export function kubernetesVersion(cluster: ResourceView): string | undefined {
    return cluster.props.version ?? undefined;
}

/** The EKS API defaults to CONFIG_MAP when no authentication mode is given. */
export function authenticationMode(cluster: ResourceView): string {
    const value = isComponent(cluster) ? cluster.props.authenticationMode : cluster.props.accessConfig?.authenticationMode;
    return value ?? "CONFIG_MAP";
}

export function subnetIdsOf(cluster: ResourceView): string[] {
    if (isComponent(cluster)) {
        const { subnetIds, privateSubnetIds, publicSubnetIds } = cluster.props;
        return subnetIds ? asArray(subnetIds) : [...asArray(privateSubnetIds), ...asArray(publicSubnetIds)];
    }
    return asArray(cluster.props.vpcConfig?.subnetIds);
}

/** The EKS cluster name: explicit `name`, else the Pulumi resource name (auto-naming adds a suffix). */
export function clusterName(cluster: ResourceView): string {
    return cluster.props.name ?? cluster.name;
}
