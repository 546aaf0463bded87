import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NamedNetworkPolicy } from "./namespaces";

/**
 * What the Cluster component gives every component that builds on it (compute, storage, logging,
 * mesh). Components depend on this interface, not on the Cluster class, so each can be built and
 * tested against the real cluster or a stand-in.
 */
export interface ClusterHandle {
    /** EKS cluster name. */
    name: pulumi.Output<string>;
    /** Control-plane Kubernetes minor version, e.g. "1.35". */
    kubernetesVersion: string;
    /** API server endpoint URL (https://...). */
    endpoint: pulumi.Output<string>;
    /** Base64 PEM of the cluster CA, as nodeadm's NodeConfig wants it. */
    certificateAuthorityData: pulumi.Output<string>;
    /** Service (ClusterIP) CIDR, for nodeadm's NodeConfig. */
    serviceCidr: string;
    /** ARN of the IAM OIDC provider, for IRSA trust policies. */
    oidcProviderArn: pulumi.Output<string>;
    /** OIDC issuer without https://, for IRSA condition keys. */
    oidcIssuer: pulumi.Output<string>;
    /** The permissions boundary of the roles its service accounts assume (`iam.permissionsBoundaryArn`); undefined: none. */
    permissionsBoundaryArn: string | undefined;
    /** Security group nodes carry (and pods, via the ENIConfigs). */
    nodeSecurityGroupId: pulumi.Output<string>;
    /** The cluster's own security group (control plane <-> nodes). */
    clusterSecurityGroupId: pulumi.Output<string>;
    /** Kubernetes provider bound to this cluster; every Kubernetes resource uses it. */
    kubeProvider: k8s.Provider;
    /**
     * "The data plane may start": the VPC CNI add-on with custom networking and every ENIConfig.
     * Anything that launches nodes must depend on all of these, or early nodes keep primary-CIDR pods.
     */
    dataPlaneReady: pulumi.Resource[];
    /** Whether VPC CNI prefix delegation is on (changes the max-pods arithmetic). */
    prefixDelegation: boolean;
    /** Namespaces the cluster creates (platform add-ons and applications), by name. */
    namespaces: Record<string, k8s.core.v1.Namespace>;
    /**
     * The allows every isolated application namespace gets beside default-deny and DNS (metrics
     * scraping, load balancer targets): what a capability creating application namespaces adds too.
     */
    platformAllows: NamedNetworkPolicy[];
}
