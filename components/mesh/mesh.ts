import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "../capability";
import { denyByDefault, type NamedNetworkPolicy, podSecurityLabels } from "../cluster/namespaces";
import { irsaChart } from "../common/irsaChart";
import { renderAppMesh } from "./appmesh";
import { appMeshDataPlaneAllows, latticeDataPlaneAllows } from "./isolation";
import type { KubeObject, RenderedMesh } from "./kube";
import { renderCanaries } from "./canary";
import { Flagger } from "./flagger";
import { latticeParentRef, renderLattice } from "./lattice";
import { appMeshControllerPolicy, envoyPolicy, latticeControllerPolicy } from "./policies";
import type { MeshSettings } from "./settings";
import { unsupportedFeatures } from "./validate";
import { GATEWAY_API_CRDS_URL, HELM_CHARTS } from "../versions";

/** Objects every other mesh object hangs off, created first and in order. */
const MESH_ROOT_KINDS = ["GatewayClass", "Gateway", "Mesh"];

interface BackendParts {
    controller: pulumi.Resource;
    controllerRoleArn: pulumi.Output<string>;
    /** What the Gateway waits for: the service network associated with the VPC. */
    serviceNetworkReady: pulumi.Resource[];
    rendered: RenderedMesh;
    serviceNetworkArn?: pulumi.Output<string>;
    envoyPolicyArn?: pulumi.Output<string>;
    /** The flows the backend's data plane needs in one of the declaration's namespaces. */
    dataPlaneAllows: (namespace: string) => NamedNetworkPolicy[];
}

const LATTICE_SERVICE_ACCOUNT = "gateway-api-controller";
const APPMESH_NAMESPACE = "appmesh-system";
const APPMESH_SERVICE_ACCOUNT = "appmesh-controller";

export interface MeshArgs {
    /**
     * The platform: the cluster, the VPC associated with the service network, the restricted
     * controller namespace the Gateway API controller and the Gateway live in (lattice), and the
     * nodes the controller charts need (they wait for their Deployments to become ready).
     */
    context: PlatformContext;
    /** Validated mesh settings (defaults in ./settings.ts); backend lattice or appmesh. */
    settings: MeshSettings;
}

/** The arguments with the mesh's name resolved. */
interface MeshParts extends MeshArgs {
    /** VPC Lattice service network (and Gateway) name, or the App Mesh mesh name: settings.name or the cluster name. */
    meshName: string;
}

/** The service network and Gateway (Lattice) or mesh (App Mesh) name: mesh.name, or the cluster name. */
export function meshNameOf(settings: Pick<MeshSettings, "name">, clusterName: string): string {
    return settings.name ?? clusterName;
}

/** The Pulumi names of the mesh's auto-named IAM resources (its controllers' roles, the Envoy policy), from the component's name. */
export function meshResourceNames(name: string) {
    return {
        latticeController: `${name}-gateway-controller`,
        appMeshController: `${name}-appmesh-controller`,
        envoyPolicy: `${name}-envoy`,
        flagger: `${name}-flagger`,
    };
}
type MeshResourceNames = ReturnType<typeof meshResourceNames>;

/**
 * The service mesh: a controller with its IRSA role, the namespaces the declaration uses, and the
 * declaration rendered to the backend's custom resources, created after the controller, whose chart
 * brings the CRDs and the admission webhooks that must answer first.
 */
export class Mesh extends pulumi.ComponentResource {
    readonly backend: MeshSettings["backend"];
    readonly controllerRoleArn: pulumi.Output<string>;
    /** VPC Lattice service network ARN (lattice backend). */
    readonly serviceNetworkArn?: pulumi.Output<string>;
    /** Managed policy that meshed workloads' IRSA roles attach so their Envoy may fetch its configuration (appmesh backend). */
    readonly envoyPolicyArn?: pulumi.Output<string>;
    /** Declared features the backend cannot apply, deployed without (mesh.onUnsupported: warn). */
    readonly unsupported: string[];
    /** Flagger's IRSA role (mesh.flagger.enabled). */
    readonly flaggerRoleArn?: pulumi.Output<string>;

    constructor(name: string, args: MeshArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:mesh:Mesh", name, {}, opts);
        const names = meshResourceNames(name);
        const { settings, context } = args;
        const { cluster } = context;
        if (settings.backend === "none") {
            throw new Error("Mesh needs backend lattice or appmesh; the platform creates no Mesh for backend none");
        }
        this.backend = settings.backend;

        this.unsupported = unsupportedFeatures(settings).map((feature) => `${feature.path}: not deployed; ${feature.reason}`);
        for (const message of this.unsupported) {
            void pulumi.log.warn(message, this);
        }

        const parts: MeshParts = { ...args, meshName: meshNameOf(settings, context.clusterName) };
        const backend = settings.backend === "lattice" ? this.lattice(name, names, parts) : this.appMesh(name, names, parts);
        this.controllerRoleArn = backend.controllerRoleArn;
        this.serviceNetworkArn = backend.serviceNetworkArn;
        this.envoyPolicyArn = backend.envoyPolicyArn;

        const k8sOpts = { parent: this, provider: cluster.kubeProvider };
        const namespaces = backend.rendered.namespaces.map((namespace) => {
            const resource = new k8s.core.v1.Namespace(
                `${name}-ns-${namespace.name}`,
                { metadata: { name: namespace.name, labels: namespace.labels } },
                k8sOpts,
            );
            // Application namespaces like the cluster's: default-deny, the platform's allows, and the mesh's data plane.
            denyByDefault(`${name}-ns-${namespace.name}`, { name: namespace.name, resource }, k8sOpts, [
                ...cluster.platformAllows,
                ...backend.dataPlaneAllows(namespace.name),
            ]);
            return resource;
        });
        const meshObjects = this.createObjects(
            name,
            cluster.kubeProvider,
            backend.rendered.objects,
            [backend.controller, ...namespaces],
            backend.serviceNetworkReady,
        );

        if (settings.flagger.enabled) {
            const flagger = new Flagger(
                names.flagger,
                {
                    context,
                    backend: settings.backend,
                    objects: renderCanaries(settings, {
                        backend: settings.backend,
                        ...(settings.backend === "lattice" ? { gatewayRef: latticeParentRef(parts.meshName, context.controllerNamespace.name) } : {}),
                        clusterName: context.clusterName,
                        region: context.scope.region,
                    }),
                    // Flagger's routes attach to the Gateway (Lattice) or join the Mesh (App Mesh) in the declared namespaces.
                    dependsOn: [...namespaces, ...meshObjects],
                },
                { parent: this },
            );
            this.flaggerRoleArn = flagger.roleArn;
        }

        this.registerOutputs({
            backend: this.backend,
            controllerRoleArn: this.controllerRoleArn,
            serviceNetworkArn: this.serviceNetworkArn,
            envoyPolicyArn: this.envoyPolicyArn,
            flaggerRoleArn: this.flaggerRoleArn,
        });
    }

    /** The AWS Gateway API Controller, the Gateway API CRDs, the service network and the Lattice ingress rules. */
    private lattice(name: string, names: MeshResourceNames, args: MeshParts): BackendParts {
        const { cluster, controllerNamespace, scope, network } = args.context;
        const k8sOpts = { parent: this, provider: cluster.kubeProvider };
        // The controller's chart ships only its own CRDs; the Gateway API ones come from the upstream release.
        const gatewayApiCrds = new k8s.yaml.v2.ConfigFile(`${name}-gateway-api-crds`, { file: GATEWAY_API_CRDS_URL }, k8sOpts);
        const { chart: controller, role } = irsaChart(
            names.latticeController,
            args.context,
            {
                chart: HELM_CHARTS.latticeGatewayController,
                namespace: controllerNamespace,
                serviceAccount: LATTICE_SERVICE_ACCOUNT,
                role: { description: "AWS Gateway API Controller for VPC Lattice", policy: latticeControllerPolicy(scope) },
                values: (serviceAccount) => ({
                    serviceAccount,
                    // Set explicitly so the controller never falls back to instance metadata (IMDS hop limits on nodes).
                    awsRegion: scope.region,
                    awsAccountId: scope.accountId,
                    clusterVpcId: network.vpcId,
                    clusterName: cluster.name,
                    log: { level: "info" },
                }),
                // A Deployment: ready only once it runs on a node.
                waitForNodes: true,
                dependsOn: [gatewayApiCrds],
            },
            this,
        );
        // The Gateway points at the service network of its name; Pulumi owns it (rather than the
        // controller's DEFAULT_SERVICE_NETWORK) so it is tagged, and deleted with the stack.
        const serviceNetwork = new aws.vpclattice.ServiceNetwork(`${name}-service-network`, { name: args.meshName, authType: "NONE" }, { parent: this });
        const association = new aws.vpclattice.ServiceNetworkVpcAssociation(
            `${name}-service-network-vpc`,
            { serviceNetworkIdentifier: serviceNetwork.id, vpcIdentifier: network.vpcId },
            { parent: this },
        );
        const latticeCidrs = this.allowLatticeIngress(name, args);
        return {
            dataPlaneAllows: (namespace) => latticeDataPlaneAllows(args.settings, namespace, latticeCidrs),
            controller,
            serviceNetworkArn: serviceNetwork.arn,
            controllerRoleArn: role!.arn,
            serviceNetworkReady: [association],
            rendered: renderLattice(args.settings, {
                meshName: args.meshName,
                gatewayNamespace: controllerNamespace.name,
                kubernetesVersion: cluster.kubernetesVersion,
            }),
        };
    }

    /**
     * Lattice reaches targets from its managed prefix lists, not from inside the VPC: nodes (and pods,
     * which carry the node security group through the ENIConfigs) must admit those ranges on every
     * service port, for traffic and health checks alike. Both address families, as AWS's guide does.
     * Returns the lists' CIDRs, which the namespaces' NetworkPolicies admit too.
     */
    private allowLatticeIngress(name: string, { settings, context }: MeshParts): pulumi.Output<string[]> {
        const ports = [...new Set(settings.services.map((service) => service.port))].sort((a, b) => a - b);
        const { region } = context.scope;
        const lists = { ipv4: `com.amazonaws.${region}.vpc-lattice`, ipv6: `com.amazonaws.${region}.ipv6.vpc-lattice` };
        const cidrs: pulumi.Output<string[]>[] = [];
        for (const [family, listName] of Object.entries(lists)) {
            const prefixList = aws.ec2.getManagedPrefixListOutput({ name: listName }, { parent: this });
            cidrs.push(prefixList.entries.apply((entries) => entries.map((entry) => entry.cidr)));
            for (const port of ports) {
                new aws.vpc.SecurityGroupIngressRule(
                    `${name}-lattice-${family}-${port}`,
                    {
                        securityGroupId: context.cluster.nodeSecurityGroupId,
                        prefixListId: prefixList.id,
                        ipProtocol: "tcp",
                        fromPort: port,
                        toPort: port,
                        description: `VPC Lattice (${listName}) to mesh services on ${port}`,
                    },
                    { parent: this },
                );
            }
        }
        return pulumi.all(cidrs).apply((lists) => lists.flat());
    }

    /** The App Mesh controller (chart with its CRDs) in its own namespace, and the Envoy policy. */
    private appMesh(name: string, names: MeshResourceNames, args: MeshParts): BackendParts {
        const { meshName } = args;
        const { cluster, scope } = args.context;
        const k8sOpts = { parent: this, provider: cluster.kubeProvider };
        const namespace = new k8s.core.v1.Namespace(
            `${name}-ns-${APPMESH_NAMESPACE}`,
            {
                // The controller chart sets no pod or container securityContext (stable/appmesh-controller
                // templates/deployment.yaml, 1.13.3), which restricted rejects; it needs nothing baseline forbids.
                metadata: { name: APPMESH_NAMESPACE, labels: podSecurityLabels("baseline", cluster.kubernetesVersion) },
            },
            k8sOpts,
        );
        // The appmesh.k8s.aws CRDs are in the chart's crds/ directory, installed because skipCrds stays false.
        const { chart: controller, role } = irsaChart(
            names.appMeshController,
            args.context,
            {
                chart: HELM_CHARTS.appMeshController,
                namespace: { name: APPMESH_NAMESPACE, resource: namespace },
                serviceAccount: APPMESH_SERVICE_ACCOUNT,
                role: { description: "AWS App Mesh controller", policy: appMeshControllerPolicy(scope, meshName) },
                values: (serviceAccount) => ({ region: scope.region, accountId: scope.accountId, clusterName: cluster.name, serviceAccount }),
                // A Deployment: ready only once it runs on a node.
                waitForNodes: true,
            },
            this,
        );
        const envoy = new aws.iam.Policy(
            names.envoyPolicy,
            {
                description: `Envoy sidecars in App Mesh ${meshName}: stream their virtual node's configuration`,
                policy: JSON.stringify(envoyPolicy(scope, meshName)),
            },
            { parent: this },
        );
        return {
            dataPlaneAllows: (namespace) => appMeshDataPlaneAllows(args.settings, namespace, meshName),
            controller,
            envoyPolicyArn: envoy.arn,
            controllerRoleArn: role!.arn,
            serviceNetworkReady: [],
            rendered: renderAppMesh(args.settings, { meshName, kubernetesVersion: cluster.kubernetesVersion }),
        };
    }

    /**
     * Creates the rendered objects after the controller and the namespaces. Cluster-scoped mesh
     * objects (GatewayClass, Gateway, Mesh) come first: routes attach to the Gateway, and App Mesh's
     * webhook resolves a namespace's mesh before it admits a virtual node. Returns those roots.
     */
    private createObjects(
        name: string,
        provider: k8s.Provider,
        objects: KubeObject[],
        prerequisites: pulumi.Resource[],
        serviceNetworkReady: pulumi.Resource[],
    ): pulumi.Resource[] {
        const k8sOpts = { parent: this, provider };
        const create = (object: KubeObject, dependsOn: pulumi.Resource[]): pulumi.Resource => {
            const resourceName = [name, object.kind.toLowerCase(), object.metadata.namespace, object.metadata.name].filter(Boolean).join("-");
            if (object.apiVersion === "v1" && object.kind === "Service") {
                return new k8s.core.v1.Service(resourceName, { metadata: object.metadata, spec: object.spec }, { ...k8sOpts, dependsOn });
            }
            return new k8s.apiextensions.CustomResource(
                resourceName,
                { apiVersion: object.apiVersion, kind: object.kind, metadata: object.metadata, spec: object.spec },
                { ...k8sOpts, dependsOn },
            );
        };
        const roots = objects.filter((o) => MESH_ROOT_KINDS.includes(o.kind));
        const rootResources: pulumi.Resource[] = [];
        for (const root of roots) {
            rootResources.push(create(root, [...prerequisites, ...rootResources, ...(root.kind === "Gateway" ? serviceNetworkReady : [])]));
        }
        for (const object of objects.filter((o) => !MESH_ROOT_KINDS.includes(o.kind))) {
            create(object, [...prerequisites, ...rootResources]);
        }
        return rootResources;
    }
}
