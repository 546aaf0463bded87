import type * as k8s from "@pulumi/kubernetes";
import type { ConfigProblem } from "../../config/problems";
import { parseCidr } from "../network/cidrPlan";
import type { NamedNetworkPolicy } from "./namespaces";
import type { ClusterSettings } from "./settings";

type NamespaceIsolation = ClusterSettings["namespaceIsolation"];
type NamespaceAllow = NamespaceIsolation["allows"][number];
type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;

/** Names of the policies the platform puts in an application namespace; a declared allow takes none of them. */
const PLATFORM_POLICY_NAMES = ["default-deny", "allow-dns", "allow-metrics-scraping", "allow-load-balancer-targets"];

function namespacePeer(namespace: string, podLabels?: Record<string, string>): Peer {
    return {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
        ...(podLabels ? { podSelector: { matchLabels: podLabels } } : {}),
    };
}

/**
 * What the platform itself needs to reach in every application namespace, beyond DNS: the metrics
 * scrapers, and the load balancers whose IP targets the pods are. A load balancer's nodes take their
 * addresses in the VPC's primary CIDR, pods theirs in the pod CIDR (custom networking), so
 * admitting the primary CIDR admits no other pod.
 */
export function platformAllows(isolation: NamespaceIsolation, vpcCidr: string): NamedNetworkPolicy[] {
    const allows: NamedNetworkPolicy[] = [];
    if (isolation.metricsScrapers.length > 0) {
        allows.push({
            name: "allow-metrics-scraping",
            spec: {
                podSelector: {},
                policyTypes: ["Ingress"],
                ingress: [
                    {
                        from: isolation.metricsScrapers.map((namespace) => namespacePeer(namespace)),
                        ...(isolation.metricsPorts.length > 0 ? { ports: isolation.metricsPorts.map((port) => ({ protocol: "TCP", port })) } : {}),
                    },
                ],
            },
        });
    }
    if (isolation.loadBalancerTargets) {
        allows.push({
            name: "allow-load-balancer-targets",
            spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: vpcCidr } }] }] },
        });
    }
    return allows;
}

function peerOf(peer: NamespaceAllow["peers"][number]): Peer {
    if (peer.cidr !== undefined) {
        return { ipBlock: { cidr: peer.cidr } };
    }
    if (peer.namespace !== undefined) {
        return namespacePeer(peer.namespace, peer.podLabels);
    }
    return { podSelector: { matchLabels: peer.podLabels ?? {} } };
}

/** The declared allows of one namespace, as NetworkPolicies. */
export function declaredAllows(isolation: NamespaceIsolation, namespace: string): NamedNetworkPolicy[] {
    return isolation.allows
        .filter((allow) => allow.namespace === namespace)
        .map((allow) => {
            const rule = {
                ...(allow.ports.length > 0 ? { ports: allow.ports.map((port) => ({ protocol: port.protocol, port: port.port })) } : {}),
            };
            const peers = allow.peers.map(peerOf);
            return {
                name: allow.name,
                spec: {
                    podSelector: allow.podLabels ? { matchLabels: allow.podLabels } : {},
                    ...(allow.direction === "ingress"
                        ? { policyTypes: ["Ingress"], ingress: [{ from: peers, ...rule }] }
                        : { policyTypes: ["Egress"], egress: [{ to: peers, ...rule }] }),
                },
            };
        });
}

/** Declared allows that name a namespace the platform does not isolate, reuse a name, or have malformed peers. */
export function namespaceIsolationProblems(isolation: NamespaceIsolation, applicationNamespaces: string[]): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    isolation.allows.forEach((allow, index) => {
        const at = `cluster.namespaceIsolation.allows[${index}]`;
        if (!applicationNamespaces.includes(allow.namespace)) {
            problems.push({
                path: `${at}.namespace`,
                value: allow.namespace,
                message: `is not an application namespace (applicationNamespaces: ${applicationNamespaces.join(", ") || "none"}); allows are declared for the namespaces the platform isolates`,
            });
        }
        if (PLATFORM_POLICY_NAMES.includes(allow.name)) {
            problems.push({
                path: `${at}.name`,
                value: allow.name,
                message: `is a policy the platform puts in every application namespace (${PLATFORM_POLICY_NAMES.join(", ")}); choose another name`,
            });
        } else if (isolation.allows.findIndex((other) => other.namespace === allow.namespace && other.name === allow.name) !== index) {
            problems.push({ path: `${at}.name`, value: allow.name, message: `is declared twice in namespace ${allow.namespace}` });
        }
        allow.peers.forEach((peer, peerIndex) => {
            const peerAt = `${at}.peers[${peerIndex}]`;
            if (peer.cidr !== undefined) {
                if (peer.namespace !== undefined || peer.podLabels !== undefined) {
                    problems.push({
                        path: peerAt,
                        value: peer,
                        message: "names both an address range and pods; a peer is one or the other: split it into two peers",
                    });
                } else if (!parseCidr(peer.cidr)) {
                    problems.push({ path: `${peerAt}.cidr`, value: peer.cidr, message: "is not an IPv4 CIDR in network form (e.g. 10.30.0.0/16)" });
                }
            } else if (peer.namespace === undefined && peer.podLabels === undefined) {
                problems.push({
                    path: peerAt,
                    value: peer,
                    message: "names nobody: set namespace (and podLabels), podLabels alone for pods of the same namespace, or cidr",
                });
            }
        });
    });
    return problems;
}
