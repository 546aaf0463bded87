// The pack's policies, in the order the README lists them. index.ts (engine) and evaluate.ts
// (offline) both run exactly this list.
import type { Guardrail } from "../lib/policy";
import { deliveryPolicies } from "./delivery";
import { eksAccessEntries, eksNoStandingCreatorAdmin } from "./eks/access";
import { eksSecretsEncryption } from "./eks/encryption";
import { eksPrivateEndpointEnabled, eksPublicEndpointRestricted } from "./eks/endpoint";
import { eksControlPlaneLogging } from "./eks/logging";
import { eksSupportedVersion } from "./eks/version";
import { iamActionsAndKeysExist, iamResourcesMatchActions } from "./iam/documents";
import { iamNoAdminWildcard, irsaTrustScoped } from "./iam/iam";
import { clusterNoTillerOrDashboard } from "./kubernetes/cluster-tools";
import {
    containerImagePinned,
    containerImageRegistryAllowed,
    containerNoGitSyncBinaryOverride,
    containerProbes,
    containerReadOnlyRootFilesystem,
    containerResourceRequestsLimits,
    containerUnprivilegedPorts,
    podNoHostAliases,
    workloadNotInDefaultNamespace,
    workloadNotInKubeSystem,
} from "./kubernetes/containers";
import { namespaceDefaultDenyNetworkPolicy, networkPolicySelectsPods, vpcCniNetworkPolicyEnabled } from "./kubernetes/network-policy";
import {
    pssAppArmor,
    pssCapabilities,
    pssHostNamespaces,
    pssHostPorts,
    pssHostProcess,
    pssPrivileged,
    pssPrivilegeEscalation,
    pssProbeHost,
    pssProcMount,
    pssRunAsNonRoot,
    pssSeccomp,
    pssSelinux,
    pssSysctls,
    pssVolumeTypes,
} from "./kubernetes/pod-security";
import {
    rbacBindingsRestricted,
    rbacNoPodExecOrNodeProxy,
    rbacNoPrivilegeEscalation,
    rbacNoSensitivePermissions,
    rbacNoWildcards,
    rbacSecretsAccess,
    rbacWorkloadAndNetworkWrite,
} from "./kubernetes/rbac";
import { configMapNoCredentials, containerNoSecretsInEnv } from "./kubernetes/secrets";
import { defaultServiceAccountNotUsed, workloadServiceAccountTokenNotMounted } from "./kubernetes/service-accounts";
import { ingressNoConfigurationInjection, serviceNoExternalAddresses } from "./kubernetes/services";
import { containerHighUidGid, podNoRootGroup } from "./kubernetes/users-and-groups";
import { kmsKeyPolicySafe, kmsKeyRotation } from "./logging/kms";
import { logGroupKmsEncrypted, logGroupRetention } from "./logging/log-groups";
import { statefulResourcesProtected } from "./operations/protection";
import { appMeshDiscontinued } from "./mesh/app-mesh";
import { securityGroupNoWorldIngress } from "./network/ingress";
import { vpcSecondaryCidrAllowed } from "./network/secondary-cidr";
import { subnetNoPublicIpOnLaunch } from "./network/subnet";
import { autoscalingGroupUsesLaunchTemplate, nodeGroupSshRestricted } from "./nodes/autoscaling";
import { nodeInstanceFamilyAllowed } from "./nodes/instance-family";
import {
    launchTemplateEncryptedVolumes,
    launchTemplateImdsHopLimit,
    launchTemplateImdsv2,
    launchTemplateNoCredentialsInUserData,
    launchTemplateNoPublicIp,
} from "./nodes/launch-template";
import { autoscalingGroupUniformShape, spotAllocationStrategy, spotCapacityRebalance, spotInstanceTypeDiversity } from "./spot/spot";
import { efsAccessPointScoped, efsEncryptedWithCustomerKey, fsxLustreCustomerKey } from "./storage/file-systems";
import { storageClassEncryptedGp3, storageClassNoInTreeProvisioner } from "./storage/storage-class";
import { spotInterruptionHandler, storageClassDriverInstalled } from "./stack/add-ons";
import { clusterNoPublicEndpoint, clusterSpansAvailabilityZones, privateClusterVpcEndpoints } from "./stack/clusters";
import { customNetworkingComplete, irsaOneRolePerServiceAccount, vpcFlowLogsEnabled } from "./stack/identity-and-network";

export const policies: readonly Guardrail[] = [
    // EKS control plane
    eksPublicEndpointRestricted,
    eksPrivateEndpointEnabled,
    eksControlPlaneLogging,
    eksSecretsEncryption,
    eksSupportedVersion,
    eksAccessEntries,
    eksNoStandingCreatorAdmin,
    // Nodes
    launchTemplateImdsv2,
    launchTemplateImdsHopLimit,
    launchTemplateEncryptedVolumes,
    launchTemplateNoPublicIp,
    launchTemplateNoCredentialsInUserData,
    autoscalingGroupUsesLaunchTemplate,
    nodeGroupSshRestricted,
    nodeInstanceFamilyAllowed,
    // Spot and cost
    spotInstanceTypeDiversity,
    spotAllocationStrategy,
    spotCapacityRebalance,
    autoscalingGroupUniformShape,
    // Networking
    securityGroupNoWorldIngress,
    subnetNoPublicIpOnLaunch,
    vpcSecondaryCidrAllowed,
    // Storage
    storageClassEncryptedGp3,
    storageClassNoInTreeProvisioner,
    efsEncryptedWithCustomerKey,
    efsAccessPointScoped,
    fsxLustreCustomerKey,
    // Logging and KMS
    kmsKeyRotation,
    kmsKeyPolicySafe,
    logGroupRetention,
    logGroupKmsEncrypted,
    // IAM
    iamNoAdminWildcard,
    irsaTrustScoped,
    iamActionsAndKeysExist,
    iamResourcesMatchActions,
    // Kubernetes workloads: Pod Security Standards (restricted)
    pssPrivileged,
    pssHostNamespaces,
    pssPrivilegeEscalation,
    pssRunAsNonRoot,
    pssCapabilities,
    pssSeccomp,
    pssVolumeTypes,
    pssHostPorts,
    pssProcMount,
    pssSysctls,
    pssSelinux,
    pssAppArmor,
    pssHostProcess,
    pssProbeHost,
    // Kubernetes workloads: users, groups and container hygiene
    containerHighUidGid,
    podNoRootGroup,
    containerReadOnlyRootFilesystem,
    containerResourceRequestsLimits,
    containerImagePinned,
    containerImageRegistryAllowed,
    containerProbes,
    containerUnprivilegedPorts,
    containerNoGitSyncBinaryOverride,
    podNoHostAliases,
    workloadNotInDefaultNamespace,
    workloadNotInKubeSystem,
    clusterNoTillerOrDashboard,
    // Kubernetes identity and secrets
    workloadServiceAccountTokenNotMounted,
    defaultServiceAccountNotUsed,
    containerNoSecretsInEnv,
    configMapNoCredentials,
    // Kubernetes RBAC
    rbacNoWildcards,
    rbacSecretsAccess,
    rbacNoPrivilegeEscalation,
    rbacNoPodExecOrNodeProxy,
    rbacNoSensitivePermissions,
    rbacWorkloadAndNetworkWrite,
    rbacBindingsRestricted,
    // Kubernetes network
    vpcCniNetworkPolicyEnabled,
    namespaceDefaultDenyNetworkPolicy,
    networkPolicySelectsPods,
    serviceNoExternalAddresses,
    ingressNoConfigurationInjection,
    // Mesh
    appMeshDiscontinued,
    // Stack
    clusterSpansAvailabilityZones,
    clusterNoPublicEndpoint,
    privateClusterVpcEndpoints,
    spotInterruptionHandler,
    storageClassDriverInstalled,
    irsaOneRolePerServiceAccount,
    vpcFlowLogsEnabled,
    customNetworkingComplete,
    // Operational safety
    statefulResourcesProtected,
    // Delivery foundation (bootstrap/)
    ...deliveryPolicies,
];
