// The S3 log archive is queryable with no manual step: the Glue tables read exactly what Fluent Bit
// writes (checked on the rendered chart values and tables, not on the shared definitions alone),
// the Athena workgroup encrypts and enforces, and the saved queries name what exists.
import { strict as assert } from "assert";
import { archiveDatabaseName, archiveTables } from "../components/logging/archiveTables";
import { savedQueries } from "../components/logging/savedQueries";
import type { PlannedResource, RenderedStack } from "../tools/harness/render";
import { byUrn, configErrorOf, ofType, oneOfType, parseStackWith, renderNamedStack, renderStackWith, STACKS } from "./support";

const CHART = "kubernetes:helm.sh/v4:Chart";
const TABLE = "aws:glue/catalogTable:CatalogTable";
const DATABASE = "aws:glue/catalogDatabase:CatalogDatabase";
const WORKGROUP = "aws:athena/workgroup:Workgroup";
const NAMED_QUERY = "aws:athena/namedQuery:NamedQuery";
const ACCOUNT = "111122223333";

/**
 * What Fluent Bit's kubernetes filter puts under `kubernetes` (merge_meta in
 * plugins/filter_kubernetes/kube_meta.c of fluent/fluent-bit): the table may declare only these.
 */
const KUBERNETES_FILTER_FIELDS = [
    "pod_name",
    "namespace_name",
    "pod_id",
    "labels",
    "annotations",
    "owner_references",
    "host",
    "pod_ip",
    "container_name",
    "docker_id",
    "container_hash",
    "container_image",
];

/** strftime fields Fluent Bit's key format may use for the hour partition, and their java.time equivalents (test-local, independent of layout.ts). */
const STRFTIME_TO_JAVA: Record<string, string> = { "%Y": "yyyy", "%m": "MM", "%d": "dd", "%H": "HH" };

/** Formats a UTC time with a strftime pattern, as Fluent Bit's gmtime + strftime does for these fields. */
function strftime(pattern: string, time: Date): string {
    const fields: Record<string, string> = {
        "%Y": String(time.getUTCFullYear()),
        "%m": String(time.getUTCMonth() + 1).padStart(2, "0"),
        "%d": String(time.getUTCDate()).padStart(2, "0"),
        "%H": String(time.getUTCHours()).padStart(2, "0"),
    };
    return pattern.replace(/%[A-Za-z]/g, (field) => fields[field] ?? assert.fail(`unexpected strftime field ${field}`));
}

/** Formats a UTC time with a java.time pattern of the letters yyyy, MM, dd, HH, as Athena's date projection does. */
function javaFormat(pattern: string, time: Date): string {
    const letters: Record<string, string> = {
        yyyy: String(time.getUTCFullYear()),
        MM: String(time.getUTCMonth() + 1).padStart(2, "0"),
        dd: String(time.getUTCDate()).padStart(2, "0"),
        HH: String(time.getUTCHours()).padStart(2, "0"),
    };
    return pattern.replace(/yyyy|MM|dd|HH|[A-Za-z]/g, (token) => letters[token] ?? assert.fail(`unexpected pattern letter ${token}`));
}

type ChartValues = {
    s3: Record<string, string | boolean | undefined>;
    input: { multilineParser: string };
    filter: { enabled: boolean };
    additionalFilters: string;
};

/** The archive as Fluent Bit writes it, read from the rendered chart values. */
function fluentBitArchive(rendered: RenderedStack) {
    const values = oneOfType(rendered.resources, CHART, "fluent-bit").props.values as ChartValues;
    const keyFormat = String(values.s3.s3KeyFormat);
    const segments = keyFormat.replace(/^\//, "").split("/");
    const objectName = segments.pop()!;
    const dynamic = segments.findIndex((segment) => /[%$]/.test(segment));
    const rewrite = /Rule\s+\$kubernetes\['(\w+)'\]\s+\S+\s+(\w+)\.\$1\s+true/.exec(values.additionalFilters);
    return {
        values,
        bucket: String(values.s3.bucket),
        staticPrefix: segments.slice(0, dynamic).join("/"),
        partitions: segments.slice(dynamic).map((segment) => {
            const [name, value] = segment.split("=");
            return { name, value };
        }),
        objectName,
        /** The record field the rewrite_tag filter puts in tag part 1, and the tag prefix (part 0) the s3 output matches. */
        tagPartOne: rewrite?.[1],
        tagPrefix: rewrite?.[2],
    };
}

function archiveStacks(): string[] {
    return STACKS.filter((stack) => parseStackWith(stack).logging.s3.enabled);
}

describe("Log archive: which stacks query it", () => {
    it("the shipped stacks with the S3 archive include staging and prod", () => {
        assert.deepEqual(archiveStacks(), ["prod", "staging"]);
    });

    for (const stack of STACKS.filter((s) => !archiveStacks().includes(s))) {
        it(`${stack}: no archive, so no Glue, Athena or reader policy`, async () => {
            const { resources } = await renderNamedStack(stack);
            for (const type of [DATABASE, TABLE, WORKGROUP, NAMED_QUERY, "eksplatform:logging:LogArchiveQueries"]) {
                assert.equal(ofType(resources, type).length, 0, type);
            }
        });
    }
});

describe("Log archive: the Glue tables read what Fluent Bit writes", () => {
    for (const stack of archiveStacks()) {
        describe(stack, () => {
            it("every table's location and partitions follow the key layout, in order", async () => {
                const rendered = await renderNamedStack(stack);
                const archive = fluentBitArchive(rendered);
                const tables = ofType(rendered.resources, TABLE);
                assert.equal(tables.length, 2);
                const root = `s3://${archive.bucket}/${archive.staticPrefix}/`;
                for (const table of tables) {
                    const storage = table.props.storageDescriptor as { location: string };
                    const parameters = table.props.parameters as Record<string, string>;
                    assert.equal(storage.location, root, `${String(table.props.name)}: location`);
                    const template = parameters["storage.location.template"];
                    assert.ok(template.startsWith(root), template);
                    const templated = template.slice(root.length).replace(/\/$/, "").split("/");
                    const keys = (table.props.partitionKeys as { name: string; type: string }[]).map((key) => key.name);
                    assert.ok(keys.length > 0);
                    // The template is a prefix of every key: each partition where the key has it.
                    assert.deepEqual(
                        templated,
                        keys.map((key) => `${key}=\${${key}}`),
                    );
                    assert.deepEqual(
                        keys,
                        archive.partitions.slice(0, keys.length).map((p) => p.name),
                        `${String(table.props.name)}: partitions in key order`,
                    );
                    assert.equal(parameters["projection.enabled"], "true");
                }
                // One table reads every partition, so every segment of the key is queryable by name.
                const widest = Math.max(...tables.map((t) => (t.props.partitionKeys as unknown[]).length));
                assert.equal(widest, archive.partitions.length);
            });

            it("projects the hour partition with the date format Fluent Bit's strftime writes, over the archive's lifetime", async () => {
                const rendered = await renderNamedStack(stack);
                const archive = fluentBitArchive(rendered);
                const timeSegments = archive.partitions.filter((p) => p.value.includes("%"));
                assert.equal(timeSegments.length, 1, "one time partition");
                const [hour] = timeSegments;
                for (const table of ofType(rendered.resources, TABLE)) {
                    const parameters = table.props.parameters as Record<string, string>;
                    const at = (key: string) => parameters[`projection.${hour.name}.${key}`];
                    assert.equal(at("type"), "date");
                    const javaPattern = hour.value.replace(/%[A-Za-z]/g, (field) => STRFTIME_TO_JAVA[field] ?? assert.fail(field));
                    assert.equal(at("format"), javaPattern);
                    for (const time of [new Date(Date.UTC(2026, 0, 1, 0)), new Date(Date.UTC(2026, 11, 31, 23)), new Date(Date.UTC(2027, 5, 9, 7))]) {
                        assert.equal(javaFormat(at("format"), time), strftime(hour.value, time), time.toISOString());
                    }
                    // The finest field written is the hour: one partition per hour.
                    assert.equal(at("interval"), "1");
                    assert.equal(at("interval.unit"), "HOURS");
                    assert.equal(at("range"), `NOW-${rendered.program.config.logging.s3.expirationDays}DAYS,NOW`);
                }
            });

            it("projects the namespace from the tag part the rewrite_tag filter fills with the pod's namespace", async () => {
                const rendered = await renderNamedStack(stack);
                const archive = fluentBitArchive(rendered);
                const namespace = archive.partitions.find((p) => p.name === "namespace")!;
                assert.equal(namespace.value, "$TAG[1]");
                assert.equal(archive.tagPartOne, "namespace_name");
                assert.equal(archive.values.s3.match, `${archive.tagPrefix}.*`);
                const table = ofType(rendered.resources, TABLE).find((t) => (t.props.partitionKeys as { name: string }[]).some((k) => k.name === "namespace"));
                assert.ok(table, "a table partitioned by namespace");
                assert.equal((table.props.parameters as Record<string, string>)["projection.namespace.type"], "injected");
            });

            it("reads gzip-compressed JSON lines, as the s3 output writes them", async () => {
                const rendered = await renderNamedStack(stack);
                const archive = fluentBitArchive(rendered);
                assert.equal(archive.values.s3.compression, "gzip");
                // Athena picks the codec by the object's extension.
                assert.match(archive.objectName, /\.gz$/);
                // log_key would write the bare log field instead of a JSON record.
                assert.equal(archive.values.s3.logKey, undefined);
                for (const table of ofType(rendered.resources, TABLE)) {
                    const storage = table.props.storageDescriptor as {
                        compressed: boolean;
                        inputFormat: string;
                        serDeInfo: { serializationLibrary: string };
                    };
                    assert.equal((table.props.parameters as Record<string, string>).compressionType, archive.values.s3.compression);
                    assert.equal(storage.compressed, true);
                    assert.equal(storage.inputFormat, "org.apache.hadoop.mapred.TextInputFormat");
                    assert.equal(storage.serDeInfo.serializationLibrary, "org.apache.hive.hcatalog.data.JsonSerDe");
                }
            });

            it("declares the fields the records carry: the time key in ISO 8601, the runtime's line, the kubernetes filter's metadata", async () => {
                const rendered = await renderNamedStack(stack);
                const { values } = fluentBitArchive(rendered);
                assert.equal(values.s3.jsonDateFormat, "iso8601");
                assert.match(values.input.multilineParser, /\bcri\b/);
                assert.equal(values.filter.enabled, true);
                for (const table of ofType(rendered.resources, TABLE)) {
                    const columns = (table.props.storageDescriptor as { columns: { name: string; type: string }[] }).columns;
                    const typeOf = (name: string) => columns.find((c) => c.name === name)?.type;
                    assert.equal(typeOf(String(values.s3.jsonDateKey)), "string", "the record time (json_date_key)");
                    assert.equal(typeOf("log"), "string");
                    assert.equal(typeOf("stream"), "string");
                    const struct = /^struct<(.*)>$/.exec(typeOf("kubernetes") ?? "");
                    assert.ok(struct, "kubernetes is a struct");
                    const fields = struct[1].split(/,(?![^<]*>)/).map((field) => field.split(":")[0]);
                    assert.ok(fields.includes("namespace_name") && fields.includes("pod_name"), fields.join(","));
                    for (const field of fields) {
                        assert.ok(KUBERNETES_FILTER_FIELDS.includes(field), `the kubernetes filter writes no ${field}`);
                    }
                }
            });

            it("saved queries read back far enough for the upload timeout, with the key's hour format", async () => {
                const rendered = await renderNamedStack(stack);
                const archive = fluentBitArchive(rendered);
                const timeoutMinutes = Number(/^(\d+)m$/.exec(String(archive.values.s3.uploadTimeout))?.[1]);
                assert.ok(timeoutMinutes > 0);
                const hour = archive.partitions.find((p) => p.value.includes("%"))!;
                const queries = ofType(rendered.resources, NAMED_QUERY);
                assert.equal(queries.length, 3);
                for (const query of queries) {
                    const text = String(query.props.query);
                    const window = /INTERVAL '(\d+)' HOUR/.exec(text);
                    const bound = new RegExp(`${hour.name} >= date_format\\(.* - INTERVAL '(\\d+)' MINUTE, '([^']+)'\\)`).exec(text);
                    assert.ok(window && bound, `${String(query.props.name)} filters on time and on ${hour.name}`);
                    assert.equal(Number(bound[1]), Number(window[1]) * 60 + timeoutMinutes, String(query.props.name));
                    assert.equal(bound[2], hour.value, "Athena's date_format takes the key's %Y-%m-%d-%H");
                    assert.match(text, new RegExp(`from_iso8601_timestamp\\(${String(archive.values.s3.jsonDateKey)}\\)`));
                }
            });
        });
    }
});

/** Everything registered under the archive's query component. */
function queryResources(resources: PlannedResource[]): PlannedResource[] {
    const root = oneOfType(resources, "eksplatform:logging:LogArchiveQueries").urn;
    return resources.filter((r) => r.parent === root);
}

describe("Log archive: database, workgroup and saved queries", () => {
    for (const stack of archiveStacks()) {
        describe(stack, () => {
            it("creates the database and tables in the cluster's own Glue database", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const mine = queryResources(resources);
                const database = oneOfType(mine, DATABASE);
                const name = archiveDatabaseName(program.config.clusterName);
                assert.equal(database.props.name, name);
                assert.match(name, /^[a-z0-9_]+$/);
                const tables = ofType(mine, TABLE);
                assert.deepEqual(tables.map((t) => t.props.name).sort(), ["container_logs", "container_logs_by_namespace"]);
                for (const table of tables) {
                    assert.equal(table.props.databaseName, name);
                    assert.equal(table.props.tableType, "EXTERNAL_TABLE");
                    assert.ok(table.dependsOn.includes(database.urn), "the table waits for its database");
                }
            });

            it("runs queries in a workgroup that encrypts results with the platform key, enforces that and caps each query's scan", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const { clusterName } = program.config;
                const workgroup = oneOfType(queryResources(resources), WORKGROUP);
                assert.equal(workgroup.props.name, `${clusterName}-logs`);
                const configuration = workgroup.props.configuration as Record<string, any>;
                assert.equal(configuration.enforceWorkgroupConfiguration, true);
                assert.equal(configuration.bytesScannedCutoffPerQuery, program.config.logging.s3.athena.bytesScannedCutoffPerQueryGiB * 1024 ** 3);
                assert.equal(configuration.engineVersion.selectedEngineVersion, "Athena engine version 3");
                const results = configuration.resultConfiguration;
                assert.equal(results.outputLocation, `s3://${clusterName}-logs-${ACCOUNT}/athena-results/${clusterName}/`);
                assert.equal(results.encryptionConfiguration.encryptionOption, "SSE_KMS");
                const key = oneOfType(resources, "aws:kms/key:Key");
                assert.equal(results.encryptionConfiguration.kmsKeyArn, `arn:aws:kms:${program.config.region}:${ACCOUNT}:key/${key.id}`);
                assert.equal(results.expectedBucketOwner, ACCOUNT);
                // Results only once the bucket is private and encrypting.
                const byUrnMap = byUrn(resources);
                const waitsFor = workgroup.dependsOn.map((urn) => byUrnMap.get(urn)?.type);
                for (const type of [
                    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                    "aws:s3/bucketPolicy:BucketPolicy",
                ]) {
                    assert.ok(waitsFor.includes(type), `the workgroup does not wait for ${type}`);
                }
            });

            it("expires query results under their own prefix, outside the tables' location", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const lifecycle = oneOfType(resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "-archive");
                const rules = lifecycle.props.rules as { id: string; filter: { prefix?: string }; expiration?: { days?: number } }[];
                const results = rules.find((rule) => rule.id === "expire-query-results");
                assert.deepEqual(results?.filter, { prefix: "athena-results/" });
                assert.equal(results?.expiration?.days, program.config.logging.s3.athena.resultsExpirationDays);
                const tiering = rules.find((rule) => rule.id === "tier-then-expire-logs");
                assert.ok(!"athena-results/".startsWith(String(tiering?.filter.prefix)), "results are not tiered as logs");
                for (const table of ofType(resources, TABLE)) {
                    assert.ok(!String((table.props.storageDescriptor as { location: string }).location).includes("athena-results"));
                }
            });

            it("saves the three queries in the workgroup, against tables and columns that exist", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const mine = queryResources(resources);
                const database = archiveDatabaseName(program.config.clusterName);
                const queries = ofType(mine, NAMED_QUERY);
                assert.deepEqual(queries.map((q) => q.props.name).sort(), [
                    "Errors per namespace, last hour",
                    "Log stream of a pod, last 24 hours",
                    "Top talkers by volume, last 24 hours",
                ]);
                const tables = new Map(
                    ofType(mine, TABLE).map((t) => [
                        String(t.props.name),
                        [
                            ...(t.props.storageDescriptor as { columns: { name: string; type: string }[] }).columns,
                            ...(t.props.partitionKeys as { name: string; type: string }[]),
                        ],
                    ]),
                );
                for (const query of queries) {
                    const text = String(query.props.query);
                    assert.equal(query.props.database, database);
                    assert.equal(query.props.workgroup, `${program.config.clusterName}-logs`);
                    const from = /FROM "([^"]+)"\."([^"]+)"/.exec(text);
                    assert.ok(from && from[1] === database && tables.has(from[2]), `${String(query.props.name)}: FROM ${from?.[0]}`);
                    const columns = tables.get(from[2])!;
                    const struct = columns.find((c) => c.name === "kubernetes")!.type;
                    for (const [, field] of text.matchAll(/kubernetes\.(\w+)/g)) {
                        assert.ok(struct.includes(`${field}:`), `${String(query.props.name)}: kubernetes.${field}`);
                    }
                    assert.ok(text.includes("datehour >="), `${String(query.props.name)} reads only the partitions of its window`);
                    assert.ok(String(query.props.description).length <= 1024);
                    assert.ok(String(query.props.name).length <= 128);
                }
                const stream = queries.find((q) => String(q.props.name).startsWith("Log stream"))!;
                assert.equal((String(stream.props.query).match(/\?/g) ?? []).length, 2, "namespace and pod name are the parameters");
                assert.match(String(stream.props.query), /FROM "[^"]+"\."container_logs_by_namespace"\nWHERE namespace = \?/);
            });

            it("publishes a reader policy and where to query", async () => {
                const rendered = await renderNamedStack(stack);
                const { clusterName } = rendered.program.config;
                const reader = oneOfType(queryResources(rendered.resources), "aws:iam/policy:Policy");
                assert.equal(reader.props.name, `${clusterName}-log-archive-reader`);
                const { stackOutputs } = await import("../components/program");
                const outputs = stackOutputs(rendered.program);
                assert.equal(outputs.logArchiveQueries?.database, archiveDatabaseName(clusterName));
                assert.equal(outputs.logArchiveQueries?.workgroup, `${clusterName}-logs`);
            });
        });
    }
});

describe("Log archive: settings", () => {
    it("takes the scan limit and results expiry from the stack", async () => {
        const { resources } = await renderStackWith("staging", {
            "eks-platform:logging": { s3: { athena: { bytesScannedCutoffPerQueryGiB: 50, resultsExpirationDays: 7 } } },
        });
        const configuration = oneOfType(resources, WORKGROUP).props.configuration as { bytesScannedCutoffPerQuery: number };
        assert.equal(configuration.bytesScannedCutoffPerQuery, 50 * 1024 ** 3);
        const rules = oneOfType(resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "-archive").props.rules as {
            id: string;
            expiration?: { days?: number };
        }[];
        assert.equal(rules.find((rule) => rule.id === "expire-query-results")?.expiration?.days, 7);
    });

    it("rejects a scan limit below Athena's minimum or a results expiry of zero", async () => {
        const message = await configErrorOf("staging", {
            "eks-platform:logging": { s3: { athena: { bytesScannedCutoffPerQueryGiB: 0, resultsExpirationDays: 0 } } },
        });
        assert.match(message, /logging\.s3\.athena\.bytesScannedCutoffPerQueryGiB = 0: /);
        assert.match(message, /logging\.s3\.athena\.resultsExpirationDays = 0: /);
    });
});

describe("Log archive: definitions for any cluster", () => {
    it("names the Glue database in Glue's character set whatever the cluster name", () => {
        assert.equal(archiveDatabaseName("Team_Alpha-prod"), "team_alpha_prod_logs");
    });

    it("looks no further back than the archive keeps objects", () => {
        for (const table of archiveTables({ bucketName: "b", clusterName: "c", retentionDays: 400 })) {
            assert.equal(table.parameters["projection.datehour.range"], "NOW-400DAYS,NOW");
        }
    });

    it("qualifies every saved query's table with its database", () => {
        for (const query of savedQueries("team_alpha_prod_logs")) {
            assert.match(query.query, /FROM "team_alpha_prod_logs"\."container_logs(_by_namespace)?"/);
        }
    });
});
