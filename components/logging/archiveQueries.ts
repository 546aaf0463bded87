import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "../capability";
import { SERVICE_VERSIONS } from "../versions";
import { archiveReaderPolicy } from "./archiveReaderPolicy";
import { archiveDatabaseName, archiveTables } from "./archiveTables";
import { archiveQueryNames, athenaResultsPrefix, s3ClusterPrefix } from "./layout";
import type { LogBucket } from "./logBucket";
import { savedQueries } from "./savedQueries";
import type { LoggingSettings } from "./settings";

export interface LogArchiveQueriesArgs {
    /** The platform: the cluster's name, the account and region ARNs are built from, the key that encrypts results. */
    context: PlatformContext;
    /** The archive bucket; the workgroup writes results only once it is locked down and encrypting. */
    bucket: LogBucket;
    bucketName: string;
    /** The archive's settings: its expiry bounds the tables' date projection; `athena` sizes the workgroup. */
    settings: LoggingSettings["s3"];
}

const GIB = 1024 ** 3;

/**
 * The log archive, queryable from the moment it exists: a Glue database with tables whose
 * partitions Athena projects from the key layout Fluent Bit writes (nothing to crawl or repair), an
 * Athena workgroup that encrypts results with the platform key and does not let clients override
 * that or its per-query scan limit, the queries a platform team runs first, and a managed policy
 * that grants exactly what querying takes, to attach to the roles of the people who query.
 */
export class LogArchiveQueries extends pulumi.ComponentResource {
    readonly databaseName: string;
    readonly workgroupName: string;
    readonly readerPolicyArn: pulumi.Output<string>;

    constructor(name: string, args: LogArchiveQueriesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:logging:LogArchiveQueries", name, {}, opts);
        const { context, bucket, bucketName, settings } = args;
        const { clusterName, scope } = context;
        this.databaseName = archiveDatabaseName(clusterName);
        this.workgroupName = archiveQueryNames(clusterName).workgroup;
        const resultsPrefix = athenaResultsPrefix(clusterName);

        const database = new aws.glue.CatalogDatabase(
            name,
            { name: this.databaseName, description: `Container logs of EKS cluster ${clusterName}, archived in s3://${bucketName}/` },
            { parent: this },
        );
        const definitions = archiveTables({ bucketName, clusterName, retentionDays: settings.expirationDays });
        const tables = definitions.map(
            (table) =>
                new aws.glue.CatalogTable(
                    `${name}-${table.name}`,
                    {
                        databaseName: database.name,
                        name: table.name,
                        // Athena's SHOW CREATE TABLE and ALTER TABLE need the type.
                        tableType: "EXTERNAL_TABLE",
                        description: table.description,
                        parameters: table.parameters,
                        partitionKeys: table.partitionKeys,
                        storageDescriptor: table.storageDescriptor,
                    },
                    { parent: this },
                ),
        );

        const workgroup = new aws.athena.Workgroup(
            name,
            {
                name: this.workgroupName,
                description: `Queries of the ${clusterName} log archive; results encrypted with the platform key, expire after ${settings.athena.resultsExpirationDays} days`,
                state: "ENABLED",
                // The workgroup holds query history only: results live in the bucket under its lifecycle.
                // Without this, a workgroup that ever ran a query could not be deleted with the stack.
                forceDestroy: true,
                configuration: {
                    // Clients cannot turn off result encryption, change the result location or lift the scan limit.
                    enforceWorkgroupConfiguration: true,
                    publishCloudwatchMetricsEnabled: true,
                    bytesScannedCutoffPerQuery: settings.athena.bytesScannedCutoffPerQueryGiB * GIB,
                    requesterPaysEnabled: false,
                    engineVersion: { selectedEngineVersion: SERVICE_VERSIONS.athenaEngine.version },
                    resultConfiguration: {
                        outputLocation: `s3://${bucketName}/${resultsPrefix}/`,
                        encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: context.key.arn },
                        expectedBucketOwner: scope.accountId,
                    },
                },
            },
            { parent: this, dependsOn: bucket.ready },
        );

        for (const query of savedQueries(this.databaseName)) {
            new aws.athena.NamedQuery(
                `${name}-${query.key}`,
                { name: query.name, description: query.description, query: query.query, database: database.name, workgroup: workgroup.name },
                { parent: this, dependsOn: tables },
            );
        }

        const reader = new aws.iam.Policy(
            `${name}-reader`,
            {
                name: archiveQueryNames(clusterName).readerPolicy,
                description: `Query the ${clusterName} log archive with Athena (workgroup ${this.workgroupName}), read-only`,
                policy: pulumi.all([bucket.arn, context.key.arn]).apply(([bucketArn, kmsKeyArn]) =>
                    JSON.stringify(
                        archiveReaderPolicy({
                            scope,
                            workgroupName: this.workgroupName,
                            databaseName: this.databaseName,
                            tableNames: definitions.map((table) => table.name),
                            bucketArn,
                            archivePrefix: s3ClusterPrefix(clusterName),
                            resultsPrefix,
                            kmsKeyArn,
                        }),
                    ),
                ),
            },
            { parent: this },
        );
        this.readerPolicyArn = reader.arn;

        this.registerOutputs({ databaseName: this.databaseName, workgroupName: this.workgroupName, readerPolicyArn: this.readerPolicyArn });
    }
}
