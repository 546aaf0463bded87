import type { ResourceView, StackView } from "./policy";
import { EKS_COMPONENT_CLUSTER } from "./clusters";
import { resourcesOfType } from "./stack";
import { field, isTrue, parseJsonDocument, stringAt } from "./values";

const VPC_CNI_ADDON = "eks:index:VpcCniAddon";
const ADDON_TYPES = ["aws:eks/addon:Addon", "eks:index:Addon"];

/** What a stack sets for the VPC CNI, and where. */
export interface CniSettings {
    source: ResourceView;
    customNetworking: boolean;
    eniConfigLabel?: string;
    prefixDelegation: boolean;
}

/**
 * VPC CNI settings of one resource, wherever a stack sets them: the EKS component's vpcCniOptions,
 * the component add-on, or the raw add-on's JSON env; undefined for a resource that sets none.
 */
export function cniSettingsOf(resource: ResourceView): CniSettings | undefined {
    if (resource.type === EKS_COMPONENT_CLUSTER || resource.type === VPC_CNI_ADDON) {
        const options: unknown = resource.type === EKS_COMPONENT_CLUSTER ? resource.props.vpcCniOptions : resource.props;
        if (!options) {
            return undefined;
        }
        return {
            source: resource,
            customNetworking: isTrue(field(options, "customNetworkConfig")) || isTrue(field(options, "cniCustomNetworkCfg")),
            eniConfigLabel: stringAt(options, "eniConfigLabelDef"),
            prefixDelegation: isTrue(field(options, "enablePrefixDelegation")),
        };
    }
    if (resource.props.addonName !== "vpc-cni") {
        return undefined;
    }
    const values = parseJsonDocument(resource.props.configurationValues);
    return {
        source: resource,
        customNetworking: isTrue(field(values, "env", "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG")),
        eniConfigLabel: stringAt(values, "env", "ENI_CONFIG_LABEL_DEF"),
        prefixDelegation: isTrue(field(values, "env", "ENABLE_PREFIX_DELEGATION")),
    };
}

/** The resources of a stack that can carry VPC CNI settings. */
export function cniResources(stack: StackView): ResourceView[] {
    return resourcesOfType(stack, EKS_COMPONENT_CLUSTER, VPC_CNI_ADDON, ...ADDON_TYPES);
}
