import * as pulumi from "@pulumi/pulumi";
import { irsaChart, type ChartTarget } from "../shared/irsaChart";
import { HELM_CHARTS } from "../versions";

/**
 * The plugin mounts hostPath /var/lib/kubelet/device-plugins (and the MPS and CDI directories) to
 * register GPUs with the kubelet, which the baseline and restricted Pod Security levels forbid; like
 * the termination handler's IMDS DaemonSet it is a node agent and runs in kube-system, which EKS
 * leaves unenforced and only cluster admins can write to.
 */
const DEVICE_PLUGIN_NAMESPACE = "kube-system";
const RELEASE_NAME = "nvidia-device-plugin";
/** The chart names its service account after the release: `<fullname>-service-account`. */
const SERVICE_ACCOUNT = `${RELEASE_NAME}-service-account`;

/**
 * The NVIDIA device plugin DaemonSet: on every node of an NVIDIA pool it advertises the GPUs as
 * `nvidia.com/gpu`, which pods request and the scheduler counts. Created once when any pool has
 * `accelerator: nvidia`. It calls no AWS API, so it has no role.
 */
export class NvidiaDevicePlugin extends pulumi.ComponentResource {
    constructor(name: string, args: { target: ChartTarget }, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:compute:NvidiaDevicePlugin", name, {}, opts);
        irsaChart(
            `${name}-nvidia-device-plugin`,
            args.target,
            {
                chart: HELM_CHARTS.nvidiaDevicePlugin,
                releaseName: RELEASE_NAME,
                namespace: { name: DEVICE_PLUGIN_NAMESPACE },
                serviceAccount: SERVICE_ACCOUNT,
                // The chart creates its own service account (it takes no serviceAccount value). Its default node
                // affinity selects nvidia.com/gpu.present=true, the label every NVIDIA pool carries.
                values: () => ({
                    // Every taint, not only the chart's nvidia.com/gpu and CriticalAddonsOnly: a pool's own taints
                    // must never leave a GPU node without the plugin that makes its GPUs schedulable.
                    tolerations: [{ operator: "Exists" }],
                }),
                // A DaemonSet is ready with no GPU node at all (GPU pools may start at zero).
                waitForNodes: false,
            },
            this,
        );
        this.registerOutputs({});
    }
}
