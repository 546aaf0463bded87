import type { ConfigProblem } from "../../config/problems";
import type { ValidationFacts } from "../capability";
import { cidrContains, cidrsOverlap, parseCidr } from "../network/cidrPlan";
import { namespaceIsolationProblems } from "./isolation";
import { accessEntries } from "./names";
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
        if (!network.runnerAccess) {
            problems.push({
                path: "network.runnerAccess",
                value: undefined,
                message:
                    'is required with cluster.endpointAccess "private": `pulumi up` creates namespaces and ENIConfigs through the private endpoint, so say how the runner reaches the VPC: ' +
                    'kind "transitGateway" (attach the private subnets to the runners\' Transit Gateway and route to them), "peering" (peer with the tooling VPC and route to it) ' +
                    'or "existing" (a path managed elsewhere; list the runner CIDRs) (docs/cluster.md, "Reaching a private endpoint")',
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

    problems.push(...runnerCidrProblems(cluster.privateAccessCidrs, network.runnerAccess?.cidrs ?? []));
    problems.push(...applicationNamespaceProblems(cluster.applicationNamespaces), ...accessEntryProblems(cluster));
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

/** The runner's networks reach the API on 443 only through the cluster security group rules of privateAccessCidrs. */
function runnerCidrProblems(privateAccessCidrs: string[], runnerCidrs: string[]): ConfigProblem[] {
    const admitted = privateAccessCidrs.filter((cidr) => parseCidr(cidr));
    return runnerCidrs.flatMap((cidr, index): ConfigProblem[] =>
        parseCidr(cidr) && !admitted.some((entry) => cidrContains(entry, cidr))
            ? [
                  {
                      path: `network.runnerAccess.cidrs[${index}]`,
                      value: cidr,
                      message: `is not inside any cluster.privateAccessCidrs entry (${privateAccessCidrs.join(", ") || "none"}): the runner would reach the VPC but not the API on 443; add it there`,
                  },
              ]
            : [],
    );
}

/**
 * One access entry per principal: EKS refuses a second entry for a principal (ResourceInUseException),
 * so a principal may not be both admin and viewer; and the entries' resource names (from the last
 * part of each ARN, accessEntries) must differ, or two entries would register under one name.
 */
function accessEntryProblems(cluster: ClusterSettings): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    cluster.viewerPrincipals.forEach((arn, index) => {
        if (cluster.adminPrincipals.includes(arn)) {
            problems.push({
                path: `cluster.viewerPrincipals[${index}]`,
                value: arn,
                message: `is also in cluster.adminPrincipals[${cluster.adminPrincipals.indexOf(arn)}]; EKS gives a principal one access entry, so list it once (admins can already view)`,
            });
        }
    });
    const paths = [
        ...cluster.adminPrincipals.map((_, index) => `cluster.adminPrincipals[${index}]`),
        ...cluster.viewerPrincipals.map((_, index) => `cluster.viewerPrincipals[${index}]`),
    ];
    const entries = accessEntries(cluster, "aws");
    const seen = new Map<string, number>();
    entries.forEach((entry, index) => {
        const first = seen.get(entry.key);
        if (first === undefined) {
            seen.set(entry.key, index);
        } else if (entry.principalArn !== entries[first].principalArn) {
            problems.push({
                path: paths[index],
                value: entry.principalArn,
                message: `ends in the same name as ${paths[first]} (${entries[first].principalArn}); access entries are named after it ("${entry.key}"), so the two would collide: grant one of them through another principal`,
            });
        }
    });
    return problems;
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
        return [];
    });
}
