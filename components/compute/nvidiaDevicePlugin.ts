import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "../capability";
import type { ClusterHandle } from "../cluster/handle";
import { denyByDefault, type NamespaceSpec, podSecurityLabels } from "../cluster/namespaces";
import { irsaChart } from "../common/irsaChart";
import { HELM_CHARTS } from "../versions";

/**
 * The plugin's own namespace, privileged: it mounts host directories writable (the kubelet's
 * device-plugin socket directory, the CDI and MPS directories) and runs as root to write into them,
 * which baseline and restricted forbid. Not kube-system, which belongs to EKS and its managed add-ons.
 */
const DEVICE_PLUGIN_NAMESPACE: NamespaceSpec = {
    name: "nvidia-device-plugin",
    level: "privileged",
    reason: "the NVIDIA device plugin registers GPUs through the kubelet's socket directory /var/lib/kubelet/device-plugins and writes CDI specs under /var/run/cdi, host paths baseline forbids, as root",
};
const RELEASE_NAME = "nvidia-device-plugin";
/** The chart names its service account after the release: `<fullname>-service-account`. */
const SERVICE_ACCOUNT = `${RELEASE_NAME}-service-account`;

export interface NvidiaDevicePluginArgs {
    cluster: Pick<ClusterHandle, "kubeProvider" | "oidcProviderArn" | "oidcIssuer" | "permissionsBoundaryArn" | "kubernetesVersion">;
    nodesReady: PlatformContext["nodesReady"];
    /** Where its image is pulled from. */
    images: PlatformContext["images"];
}

/**
 * The NVIDIA device plugin DaemonSet: on every node of an NVIDIA pool it advertises the GPUs as
 * `nvidia.com/gpu`, which pods request and the scheduler counts. Created once when any pool has
 * `accelerator: nvidia`. It calls no AWS API, so it has no role; the plugin itself talks only to the
 * kubelet, over a socket on the node, so its namespace denies all network traffic.
 */
export class NvidiaDevicePlugin extends pulumi.ComponentResource {
    readonly namespace: k8s.core.v1.Namespace;

    constructor(name: string, args: NvidiaDevicePluginArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:compute:NvidiaDevicePlugin", name, {}, opts);
        const { cluster } = args;
        const childOpts = { parent: this, provider: cluster.kubeProvider };
        this.namespace = new k8s.core.v1.Namespace(
            `${name}-ns-${DEVICE_PLUGIN_NAMESPACE.name}`,
            { metadata: { name: DEVICE_PLUGIN_NAMESPACE.name, labels: podSecurityLabels(DEVICE_PLUGIN_NAMESPACE.level, cluster.kubernetesVersion) } },
            childOpts,
        );
        denyByDefault(`${name}-ns-${DEVICE_PLUGIN_NAMESPACE.name}`, { name: DEVICE_PLUGIN_NAMESPACE.name, resource: this.namespace }, childOpts);
        irsaChart(
            `${name}-nvidia-device-plugin`,
            { cluster, nodesReady: args.nodesReady, images: args.images },
            {
                chart: HELM_CHARTS.nvidiaDevicePlugin,
                releaseName: RELEASE_NAME,
                namespace: { name: DEVICE_PLUGIN_NAMESPACE.name, resource: this.namespace },
                serviceAccount: SERVICE_ACCOUNT,
                // The chart creates its own service account (it takes no serviceAccount value). Its default node
                // affinity selects nvidia.com/gpu.present=true, the label every NVIDIA pool carries, and its
                // container drops every capability and privilege escalation.
                values: () => ({
                    // Every taint, not only the chart's nvidia.com/gpu and CriticalAddonsOnly: a pool's own taints
                    // must never leave a GPU node without the plugin that makes its GPUs schedulable.
                    tolerations: [{ operator: "Exists" }],
                    podSecurityContext: { seccompProfile: { type: "RuntimeDefault" } },
                    // The chart sets none. A small Go daemon, sized like the platform's other node agents; no CPU
                    // limit, so it is never throttled while the kubelet waits on it.
                    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                }),
                // A DaemonSet is ready with no GPU node at all (GPU pools may start at zero).
                waitForNodes: false,
            },
            this,
        );
        this.registerOutputs({ namespace: DEVICE_PLUGIN_NAMESPACE.name });
    }
}
