import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** Pod Security Admission levels (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

export interface NamespaceSpec {
    name: string;
    level: PodSecurityLevel;
    /** Why a level looser than restricted is needed; required for anything but restricted. */
    reason?: string;
}

/** Where the platform's controllers run (termination handler, Cluster Autoscaler, load balancing, gateway). */
export const PLATFORM_CONTROLLER_NAMESPACE = "platform-system";

/**
 * Namespaces the platform's own add-ons run in. Restricted unless the add-on cannot run there,
 * and then the reason is written next to it.
 */
export const PLATFORM_NAMESPACES: NamespaceSpec[] = [
    // Controllers (autoscaling, load balancing, gateway) need no host access.
    { name: PLATFORM_CONTROLLER_NAMESPACE, level: "restricted" },
    {
        name: "logging",
        level: "privileged",
        reason: "the node log collector DaemonSet mounts hostPath /var/log and runs as root to read every container's log files; baseline forbids hostPath volumes",
    },
];

/**
 * The PSA labels of a namespace. Enforce, audit and warn share the level; the version is pinned
 * to the cluster's minor so a Kubernetes upgrade never tightens or loosens the rules silently.
 */
export function podSecurityLabels(level: PodSecurityLevel, kubernetesVersion: string): Record<string, string> {
    const version = `v${kubernetesVersion}`;
    return Object.fromEntries(
        (["enforce", "audit", "warn"] as const).flatMap((mode) => [
            [`pod-security.kubernetes.io/${mode}`, level],
            [`pod-security.kubernetes.io/${mode}-version`, version],
        ]),
    );
}

/** CoreDNS (the EKS managed add-on) runs in kube-system with this label; DNS egress is opened to it. */
const KUBE_DNS = { namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" } };

/** A NetworkPolicy of a namespace, by the name it gets there. */
export interface NamedNetworkPolicy {
    name: string;
    spec: k8s.types.input.networking.v1.NetworkPolicySpec;
}

/**
 * NetworkPolicies every isolated namespace starts from: all ingress and egress denied to every
 * pod, except DNS queries to CoreDNS. Further flows are opened by allow policies; the VPC CNI's
 * network policy agent enforces them (and always admits the kubelet's probes from the node).
 */
const DEFAULT_DENY_NETWORK_POLICIES: readonly NamedNetworkPolicy[] = [
    { name: "default-deny", spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
    {
        name: "allow-dns",
        spec: {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [
                {
                    to: [
                        {
                            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": KUBE_DNS.namespace } },
                            podSelector: { matchLabels: KUBE_DNS.podLabels },
                        },
                    ],
                    ports: [
                        { protocol: "UDP", port: 53 },
                        { protocol: "TCP", port: 53 },
                    ],
                },
            ],
        },
    },
];

/**
 * Creates the default-deny policies in a namespace, after it, then `allows` (the flows what runs
 * there needs); `name` prefixes the resource names.
 */
export function denyByDefault(
    name: string,
    namespace: { name: string; resource: pulumi.Resource },
    opts: { parent: pulumi.Resource; provider: k8s.Provider },
    allows: readonly NamedNetworkPolicy[] = [],
): void {
    for (const policy of [...DEFAULT_DENY_NETWORK_POLICIES, ...allows]) {
        new k8s.networking.v1.NetworkPolicy(
            `${name}-${policy.name}`,
            { metadata: { name: policy.name, namespace: namespace.name }, spec: policy.spec },
            { ...opts, dependsOn: [namespace.resource] },
        );
    }
}
