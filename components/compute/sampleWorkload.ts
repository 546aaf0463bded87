import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { denyByDefault, podSecurityLabels } from "../cluster/namespaces";
import { LIFECYCLE_LABEL, SPOT_LIFECYCLE, SPOT_TAINT } from "./labels";
import { IMAGES, imageReference } from "../versions";

const SAMPLE_NAMESPACE = "spot-sample";

export interface SampleWorkloadArgs {
    /** Kubernetes provider of the cluster. */
    kubeProvider: k8s.Provider;
    /** Control-plane minor, which pins the Pod Security Standards version. */
    kubernetesVersion: string;
    /** Pods. Default 3, one per zone. */
    replicas?: number;
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The talk's nginx Deployment: how a team opts into Spot. It tolerates the Spot taint and prefers
 * lifecycle=Ec2Spot nodes (preferred, not required, so it still runs when Spot is scarce), and a
 * PodDisruptionBudget keeps most replicas up while interrupted nodes drain.
 */
export class SampleWorkload extends pulumi.ComponentResource {
    readonly deployment: k8s.apps.v1.Deployment;

    constructor(name: string, args: SampleWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:compute:SampleWorkload", name, {}, opts);
        const k8sOpts = { parent: this, provider: args.kubeProvider };
        const labels = { app: "nginx-spot-sample" };
        const namespace = new k8s.core.v1.Namespace(
            name,
            {
                metadata: {
                    name: SAMPLE_NAMESPACE,
                    labels: podSecurityLabels("restricted", args.kubernetesVersion),
                },
            },
            { ...k8sOpts, dependsOn: args.dependsOn },
        );
        const namespaceName = namespace.metadata.name;
        // The sample serves nobody: it stays isolated like any application namespace.
        denyByDefault(name, { name: SAMPLE_NAMESPACE, resource: namespace }, k8sOpts);
        this.deployment = new k8s.apps.v1.Deployment(
            name,
            {
                metadata: { name: "nginx-spot-sample", namespace: namespaceName, labels },
                spec: {
                    replicas: args.replicas ?? 3,
                    selector: { matchLabels: labels },
                    template: {
                        metadata: { labels },
                        spec: {
                            automountServiceAccountToken: false,
                            affinity: {
                                nodeAffinity: {
                                    preferredDuringSchedulingIgnoredDuringExecution: [
                                        { weight: 100, preference: { matchExpressions: [{ key: LIFECYCLE_LABEL, operator: "In", values: [SPOT_LIFECYCLE] }] } },
                                    ],
                                },
                            },
                            tolerations: [{ key: SPOT_TAINT.key, operator: "Equal", value: SPOT_TAINT.value, effect: SPOT_TAINT.effect }],
                            topologySpreadConstraints: [
                                {
                                    maxSkew: 1,
                                    topologyKey: "topology.kubernetes.io/zone",
                                    whenUnsatisfiable: "ScheduleAnyway",
                                    labelSelector: { matchLabels: labels },
                                },
                            ],
                            securityContext: { runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, seccompProfile: { type: "RuntimeDefault" } },
                            containers: [
                                {
                                    name: "nginx",
                                    image: imageReference(IMAGES.sampleWorkload),
                                    ports: [{ name: "http", containerPort: 8080 }],
                                    resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "250m", memory: "128Mi" } },
                                    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                                    readinessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 5 },
                                    livenessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 10 },
                                    // nginx writes its pid and temp files under /tmp; the root filesystem stays read-only.
                                    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                                },
                            ],
                            volumes: [{ name: "tmp", emptyDir: {} }],
                        },
                    },
                },
            },
            k8sOpts,
        );
        new k8s.policy.v1.PodDisruptionBudget(
            name,
            { metadata: { name: "nginx-spot-sample", namespace: namespaceName }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } },
            k8sOpts,
        );
        this.registerOutputs({ deployment: this.deployment.metadata.name });
    }
}
