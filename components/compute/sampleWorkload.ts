import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { denyByDefault, podSecurityLabels } from "../cluster/namespaces";
import { LIFECYCLE_LABEL, SPOT_LIFECYCLE, SPOT_TAINT } from "./labels";

const SAMPLE_NAMESPACE = "spot-sample";
const SAMPLE_NAME = "nginx-spot-sample";
/** The port the unprivileged nginx image serves on. */
const CONTAINER_PORT = 8080;

/** What the sample needs from the load balancer controller to be exposed. */
interface SampleExposure {
    /** IngressClass of internal ALBs. */
    ingressClassName: string;
    /** The controller's NLB class, for the Service. */
    loadBalancerClass: string;
    /** The platform's NLB attributes (access logs, deletion protection), as the attributes annotation takes them. */
    networkLoadBalancerAttributes: string;
    /** Where load balancers reach the pods from: the VPC's primary CIDR (their nodes sit in its subnets). */
    loadBalancerSourceCidr: string;
    /** The controller (its webhooks) and the IngressClasses: the Ingress and the Service wait for them. */
    ready: pulumi.Resource[];
}

/** The sample's HorizontalPodAutoscaler: bounds, targets and how fast it moves. */
const SAMPLE_AUTOSCALING = {
    minReplicas: 3,
    maxReplicas: 12,
    cpuUtilizationPercent: 70,
    memoryUtilizationPercent: 80,
} as const;

export interface SampleWorkloadArgs {
    /** Kubernetes provider of the cluster. */
    kubeProvider: k8s.Provider;
    /** Control-plane minor, which pins the Pod Security Standards version. */
    kubernetesVersion: string;
    /** The nginx image reference (IMAGES.sampleWorkload, from where nodes pull it). */
    image: string;
    exposure: SampleExposure;
    /** metrics-server: the autoscaler reads its metrics. */
    metricsReady: pulumi.Resource[];
    /** What the pods need first (nodes, the termination handler). */
    dependsOn: pulumi.Resource[];
}

/**
 * How a team runs a service on the platform: the nginx Deployment of the Spot walkthrough (it
 * tolerates the Spot taint and prefers lifecycle=Ec2Spot nodes, so it still runs when Spot is scarce),
 * exposed inside the VPC through an internal ALB Ingress and an internal NLB Service (both with pod IP
 * targets), scaled by a HorizontalPodAutoscaler on CPU and memory, and kept available through drains by
 * a PodDisruptionBudget. Its namespace is default-deny like every application namespace, with one
 * policy letting the load balancers in.
 */
export class SampleWorkload extends pulumi.ComponentResource {
    readonly deployment: k8s.apps.v1.Deployment;

    constructor(name: string, args: SampleWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:compute:SampleWorkload", name, {}, opts);
        const k8sOpts = { parent: this, provider: args.kubeProvider };
        const { exposure } = args;
        const labels = { app: SAMPLE_NAME };
        const namespace = new k8s.core.v1.Namespace(
            name,
            {
                metadata: {
                    name: SAMPLE_NAMESPACE,
                    labels: {
                        ...podSecurityLabels("restricted", args.kubernetesVersion),
                        // A new pod is Ready only once its load balancer target is healthy, so a rollout never
                        // removes the last healthy target (the controller's readiness-gate webhook).
                        "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled",
                    },
                },
            },
            { ...k8sOpts, dependsOn: args.dependsOn },
        );
        const namespaceName = namespace.metadata.name;
        denyByDefault(name, { name: SAMPLE_NAMESPACE, resource: namespace }, k8sOpts);
        new k8s.networking.v1.NetworkPolicy(
            `${name}-allow-load-balancers`,
            {
                metadata: { name: "allow-from-load-balancers", namespace: namespaceName },
                spec: {
                    podSelector: { matchLabels: labels },
                    policyTypes: ["Ingress"],
                    ingress: [{ from: [{ ipBlock: { cidr: exposure.loadBalancerSourceCidr } }], ports: [{ protocol: "TCP", port: CONTAINER_PORT }] }],
                },
            },
            k8sOpts,
        );
        this.deployment = new k8s.apps.v1.Deployment(
            name,
            {
                metadata: { name: SAMPLE_NAME, namespace: namespaceName, labels },
                spec: {
                    // No replicas: the autoscaler owns them, and a value here would reset them at every `up`.
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
                                    image: args.image,
                                    ports: [{ name: "http", containerPort: CONTAINER_PORT }],
                                    // Utilization targets are fractions of these requests; they are also what the
                                    // Cluster Autoscaler packs nodes by, so each added replica asks for real capacity.
                                    resources: { requests: { cpu: "250m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
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
            { metadata: { name: SAMPLE_NAME, namespace: namespaceName }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } },
            k8sOpts,
        );
        new k8s.autoscaling.v2.HorizontalPodAutoscaler(
            name,
            {
                metadata: { name: SAMPLE_NAME, namespace: namespaceName },
                spec: {
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: this.deployment.metadata.name },
                    minReplicas: SAMPLE_AUTOSCALING.minReplicas,
                    maxReplicas: SAMPLE_AUTOSCALING.maxReplicas,
                    metrics: [
                        {
                            type: "Resource",
                            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: SAMPLE_AUTOSCALING.cpuUtilizationPercent } },
                        },
                        {
                            type: "Resource",
                            resource: { name: "memory", target: { type: "Utilization", averageUtilization: SAMPLE_AUTOSCALING.memoryUtilizationPercent } },
                        },
                    ],
                    behavior: {
                        // Up at once: double, or four more pods, every 30 s, whichever adds more.
                        scaleUp: {
                            stabilizationWindowSeconds: 0,
                            selectPolicy: "Max",
                            policies: [
                                { type: "Percent", value: 100, periodSeconds: 30 },
                                { type: "Pods", value: 4, periodSeconds: 30 },
                            ],
                        },
                        // Down slowly: on the highest recommendation of the last 5 minutes, at most a quarter per minute.
                        scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: "Max", policies: [{ type: "Percent", value: 25, periodSeconds: 60 }] },
                    },
                },
            },
            { ...k8sOpts, dependsOn: args.metricsReady },
        );

        // The load balancers' targets: pod addresses (target type ip), straight from the pod subnets.
        const backend = new k8s.core.v1.Service(
            `${name}-backend`,
            {
                metadata: { name: SAMPLE_NAME, namespace: namespaceName, labels },
                spec: { type: "ClusterIP", selector: labels, ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] },
            },
            k8sOpts,
        );
        new k8s.networking.v1.Ingress(
            name,
            {
                metadata: {
                    name: SAMPLE_NAME,
                    namespace: namespaceName,
                    annotations: {
                        // Internal, ip targets, the TLS policy and attributes come from the class's IngressClassParams.
                        "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }]),
                        "alb.ingress.kubernetes.io/healthcheck-path": "/",
                    },
                },
                spec: {
                    ingressClassName: exposure.ingressClassName,
                    rules: [{ http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: SAMPLE_NAME, port: { name: "http" } } } }] } }],
                },
            },
            { ...k8sOpts, dependsOn: [backend, ...exposure.ready] },
        );
        new k8s.core.v1.Service(
            `${name}-nlb`,
            {
                metadata: {
                    name: `${SAMPLE_NAME}-nlb`,
                    namespace: namespaceName,
                    labels,
                    annotations: {
                        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
                        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
                        "service.beta.kubernetes.io/aws-load-balancer-attributes": exposure.networkLoadBalancerAttributes,
                    },
                },
                spec: {
                    type: "LoadBalancer",
                    // Named, so the in-tree cloud provider never takes it, webhook or not.
                    loadBalancerClass: exposure.loadBalancerClass,
                    selector: labels,
                    ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
                },
            },
            { ...k8sOpts, dependsOn: exposure.ready },
        );
        this.registerOutputs({ deployment: this.deployment.metadata.name });
    }
}
