// S3 buckets. Since AWS provider 4 a bucket's settings are separate resources (public access block,
// encryption, versioning, logging, lifecycle, policy) that name the bucket; the stack rules link them
// to their bucket by its ID or its name, and judge a bucket that lacks one by AWS's default.
import { isAllow, principalsOf, statementLabel, statementsOf, type PolicyStatement } from "../../lib/iam";
import { resourceGuardrail, stackGuardrail, type ResourceView, type StackView } from "../../lib/policy";
import { resourcesOfType } from "../../lib/stack";
import { UnknownValueError, decideEach, readKnown } from "../../lib/unknown";
import { asArray, field, isTrue, listAt, stringAt } from "../../lib/values";

/** Both spellings of each type: AWS provider 7 keeps the `V2` names as aliases. */
const types = (name: string) => [`aws:s3/${name[0].toLowerCase()}${name.slice(1)}:${name}`, `aws:s3/${name[0].toLowerCase()}${name.slice(1)}V2:${name}V2`];
export const BUCKET_TYPES = types("Bucket");
const PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const ENCRYPTION_TYPES = types("BucketServerSideEncryptionConfiguration");
const VERSIONING_TYPES = types("BucketVersioning");
const LOGGING_TYPES = types("BucketLogging");
export const LIFECYCLE_TYPES = types("BucketLifecycleConfiguration");
const ACL_TYPES = types("BucketAcl");
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

/** The tag that exempts a bucket from server access logging, with the reason as its value. */
export const ACCESS_LOGS_EXEMPT_TAG = "eks-platform:access-logs-exempt";
/**
 * The tag by which a bucket states why it keeps S3-managed keys (SSE-S3), the reason as its value: S3
 * delivers server access logs only to buckets whose default encryption is SSE-S3.
 */
export const CUSTOMER_KEY_EXEMPT_TAG = "eks-platform:customer-key-exempt";

/** A bucket's exemption tag, when it is set with a reason. */
function exemption(bucket: ResourceView, tag: string): string | undefined {
    const reason = field(bucket.props, "tags", tag);
    return typeof reason === "string" && reason.trim().length > 0 ? reason : undefined;
}

/**
 * The stack's settings resources of one kind that name this bucket, by ID or name. At preview a new
 * bucket's ID, and so the `bucket` of its settings, is unknown: a bucket that then links to nothing
 * is undecided (the read that kept it so is thrown), never judged as lacking the setting.
 */
export function settingsOf(bucket: ResourceView, stack: StackView, settingTypes: readonly string[]): ResourceView[] {
    const names = [bucket.id, readKnown(() => bucket.props.bucket as unknown)].filter((name): name is string => typeof name === "string");
    const candidates = resourcesOfType(stack, ...settingTypes);
    const linked = candidates.filter((setting) => {
        const target = readKnown(() => setting.props.bucket as unknown);
        return typeof target === "string" && names.includes(target);
    });
    if (linked.length === 0) {
        const unresolved = candidates.find((setting) => readKnown(() => setting.props.bucket as unknown) === undefined);
        if (unresolved) {
            throw new UnknownValueError(`${unresolved.urn} bucket`);
        }
    }
    return linked;
}

/** Runs `check` for each bucket of the stack with its settings of one kind. */
function forEachBucket(stack: StackView, settingTypes: string[], check: (bucket: ResourceView, settings: ResourceView[]) => void): void {
    decideEach(resourcesOfType(stack, ...BUCKET_TYPES), (bucket) => check(bucket, settingsOf(bucket, stack, settingTypes)));
}

export const BLOCK_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

export const s3PublicAccessBlocked = stackGuardrail({
    name: "s3-public-access-blocked",
    description:
        "Every bucket has a public access block with all four settings on (block and ignore public ACLs, block public policies, restrict public buckets).",
    enforcementLevel: "mandatory",
    controls: [
        "CKV_AWS_53",
        "CKV_AWS_54",
        "CKV_AWS_55",
        "CKV_AWS_56",
        "CKV2_AWS_6",
        "AVD-AWS-0086",
        "AVD-AWS-0087",
        "AVD-AWS-0091",
        "AVD-AWS-0093",
        "AVD-AWS-0094",
    ],
    remediation:
        "Add aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
    validate: (stack, _config, report) => {
        decideEach(resourcesOfType(stack, PUBLIC_ACCESS_BLOCK), (block) => {
            const off = BLOCK_FLAGS.filter((flag) => !isTrue(block.props[flag]));
            if (off.length > 0) {
                report(`The public access block leaves ${off.join(", ")} off.`, block.urn);
            }
        });
        forEachBucket(stack, [PUBLIC_ACCESS_BLOCK], (bucket, blocks) => {
            if (blocks.length === 0) {
                report(`Bucket "${bucket.name}" has no public access block.`, bucket.urn);
            }
        });
    },
});

/** A server-side encryption rule that uses a KMS key the account manages (not the aws/s3 key). */
function usesCustomerKey(rule: unknown): boolean {
    const algorithm = stringAt(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm");
    const key = stringAt(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId");
    return (algorithm === "aws:kms" || algorithm === "aws:kms:dsse") && typeof key === "string" && key.length > 0 && !key.endsWith("alias/aws/s3");
}

export const s3BucketEncryptedWithCustomerKey = stackGuardrail({
    name: "s3-bucket-encrypted-with-customer-key",
    description:
        "Every bucket encrypts new objects with a customer-managed KMS key (S3's default, SSE-S3, gives no control over who may decrypt), " +
        `or states with the tag ${CUSTOMER_KEY_EXEMPT_TAG} why it keeps SSE-S3.`,
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_145", "AVD-AWS-0132"],
    remediation:
        'Add aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms", kmsMasterKeyId set to a customer key, and bucketKeyEnabled: true. ' +
        `A bucket that receives S3 server access logs, which S3 delivers only with SSE-S3, keeps "AES256" and is tagged ${CUSTOMER_KEY_EXEMPT_TAG}: <reason>.`,
    validate: (stack, _config, report) =>
        forEachBucket(stack, ENCRYPTION_TYPES, (bucket, configurations) => {
            if (exemption(bucket, CUSTOMER_KEY_EXEMPT_TAG)) {
                return;
            }
            if (configurations.length === 0) {
                report(`Bucket "${bucket.name}" has no encryption configuration: S3 encrypts with its own keys (SSE-S3).`, bucket.urn);
            }
            decideEach(configurations, (configuration) => {
                if (!listAt(configuration.props, "rules").some(usesCustomerKey)) {
                    report(`Bucket "${bucket.name}" is not encrypted with a customer-managed KMS key.`, configuration.urn);
                }
            });
        }),
});

export const s3BucketVersioned = stackGuardrail({
    name: "s3-bucket-versioned",
    description: "Every bucket keeps object versions, so an overwrite or delete can be undone.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_21", "AVD-AWS-0090"],
    remediation: 'Add aws.s3.BucketVersioning with versioningConfiguration.status "Enabled", and a lifecycle rule that expires noncurrent versions.',
    validate: (stack, _config, report) =>
        forEachBucket(stack, VERSIONING_TYPES, (bucket, versionings) => {
            if (!versionings.some((versioning) => stringAt(versioning.props, "versioningConfiguration", "status") === "Enabled")) {
                report(`Bucket "${bucket.name}" does not keep object versions.`, bucket.urn);
            }
        }),
});

export const s3BucketAccessLogged = stackGuardrail({
    name: "s3-bucket-access-logged",
    description: `Every bucket writes server access logs to another bucket, or states with the tag ${ACCESS_LOGS_EXEMPT_TAG} why it does not.`,
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_18", "AVD-AWS-0089"],
    remediation:
        `Add aws.s3.BucketLogging with targetBucket set to the account's access-log bucket, or tag the bucket ${ACCESS_LOGS_EXEMPT_TAG}: <reason> ` +
        "(e.g. a log archive whose reads CloudTrail data events already record).",
    validate: (stack, _config, report) =>
        forEachBucket(stack, LOGGING_TYPES, (bucket, loggings) => {
            if (loggings.length === 0 && !exemption(bucket, ACCESS_LOGS_EXEMPT_TAG)) {
                report(`Bucket "${bucket.name}" has no access logging and no ${ACCESS_LOGS_EXEMPT_TAG} tag.`, bucket.urn);
            }
        }),
});

export const s3BucketLifecycle = stackGuardrail({
    name: "s3-bucket-lifecycle",
    description: "Every bucket has a lifecycle configuration, and it aborts incomplete multipart uploads (their parts are billed until removed).",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_300", "CKV2_AWS_61"],
    remediation:
        "Add aws.s3.BucketLifecycleConfiguration with the bucket's expiry and tiering, and an Enabled rule with abortIncompleteMultipartUpload.daysAfterInitiation.",
    validate: (stack, _config, report) => {
        decideEach(resourcesOfType(stack, ...LIFECYCLE_TYPES), (lifecycle) => {
            const rules = listAt(lifecycle.props, "rules");
            if (
                !rules.some((rule) => field(rule, "status") === "Enabled" && field(rule, "abortIncompleteMultipartUpload", "daysAfterInitiation") !== undefined)
            ) {
                report("No enabled lifecycle rule aborts incomplete multipart uploads.", lifecycle.urn);
            }
        });
        forEachBucket(stack, LIFECYCLE_TYPES, (bucket, lifecycles) => {
            if (lifecycles.length === 0) {
                report(`Bucket "${bucket.name}" has no lifecycle configuration.`, bucket.urn);
            }
        });
    },
});

/** A statement that refuses every request made without TLS: Deny, any principal, every S3 action, aws:SecureTransport false. */
function deniesInsecureTransport(statement: PolicyStatement): boolean {
    const condition = field(statement.Condition, "Bool", "aws:SecureTransport");
    return (
        statement.Effect === "Deny" &&
        principalsOf(statement).includes("AWS:*") &&
        asArray(statement.Action).some((action) => action === "s3:*" || action === "*") &&
        (condition === "false" || condition === false)
    );
}

export const s3BucketTlsOnly = stackGuardrail({
    name: "s3-bucket-tls-only",
    description: "Every bucket's policy refuses requests made without TLS.",
    enforcementLevel: "mandatory",
    // Checkov files CKV_AWS_379 under aws_s3_bucket_acl, but what it reads is the bucket's policy document.
    controls: ["CKV_AWS_379"],
    remediation:
        'Add aws.s3.BucketPolicy with a statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucket ARN, bucket ARN + "/*"], ' +
        'Condition: { Bool: { "aws:SecureTransport": "false" } } }.',
    validate: (stack, _config, report) =>
        forEachBucket(stack, [BUCKET_POLICY], (bucket, policies) => {
            const statements = policies.flatMap((policy) => statementsOf(policy.props.policy) ?? []);
            if (!statements.some(deniesInsecureTransport)) {
                report(`Bucket "${bucket.name}" accepts requests without TLS: no bucket policy denies aws:SecureTransport false.`, bucket.urn);
            }
        }),
});

/** Actions whose denial to everyone, unconditionally, locks even the account's administrators out of the bucket policy. */
const LOCKOUT_ACTIONS = ["s3:PutBucketPolicy", "s3:*BucketPolicy", "s3:Put*", "s3:*", "*"];

export const s3BucketPolicySafe = resourceGuardrail({
    name: "s3-bucket-policy-safe",
    description:
        "A bucket policy admits no principal (*) without a condition, and never denies everyone the bucket policy itself, which only the root user could then undo.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_70", "CKV_AWS_93"],
    remediation:
        "Name the principals (account roles, service principals with aws:SourceArn) in Allow statements. A Deny to everyone needs a " +
        "condition (e.g. aws:SecureTransport, aws:PrincipalArn) so that administrators can still change the policy.",
    resourceTypes: [BUCKET_POLICY],
    validate: (resource, _config, report) => {
        const statements = statementsOf(resource.props.policy);
        decideEach(statements ?? [], (statement, index) => {
            const label = statementLabel(statement, index);
            const everyone = principalsOf(statement).includes("AWS:*");
            const conditioned = Object.keys(statement.Condition ?? {}).length > 0;
            if (everyone && isAllow(statement) && !conditioned) {
                report(`${label} allows any principal (*) without a condition.`);
            }
            const actions = asArray(statement.Action);
            if (
                everyone &&
                statement.Effect === "Deny" &&
                !conditioned &&
                statement.NotAction === undefined &&
                actions.some((action) => LOCKOUT_ACTIONS.includes(action))
            ) {
                report(`${label} denies everyone ${actions.join(", ")} without a condition: nobody but the root user could change the policy again.`);
            }
        });
    },
});

const PUBLIC_CANNED_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_GRANTEES = ["http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"];

export const s3NoPublicAcl = resourceGuardrail({
    name: "s3-no-public-acl",
    description: "No bucket ACL grants access to everyone or to every AWS account (public-read, public-read-write, authenticated-read, or such grants).",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_20", "CKV_AWS_57", "AVD-AWS-0092", "CKV_AWS_375", "CKV2_AWS_43"],
    remediation:
        'Remove the ACL and set aws.s3.BucketOwnershipControls objectOwnership "BucketOwnerEnforced", which disables ACLs; grant access in the bucket policy.',
    resourceTypes: [...BUCKET_TYPES, ...ACL_TYPES],
    validate: (resource, _config, report) => {
        const acl = resource.props.acl as unknown;
        if (typeof acl === "string" && PUBLIC_CANNED_ACLS.includes(acl)) {
            report(`The canned ACL ${acl} makes the bucket's objects readable beyond the account.`);
        }
        decideEach(listAt(resource.props, "accessControlPolicy", "grants"), (grant) => {
            const uri = stringAt(grant, "grantee", "uri");
            if (uri !== undefined && PUBLIC_GRANTEES.includes(uri)) {
                report(`The ACL grants ${String(field(grant, "permission"))} to ${uri}.`);
            }
        });
    },
});
