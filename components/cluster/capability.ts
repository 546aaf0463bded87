import { type AwsServiceUse, defineCapability, defineSection } from "../capability";
import { CoreDns } from "./coreDns";
import { clusterNames } from "./declaredNames";
import { clusterSettingsSchema } from "./settings";
import { validateCluster } from "./validate";

/**
 * What every node and pod of any cluster calls. Nodes get their endpoint and CA in their NodeConfig
 * and never call the EKS API, so "eks" is not among them.
 */
const CLUSTER_AWS_SERVICES: AwsServiceUse[] = [
    { service: "ec2", reason: "nodes: kubelet and the VPC CNI (instance details, network interfaces, addresses)" },
    { service: "ecr.api", reason: "nodes: ECR authorization for image pulls (EKS add-on images, the registry and its pull-through cache)" },
    { service: "ecr.dkr", reason: "nodes: image pulls from ECR" },
    { service: "s3", reason: "nodes: image layers, which ECR serves from S3" },
    { service: "sts", reason: "pods with IRSA roles: AssumeRoleWithWebIdentity" },
    { service: "eks-auth", reason: "EKS Pod Identity agent: AssumeRoleForPodIdentity" },
];

/** eks-platform:cluster: the control plane, its access and its networking add-ons (a foundation). */
export const clusterSection = defineSection({
    key: "cluster",
    settings: clusterSettingsSchema,
    validate: validateCluster,
    awsServices: () => CLUSTER_AWS_SERVICES,
    names: clusterNames,
});

/** CoreDNS: nothing to configure; it needs the nodes, so it is the first add-on rather than part of the cluster. */
export const coreDnsCapability = defineCapability({
    key: "coreDns",
    deploy: (name, context, _settings, opts) => new CoreDns(name, { context }, opts),
});
