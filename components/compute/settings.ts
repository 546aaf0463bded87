import { QUALIFIED_INSTANCE_FAMILIES } from "../../policy-pack/policies/nodes/instance-family";
import { z } from "zod";
import { uniqueBy } from "../../config/schemaRules";

// Keys and values are checked as names (./capability.ts): Kubernetes' syntax, what the kubelet may set, the autoscaler's tags.
const labelKey = z.string();
const labelValue = z.string();

/** family.size, e.g. m6i.large or u-6tb1.metal. */
export const INSTANCE_TYPE_PATTERN = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

const taintSchema = z.strictObject({
    key: labelKey.describe("Taint key: a Kubernetes qualified name (an optional DNS subdomain prefix and `/`, then at most 63 characters)."),
    value: labelValue.default("").describe("Taint value: at most 63 letters, digits, `-`, `_` or `.`, alphanumeric at both ends; may be empty."),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).describe("What the taint does to pods that do not tolerate it."),
});

export const nodePoolSchema = z.strictObject({
    name: z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/, "must be a lowercase DNS label of at most 32 characters")
        .describe("Pool name, unique among the pools: its Auto Scaling group is `<cluster>-<name>`, and nodes carry `eks-platform/node-pool=<name>`."),
    instanceTypes: z
        .array(z.string().regex(INSTANCE_TYPE_PATTERN, "must be an EC2 instance type such as m6i.large"))
        .min(1)
        .describe(
            "Instance types the group may launch, each once, all of one vCPU and memory shape (the Cluster Autoscaler sizes a group from one type), " +
                "of a family in `allowedInstanceFamilies`, running `architecture`. A pool with Spot capacity needs at least `minSpotInstanceTypes` of them.",
        ),
    architecture: z.enum(["x86_64", "arm64"]).default("x86_64").describe("CPU architecture of the pool's AMI; every instance type must run it."),
    accelerator: z
        .enum(["none", "nvidia"])
        .default("none")
        .describe(
            "GPUs of the pool: `nvidia` for NVIDIA GPU instance types, all with the same GPU count (the AL2023 NVIDIA AMI, the NVIDIA device plugin, " +
                "the `nvidia.com/gpu` NoSchedule taint and GPU labels, autoscaler GPU tags); `none` for types without GPUs.",
        ),
    minSize: z
        .int()
        .min(0)
        .default(0)
        .describe("Smallest group size, in instances, at most `maxSize`; the default 0 lets the autoscaler scale the pool to and from zero."),
    maxSize: z.int().min(1).describe("Largest group size, in instances; the pod and private subnets must hold the pools at this size."),
    desiredSize: z
        .int()
        .min(0)
        .optional()
        .describe(
            "Instances the group starts with, between `minSize` and `maxSize`; afterwards the Cluster Autoscaler owns it and `up` leaves it alone. " +
                "When unset, `minSize`. At least one pool must start with a node.",
        ),
    onDemandBaseCapacity: z.int().min(0).default(0).describe("On-Demand instances the group keeps before it launches any Spot."),
    onDemandPercentageAboveBaseCapacity: z
        .int()
        .min(0)
        .max(100)
        .default(0)
        .describe("Percent of the capacity above the On-Demand base that is On-Demand: 0 is all Spot, 100 no Spot."),
    spotAllocationStrategy: z
        .enum(["price-capacity-optimized", "capacity-optimized", "capacity-optimized-prioritized", "lowest-price"])
        .default("price-capacity-optimized")
        .describe("How EC2 picks Spot capacity pools; the default balances price against interruption risk (fewest interruptions per dollar)."),
    labels: z
        .record(labelKey, labelValue)
        .default({})
        .describe(
            "Extra node labels, set by kubelet flags and tagged for the autoscaler's scale-from-zero, besides `lifecycle` and `eks-platform/node-pool`: " +
                "Kubernetes qualified names and label values, and in the kubernetes.io or k8s.io namespaces only what the kubelet may set on itself " +
                "(`node.kubernetes.io/`, `kubelet.kubernetes.io/`).",
        ),
    taints: z
        .array(taintSchema)
        .default([])
        .describe(
            "Extra node taints, set by kubelet flags and tagged for the autoscaler; pools with Spot capacity also get `spotInstance=true:PreferNoSchedule`. " +
                "One per key and effect (the kubelet refuses a repeat).",
        )
        .meta(uniqueBy(["key", "effect"], "the kubelet refuses a node with two taints of one key and effect")),
    rootVolumeGiB: z.int().min(20).max(16384).default(50).describe("Size of each node's root volume, in GiB: gp3, encrypted with the platform key."),
    metadataHopLimit: z
        .union([z.literal(1), z.literal(2)])
        .default(1)
        .describe("IMDSv2 response hop limit: 1 keeps pods away from the node role's credentials; 2 only for pods that truly need instance metadata."),
    amiReleaseVersion: z
        .string()
        .regex(/^v\d{8}$/, 'must be an AMI release version such as "v20261101"')
        .optional()
        .describe(
            "EKS-optimized AL2023 AMI release to pin, the date suffix of the AMI name; the pool then rolls only when the pin moves. " +
                "When unset, AWS's recommended AMI for the minor, read at every `up`: a new release rolls the pool on the next `up`.",
        ),
    kubernetesVersion: z
        .string()
        .regex(/^1\.\d+$/, "must be a minor version such as 1.35")
        .optional()
        .describe(
            "Kubernetes minor of the pool's AMI and kubelet: not newer than the control plane and at most 3 minors older (the version-skew policy). " +
                "When unset, `cluster.kubernetesVersion`.",
        ),
    minHealthyPercentage: z
        .int()
        .min(0)
        .max(100)
        .default(90)
        .describe("Percent of the group's capacity an instance refresh keeps in service while it replaces nodes."),
});

export const computeSettingsSchema = z
    .strictObject({
        allowedInstanceFamilies: z
            .array(z.string())
            .default([...QUALIFIED_INSTANCE_FAMILIES])
            .describe(
                "Instance families (the part of the type before the dot) pools may use; the default holds current general-purpose, compute and memory families.",
            ),
        minSpotInstanceTypes: z
            .int()
            .min(1)
            .default(4)
            .describe("Fewest distinct instance types a pool with Spot capacity must list, so one reclaimed Spot capacity pool cannot empty it."),
        nodePools: z
            .array(nodePoolSchema)
            .min(1, "must define at least one node pool")
            .describe("The node pools: each a self-managed Auto Scaling group with a mixed Spot/On-Demand instances policy over every private subnet.")
            .meta(uniqueBy(["name"], "a pool's name names its Auto Scaling group, launch template and resources, so each pool needs its own")),
        interruptionHandler: z
            .strictObject({
                mode: z
                    .enum(["queue", "imds"])
                    .default("queue")
                    .describe(
                        "How AWS Node Termination Handler learns of interruptions: `queue` (SQS queue fed by EventBridge rules, also " +
                            "covering rebalance recommendations, scheduled changes and ASG terminations) or `imds` (a DaemonSet watching instance metadata).",
                    ),
                drainTimeoutSeconds: z
                    .int()
                    .min(30)
                    .max(7200)
                    .default(600)
                    .describe(
                        "Seconds an Auto Scaling group holds a terminating instance for the drain (the lifecycle hook's heartbeat timeout) before it continues anyway.",
                    ),
            })
            .prefault({})
            .describe("AWS Node Termination Handler: drains nodes before Spot interruptions, rebalances and terminations."),
        clusterAutoscaler: z
            .strictObject({
                enabled: z.boolean().default(true).describe("Install the Cluster Autoscaler, which discovers the pools by their tags."),
                expander: z
                    .enum(["priority", "least-waste", "random", "most-pods", "price"])
                    .default("priority")
                    .describe(
                        "How the autoscaler picks the pool to grow: `priority` tries pools with Spot first (then `least-waste` on ties). " +
                            "`price` is rejected: the autoscaler implements it only on GCE.",
                    ),
            })
            .prefault({})
            .describe("Cluster Autoscaler: grows and shrinks the pools with pending pods."),
        sampleWorkload: z
            .boolean()
            .default(false)
            .describe("Deploy the sample nginx Deployment (namespace `spot-sample`) whose tolerations and affinity show how a workload opts into Spot."),
        ssmSessionManager: z
            .boolean()
            .default(false)
            .describe("Attach `AmazonSSMManagedInstanceCore` to the node role, for Session Manager shell access instead of SSH."),
    })
    .describe("Node pools (mixed Spot/On-Demand Auto Scaling groups), interruption handling and cluster autoscaling.");

export type NodePoolSettings = z.output<typeof nodePoolSchema>;
export type ComputeSettings = z.output<typeof computeSettingsSchema>;
