/**
 * What the program has before it validates anything: the stack's raw settings and what AWS says
 * about the region. The stack file's schema, composed from the capability list, and its parser
 * are in ./stack.ts; capabilities read the types here, never the composed ones.
 */
export { ConfigError } from "./problems";
export { settingsFromPulumiConfig } from "./namespaces";

/**
 * What EC2 DescribeInstanceTypes says about one instance type (through aws.ec2.getInstanceType at
 * `pulumi up`; from the generated table offline, docs/facts.md).
 */
export interface InstanceTypeFacts {
    vcpus: number;
    memoryMiB: number;
    /** Most ENIs the VPC CNI can attach: those of the default network card (all of them on a single-card type). */
    maxNetworkInterfaces: number;
    /** Most private IPv4 addresses per ENI, the primary one included. */
    ipv4PerInterface: number;
    /** CPU architectures the type runs: "x86_64", "arm64" (and "i386" for some x86 types). */
    architectures: string[];
    /** Physical network cards; the VPC CNI uses the default one only. */
    networkCards: number;
    /** "nitro", "xen", or "" where EC2 reports none (bare metal). */
    hypervisor: string;
    bareMetal: boolean;
    /** VPC CNI prefix delegation works on the type: Nitro or bare metal, as the CNI itself decides. */
    prefixDelegationSupported: boolean;
    /** GPUs by kind (empty without); names lower-case with hyphens (nvidia, a10g), memory per GPU in MiB. */
    gpus: { count: number; manufacturer: string; name: string; memoryMiB: number }[];
}

/** What the region and AWS say, read by invokes before any resource is registered. */
export interface RegionFacts {
    region: string;
    /** Available zone names, in the order AWS lists them. */
    availabilityZones: string[];
    /** Facts of every instance type the node pools list that EC2 knows in this region. */
    instanceTypes: Record<string, InstanceTypeFacts>;
    /** Instance types the node pools list that EC2 rejected as unknown. */
    unknownInstanceTypes: string[];
    /**
     * IAM role or user ARN of the identity running the program (the issuer of its session), when
     * known: cluster access checks compare it with cluster.adminPrincipals.
     */
    deployerPrincipalArn?: string;
}
