import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config/stack";
import { ADD_ONS } from "./capabilities";
import { platformTags, type AwsScope, type ImageSource, type PlatformContext } from "./capability";
import { Cluster } from "./cluster/cluster";
import { PLATFORM_CONTROLLER_NAMESPACE } from "./cluster/namespaces";
import { Compute } from "./compute/compute";
import { SampleWorkload } from "./compute/sampleWorkload";
import { IMAGES } from "./versions";
import { attributeAnnotation, NLB_SERVICE_CLASS } from "./loadBalancerController/ingressClasses";
import { PlatformKey } from "./kms/platformKey";
import { endpointPlanOf } from "./network/endpointServices";
import { Network } from "./network/network";
import { cachedUpstreams } from "./registry/imageRoutes";
import { Registry } from "./registry/registry";
import { registryNamespace, routeFactsOf } from "./registry/validate";

export interface PlatformArgs {
    /** The validated stack configuration. */
    config: PlatformConfig;
    /** Region, account and partition the stack deploys into (from getRegion, getCallerIdentity, getPartition). */
    scope: AwsScope;
}

/** What each add-on deployed, by its key (a capability with nothing to deploy yields undefined). */
export type AddOnOutputs = { [C in (typeof ADD_ONS)[number] as C["key"]]: ReturnType<C["deploy"]> };

/**
 * One EKS environment. The foundations (key, network, cluster, node pools) are built in a fixed
 * order because each yields part of the context; then every add-on of the capability list is
 * deployed with the full context, in list order.
 */
export class Platform extends pulumi.ComponentResource {
    readonly provider: aws.Provider;
    readonly key: PlatformKey;
    readonly network: Network;
    /** The EKS cluster (a ClusterHandle): compute and every add-on build on it. */
    readonly cluster: Cluster;
    /** The stack's part of the account's ECR: created when it caches images or declares repositories. */
    readonly registry?: Registry;
    readonly compute: Compute;
    readonly addOns: AddOnOutputs;
    readonly sampleWorkload?: SampleWorkload;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:index:Platform", name, {}, opts);
        const { config, scope } = args;
        const protect = config.protection.protectStatefulResources;

        const tags = platformTags(config.environment, config.clusterName, config.tags);
        // An explicit provider so every AWS resource carries the environment's tags, whatever the caller's defaults.
        this.provider = new aws.Provider(`${name}-aws`, { region: config.region as aws.Region, defaultTags: { tags } }, { parent: this });
        const childOpts: pulumi.ComponentResourceOptions = { parent: this, providers: { aws: this.provider } };

        // Foundations, in order: each yields part of the context the next needs.
        this.key = new PlatformKey(
            `${name}-platform`,
            { aliasPrefix: config.clusterName, scope, deletionWindowDays: config.protection.kmsDeletionWindowDays, protect },
            childOpts,
        );
        this.network = new Network(
            name,
            {
                settings: config.network,
                availabilityZones: config.availabilityZones,
                cidrPlan: config.cidrPlan,
                clusterName: config.clusterName,
                scope,
                endpoints: endpointPlanOf(config.awsServices, config.network.vpcEndpoints.additionalServices, config.region),
                kmsKeyArn: this.key.arn,
                protect,
            },
            childOpts,
        );
        this.cluster = new Cluster(
            name,
            { settings: config.cluster, clusterName: config.clusterName, network: this.network, kmsKeyArn: this.key.arn, scope, protect },
            childOpts,
        );
        this.registry = this.createRegistry(name, config, scope, protect, childOpts);
        const images: ImageSource = this.registry?.images ?? { repository: (upstream) => upstream, ready: [] };
        const controllerNamespace = { name: PLATFORM_CONTROLLER_NAMESPACE, resource: this.cluster.namespaces[PLATFORM_CONTROLLER_NAMESPACE] };
        this.compute = new Compute(
            name,
            {
                settings: config.compute,
                clusterName: config.clusterName,
                cluster: this.cluster,
                network: this.network,
                controllerNamespace,
                instanceTypes: config.instanceTypes,
                kmsKeyArn: this.key.arn,
                scope,
                tags,
                images,
                nodePolicies: this.registry?.nodePolicyArn ? { "cache-pull": this.registry.nodePolicyArn } : {},
            },
            childOpts,
        );

        const context: PlatformContext = {
            scope,
            environment: config.environment,
            clusterName: config.clusterName,
            tags,
            key: this.key,
            network: this.network,
            cluster: this.cluster,
            nodesReady: this.compute.nodesReady,
            controllerNamespace,
            protect,
            images,
        };
        this.addOns = deployAddOns(name, context, config, childOpts);

        if (config.compute.sampleWorkload) {
            this.sampleWorkload = this.deploySample(name, context);
        }

        this.registerOutputs({ vpcId: this.network.vpcId, clusterName: this.cluster.name });
    }

    /** The registry, when the stack pulls anything through the cache or declares repositories; otherwise nodes pull every image directly. */
    private createRegistry(
        name: string,
        config: PlatformConfig,
        scope: AwsScope,
        protect: boolean,
        opts: pulumi.ComponentResourceOptions,
    ): Registry | undefined {
        const settings = config.registry;
        const routeFacts = routeFactsOf(settings, config);
        const upstreams = cachedUpstreams(config.images, routeFacts);
        const declared = settings.repositories.length > 0 || settings.scanning === "enhanced";
        if (upstreams.length === 0 && !declared) {
            return undefined;
        }
        return new Registry(
            name,
            {
                settings,
                namespace: registryNamespace(settings, config.environment),
                upstreams,
                routeFacts,
                scope,
                clusterName: config.clusterName,
                kmsKeyArn: this.key.arn,
                protect,
            },
            opts,
        );
    }

    /**
     * The sample workload is compute's (its setting, its place in the tree: a child of Compute), but it is
     * exposed through the load balancer controller and scaled on metrics-server's metrics, so it comes
     * after the add-ons. Validation refuses the sample without either of them.
     */
    private deploySample(name: string, context: PlatformContext): SampleWorkload {
        const { loadBalancerController, metricsServer } = this.addOns;
        if (!loadBalancerController || !metricsServer) {
            throw new Error("compute.sampleWorkload needs loadBalancerController and metricsServer; validation should have refused this configuration");
        }
        return new SampleWorkload(
            `${name}-sample`,
            {
                kubeProvider: context.cluster.kubeProvider,
                kubernetesVersion: context.cluster.kubernetesVersion,
                image: `${context.images.repository(IMAGES.sampleWorkload.repository)}:${IMAGES.sampleWorkload.version}`,
                exposure: {
                    ingressClassName: loadBalancerController.ingressClasses.internal,
                    loadBalancerClass: NLB_SERVICE_CLASS,
                    networkLoadBalancerAttributes: attributeAnnotation(loadBalancerController.networkLoadBalancerAttributes()),
                    loadBalancerSourceCidr: context.network.vpcCidr,
                    ready: loadBalancerController.ready,
                },
                metricsReady: [metricsServer.chart],
                // After the termination handler, so the sample's first drains are already graceful.
                dependsOn: [...context.nodesReady, this.compute.interruptionHandler, ...context.images.ready],
            },
            { parent: this.compute },
        );
    }
}

/** Deploys every add-on of the list with the context and its own section of the settings. */
function deployAddOns(name: string, context: PlatformContext, config: PlatformConfig, opts: pulumi.ComponentResourceOptions): AddOnOutputs {
    const sections = config as unknown as Record<string, unknown>;
    const outputs: Record<string, unknown> = {};
    for (const addOn of ADD_ONS) {
        outputs[addOn.key] = addOn.deploy(name, context, (addOn.settings ? sections[addOn.key] : undefined) as never, opts);
    }
    return outputs as AddOnOutputs;
}
