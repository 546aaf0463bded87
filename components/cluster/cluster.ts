import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IrsaRole } from "../iam/irsa";
import type { ClusterHandle } from "./handle";
import { NamespaceSpec, PLATFORM_NAMESPACES, podSecurityLabels } from "./namespaces";
import type { ClusterSettings } from "./settings";
import { addonVersion, KubernetesVersion, ManagedAddonName } from "./versions";
import { vpcCniConfiguration } from "./vpcCniConfig";

export interface ClusterArgs {
    /** Validated cluster settings (defaults applied in ./settings.ts). */
    settings: ClusterSettings;
    /** EKS cluster name. */
    clusterName: string;
    /** The zones the cluster spans, in the order the network created them. */
    availabilityZones: string[];
    vpcId: pulumi.Input<string>;
    /** Node subnets by zone; the control plane's ENIs go here too. */
    privateSubnetIds: Record<string, pulumi.Input<string>>;
    /** Pod subnets (secondary CIDR) by zone, one ENIConfig each. */
    podSubnetIds: Record<string, pulumi.Input<string>>;
    /** Customer-managed key for Kubernetes secrets and the control-plane log group. */
    kmsKeyArn: pulumi.Input<string>;
    partition: string;
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
    readonly nodeSecurityGroupId: pulumi.Output<string>;
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    readonly kubeProvider: k8s.Provider;
    readonly dataPlaneReady: pulumi.Resource[];
    readonly prefixDelegation: boolean;
    /** The EKS cluster component. */
    readonly eksCluster: eks.Cluster;
    /** Namespaces created here, by name (platform add-ons and applications). */
    readonly namespaces: Record<string, k8s.core.v1.Namespace>;

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:cluster:Cluster", name, {}, opts);
        const { settings, clusterName, partition } = args;
        this.kubernetesVersion = settings.kubernetesVersion;
        this.serviceCidr = settings.serviceCidr;
        this.prefixDelegation = settings.prefixDelegation;

        // Created before the cluster: otherwise EKS creates the group itself, unencrypted and kept forever.
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-control-plane`,
            { name: `/aws/eks/${clusterName}/cluster`, retentionInDays: settings.logRetentionDays, kmsKeyId: args.kmsKeyArn },
            { parent: this, protect: args.protect, retainOnDelete: args.protect },
        );

        // Nodes and their pods (through the ENIConfigs) carry this group. Its rules are added once
        // the cluster exists, because they reference the security group EKS creates.
        const nodeSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-nodes`,
            { vpcId: args.vpcId, description: `Nodes and pods of EKS cluster ${clusterName}`, tags: { Name: `${clusterName}-nodes` } },
            { parent: this },
        );

        const subnetIds = args.availabilityZones.map((zone) => args.privateSubnetIds[zone]);
        this.eksCluster = new eks.Cluster(
            name,
            {
                name: clusterName,
                version: settings.kubernetesVersion,
                vpcId: args.vpcId,
                privateSubnetIds: subnetIds,
                ...endpointSettings(settings),
                kubernetesServiceIpAddressRange: settings.serviceCidr,
                authenticationMode: eks.AuthenticationMode.Api,
                accessEntries: accessEntries(settings, partition),
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
            { parent: this, dependsOn: [logGroup], protect: args.protect },
        );

        this.name = this.eksCluster.eksCluster.apply((cluster) => cluster.name);
        this.endpoint = this.eksCluster.core.endpoint;
        this.certificateAuthorityData = this.eksCluster.eksCluster.apply((cluster) => cluster.certificateAuthority.data);
        this.oidcProviderArn = this.eksCluster.oidcProviderArn;
        this.oidcIssuer = this.eksCluster.oidcIssuer;
        // With skipDefaultSecurityGroups this is the group EKS creates and puts on the control plane's ENIs.
        this.clusterSecurityGroupId = this.eksCluster.clusterSecurityGroupId;
        this.nodeSecurityGroupId = nodeSecurityGroup.id;
        this.createSecurityGroupRules(name, nodeSecurityGroup.id, this.clusterSecurityGroupId);

        this.kubeProvider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.eksCluster.kubeconfigJson }, { parent: this });

        const cniRole = new IrsaRole(
            `${name}-vpc-cni`,
            {
                oidcProviderArn: this.oidcProviderArn,
                oidcIssuer: this.oidcIssuer,
                namespace: "kube-system",
                serviceAccount: "aws-node",
                managedPolicyArns: [`arn:${partition}:iam::aws:policy/AmazonEKS_CNI_Policy`],
                description: `VPC CNI (aws-node) of ${clusterName}: manages pod ENIs and addresses`,
            },
            { parent: this },
        );
        const vpcCni = this.addon(name, "vpc-cni", {
            serviceAccountRoleArn: cniRole.arn,
            configurationValues: JSON.stringify(vpcCniConfiguration({ prefixDelegation: settings.prefixDelegation })),
        });
        const kubeProxy = this.addon(name, "kube-proxy");
        const podIdentityAgent = this.addon(name, "eks-pod-identity-agent");

        // The ENIConfig CRD comes with the vpc-cni add-on, hence the dependency.
        const eniConfigs = args.availabilityZones.map(
            (zone) =>
                new k8s.apiextensions.CustomResource(
                    `${name}-eniconfig-${zone}`,
                    {
                        apiVersion: "crd.k8s.amazonaws.com/v1alpha1",
                        kind: "ENIConfig",
                        metadata: { name: zone },
                        spec: { subnet: args.podSubnetIds[zone], securityGroups: [nodeSecurityGroup.id] },
                    },
                    { parent: this, provider: this.kubeProvider, dependsOn: [vpcCni] },
                ),
        );
        this.dataPlaneReady = [vpcCni, ...eniConfigs, kubeProxy, podIdentityAgent];

        const applicationNamespaces: NamespaceSpec[] = settings.applicationNamespaces.map((namespace) => ({ name: namespace, level: "restricted" }));
        this.namespaces = Object.fromEntries(
            [...PLATFORM_NAMESPACES, ...applicationNamespaces].map((spec) => [spec.name, this.namespace(name, spec)]),
        );

        this.registerOutputs({
            name: this.name,
            endpoint: this.endpoint,
            oidcProviderArn: this.oidcProviderArn,
            nodeSecurityGroupId: this.nodeSecurityGroupId,
            clusterSecurityGroupId: this.clusterSecurityGroupId,
        });
    }

    /** A managed add-on at the version pinned for this cluster's Kubernetes minor. */
    private addon(name: string, addonName: ManagedAddonName, extra: Partial<aws.eks.AddonArgs> = {}): aws.eks.Addon {
        return new aws.eks.Addon(
            `${name}-${addonName}`,
            {
                clusterName: this.name,
                addonName,
                addonVersion: addonVersion(this.kubernetesVersion, addonName),
                // Nothing self-managed exists to conflict with (bootstrapSelfManagedAddons: false);
                // on update, the add-on's configuration here is the truth.
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
                ...extra,
            },
            { parent: this },
        );
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
    private createSecurityGroupRules(name: string, nodeGroupId: pulumi.Output<string>, clusterGroupId: pulumi.Output<string>): void {
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
        // Nodes pull images and reach AWS APIs through NAT or VPC endpoints; egress stays open.
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-nodes-egress`,
            { securityGroupId: nodeGroupId, cidrIpv4: "0.0.0.0/0", ipProtocol: "-1", description: "Nodes and pods to anywhere" },
            { parent: this },
        );
    }
}

/** The talk's three endpoint modes as eks.Cluster inputs. */
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

/** Access entries: admins get AmazonEKSClusterAdminPolicy, viewers AmazonEKSViewPolicy, both cluster-wide. */
export function accessEntries(settings: Pick<ClusterSettings, "adminPrincipals" | "viewerPrincipals">, partition: string): Record<string, eks.types.input.AccessEntryArgs> {
    const entry = (principalArn: string, policy: "AmazonEKSClusterAdminPolicy" | "AmazonEKSViewPolicy"): eks.types.input.AccessEntryArgs => ({
        principalArn,
        accessPolicies: {
            [policy]: { policyArn: `arn:${partition}:eks::aws:cluster-access-policy/${policy}`, accessScope: { type: "cluster" } },
        },
    });
    const key = (kind: string, arn: string) => `${kind}-${arn.split("/").pop()}`;
    return Object.fromEntries([
        ...settings.adminPrincipals.map((arn) => [key("admin", arn), entry(arn, "AmazonEKSClusterAdminPolicy")]),
        ...settings.viewerPrincipals.map((arn) => [key("viewer", arn), entry(arn, "AmazonEKSViewPolicy")]),
    ]);
}
