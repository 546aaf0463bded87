import { ARCHIVE_COMPRESSION, ARCHIVE_PARTITIONS, ARCHIVE_RECORD, type ArchivePartitionName, s3ClusterPrefix } from "./layout";

/** A Glue table over the archive, as aws.glue.CatalogTable takes it (plain values, so it is tested without Pulumi). */
export interface ArchiveTable {
    name: string;
    description: string;
    partitionKeys: { name: string; type: "string"; comment: string }[];
    parameters: Record<string, string>;
    storageDescriptor: {
        location: string;
        inputFormat: string;
        outputFormat: string;
        compressed: boolean;
        serDeInfo: { serializationLibrary: string; parameters: Record<string, string> };
        columns: { name: string; type: string; comment: string }[];
    };
}

/**
 * The two tables over the one archive. Each table's partitions are the first partitions of the key
 * layout (its location template must be a prefix of every key), so the wider table reads every
 * namespace of an hour and the narrower one only the namespace a query names.
 */
const TABLES: { name: string; partitions: ArchivePartitionName[]; description: string }[] = [
    {
        name: "container_logs",
        partitions: ["datehour"],
        description: "Container logs of every namespace, partitioned by hour: filter on datehour (yyyy-MM-dd-HH, UTC) to read only those hours.",
    },
    {
        name: "container_logs_by_namespace",
        partitions: ["datehour", "namespace"],
        description:
            "Container logs partitioned by hour and namespace: every query must name its namespaces (namespace = '...' or IN (...)), " +
            "and reads only their objects.",
    },
];

/** Glue database names hold lowercase letters, digits and underscores; cluster names may also hold capitals and hyphens. */
export function archiveDatabaseName(clusterName: string): string {
    return `${clusterName.toLowerCase().replace(/[^a-z0-9_]/g, "_")}_logs`;
}

export interface ArchiveTablesArgs {
    bucketName: string;
    clusterName: string;
    /** Days objects live before they expire: the date projection looks no further back. */
    retentionDays: number;
}

/** Athena's partition projection properties of one partition, under `projection.<name>.`. */
function projectionOf(name: ArchivePartitionName, retentionDays: number): Record<string, string> {
    const partition = ARCHIVE_PARTITIONS.find((p) => p.name === name)!;
    const properties: Record<string, string> =
        partition.kind === "time"
            ? {
                  type: "date",
                  format: partition.javaFormat,
                  // Nothing older than the archive's expiry exists, and nothing newer than now.
                  range: `NOW-${retentionDays}DAYS,NOW`,
                  interval: "1",
                  "interval.unit": partition.intervalUnit,
              }
            : // Namespaces cannot be enumerated in advance: queries supply them.
              { type: "injected" };
    return Object.fromEntries(Object.entries(properties).map(([key, value]) => [`projection.${name}.${key}`, value]));
}

/**
 * The Glue tables Athena queries the archive through: JSON lines (Hive JSON SerDe), gzip-compressed
 * text, partitions projected from the key layout (no crawler, no MSCK REPAIR TABLE, no partitions in
 * the catalog). Columns and partitions come from layout.ts, the layout Fluent Bit writes.
 */
export function archiveTables({ bucketName, clusterName, retentionDays }: ArchiveTablesArgs): ArchiveTable[] {
    const root = `s3://${bucketName}/${s3ClusterPrefix(clusterName)}/`;
    return TABLES.map((table) => ({
        name: table.name,
        description: table.description,
        partitionKeys: table.partitions.map((name) => ({ name, type: "string", comment: ARCHIVE_PARTITIONS.find((p) => p.name === name)!.comment })),
        parameters: {
            EXTERNAL: "TRUE",
            classification: "json",
            compressionType: ARCHIVE_COMPRESSION,
            "projection.enabled": "true",
            ...Object.fromEntries(table.partitions.flatMap((name) => Object.entries(projectionOf(name, retentionDays)))),
            "storage.location.template": `${root}${table.partitions.map((name) => `${name}=\${${name}}`).join("/")}/`,
            // Objects in Glacier Flexible Retrieval are skipped, except those an operator has restored.
            read_restored_glacier_objects: "true",
        },
        storageDescriptor: {
            location: root,
            inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
            outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
            compressed: true,
            // The Hive JSON SerDe rather than OpenX: Athena documents OpenX as returning non-deterministic results.
            serDeInfo: { serializationLibrary: "org.apache.hive.hcatalog.data.JsonSerDe", parameters: { "serialization.format": "1" } },
            columns: ARCHIVE_RECORD.columns.map((column) => ({ ...column })),
        },
    }));
}
