/** Label every node carries with its zone; ENIConfigs are named after zones so it selects one per node. */
const ENI_CONFIG_LABEL = "topology.kubernetes.io/zone";

export interface VpcCniOptions {
    /** Assign /28 prefixes instead of single addresses to ENI slots. */
    prefixDelegation: boolean;
}

/**
 * Configuration values of the vpc-cni managed add-on (the JSON schema `aws eks
 * describe-addon-configuration --addon-name vpc-cni` prints): environment variables of the aws-node
 * container, and the network policy agent switch. Every env value is a string in that schema.
 */
export function vpcCniConfiguration(options: VpcCniOptions): { env: Record<string, string>; enableNetworkPolicy: "true" } {
    const env: Record<string, string> = {
        // Pods take addresses from the ENIConfig of the node's zone (the pod subnets in the
        // secondary CIDR), not from the node's own subnet.
        AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true",
        ENI_CONFIG_LABEL_DEF: ENI_CONFIG_LABEL,
        ENABLE_PREFIX_DELEGATION: String(options.prefixDelegation),
    };
    if (options.prefixDelegation) {
        // One spare /28 per node keeps pod start fast without hoarding addresses.
        env.WARM_PREFIX_TARGET = "1";
    }
    return { env, enableNetworkPolicy: "true" };
}
