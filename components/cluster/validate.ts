import type { ConfigProblem } from "../../config/problems";
import type { ValidationFacts } from "../capability";
import { cidrsOverlap, parseCidr } from "../network/cidrPlan";
import { namespaceIsolationProblems } from "./isolation";
import { PLATFORM_NAMESPACES } from "./namespaces";
import type { ClusterSettings } from "./settings";

const WORLD_CIDRS = ["0.0.0.0/0", "::/0"];

/**
 * Endpoint exposure, service CIDR, reachability of a private control plane, and the deployer's own
 * access to the cluster it manages (when its principal is known).
 */
export function validateCluster(cluster: ClusterSettings, facts: ValidationFacts): ConfigProblem[] {
    const { network, environment, cidrPlan, deployerPrincipalArn } = facts;
    const problems: ConfigProblem[] = [];
    const cidrs = cluster.publicAccessCidrs;

    if (cluster.endpointAccess === "private") {
        if (cidrs.length > 0) {
            problems.push({
                path: "cluster.publicAccessCidrs",
                value: cidrs,
                message: 'has no effect with endpointAccess "private"; remove it or choose "publicAndPrivate"',
            });
        }
        if (cluster.privateAccessCidrs.length === 0) {
            problems.push({
                path: "cluster.privateAccessCidrs",
                value: cluster.privateAccessCidrs,
                message:
                    'is required with endpointAccess "private": list the network of the runner that executes `pulumi up` (and any VPN), or it cannot reach the API to create namespaces and ENIConfigs',
            });
        }
        const hasNat = network.natGateways !== "none";
        if (!hasNat && !network.vpcEndpoints.enabled) {
            problems.push({
                path: "network.natGateways",
                value: network.natGateways,
                message:
                    'a private-only cluster needs NAT gateways or network.vpcEndpoints.enabled: nodes could reach neither ECR nor the EKS API; set natGateways to "single"/"perAz" or enable the endpoints',
            });
        }
    } else {
        if (cidrs.length === 0) {
            problems.push({
                path: "cluster.publicAccessCidrs",
                value: cidrs,
                message: `is required with endpointAccess "${cluster.endpointAccess}": list the CIDRs allowed to reach the public endpoint`,
            });
        }
        cidrs.forEach((cidr, index) => {
            const path = `cluster.publicAccessCidrs[${index}]`;
            if (WORLD_CIDRS.includes(cidr)) {
                if (environment !== "dev") {
                    problems.push({
                        path,
                        value: cidr,
                        message: `opens the API endpoint to the whole internet, allowed only in dev (environment is ${environment})`,
                    });
                }
            } else if (!parseCidr(cidr)) {
                problems.push({ path, value: cidr, message: "is not an IPv4 CIDR in network form (e.g. 203.0.113.0/24)" });
            }
        });
    }

    cluster.privateAccessCidrs.forEach((cidr, index) => {
        const path = `cluster.privateAccessCidrs[${index}]`;
        if (WORLD_CIDRS.includes(cidr)) {
            problems.push({
                path,
                value: cidr,
                message: "would open the private endpoint to everything that can route to the VPC; list the runner and VPN networks",
            });
        } else if (!parseCidr(cidr)) {
            problems.push({ path, value: cidr, message: "is not an IPv4 CIDR in network form (e.g. 10.255.0.0/24)" });
        }
    });

    problems.push(...applicationNamespaceProblems(cluster.applicationNamespaces));
    problems.push(...namespaceIsolationProblems(cluster.namespaceIsolation, cluster.applicationNamespaces));

    if (deployerPrincipalArn) {
        problems.push(...deployerAccessProblems(cluster, deployerPrincipalArn));
    }

    if (!parseCidr(cluster.serviceCidr)) {
        problems.push({ path: "cluster.serviceCidr", value: cluster.serviceCidr, message: "is not an IPv4 CIDR in network form (e.g. 172.20.0.0/16)" });
    } else if (cidrPlan) {
        for (const [name, cidr] of [
            ["network.vpcCidr", network.vpcCidr],
            ["network.podCidr", network.podCidr],
        ] as const) {
            if (cidrsOverlap(cluster.serviceCidr, cidr)) {
                problems.push({
                    path: "cluster.serviceCidr",
                    value: cluster.serviceCidr,
                    message: `overlaps ${name} ${cidr}; Services and pods/nodes must not share addresses`,
                });
            }
        }
    }
    return problems;
}

/**
 * The identity running `pulumi up` manages Kubernetes objects, so it needs cluster-admin exactly
 * once: from EKS's creator bootstrap or from an access entry here, never both (EKS rejects a second
 * access entry for the same principal with ResourceInUseException).
 */
function deployerAccessProblems(cluster: ClusterSettings, deployer: string): ConfigProblem[] {
    const listed = cluster.adminPrincipals.includes(deployer);
    if (!cluster.bootstrapCreatorAdmin && !listed) {
        return [
            {
                path: "cluster.adminPrincipals",
                value: cluster.adminPrincipals,
                message: `does not include ${deployer}, the identity running this program: with bootstrapCreatorAdmin false it would have no access to the cluster it manages; add it, or set cluster.bootstrapCreatorAdmin to true`,
            },
        ];
    }
    if (cluster.bootstrapCreatorAdmin && listed) {
        return [
            {
                path: "cluster.adminPrincipals",
                value: cluster.adminPrincipals,
                message: `includes ${deployer}, which bootstrapCreatorAdmin already makes cluster-admin; EKS rejects a second access entry for it. Remove it from adminPrincipals or set bootstrapCreatorAdmin to false`,
            },
        ];
    }
    return [];
}

/** Namespaces Kubernetes itself owns; the program must not create or relabel them. */
const KUBERNETES_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

function applicationNamespaceProblems(namespaces: string[]): ConfigProblem[] {
    const platform = PLATFORM_NAMESPACES.map((spec) => spec.name);
    return namespaces.flatMap((namespace, index): ConfigProblem[] => {
        const path = `cluster.applicationNamespaces[${index}]`;
        if (KUBERNETES_NAMESPACES.includes(namespace) || platform.includes(namespace)) {
            return [
                {
                    path,
                    value: namespace,
                    message: `is reserved (Kubernetes: ${KUBERNETES_NAMESPACES.join(", ")}; platform add-ons: ${platform.join(", ")}); choose another name`,
                },
            ];
        }
        if (namespaces.indexOf(namespace) !== index) {
            return [{ path, value: namespace, message: "is listed twice" }];
        }
        return [];
    });
}
