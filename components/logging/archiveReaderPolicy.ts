import type { AwsScope } from "../capability";
import type { PolicyDocument } from "../iam/policyDocument";

export interface ArchiveReaderPolicyArgs {
    scope: AwsScope;
    workgroupName: string;
    databaseName: string;
    tableNames: string[];
    bucketArn: string;
    /** Prefix of the cluster's logs, without leading or trailing "/". */
    archivePrefix: string;
    /** Prefix of the workgroup's query results, without leading or trailing "/". */
    resultsPrefix: string;
    /** The platform key: the bucket's default encryption and the workgroup's result encryption. */
    kmsKeyArn: string;
}

/**
 * Read-only access to the log archive through its Athena workgroup, for the people and tools that
 * query it: run and read queries in that workgroup only (whose settings they cannot override),
 * read the archive's tables in the Glue catalog, read the cluster's log objects, write and read
 * query results under the workgroup's prefix, and use the platform key only through S3 for that
 * bucket. Athena reads S3 and the catalog with the caller's own credentials, so these are all a
 * caller needs; nothing here writes logs, changes a table or reaches another bucket.
 */
export function archiveReaderPolicy(args: ArchiveReaderPolicyArgs): PolicyDocument {
    const { partition, region, accountId } = args.scope;
    const { bucketArn, archivePrefix, resultsPrefix } = args;
    const glue = (resource: string) => `arn:${partition}:glue:${region}:${accountId}:${resource}`;
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "QueryInLogWorkgroup",
                Effect: "Allow",
                Action: [
                    "athena:StartQueryExecution",
                    "athena:StopQueryExecution",
                    "athena:GetQueryExecution",
                    "athena:BatchGetQueryExecution",
                    "athena:ListQueryExecutions",
                    "athena:GetQueryResults",
                    "athena:GetQueryRuntimeStatistics",
                    "athena:GetWorkGroup",
                    "athena:GetNamedQuery",
                    "athena:BatchGetNamedQuery",
                    "athena:ListNamedQueries",
                ],
                Resource: `arn:${partition}:athena:${region}:${accountId}:workgroup/${args.workgroupName}`,
            },
            {
                // The console lists these before a workgroup is chosen; none has a resource type.
                Sid: "FindLogWorkgroup",
                Effect: "Allow",
                Action: ["athena:ListWorkGroups", "athena:ListEngineVersions", "athena:ListDataCatalogs"],
                Resource: "*",
            },
            {
                Sid: "BrowseGlueCatalogInAthena",
                Effect: "Allow",
                Action: ["athena:GetDataCatalog", "athena:ListDatabases", "athena:GetDatabase", "athena:ListTableMetadata", "athena:GetTableMetadata"],
                Resource: `arn:${partition}:athena:${region}:${accountId}:datacatalog/AwsDataCatalog`,
            },
            {
                Sid: "ReadLogTables",
                Effect: "Allow",
                Action: ["glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables"],
                Resource: [
                    glue("catalog"),
                    glue(`database/${args.databaseName}`),
                    ...args.tableNames.map((table) => glue(`table/${args.databaseName}/${table}`)),
                ],
            },
            {
                Sid: "LocateLogBucket",
                Effect: "Allow",
                Action: "s3:GetBucketLocation",
                Resource: bucketArn,
            },
            {
                Sid: "ListLogsAndResults",
                Effect: "Allow",
                Action: "s3:ListBucket",
                Resource: bucketArn,
                Condition: { StringLike: { "s3:prefix": [`${archivePrefix}/*`, `${resultsPrefix}/*`] } },
            },
            {
                Sid: "ReadClusterLogs",
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: `${bucketArn}/${archivePrefix}/*`,
            },
            {
                Sid: "WriteAndReadQueryResults",
                Effect: "Allow",
                Action: ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                Resource: `${bucketArn}/${resultsPrefix}/*`,
            },
            {
                Sid: "UsePlatformKeyThroughS3",
                Effect: "Allow",
                // Decrypt to read logs and results; GenerateDataKey to write results (SSE-KMS).
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: args.kmsKeyArn,
                Condition: {
                    StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` },
                    // With an S3 Bucket Key the encryption context is the bucket ARN; without one, the object ARN.
                    ArnLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, `${bucketArn}/${archivePrefix}/*`, `${bucketArn}/${resultsPrefix}/*`] },
                },
            },
        ],
    };
}
