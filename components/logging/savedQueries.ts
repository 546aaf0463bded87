import { ARCHIVE_PARTITIONS, ARCHIVE_UPLOAD_TIMEOUT_MINUTES } from "./layout";

/** A saved (named) Athena query, as aws.athena.NamedQuery takes it. */
export interface SavedQuery {
    /** Logical suffix of the resource, stable across wording changes of `name`. */
    key: string;
    name: string;
    description: string;
    query: string;
}

const hourPartition = ARCHIVE_PARTITIONS.find((p) => p.kind === "time")!;

/**
 * The time filter of a query over the last `hours`: the partitions first, which decide what is
 * read (and billed), then the records. An object sits in the hour of its first record and holds up
 * to the upload timeout's worth of later records, so the partition bound reaches back that much
 * further. Athena's date_format takes the same %Y-%m-%d-%H fields Fluent Bit's key format writes.
 */
function lastHours(hours: number): string {
    const minutes = hours * 60 + ARCHIVE_UPLOAD_TIMEOUT_MINUTES;
    return [
        `${hourPartition.name} >= date_format(current_timestamp AT TIME ZONE 'UTC' - INTERVAL '${minutes}' MINUTE, '${hourPartition.strftime}')`,
        `  AND from_iso8601_timestamp(event_time) >= current_timestamp - INTERVAL '${hours}' HOUR`,
    ].join("\n");
}

/**
 * What a platform team asks the archive first: where errors are right now, what one pod said, and
 * who fills the archive. Each reads only the partitions of its window.
 */
export function savedQueries(database: string): SavedQuery[] {
    const table = (name: string) => `"${database}"."${name}"`;
    return [
        {
            key: "errors-by-namespace",
            name: "Errors per namespace, last hour",
            description:
                "Lines that look like errors (error, fatal, panic, exception, any case) in the last hour, per namespace, with the number of pods " +
                "and the first and last occurrence. Reads the last hour's partitions of every namespace.",
            query: [
                "SELECT kubernetes.namespace_name AS namespace,",
                "       count(*) AS error_lines,",
                "       count(DISTINCT kubernetes.pod_name) AS pods,",
                "       min(from_iso8601_timestamp(event_time)) AS first_seen,",
                "       max(from_iso8601_timestamp(event_time)) AS last_seen",
                `FROM ${table("container_logs")}`,
                `WHERE ${lastHours(1)}`,
                "  AND regexp_like(log, '(?i)\\b(error|fatal|panic|exception)\\b')",
                "GROUP BY kubernetes.namespace_name",
                "ORDER BY error_lines DESC",
            ].join("\n"),
        },
        {
            key: "pod-log-stream",
            name: "Log stream of a pod, last 24 hours",
            description:
                "Every line one pod's containers wrote in the last 24 hours, oldest first. Parameters, in order: the namespace, the pod's name. " +
                "Reads only that namespace's partitions.",
            query: [
                "SELECT from_iso8601_timestamp(event_time) AS logged_at,",
                "       kubernetes.container_name AS container,",
                "       stream,",
                "       log",
                `FROM ${table("container_logs_by_namespace")}`,
                "WHERE namespace = ?",
                "  AND kubernetes.pod_name = ?",
                `  AND ${lastHours(24)}`,
                "ORDER BY logged_at, container",
                "LIMIT 10000",
            ].join("\n"),
        },
        {
            key: "top-talkers",
            name: "Top talkers by volume, last 24 hours",
            description:
                "The 50 containers that logged the most bytes in the last 24 hours, with their line counts: where a log level or a " +
                "noisy dependency costs the most. Reads the last day's partitions of every namespace.",
            query: [
                "SELECT kubernetes.namespace_name AS namespace,",
                "       kubernetes.pod_name AS pod,",
                "       kubernetes.container_name AS container,",
                "       count(*) AS lines,",
                "       sum(length(to_utf8(log))) AS bytes",
                `FROM ${table("container_logs")}`,
                `WHERE ${lastHours(24)}`,
                "GROUP BY kubernetes.namespace_name, kubernetes.pod_name, kubernetes.container_name",
                "ORDER BY bytes DESC",
                "LIMIT 50",
            ].join("\n"),
        },
    ];
}
