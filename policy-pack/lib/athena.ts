// What the Athena rules read from a workgroup or database: where query results go and how they are
// encrypted. Inputs are read as the AWS provider takes them (aws.athena.Workgroup configuration,
// aws.athena.Database encryptionConfiguration).

export const ATHENA_WORKGROUP = "aws:athena/workgroup:Workgroup";
export const ATHENA_DATABASE = "aws:athena/database:Database";

function record(value: unknown): Record<string, unknown> | undefined {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | undefined {
    return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** The workgroup's configuration block, if set. */
export function workgroupConfiguration(props: Record<string, unknown>): Record<string, unknown> | undefined {
    return record(props.configuration);
}

/** How results are encrypted: the option (SSE_S3, SSE_KMS, CSE_KMS) and key, or that nothing says. */
export interface ResultsEncryption {
    /** Where the results go: an S3 location of the account, or Athena-owned storage. */
    storage: "s3" | "managed";
    option?: string;
    kmsKey?: string;
}

/** The encryption of a workgroup's results, from its managed-results or S3 result configuration. */
export function workgroupResultsEncryption(props: Record<string, unknown>): ResultsEncryption {
    const configuration = workgroupConfiguration(props);
    const managed = record(configuration?.managedQueryResultsConfiguration);
    if (managed?.enabled === true || managed?.enabled === "true") {
        // Athena-owned storage is always encrypted; with a key, by that key.
        const kmsKey = text(record(managed.encryptionConfiguration)?.kmsKey);
        return { storage: "managed", option: kmsKey ? "SSE_KMS" : "SSE_S3", kmsKey };
    }
    const encryption = record(record(configuration?.resultConfiguration)?.encryptionConfiguration);
    return { storage: "s3", option: text(encryption?.encryptionOption), kmsKey: text(encryption?.kmsKeyArn) };
}

/** The encryption of an Athena database's query results (aws.athena.Database). */
export function databaseResultsEncryption(props: Record<string, unknown>): ResultsEncryption {
    const encryption = record(props.encryptionConfiguration);
    return { storage: "s3", option: text(encryption?.encryptionOption), kmsKey: text(encryption?.kmsKey) };
}

/** The S3 location a workgroup writes results to, when it sets one. */
export function workgroupOutputLocation(props: Record<string, unknown>): string | undefined {
    return text(record(workgroupConfiguration(props)?.resultConfiguration)?.outputLocation);
}

/** The bucket of an `s3://bucket/prefix` location. */
export function bucketOfLocation(location: string): string | undefined {
    return /^s3a?:\/\/([^/]+)/.exec(location)?.[1];
}
