/**
 * Where logs land. The CloudWatch groups follow the Container Insights layout, so the Container
 * Insights console finds them whichever shipper writes them (this program's Fluent Bit, or the
 * add-on's own when ours is off); S3 keys are Hive-style so Athena can partition on them.
 */

/** Container Insights log groups: container stdout/stderr, node OS, and kubelet/containerd/CNI. */
export const SHIPPED_LOG_GROUPS = ["application", "host", "dataplane"] as const;
export type ShippedLogGroup = (typeof SHIPPED_LOG_GROUPS)[number];

export function containerInsightsLogGroup(clusterName: string, group: ShippedLogGroup | "performance"): string {
    return `/aws/containerinsights/${clusterName}/${group}`;
}

/** Top-level prefix of every object Fluent Bit writes to the log bucket. */
export const S3_LOG_PREFIX = "fluent-bit-logs";

/** The one prefix this cluster writes under (several clusters may share a bucket). */
export function s3ClusterPrefix(clusterName: string): string {
    return `${S3_LOG_PREFIX}/cluster=${clusterName}`;
}

/**
 * Fluent Bit's s3_key_format. The s3 output cannot read record fields in its key (only $TAG parts,
 * $UUID and strftime), so a rewrite_tag filter re-emits each container record as
 * `s3.<namespace>` and the key takes the namespace from $TAG[1]. Namespace names are DNS labels,
 * never containing the "." the tag is split on.
 */
export function s3KeyFormat(clusterName: string): string {
    return `/${s3ClusterPrefix(clusterName)}/namespace=$TAG[1]/year=%Y/month=%m/day=%d/%H-%M-%S-$UUID.gz`;
}

/** "<cluster>-logs-<account>", lowered to S3's character set (cluster names allow capitals and "_"). */
export function defaultLogBucketName(clusterName: string, accountId: string): string {
    return `${clusterName.toLowerCase().replace(/_/g, "-")}-logs-${accountId}`;
}
