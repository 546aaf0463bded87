import { ATHENA_WORKGROUP, bucketOfLocation, workgroupOutputLocation } from "../../lib/athena";
import { isAllow, principalsOf, statementsOf } from "../../lib/iam";
import { stackGuardrail, type ResourceView, type StackView } from "../../lib/policy";
import { resourcesOfType } from "../../lib/stack";
import { decideEach, readKnown } from "../../lib/unknown";
import { isTrue } from "../../lib/values";
import { BLOCK_FLAGS, BUCKET_TYPES, settingsOf } from "../storage/s3";

const GLUE_TABLE = "aws:glue/catalogTable:CatalogTable";

/** Where Athena reads (a Glue table's location and partition template) or writes (a workgroup's results), with who points there. */
function queryLocations(stack: StackView): { location: string; user: ResourceView; use: string }[] {
    const tables = resourcesOfType(stack, GLUE_TABLE).flatMap((table) => {
        const storage = table.props.storageDescriptor as { location?: unknown } | undefined;
        const parameters = table.props.parameters as Record<string, unknown> | undefined;
        return [storage?.location, parameters?.["storage.location.template"]]
            .filter((location): location is string => typeof location === "string" && location.startsWith("s3"))
            .map((location) => ({ location, user: table, use: `table ${String(table.props.name ?? table.name)} reads` }));
    });
    const workgroups = resourcesOfType(stack, ATHENA_WORKGROUP).flatMap((workgroup) => {
        const location = workgroupOutputLocation(workgroup.props);
        return location ? [{ location, user: workgroup, use: `workgroup ${String(workgroup.props.name ?? workgroup.name)} writes results to` }] : [];
    });
    return [...tables, ...workgroups];
}

/** What makes a bucket of the stack reachable from outside the account, one phrase each. */
function publicExposures(stack: StackView, bucket: ResourceView): string[] {
    const exposures: string[] = [];
    const blocks = settingsOf(bucket, stack, ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"]);
    if (blocks.length === 0) {
        exposures.push("has no public access block");
    } else if (!blocks.some((block) => BLOCK_FLAGS.every((flag) => isTrue(block.props[flag])))) {
        const off = BLOCK_FLAGS.filter((flag) => !blocks.some((block) => isTrue(block.props[flag])));
        exposures.push(`leaves ${off.join(", ")} off in its public access block`);
    }
    for (const policy of settingsOf(bucket, stack, ["aws:s3/bucketPolicy:BucketPolicy"])) {
        for (const statement of (statementsOf(policy.props.policy) ?? []).filter(isAllow)) {
            if (principalsOf(statement).includes("AWS:*") && Object.keys(statement.Condition ?? {}).length === 0) {
                exposures.push(`has a bucket policy statement${statement.Sid ? ` ${statement.Sid}` : ""} allowing any principal without a condition`);
            }
        }
    }
    return exposures;
}

export const athenaDataPrivate = stackGuardrail({
    name: "athena-data-private",
    description:
        "The S3 locations Athena reads (Glue tables) and writes (workgroup results) are in buckets of this stack that block public access " +
        "with all four settings and whose policies admit no anonymous principal.",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific:
        "the per-bucket public access controls (CKV2_AWS_6, CKV_AWS_53-56, AVD-AWS-0086/0087/0091/0093/0094) judge buckets one by one, " +
        "not whether the data Athena reads and the results it writes stay in private buckets",
    remediation:
        "Point Glue tables and workgroup results at buckets this stack creates, each with an aws.s3.BucketPublicAccessBlock setting " +
        'blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true, and no bucket policy Allow for Principal "*" ' +
        "without a condition.",
    validate: (stack, _config, report) => {
        const buckets = resourcesOfType(stack, ...BUCKET_TYPES);
        const judged = new Set<string>();
        decideEach(queryLocations(stack), ({ location, user, use }) => {
            const name = bucketOfLocation(location);
            const bucket = buckets.find((candidate) => readKnown(() => candidate.props.bucket as unknown) === name || candidate.id === name);
            if (!bucket) {
                report(`The ${use} ${location}, in bucket ${name ?? "?"}, which this stack does not create: whether it is public cannot be checked.`, user.urn);
                return;
            }
            if (judged.has(bucket.urn)) {
                return;
            }
            judged.add(bucket.urn);
            for (const exposure of publicExposures(stack, bucket)) {
                report(`Bucket ${String(name)}, which the ${use}, ${exposure}.`, bucket.urn);
            }
        });
    },
});
