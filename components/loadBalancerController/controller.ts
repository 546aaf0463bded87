import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "../capability";
import { irsaChart } from "../common/irsaChart";
import { spreadOverZonesAndNodes } from "../common/placement";
import { HELM_CHARTS } from "../versions";
import { AccessLogBucket, ACCESS_LOG_PREFIXES, defaultAccessLogBucketName } from "./accessLogs";
import { controllerFeatures, controllerPolicy } from "./controllerPolicy";
import { ALB_CONTROLLER, type AttributeInputs, ingressClassSpecs, INGRESS_CLASSES, loadBalancerAttributes, type Attribute } from "./ingressClasses";
import type { LoadBalancerControllerSettings } from "./settings";

const SERVICE_ACCOUNT = "aws-load-balancer-controller";

/** Ports pods may serve on: unprivileged only (container-unprivileged-ports), so load balancers reach nothing below. */
const POD_PORTS = { from: 1024, to: 65535 };

export interface LoadBalancerControllerArgs {
    context: PlatformContext;
    settings: LoadBalancerControllerSettings;
}

/**
 * The AWS Load Balancer Controller and everything an application needs to get a load balancer from
 * it: an IRSA role with AWS's published policy for the pinned version, narrowed to this account,
 * region and VPC; replicas spread over zones under a disruption budget; a backend security group that
 * every load balancer carries and that the node (and pod) security group admits on unprivileged ports;
 * the access-log bucket; and the platform's IngressClasses. What needs the controller's webhooks
 * (Ingresses, Services of type LoadBalancer) depends on `ready`.
 */
export class LoadBalancerController extends pulumi.ComponentResource {
    readonly chart: k8s.helm.v4.Chart;
    readonly roleArn: pulumi.Output<string>;
    /** The security group every load balancer of the controller carries; pods admit it. */
    readonly backendSecurityGroupId: pulumi.Output<string>;
    /** Where access logs go, when they are on. */
    readonly accessLogBucket?: string;
    readonly deletionProtection: boolean;
    /** IngressClass names by role. */
    readonly ingressClasses: { internal: string; internetFacing?: string };
    /** The controller and its IngressClasses: anything that needs the webhooks or a class depends on these. */
    readonly ready: pulumi.Resource[];

    constructor(name: string, args: LoadBalancerControllerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:loadBalancerController:LoadBalancerController", name, {}, opts);
        const { context, settings } = args;
        const { cluster, network, scope, clusterName } = context;
        this.deletionProtection = settings.deletionProtection ?? context.environment === "prod";

        const backend = new aws.ec2.SecurityGroup(
            `${name}-lb-backend`,
            {
                vpcId: network.vpcId,
                description: `Load balancers of ${clusterName} (AWS Load Balancer Controller backend group)`,
                tags: { Name: `${clusterName}-lb-backend` },
            },
            { parent: this },
        );
        this.backendSecurityGroupId = backend.id;
        // Targets are pod addresses in the pod subnets (target type ip); pods carry the node security group
        // through the ENIConfigs, so that group admits the load balancers, health checks included.
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-pods-from-load-balancers`,
            {
                securityGroupId: cluster.nodeSecurityGroupId,
                referencedSecurityGroupId: backend.id,
                ipProtocol: "tcp",
                fromPort: POD_PORTS.from,
                toPort: POD_PORTS.to,
                description: "Load balancers (backend group) to pods on unprivileged ports",
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-load-balancers-to-pods`,
            {
                securityGroupId: backend.id,
                referencedSecurityGroupId: cluster.nodeSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: POD_PORTS.from,
                toPort: POD_PORTS.to,
                description: "Load balancers to pods (targets and health checks) on unprivileged ports",
            },
            { parent: this },
        );

        const logs = settings.accessLogs.enabled
            ? new AccessLogBucket(
                  `${name}-lb-access-logs`,
                  {
                      bucketName: settings.accessLogs.bucketName ?? defaultAccessLogBucketName(clusterName, scope.accountId),
                      scope,
                      expirationDays: settings.accessLogs.expirationDays,
                      protect: context.protect,
                  },
                  { parent: this },
              )
            : undefined;
        this.accessLogBucket = logs?.bucketName;

        const features = controllerFeatures(settings);
        const policy = network.vpcId.apply((vpcId) => controllerPolicy({ ...scope, vpcId }, features));
        const { chart, role } = irsaChart(
            `${name}-lb-controller`,
            context,
            {
                chart: HELM_CHARTS.loadBalancerController,
                releaseName: HELM_CHARTS.loadBalancerController.chart,
                namespace: context.controllerNamespace,
                serviceAccount: SERVICE_ACCOUNT,
                role: {
                    name: `${name}-lb-controller-irsa`,
                    description: `AWS Load Balancer Controller of ${clusterName}: load balancers, target groups and their security groups`,
                    policy,
                },
                values: (serviceAccount) => ({
                    clusterName,
                    // Both set, so the controller never asks instance metadata (hop limit 1 keeps pods off IMDS).
                    region: scope.region,
                    vpcId: network.vpcId,
                    serviceAccount,
                    replicaCount: settings.replicas,
                    podDisruptionBudget: { maxUnavailable: 1 },
                    topologySpreadConstraints: spreadOverZonesAndNodes(SELECTOR),
                    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
                    podSecurityContext: { fsGroup: 65534, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
                    securityContext: {
                        readOnlyRootFilesystem: true,
                        runAsNonRoot: true,
                        allowPrivilegeEscalation: false,
                        capabilities: { drop: ["ALL"] },
                    },
                    defaultTargetType: "ip",
                    defaultLoadBalancerScheme: "internal",
                    defaultSSLPolicy: settings.defaultTlsPolicy,
                    defaultTags: context.tags,
                    backendSecurityGroup: backend.id,
                    enableBackendSecurityGroup: true,
                    // AWS WAF Classic (waf-regional) is discontinued; web ACLs are WAF v2. The controller calls WAF
                    // and Shield for every ALB when they are on, so they are on only when the platform uses them
                    // (and its policy grants them only then).
                    enableWaf: false,
                    enableWafv2: features.webAcl,
                    enableShield: features.shieldAdvanced,
                    // The platform owns its IngressClasses and their parameters (below), so the guardrails see them.
                    createIngressClassResource: false,
                    ingressClassParams: { create: false },
                    ingressClass: INGRESS_CLASSES.internal,
                }),
                // A Deployment: ready only once it runs on a node.
                waitForNodes: true,
                dependsOn: [...(logs?.ready ?? [])],
            },
            this,
        );
        this.chart = chart;
        this.roleArn = role!.arn;

        const attributes: AttributeInputs = {
            accessLogs: logs ? { bucket: logs.bucketName, prefix: ACCESS_LOG_PREFIXES.alb } : undefined,
            deletionProtection: this.deletionProtection,
        };
        const k8sOpts = { parent: this, provider: cluster.kubeProvider };
        const classes = ingressClassSpecs(settings, attributes).flatMap((spec) => {
            // The chart brings the IngressClassParams CRD; the class names its params, so they come first.
            const params = new k8s.apiextensions.CustomResource(
                `${name}-ingress-params-${spec.name}`,
                { apiVersion: "elbv2.k8s.aws/v1beta1", kind: "IngressClassParams", metadata: { name: spec.name }, spec: spec.params },
                { ...k8sOpts, dependsOn: [chart] },
            );
            const ingressClass = new k8s.networking.v1.IngressClass(
                `${name}-ingress-class-${spec.name}`,
                {
                    metadata: {
                        name: spec.name,
                        ...(spec.isDefault ? { annotations: { "ingressclass.kubernetes.io/is-default-class": "true" } } : {}),
                    },
                    spec: { controller: ALB_CONTROLLER, parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: spec.name } },
                },
                { ...k8sOpts, dependsOn: [params] },
            );
            return [params, ingressClass];
        });
        this.ingressClasses = {
            internal: INGRESS_CLASSES.internal,
            ...(settings.internetFacing.allowed ? { internetFacing: INGRESS_CLASSES.internetFacing } : {}),
        };
        this.ready = [chart, ...classes];
        this.registerOutputs({ roleArn: this.roleArn, backendSecurityGroupId: this.backendSecurityGroupId, accessLogBucket: this.accessLogBucket });
    }

    /**
     * The attributes an NLB Service should carry (`service.beta.kubernetes.io/aws-load-balancer-attributes`):
     * Services have no class parameters, so each states the platform's attributes itself.
     */
    networkLoadBalancerAttributes(): Attribute[] {
        return loadBalancerAttributes(
            {
                accessLogs: this.accessLogBucket ? { bucket: this.accessLogBucket, prefix: ACCESS_LOG_PREFIXES.nlb } : undefined,
                deletionProtection: this.deletionProtection,
            },
            "network",
        );
    }
}

/** The chart's pod selector labels (its selectorLabels helper) with the release named after the chart. */
const SELECTOR = { "app.kubernetes.io/name": HELM_CHARTS.loadBalancerController.chart, "app.kubernetes.io/instance": HELM_CHARTS.loadBalancerController.chart };
