import { stackGuardrail } from "../../lib/policy";

interface ProtectionConfig {
    statefulTypes: string[];
}

/**
 * Resources whose deletion loses data or access to it: keys (everything encrypted with them),
 * file systems, buckets, log groups, and the cluster itself (its etcd holds every Kubernetes object).
 */
export const STATEFUL_TYPES = [
    "aws:kms/key:Key",
    "aws:efs/fileSystem:FileSystem",
    "aws:fsx/lustreFileSystem:LustreFileSystem",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:cloudwatch/logGroup:LogGroup",
    "eks:index:Cluster",
    "aws:eks/cluster:Cluster",
];

// A stack rule, not a resource rule, because which resources count as stateful is a property of
// the stack's purpose (prod keeps its data), set per environment in the pack's config.
export const statefulResourcesProtected = stackGuardrail<ProtectionConfig>({
    name: "stateful-resources-protected",
    description:
        "Every stateful resource (KMS key, file system, bucket, log group, cluster) carries protect and retainOnDelete, so no `pulumi up` or `destroy` deletes data.",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific: "protects data from a `pulumi up` or destroy; Pulumi's resource options have no counterpart in the scanners' benchmarks",
    remediation:
        "Set eks-platform:protection.protectStatefulResources: true (the platform then sets protect and retainOnDelete). To remove a " +
        "protected resource on purpose, follow the README's runbook: `pulumi state unprotect <urn>`, then remove it from the program.",
    configSchema: {
        statefulTypes: {
            type: "array",
            items: { type: "string" },
            description: "Pulumi type tokens of resources that must be protected.",
            default: STATEFUL_TYPES,
        },
    },
    validate: (stack, config, report) => {
        for (const resource of stack.resources) {
            if (!config.statefulTypes.includes(resource.type)) {
                continue;
            }
            if (resource.options?.protect !== true) {
                report(`${resource.type} "${resource.name}" lacks protect.`, resource.urn);
            }
            // A separate finding: the engine does not show policies retainOnDelete (undefined there), so
            // only an offline plan, which records it, reports this one.
            if (resource.options?.retainOnDelete === false) {
                report(`${resource.type} "${resource.name}" lacks retainOnDelete.`, resource.urn);
            }
        }
    },
});
