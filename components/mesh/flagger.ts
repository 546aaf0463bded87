import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "../capability";
import { irsaChart } from "../common/irsaChart";
import { HELM_CHARTS } from "../versions";
import { FLAGGER_PROVIDERS } from "./canary";
import type { KubeObject } from "./kube";
import { flaggerMetricsPolicy } from "./policies";
import type { MeshBackend } from "./settings";

const FLAGGER_SERVICE_ACCOUNT = "flagger";

/**
 * The chart's container securityContext (values `securityContext.context`, which replaces the
 * chart's `readOnlyRootFilesystem` and `runAsUser: 10001` wholesale) completed to what the restricted
 * Pod Security level asks of every container; the chart sets no pod securityContext and mounts no volume.
 */
const RESTRICTED_CONTAINER = {
    readOnlyRootFilesystem: true,
    runAsUser: 10001,
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

export interface FlaggerArgs {
    /** The platform: the cluster, the restricted controller namespace Flagger runs in, the nodes its Deployment waits for. */
    context: PlatformContext;
    /** The mesh backend, which picks Flagger's provider (`gatewayapi:v1` or `appmesh:v1beta2`). */
    backend: Exclude<MeshBackend, "none">;
    /** The rendered MetricTemplates and Canaries (canary.ts), created once Flagger's CRDs exist. */
    objects: KubeObject[];
    /** What the canaries need first: their namespaces, and the mesh objects their routes attach to. */
    dependsOn: pulumi.Resource[];
}

/**
 * Flagger from its pinned chart (CRDs from the chart's crds/), with an IRSA role that may read
 * CloudWatch metrics and nothing else, and the declared canaries.
 */
export class Flagger extends pulumi.ComponentResource {
    readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: FlaggerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:mesh:Flagger", name, {}, opts);
        const { context, backend } = args;
        const { chart, role } = irsaChart(
            name,
            context,
            {
                chart: HELM_CHARTS.flagger,
                releaseName: "flagger",
                namespace: context.controllerNamespace,
                serviceAccount: FLAGGER_SERVICE_ACCOUNT,
                role: { description: "Flagger: reads the canaries' CloudWatch metrics", policy: flaggerMetricsPolicy(context.scope) },
                values: (serviceAccount) => ({
                    serviceAccount,
                    meshProvider: FLAGGER_PROVIDERS[backend],
                    securityContext: { enabled: true, context: RESTRICTED_CONTAINER },
                    // `metricsServer` keeps the chart's default: this platform runs no Prometheus, and Flagger only logs
                    // it unreachable, whereas an empty address stops it (observers.NewFactory). Every check here names its own provider.
                    clusterName: context.clusterName,
                }),
                // A Deployment: ready only once it runs on a node.
                waitForNodes: true,
            },
            this,
        );
        this.roleArn = role!.arn;

        const k8sOpts = { parent: this, provider: context.cluster.kubeProvider };
        for (const object of args.objects) {
            new k8s.apiextensions.CustomResource(
                [name, object.kind.toLowerCase(), object.metadata.namespace, object.metadata.name].filter(Boolean).join("-"),
                { apiVersion: object.apiVersion, kind: object.kind, metadata: object.metadata, spec: object.spec },
                { ...k8sOpts, dependsOn: [chart, ...args.dependsOn] },
            );
        }
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
