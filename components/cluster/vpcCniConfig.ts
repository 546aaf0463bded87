/** Label every node carries with its zone; ENIConfigs are named after zones so it selects one per node. */
const ENI_CONFIG_LABEL = "topology.kubernetes.io/zone";

/**
 * Free /28 prefixes ipamd keeps attached to each node with prefix delegation on. One spare prefix
 * (16 addresses) lets the next 16 pods start without an EC2 call; WARM_IP_TARGET and
 * MINIMUM_IP_TARGET, which would override it, stay unset because they trade that for an EC2
 * AssignPrivateIpAddresses call per few pods, which the VPC CNI documentation warns throttles busy or
 * large clusters. The pod-subnet capacity check (compute/podAddresses.ts) counts the same spare.
 */
export const WARM_PREFIX_TARGET = 1;

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
        env.WARM_PREFIX_TARGET = String(WARM_PREFIX_TARGET);
    }
    return { env, enableNetworkPolicy: "true" };
}
