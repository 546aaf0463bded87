import { stackGuardrail, type ResourceView } from "../../lib/policy";
import { EKS_COMPONENT_CLUSTER } from "../../lib/clusters";
import { irsaTrustStatements, trustedServiceAccounts } from "../../lib/iam";
import { availabilityZonesOf, resourcesOfType, subnetsOfCluster } from "../../lib/stack";
import { decideEach, UnknownValueError } from "../../lib/unknown";
import { cniResources, cniSettingsOf, type CniSettings } from "../../lib/vpc-cni";
import { stringAt } from "../../lib/values";

export const irsaOneRolePerServiceAccount = stackGuardrail({
    name: "irsa-one-role-per-service-account",
    description: "Each Kubernetes service account is trusted by at most one IRSA role, so its AWS permissions have one reviewable source.",
    enforcementLevel: "mandatory",
    controls: ["CIS EKS 5.2.1"],
    remediation: "Merge the roles' permissions into one role per service account, or give the workloads separate service accounts.",
    validate: (stack, _config, report) => {
        const rolesByServiceAccount = new Map<string, ResourceView[]>();
        decideEach(resourcesOfType(stack, "aws:iam/role:Role"), (role) => {
            const serviceAccounts = new Set(irsaTrustStatements(role.props.assumeRolePolicy).flatMap(trustedServiceAccounts));
            for (const serviceAccount of serviceAccounts) {
                rolesByServiceAccount.set(serviceAccount, [...(rolesByServiceAccount.get(serviceAccount) ?? []), role]);
            }
        });
        for (const [serviceAccount, roles] of rolesByServiceAccount) {
            if (roles.length > 1) {
                for (const role of roles) {
                    report(`Service account ${serviceAccount} is trusted by ${roles.length} roles (${roles.map((r) => r.name).join(", ")}).`, role.urn);
                }
            }
        }
    },
});

const FLOW_LOG = "aws:ec2/flowLog:FlowLog";

export const vpcFlowLogsEnabled = stackGuardrail({
    name: "vpc-flow-logs-enabled",
    description: "Every VPC in the stack has a flow log.",
    enforcementLevel: "mandatory",
    controls: ["CKV2_AWS_11", "AVD-AWS-0178"],
    remediation: "Create an aws.ec2.FlowLog with vpcId set to the VPC, trafficType ALL, to a KMS-encrypted log group with retention.",
    validate: (stack, _config, report) => {
        const flowLogVpcIds = new Set<string>();
        decideEach(resourcesOfType(stack, FLOW_LOG), (flowLog) => {
            if (typeof flowLog.props.vpcId === "string") {
                flowLogVpcIds.add(flowLog.props.vpcId);
            }
        });
        decideEach(resourcesOfType(stack, "aws:ec2/vpc:Vpc"), (vpc) => {
            if (vpc.id === undefined) {
                // A VPC is linked to its flow log only by ID, which a new VPC does not have at preview.
                throw new UnknownValueError(`id of ${vpc.urn}`);
            }
            if (!flowLogVpcIds.has(vpc.id)) {
                report("The VPC has no flow log.", vpc.urn);
            }
        });
    },
});

const ENI_CONFIG = "kubernetes:crd.k8s.amazonaws.com/v1alpha1:ENIConfig";
const ZONE_LABEL = "topology.kubernetes.io/zone";

export const customNetworkingComplete = stackGuardrail({
    name: "custom-networking-complete",
    description:
        "Where VPC CNI custom networking is on, it is complete: the component's own CNI is not silently kept, ENIConfigs are " +
        "selected by zone label, and every AZ of the cluster has an ENIConfig named after it.",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific: "makes the platform's VPC CNI custom networking work; no benchmark asks for it",
    remediation:
        "On eks.Cluster set useDefaultVpcCni: false (otherwise vpcCniOptions is ignored); set ENI_CONFIG_LABEL_DEF / eniConfigLabelDef " +
        `to ${ZONE_LABEL}; create one ENIConfig per AZ, named after the AZ, with a subnet from the secondary CIDR — all before the first node joins.`,
    validate: (stack, _config, report) => {
        const settings: CniSettings[] = [];
        decideEach(cniResources(stack), (resource) => {
            const found = cniSettingsOf(resource);
            if (found?.customNetworking) {
                settings.push(found);
            }
        });
        if (settings.length === 0) {
            return;
        }
        const eniConfigNames = new Set(resourcesOfType(stack, ENI_CONFIG).map((eniConfig) => stringAt(eniConfig.props, "metadata", "name")));
        for (const { source, eniConfigLabel } of settings) {
            if (source.type === EKS_COMPONENT_CLUSTER && source.props.useDefaultVpcCni !== false) {
                report("vpcCniOptions enables custom networking, but useDefaultVpcCni is not false, so the options are ignored.", source.urn);
            }
            if (eniConfigLabel !== ZONE_LABEL) {
                report(`ENIConfig label is ${eniConfigLabel ?? "unset"}; nodes will not pick the ENIConfig of their AZ.`, source.urn);
            }
        }
        decideEach(resourcesOfType(stack, EKS_COMPONENT_CLUSTER, "aws:eks/cluster:Cluster"), (cluster) => {
            const missing = [...availabilityZonesOf(subnetsOfCluster(cluster, stack))].filter((zone) => !eniConfigNames.has(zone));
            if (missing.length > 0) {
                report(`No ENIConfig for AZ(s) ${missing.join(", ")}.`, cluster.urn);
            }
        });
    },
});
