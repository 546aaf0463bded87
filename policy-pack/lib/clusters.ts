import type { ResourceView } from "./policy";
import { asArray, field, isTrue, stringAt, stringsAt } from "./values";

// The program creates clusters through the @pulumi/eks component (a remote component: under
// the engine and under mocks it registers with its ClusterArgs and nothing below it) or as a
// raw aws.eks.Cluster. Both spellings are read here, each with the defaults its API documents,
// so that the cluster rules state each requirement once.

export const EKS_COMPONENT_CLUSTER = "eks:index:Cluster";
export const AWS_EKS_CLUSTER = "aws:eks/cluster:Cluster";
export const CLUSTER_TYPES = [EKS_COMPONENT_CLUSTER, AWS_EKS_CLUSTER] as const;

export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

const WORLD = ["0.0.0.0/0"];

export function isCluster(resource: ResourceView): boolean {
    return (CLUSTER_TYPES as readonly string[]).includes(resource.type);
}

function isComponent(cluster: ResourceView): boolean {
    return cluster.type === EKS_COMPONENT_CLUSTER;
}

/** A setting the component takes at the top level and aws.eks.Cluster under `parent` (vpcConfig, accessConfig). */
function setting(cluster: ResourceView, name: string, parent: string): unknown {
    return isComponent(cluster) ? cluster.props[name] : field(cluster.props, parent, name);
}

function flag(value: unknown, byDefault: boolean): boolean {
    return value === undefined || value === null ? byDefault : isTrue(value);
}

/** Both APIs default the public endpoint to on. */
export function publicEndpointEnabled(cluster: ResourceView): boolean {
    return flag(setting(cluster, "endpointPublicAccess", "vpcConfig"), true);
}

/** Both APIs default the private endpoint to off. */
export function privateEndpointEnabled(cluster: ResourceView): boolean {
    return flag(setting(cluster, "endpointPrivateAccess", "vpcConfig"), false);
}

/** EKS opens an enabled public endpoint to 0.0.0.0/0 unless CIDRs are given. */
export function publicAccessCidrs(cluster: ResourceView): string[] {
    const value = asArray(setting(cluster, "publicAccessCidrs", "vpcConfig")) as string[];
    return value.length === 0 ? WORLD : value;
}

/** Control-plane logging is off unless log types are listed. */
export function enabledLogTypes(cluster: ResourceView): string[] {
    return stringsAt(cluster.props, "enabledClusterLogTypes");
}

export function secretsEncryptionKeyArn(cluster: ResourceView): string | undefined {
    if (isComponent(cluster)) {
        return stringAt(cluster.props, "encryptionConfigKeyArn") || undefined;
    }
    if (!stringsAt(cluster.props, "encryptionConfig", "resources").includes("secrets")) {
        return undefined;
    }
    return stringAt(cluster.props, "encryptionConfig", "provider", "keyArn") || undefined;
}

/** Neither API requires a version; EKS then picks its current default, so it drifts. */
export function kubernetesVersion(cluster: ResourceView): string | undefined {
    return stringAt(cluster.props, "version");
}

/** The EKS API defaults to CONFIG_MAP when no authentication mode is given. */
export function authenticationMode(cluster: ResourceView): string {
    const value = setting(cluster, "authenticationMode", "accessConfig");
    return typeof value === "string" ? value : "CONFIG_MAP";
}

export function subnetIdsOf(cluster: ResourceView): string[] {
    if (isComponent(cluster)) {
        return cluster.props.subnetIds !== undefined
            ? stringsAt(cluster.props, "subnetIds")
            : [...stringsAt(cluster.props, "privateSubnetIds"), ...stringsAt(cluster.props, "publicSubnetIds")];
    }
    return stringsAt(cluster.props, "vpcConfig", "subnetIds");
}

/** The EKS cluster name: explicit `name`, else the Pulumi resource name (auto-naming adds a suffix). */
export function clusterName(cluster: ResourceView): string {
    return stringAt(cluster.props, "name") ?? cluster.name;
}
