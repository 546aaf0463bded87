import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AwsScope } from "../capability";
import type { NetworkHandle } from "../network/handle";
import type { ClusterHandle } from "./handle";
import { declaredAllows, platformAllows } from "./isolation";
import { accessEntries, clusterOwnershipTagKey, controlPlaneLogGroupName, vpcCniResourceName } from "./names";
import { denyByDefault, type NamedNetworkPolicy, NamespaceSpec, PLATFORM_NAMESPACES, podSecurityLabels } from "./namespaces";
import type { ClusterSettings } from "./settings";
import { managedAddon } from "../common/managedAddon";
import type { KubernetesVersion } from "../versions";
import { ClusterServiceRole } from "./serviceRole";
import { vpcCniConfiguration } from "./vpcCniConfig";

export interface ClusterArgs {
    /** Validated cluster settings (defaults applied in ./settings.ts). */
    settings: ClusterSettings;
    /** EKS cluster name. */
    clusterName: string;
    /**
     * The network: the cluster spans its zones, puts the control plane's ENIs in the node subnets,
     * and gives each zone's pod subnet an ENIConfig.
     */
    network: NetworkHandle;
    /** Customer-managed key for Kubernetes secrets and the control-plane log group. */
    kmsKeyArn: pulumi.Input<string>;
    /** The partition of the managed-policy and access-policy ARNs. */
    scope: AwsScope;
    /** protect + retainOnDelete on the log group, deletion protection on the cluster. */
    protect: boolean;
}

/** The five EKS control-plane log types; all of them go to CloudWatch. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/**
 * An EKS control plane with API-mode access entries, secrets encrypted with the platform key, all
 * control-plane logs in a KMS-encrypted log group, IRSA, and the networking add-ons (VPC CNI with
 * custom networking, kube-proxy, Pod Identity agent) plus one ENIConfig per zone, all in place
 * before any node may join. CoreDNS is not here: it needs nodes (see ./coreDns.ts).
 */
export class Cluster extends pulumi.ComponentResource implements ClusterHandle {
    readonly name: pulumi.Output<string>;
    readonly kubernetesVersion: KubernetesVersion;
    readonly endpoint: pulumi.Output<string>;
    readonly certificateAuthorityData: pulumi.Output<string>;
    readonly serviceCidr: string;
    readonly oidcProviderArn: pulumi.Output<string>;
    readonly oidcIssuer: pulumi.Output<string>;
    readonly permissionsBoundaryArn: string | undefined;
    readonly nodeSecurityGroupId: pulumi.Output<string>;
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    readonly kubeProvider: k8s.Provider;
    readonly dataPlaneReady: pulumi.Resource[];
    readonly prefixDelegation: boolean;
    /** The EKS cluster component. */
    readonly eksCluster: eks.Cluster;
    /** Namespaces created here, by name (platform add-ons and applications). */
    readonly namespaces: Record<string, k8s.core.v1.Namespace>;
    readonly platformAllows: NamedNetworkPolicy[];

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        // Recorded as the component's input: the creator-admin setting reaches EKS through a transform
        // on a child of eks.Cluster, which the plan cannot show, so guardrails read it here.
        super("eksplatform:cluster:Cluster", name, { bootstrapCreatorAdmin: args.settings.bootstrapCreatorAdmin }, opts);
        const { settings, clusterName, network } = args;
        const { partition } = args.scope;
        this.kubernetesVersion = settings.kubernetesVersion;
        this.serviceCidr = settings.serviceCidr;
        this.prefixDelegation = settings.prefixDelegation;

        // Created before the cluster: otherwise EKS creates the group itself, unencrypted and kept forever.
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-control-plane`,
            { name: controlPlaneLogGroupName(clusterName), retentionInDays: settings.logRetentionDays, kmsKeyId: args.kmsKeyArn },
            { parent: this, protect: args.protect, retainOnDelete: args.protect },
        );

        // Nodes and their pods (through the ENIConfigs) carry this group. Its rules are added once
        // the cluster exists, because they reference the security group EKS creates.
        const nodeSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-nodes`,
            {
                vpcId: network.vpcId,
                description: `Nodes and pods of EKS cluster ${clusterName}`,
                // The AWS Load Balancer Controller opens target traffic on the one group per ENI that
                // carries this tag; nodes should therefore carry this group and not EKS's cluster group
                // (which EKS tags the same way).
                tags: { Name: `${clusterName}-nodes`, [clusterOwnershipTagKey(clusterName)]: "owned" },
            },
            { parent: this },
        );

        this.permissionsBoundaryArn = args.scope.permissionsBoundaryArn;
        // The eks.Cluster below, which made the role itself in stacks created before this one did.
        const formerOwner = { name, urn: pulumi.createUrn(name, "eks:index:Cluster", this) };
        const serviceRole = new ClusterServiceRole(`${name}-service`, { clusterName, scope: args.scope, formerOwner }, { parent: this });

        const subnetIds = network.availabilityZones.map((zone) => network.privateSubnetIds[zone]);
        this.eksCluster = new eks.Cluster(
            name,
            {
                name: clusterName,
                version: settings.kubernetesVersion,
                vpcId: network.vpcId,
                privateSubnetIds: subnetIds,
                ...endpointSettings(settings),
                kubernetesServiceIpAddressRange: settings.serviceCidr,
                // Ours rather than the one eks.Cluster would make inside the remote component: it carries
                // the permissions boundary, and the plan, the guardrails and the simulations see it.
                serviceRole: serviceRole.role,
                // Access entries only; no aws-auth ConfigMap. The entries themselves are created
                // below, so Kubernetes calls can wait for them.
                authenticationMode: eks.AuthenticationMode.Api,
                encryptionConfigKeyArn: args.kmsKeyArn,
                enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
                createOidcProvider: true,
                deletionProtection: args.protect,
                // Node pools are separate components; the control plane gets no node group of its own.
                skipDefaultNodeGroup: true,
                // Its default groups would be a second node security group beside ours, open to the
                // internet on egress with rules nobody reviews here; EKS's own cluster group remains.
                skipDefaultSecurityGroups: true,
                // No self-managed aws-node, kube-proxy or CoreDNS: every one of them is a managed add-on
                // below, with a pinned version.
                bootstrapSelfManagedAddons: false,
                // eks.Cluster's own vpc-cni add-on (useDefaultVpcCni: false + vpcCniOptions) cannot take
                // an IRSA role: the role's trust names the cluster's OIDC issuer, which exists only after
                // the cluster, so the role cannot be one of the cluster's inputs. `true` here only stops
                // the component from creating that add-on; with bootstrapSelfManagedAddons: false there
                // is no default CNI either, and the managed add-on below is the only one.
                useDefaultVpcCni: true,
                kubeProxyAddonOptions: { enabled: false },
                corednsAddonOptions: { enabled: false },
            },
            {
                parent: this,
                // The cluster may not exist without its role's policy: EKS checks the role when it creates it.
                dependsOn: [logGroup, serviceRole],
                // A component's protect and retainOnDelete propagate to its child custom resources (Pulumi docs,
                // "retainOnDelete"), the inner aws.eks.Cluster among them; deletionProtection (above) makes EKS
                // itself refuse a delete as well.
                protect: args.protect,
                retainOnDelete: args.protect,
                transforms: [creatorAdminTransform(settings.bootstrapCreatorAdmin)],
            },
        );

        this.name = this.eksCluster.eksCluster.apply((cluster) => cluster.name);
        this.endpoint = this.eksCluster.core.endpoint;
        this.certificateAuthorityData = this.eksCluster.eksCluster.apply((cluster) => cluster.certificateAuthority.data);
        this.oidcProviderArn = this.eksCluster.oidcProviderArn;
        this.oidcIssuer = this.eksCluster.oidcIssuer;
        // With skipDefaultSecurityGroups this is the group EKS creates and puts on the control plane's ENIs.
        this.clusterSecurityGroupId = this.eksCluster.clusterSecurityGroupId;
        this.nodeSecurityGroupId = nodeSecurityGroup.id;
        const privateAccessRules = this.createSecurityGroupRules(name, nodeSecurityGroup.id, this.clusterSecurityGroupId, settings.privateAccessCidrs);

        const accessPolicies = accessEntries(settings, partition).map((entry) => {
            const accessEntry = new aws.eks.AccessEntry(
                `${name}-access-${entry.key}`,
                { clusterName: this.name, principalArn: entry.principalArn, type: "STANDARD" },
                { parent: this },
            );
            return new aws.eks.AccessPolicyAssociation(
                `${name}-access-${entry.key}`,
                { clusterName: this.name, principalArn: entry.principalArn, policyArn: entry.policyArn, accessScope: { type: "cluster" } },
                { parent: this, dependsOn: [accessEntry] },
            );
        });

        // Every Kubernetes call waits for the access entries (without the creator bootstrap, the
        // deployer's own cluster-admin comes from one of them) and for the runner's way to a private
        // endpoint: its attachment or peering, its routes, and the 443 rules admitting it.
        this.kubeProvider = new k8s.Provider(
            `${name}-k8s`,
            { kubeconfig: this.eksCluster.kubeconfigJson },
            { parent: this, dependsOn: [...accessPolicies, ...network.runnerAccessReady, ...privateAccessRules] },
        );

        // The networking add-ons are DaemonSets the nodes need before they can run pods: EKS reports
        // them ACTIVE with no node yet, so they come first and wait for nothing.
        const target = { cluster: this, nodesReady: [] };
        const { addon: vpcCni } = managedAddon(
            vpcCniResourceName(name),
            target,
            {
                addon: "vpc-cni",
                role: {
                    namespace: "kube-system",
                    serviceAccount: "aws-node",
                    managedPolicyArns: [`arn:${partition}:iam::aws:policy/AmazonEKS_CNI_Policy`],
                    description: `VPC CNI (aws-node) of ${clusterName}: manages pod ENIs and addresses`,
                },
                configurationValues: vpcCniConfiguration({ prefixDelegation: settings.prefixDelegation }),
                waitForNodes: false,
            },
            this,
        );
        const { addon: kubeProxy } = managedAddon(`${name}-kube-proxy`, target, { addon: "kube-proxy", waitForNodes: false }, this);
        const { addon: podIdentityAgent } = managedAddon(
            `${name}-eks-pod-identity-agent`,
            target,
            { addon: "eks-pod-identity-agent", waitForNodes: false },
            this,
        );

        // The ENIConfig CRD comes with the vpc-cni add-on, hence the dependency.
        const eniConfigs = network.availabilityZones.map(
            (zone) =>
                new k8s.apiextensions.CustomResource(
                    `${name}-eniconfig-${zone}`,
                    {
                        apiVersion: "crd.k8s.amazonaws.com/v1alpha1",
                        kind: "ENIConfig",
                        metadata: { name: zone },
                        spec: { subnet: network.podSubnetIds[zone], securityGroups: [nodeSecurityGroup.id] },
                    },
                    { parent: this, provider: this.kubeProvider, dependsOn: [vpcCni] },
                ),
        );
        this.dataPlaneReady = [vpcCni, ...eniConfigs, kubeProxy, podIdentityAgent];

        const applicationNamespaces: NamespaceSpec[] = settings.applicationNamespaces.map((namespace) => ({ name: namespace, level: "restricted" }));
        this.namespaces = Object.fromEntries([...PLATFORM_NAMESPACES, ...applicationNamespaces].map((spec) => [spec.name, this.namespace(name, spec)]));
        // Isolated by default: what the platform needs, then what each namespace declares.
        this.platformAllows = platformAllows(settings.namespaceIsolation, network.vpcCidr);
        for (const { name: namespace } of applicationNamespaces) {
            denyByDefault(`${name}-ns-${namespace}`, { name: namespace, resource: this.namespaces[namespace] }, { parent: this, provider: this.kubeProvider }, [
                ...this.platformAllows,
                ...declaredAllows(settings.namespaceIsolation, namespace),
            ]);
        }

        this.registerOutputs({
            name: this.name,
            endpoint: this.endpoint,
            oidcProviderArn: this.oidcProviderArn,
            nodeSecurityGroupId: this.nodeSecurityGroupId,
            clusterSecurityGroupId: this.clusterSecurityGroupId,
        });
    }

    private namespace(name: string, spec: NamespaceSpec): k8s.core.v1.Namespace {
        return new k8s.core.v1.Namespace(
            `${name}-ns-${spec.name}`,
            { metadata: { name: spec.name, labels: podSecurityLabels(spec.level, this.kubernetesVersion) } },
            { parent: this, provider: this.kubeProvider },
        );
    }

    /**
     * Nodes talk to each other and to the control plane; the control plane reaches kubelets and
     * webhooks on the nodes. Nothing else gets in.
     */
    private createSecurityGroupRules(
        name: string,
        nodeGroupId: pulumi.Output<string>,
        clusterGroupId: pulumi.Output<string>,
        privateAccessCidrs: string[],
    ): aws.vpc.SecurityGroupIngressRule[] {
        const ingress = (ruleName: string, args: aws.vpc.SecurityGroupIngressRuleArgs) =>
            new aws.vpc.SecurityGroupIngressRule(`${name}-${ruleName}`, args, { parent: this });
        ingress("nodes-from-nodes", {
            securityGroupId: nodeGroupId,
            referencedSecurityGroupId: nodeGroupId,
            ipProtocol: "-1",
            description: "Node-to-node and pod-to-pod traffic",
        });
        ingress("nodes-from-control-plane", {
            securityGroupId: nodeGroupId,
            referencedSecurityGroupId: clusterGroupId,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            description: "Control plane to webhooks and extension API servers on 443",
        });
        ingress("nodes-from-control-plane-high", {
            securityGroupId: nodeGroupId,
            referencedSecurityGroupId: clusterGroupId,
            ipProtocol: "tcp",
            fromPort: 1025,
            toPort: 65535,
            description: "Control plane to kubelets (10250) and webhooks on unprivileged ports",
        });
        ingress("control-plane-from-nodes", {
            securityGroupId: clusterGroupId,
            referencedSecurityGroupId: nodeGroupId,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            description: "Nodes and pods to the Kubernetes API",
        });
        const privateAccess = privateAccessCidrs.map((cidr, index) =>
            ingress(`control-plane-from-private-${index}`, {
                securityGroupId: clusterGroupId,
                cidrIpv4: cidr,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: `Deploy runner / VPN ${cidr} to the private Kubernetes API`,
            }),
        );
        // Nodes pull images and reach AWS APIs through NAT or VPC endpoints; egress stays open.
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-nodes-egress`,
            {
                securityGroupId: nodeGroupId,
                cidrIpv4: "0.0.0.0/0",
                ipProtocol: "-1",
                description: "Nodes and pods to anywhere",
                tags: {
                    "eks-platform:world-egress-reason":
                        "nodes pull images from public registries and reach AWS APIs that have no VPC endpoint here through NAT: pods call external services too",
                },
            },
            { parent: this },
        );
        return privateAccess;
    }
}

/** The three endpoint modes as eks.Cluster inputs. */
export function endpointSettings(settings: Pick<ClusterSettings, "endpointAccess" | "publicAccessCidrs">): {
    endpointPrivateAccess: boolean;
    endpointPublicAccess: boolean;
    publicAccessCidrs?: string[];
} {
    switch (settings.endpointAccess) {
        case "private":
            return { endpointPrivateAccess: true, endpointPublicAccess: false };
        case "publicAndPrivate":
            return { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: settings.publicAccessCidrs };
        case "public":
            return { endpointPrivateAccess: false, endpointPublicAccess: true, publicAccessCidrs: settings.publicAccessCidrs };
    }
}

/**
 * @pulumi/eks 4.3.0 hard-codes accessConfig.bootstrapClusterCreatorAdminPermissions: true on the
 * aws.eks.Cluster it creates whenever authenticationMode is set, and offers no input for it. This
 * transform sets the configured value on that child (transforms reach into packaged components).
 * EKS reads the flag only at creation; @pulumi/eks ignores later changes to it.
 */
export function creatorAdminTransform(enabled: boolean): pulumi.ResourceTransform {
    return (args) => {
        if (args.type !== "aws:eks/cluster:Cluster") {
            return undefined;
        }
        const accessConfig = (args.props.accessConfig ?? {}) as Record<string, unknown>;
        return { props: { ...args.props, accessConfig: { ...accessConfig, bootstrapClusterCreatorAdminPermissions: enabled } }, opts: args.opts };
    };
}
