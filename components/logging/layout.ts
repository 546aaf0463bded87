/**
 * Where logs land. The CloudWatch groups follow the Container Insights layout, so the Container
 * Insights console finds them whichever shipper writes them (this program's Fluent Bit, or the
 * add-on's own when ours is off). The S3 archive's layout is defined once, here: Fluent Bit's s3
 * output is configured from it (fluentBitValues.ts) and the Glue tables Athena queries are derived
 * from it (archiveTables.ts), so the two cannot drift apart.
 */

/** Container Insights log groups: container stdout/stderr, node OS, and kubelet/containerd/CNI. */
export const SHIPPED_LOG_GROUPS = ["application", "host", "dataplane"] as const;
export type ShippedLogGroup = (typeof SHIPPED_LOG_GROUPS)[number];

export function containerInsightsLogGroup(clusterName: string, group: ShippedLogGroup | "performance"): string {
    return `/aws/containerinsights/${clusterName}/${group}`;
}

/** Top-level prefix of every object Fluent Bit writes to the log bucket. */
export const S3_LOG_PREFIX = "fluent-bit-logs";

/** The one prefix this cluster writes under. */
export function s3ClusterPrefix(clusterName: string): string {
    return `${S3_LOG_PREFIX}/cluster=${clusterName}`;
}

/** Top-level prefix of Athena's query results in the log bucket: outside the tables' location, so no query reads them back as logs. */
export const ATHENA_RESULTS_PREFIX = "athena-results";

/** The archive's Athena workgroup and the managed policy that grants querying it, named after the cluster. */
export function archiveQueryNames(clusterName: string): { workgroup: string; readerPolicy: string } {
    return { workgroup: `${clusterName}-logs`, readerPolicy: `${clusterName}-log-archive-reader` };
}

/** Where this cluster's Athena workgroup writes query results. */
export function athenaResultsPrefix(clusterName: string): string {
    return `${ATHENA_RESULTS_PREFIX}/${clusterName}`;
}

/**
 * A partition of the archive: one `<name>=<value>` segment of every key below the cluster's
 * prefix, in key order. The time partition's value is the UTC time of the object's first record,
 * written by Fluent Bit with strftime and read back by Athena's date projection with the
 * equivalent Java DateTimeFormatter pattern; the namespace's value is the record's tag part.
 */
type ArchivePartition =
    | {
          name: string;
          kind: "time";
          /** strftime pattern Fluent Bit's s3_key_format writes (UTC). */
          strftime: string;
          /** The same pattern as Athena's date projection reads it (java.time DateTimeFormatter). */
          javaFormat: string;
          /** One partition per this unit: the finest field of the pattern. */
          intervalUnit: "HOURS";
          comment: string;
      }
    | {
          name: string;
          kind: "tagPart";
          /** Index of the tag part ($TAG[n]) the value is taken from. */
          tagPart: number;
          comment: string;
      };

/**
 * The time comes first so that one table can read every namespace of an hour (Athena reads every
 * object below a partition's location); a second table adds the namespace for queries that name it.
 * Hours, not days: "the last hour" then reads an hour or two of logs, not a whole day.
 */
export const ARCHIVE_PARTITIONS = [
    {
        name: "datehour",
        kind: "time",
        strftime: "%Y-%m-%d-%H",
        javaFormat: "yyyy-MM-dd-HH",
        intervalUnit: "HOURS",
        comment: "UTC hour of the first record in the object (yyyy-MM-dd-HH); an object holds up to the upload timeout's worth of later records",
    },
    {
        name: "namespace",
        kind: "tagPart",
        // The rewrite_tag filter re-emits each container record as `s3.<namespace>`: the s3 output
        // cannot read record fields in its key, only tag parts.
        tagPart: 1,
        comment: "Kubernetes namespace of the pod (kubernetes.namespace_name)",
    },
] as const satisfies readonly ArchivePartition[];

export type ArchivePartitionName = (typeof ARCHIVE_PARTITIONS)[number]["name"];

/** The object's own name below its partitions; `.gz` because the objects are gzip-compressed. */
const ARCHIVE_OBJECT_NAME = "%H-%M-%S-$UUID.gz";

/** How Fluent Bit compresses each object (the s3 output's `compression`); Athena decompresses by the `.gz` extension. */
export const ARCHIVE_COMPRESSION = "gzip";

/**
 * The s3 output completes an object at the latest this long after its first chunk: records of an
 * object are up to this much later than the time in its key, which time-window queries allow for.
 */
export const ARCHIVE_UPLOAD_TIMEOUT_MINUTES = 10;

/**
 * Each object is JSON lines: one record per line, as Fluent Bit's s3 output serialises it. Its time
 * goes under `timeKey` (the s3 output's json_date_key) in `timeFormat` (json_date_format); the other
 * fields come from the container runtime's log line (the docker and cri multiline parsers) and the
 * kubernetes filter. Fields the table does not declare (the parsers' `time` and `_p`, pod annotations,
 * the merged JSON under `data`) are in the objects and ignored by Athena.
 */
export const ARCHIVE_RECORD = {
    timeKey: "event_time",
    /** ISO 8601 in UTC with microseconds, e.g. 2026-12-01T13:05:01.123456Z; Athena reads it with from_iso8601_timestamp. */
    timeFormat: "iso8601",
    columns: [
        { name: "event_time", type: "string", comment: "When the container wrote the line: ISO 8601, UTC (from_iso8601_timestamp(event_time))" },
        { name: "stream", type: "string", comment: "stdout or stderr" },
        { name: "log", type: "string", comment: "The line as the container wrote it (a JSON line stays JSON text: json_extract_scalar(log, '$.level'))" },
        {
            name: "kubernetes",
            type: "struct<namespace_name:string,pod_name:string,pod_id:string,container_name:string,container_image:string,host:string,labels:map<string,string>>",
            comment: "Pod metadata added by Fluent Bit's kubernetes filter; host is the node name",
        },
    ],
} as const;

/**
 * Fluent Bit's s3_key_format: the cluster's prefix, then each partition as `name=value`, then the
 * object's name. Namespace names are DNS labels, never containing the "." the tag is split on.
 */
export function s3KeyFormat(clusterName: string): string {
    const partitions = ARCHIVE_PARTITIONS.map((p) => `${p.name}=${p.kind === "time" ? p.strftime : `$TAG[${p.tagPart}]`}`);
    return `/${[s3ClusterPrefix(clusterName), ...partitions, ARCHIVE_OBJECT_NAME].join("/")}`;
}

/** "<cluster>-logs-<account>", lowered to S3's character set (cluster names allow capitals and "_"). */
export function defaultLogBucketName(clusterName: string, accountId: string): string {
    return `${clusterName.toLowerCase().replace(/_/g, "-")}-logs-${accountId}`;
}
