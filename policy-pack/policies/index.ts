// The pack's policies, in the order the README lists them. index.ts (engine) and evaluate.ts
// (offline) both run exactly this list.
import type { Guardrail } from "../lib/policy";
import { deliveryPolicies } from "./delivery";
import { eksAccessEntries, eksNoStandingCreatorAdmin } from "./eks/access";
import { eksClusterAdminRestricted } from "./eks/cluster-admin";
import { eksSecretsEncryption } from "./eks/encryption";
import { eksPrivateEndpointEnabled, eksPublicEndpointRestricted } from "./eks/endpoint";
import { eksControlPlaneLogging } from "./eks/logging";
import { eksSupportedVersion } from "./eks/version";
import { iamActionsAndKeysExist, iamResourcesMatchActions } from "./iam/documents";
import { iamNoAdminWildcard, irsaTrustScoped } from "./iam/iam";
import {
    ecrWriteRestricted,
    iamNoManagedAdminPolicy,
    iamNoNotActionAllow,
    iamNoPrivilegeEscalation,
    iamNoUnconstrainedSecrets,
    iamNoUserPolicies,
} from "./iam/privileges";
import { iamRoleBounded } from "./iam/role-bounded";
import { iamTrustRestricted } from "./iam/trust";
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
import { gitopsCredentialsByReference } from "./kubernetes/gitops-credentials";
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
import { athenaConfigurationEnforced } from "./logging/athena-configuration-enforced";
import { athenaDataPrivate } from "./logging/athena-data-private";
import { athenaResultsEncrypted } from "./logging/athena-results-encrypted";
import { athenaScanLimited } from "./logging/athena-scan-limited";
import { kmsKeyEnabled, kmsKeyPolicySafe, kmsKeyRotation } from "./logging/kms";
import { logGroupKmsEncrypted, logGroupRetention } from "./logging/log-groups";
import { statefulResourcesProtected } from "./operations/protection";
import { appMeshDiscontinued } from "./mesh/app-mesh";
import { canaryAnalysisGuarded } from "./mesh/canary-analysis";
import { securityGroupNoWorldIngress } from "./network/ingress";
import { defaultSecurityGroupClosed, ebsEncryptionByDefault, securityGroupDescriptions, securityGroupEgressJustified } from "./network/security-groups";
import { vpcSecondaryCidrAllowed } from "./network/secondary-cidr";
import { subnetNoPublicIpOnLaunch } from "./network/subnet";
import { transitGatewayNoAutoAccept } from "./network/transit-gateway";
import { autoscalingGroupTagsPropagated, autoscalingGroupUsesLaunchTemplate, nodeGroupSshRestricted } from "./nodes/autoscaling";
import { launchTemplateKubeletHardened } from "./nodes/kubelet";
import { nodeInstanceFamilyAllowed } from "./nodes/instance-family";
import { nodePoolPodDensity } from "./nodes/pod-density";
import {
    launchTemplateEncryptedVolumes,
    launchTemplateImdsHopLimit,
    launchTemplateImdsv2,
    launchTemplateNoCredentialsInUserData,
    launchTemplateNoPublicIp,
} from "./nodes/launch-template";
import { autoscalingGroupUniformShape, spotAllocationStrategy, spotCapacityRebalance, spotInstanceTypeDiversity } from "./spot/spot";
import { efsAccessPointScoped, efsBackupsEnabled, efsEncryptedWithCustomerKey, fsxLustreCustomerKey } from "./storage/file-systems";
import { storageClassEncryptedGp3, storageClassLustreCustomerKey, storageClassNoInTreeProvisioner } from "./storage/storage-class";
import {
    s3BucketAccessLogged,
    s3BucketEncryptedWithCustomerKey,
    s3BucketLifecycle,
    s3BucketPolicySafe,
    s3BucketTlsOnly,
    s3BucketVersioned,
    s3NoPublicAcl,
    s3PublicAccessBlocked,
} from "./storage/s3";
import { sqsQueueEncrypted, sqsQueuePolicyRestricted } from "./sqs/queues";
import { spotInterruptionHandler, storageClassDriverInstalled } from "./stack/add-ons";
import { loadBalancerAccessLogs } from "./traffic/access-logs";
import { loadBalancerDeletionProtection } from "./traffic/deletion-protection";
import { fargateUnsupportedFeatures } from "./traffic/fargate";
import { loadBalancerInternetFacingAllowed } from "./traffic/internet-facing";
import { loadBalancerHttpsModernTls } from "./traffic/tls";
import { clusterNoPublicEndpoint, clusterSpansAvailabilityZones, privateClusterVpcEndpoints } from "./stack/clusters";
import { stackEnvironmentKnown } from "./stack/environment";
import { customNetworkingComplete, irsaOneRolePerServiceAccount, vpcFlowLogsEnabled } from "./stack/identity-and-network";
import { imagesReachableWithoutNat } from "./registry/images-reachable";
import { ecrEncryptedWithCustomerKey, ecrImageScanning, ecrRepositoryPolicyNotPublic, ecrTagsImmutable } from "./registry/repositories";

export const policies: readonly Guardrail[] = [
    // EKS control plane
    eksPublicEndpointRestricted,
    eksPrivateEndpointEnabled,
    eksControlPlaneLogging,
    eksSecretsEncryption,
    eksSupportedVersion,
    eksAccessEntries,
    eksNoStandingCreatorAdmin,
    eksClusterAdminRestricted,
    // Nodes
    launchTemplateImdsv2,
    launchTemplateImdsHopLimit,
    launchTemplateEncryptedVolumes,
    launchTemplateNoPublicIp,
    launchTemplateNoCredentialsInUserData,
    launchTemplateKubeletHardened,
    autoscalingGroupUsesLaunchTemplate,
    autoscalingGroupTagsPropagated,
    nodeGroupSshRestricted,
    nodeInstanceFamilyAllowed,
    nodePoolPodDensity,
    // Spot and cost
    spotInstanceTypeDiversity,
    spotAllocationStrategy,
    spotCapacityRebalance,
    autoscalingGroupUniformShape,
    // Networking
    securityGroupNoWorldIngress,
    securityGroupEgressJustified,
    securityGroupDescriptions,
    ebsEncryptionByDefault,
    subnetNoPublicIpOnLaunch,
    vpcSecondaryCidrAllowed,
    transitGatewayNoAutoAccept,
    // Storage
    storageClassEncryptedGp3,
    storageClassNoInTreeProvisioner,
    storageClassLustreCustomerKey,
    efsEncryptedWithCustomerKey,
    efsAccessPointScoped,
    efsBackupsEnabled,
    fsxLustreCustomerKey,
    s3NoPublicAcl,
    s3BucketPolicySafe,
    // Queues
    sqsQueueEncrypted,
    sqsQueuePolicyRestricted,
    // Logging and KMS
    kmsKeyRotation,
    kmsKeyPolicySafe,
    kmsKeyEnabled,
    logGroupRetention,
    logGroupKmsEncrypted,
    athenaResultsEncrypted,
    athenaConfigurationEnforced,
    athenaScanLimited,
    athenaDataPrivate,
    // IAM
    iamNoAdminWildcard,
    irsaTrustScoped,
    iamTrustRestricted,
    iamNoManagedAdminPolicy,
    iamNoNotActionAllow,
    iamNoPrivilegeEscalation,
    iamNoUserPolicies,
    iamNoUnconstrainedSecrets,
    iamRoleBounded,
    ecrWriteRestricted,
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
    gitopsCredentialsByReference,
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
    // Load balancers and Fargate
    loadBalancerInternetFacingAllowed,
    loadBalancerHttpsModernTls,
    loadBalancerAccessLogs,
    loadBalancerDeletionProtection,
    fargateUnsupportedFeatures,
    // Mesh
    appMeshDiscontinued,
    canaryAnalysisGuarded,
    // Container registry
    ecrImageScanning,
    ecrTagsImmutable,
    ecrEncryptedWithCustomerKey,
    ecrRepositoryPolicyNotPublic,
    imagesReachableWithoutNat,
    // Stack
    clusterSpansAvailabilityZones,
    clusterNoPublicEndpoint,
    privateClusterVpcEndpoints,
    spotInterruptionHandler,
    storageClassDriverInstalled,
    irsaOneRolePerServiceAccount,
    vpcFlowLogsEnabled,
    customNetworkingComplete,
    defaultSecurityGroupClosed,
    s3PublicAccessBlocked,
    s3BucketEncryptedWithCustomerKey,
    s3BucketVersioned,
    s3BucketAccessLogged,
    s3BucketLifecycle,
    s3BucketTlsOnly,
    // Operational safety
    statefulResourcesProtected,
    // Enforcement across the organization
    stackEnvironmentKnown,
    // Delivery foundation (bootstrap/)
    ...deliveryPolicies,
];
