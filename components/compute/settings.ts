import { z } from "zod";

const labelKey = z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, "must be a Kubernetes label key");
const labelValue = z
    .string()
    .regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, "must be a Kubernetes label value (63 characters, alphanumeric at both ends)");

/** family.size, e.g. m6i.large or u-6tb1.metal. */
export const INSTANCE_TYPE_PATTERN = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

const taintSchema = z.strictObject({
    key: labelKey,
    value: labelValue.default(""),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
});

export const nodePoolSchema = z.strictObject({
    /** Pool name, used in resource names and the ASG name. */
    name: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/, "must be a lowercase DNS label of at most 32 characters"),
    /** Instance types, diversified; Spot pools need at least compute.minSpotInstanceTypes, all of one vCPU/memory shape. */
    instanceTypes: z.array(z.string().regex(INSTANCE_TYPE_PATTERN, "must be an EC2 instance type such as m6i.large")).min(1),
    /** CPU architecture of the AMI; must match the instance types. Default x86_64. */
    architecture: z.enum(["x86_64", "arm64"]).default("x86_64"),
    accelerator: z
        .enum(["none", "nvidia"])
        .default("none")
        .describe(
            'GPUs of the pool: "nvidia" for NVIDIA GPU instance types, all with the same GPU count (the AL2023 NVIDIA AMI, the NVIDIA device plugin, ' +
                'the nvidia.com/gpu NoSchedule taint and GPU labels, autoscaler GPU tags); "none" for types without GPUs. Default none.',
        ),
    /** Smallest group size (instances). Default 0, so the autoscaler can scale from zero. */
    minSize: z.int().min(0).default(0),
    /** Largest group size (instances). */
    maxSize: z.int().min(1),
    /** Initial size (instances); afterwards the Cluster Autoscaler owns it. Default minSize. */
    desiredSize: z.int().min(0).optional(),
    /** On-Demand instances always kept before any Spot. Default 0. */
    onDemandBaseCapacity: z.int().min(0).default(0),
    /** Percent On-Demand above the base: 0 is all Spot, 100 all On-Demand. Default 0. */
    onDemandPercentageAboveBaseCapacity: z.int().min(0).max(100).default(0),
    /** Spot allocation strategy. Default price-capacity-optimized (fewest interruptions per dollar). */
    spotAllocationStrategy: z
        .enum(["price-capacity-optimized", "capacity-optimized", "capacity-optimized-prioritized", "lowest-price"])
        .default("price-capacity-optimized"),
    /** Extra node labels. */
    labels: z.record(labelKey, labelValue).default({}),
    /** Extra node taints (Spot pools also get spotInstance=true:PreferNoSchedule). */
    taints: z.array(taintSchema).default([]),
    /** Root volume size in GiB (gp3, encrypted with the platform key). Default 50. */
    rootVolumeGiB: z.int().min(20).max(16384).default(50),
    /** IMDSv2 hop limit: 1 keeps pods off the node's credentials; 2 only for pods that truly need IMDS. Default 1. */
    metadataHopLimit: z.union([z.literal(1), z.literal(2)]).default(1),
    /**
     * EKS-optimized AL2023 AMI release to pin, e.g. "v20261101" (the date suffix of the AMI name). Default:
     * AWS's recommended AMI for the minor, read at every `up`, so a new release rolls the pool on the next `up`.
     */
    amiReleaseVersion: z
        .string()
        .regex(/^v\d{8}$/, 'must be an AMI release version such as "v20261101"')
        .optional(),
    /** Kubelet minor version of the pool's AMI; at most the control plane's, at most 3 minors older. Default: the cluster's. */
    kubernetesVersion: z
        .string()
        .regex(/^1\.\d+$/, "must be a minor version such as 1.35")
        .optional(),
    /** Instance refresh: percent of capacity kept in service while nodes roll. Default 90. */
    minHealthyPercentage: z.int().min(0).max(100).default(90),
});

export const computeSettingsSchema = z.strictObject({
    /** Instance families pools may use (the part before the dot). Default: current general-purpose, compute and memory families. */
    allowedInstanceFamilies: z
        .array(z.string())
        .default([
            "m5",
            "m5a",
            "m6i",
            "m6a",
            "m7i",
            "m7a",
            "c5",
            "c5a",
            "c6i",
            "c6a",
            "c7i",
            "c7a",
            "r5",
            "r5a",
            "r6i",
            "r6a",
            "r7i",
            "r7a",
            "m6g",
            "m7g",
            "c6g",
            "c7g",
            "r6g",
            "r7g",
        ]),
    /** Fewest distinct instance types a pool with Spot capacity must list. Default 4. */
    minSpotInstanceTypes: z.int().min(1).default(4),
    nodePools: z.array(nodePoolSchema).min(1, "must define at least one node pool"),
    interruptionHandler: z
        .strictObject({
            /** AWS Node Termination Handler mode: queue (SQS + EventBridge, recommended) or imds. Default queue. */
            mode: z.enum(["queue", "imds"]).default("queue"),
            /**
             * Seconds an ASG holds a terminating instance for the drain (the lifecycle hook's heartbeat
             * timeout, 30-7200) before it continues anyway. Default 600.
             */
            drainTimeoutSeconds: z.int().min(30).max(7200).default(600),
        })
        .prefault({}),
    clusterAutoscaler: z
        .strictObject({
            /** Install the Cluster Autoscaler. Default true. */
            enabled: z.boolean().default(true),
            /** Expander: priority (Spot first), least-waste, random, most-pods, price. Default priority. */
            expander: z.enum(["priority", "least-waste", "random", "most-pods", "price"]).default("priority"),
        })
        .prefault({}),
    /** Deploy the sample nginx Deployment that opts into Spot. Default false. */
    sampleWorkload: z.boolean().default(false),
    /** Attach AmazonSSMManagedInstanceCore to the node role, for Session Manager shell access instead of SSH. Default false. */
    ssmSessionManager: z.boolean().default(false),
});

export type NodePoolSettings = z.output<typeof nodePoolSchema>;
export type ComputeSettings = z.output<typeof computeSettingsSchema>;
