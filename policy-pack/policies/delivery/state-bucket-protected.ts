import { stackGuardrail } from "../../lib/policy";
import { resourcesOfType } from "../../lib/stack";
import { decideEach } from "../../lib/unknown";
import { field, isTrue, listAt } from "../../lib/values";
import { BUCKET_TYPES, LIFECYCLE_TYPES, settingsOf } from "../storage/s3";

/** The tag by which a bucket declares itself a Pulumi state backend (the bootstrap project sets it). */
export const STATE_BUCKET_TAG = { key: "eks-platform:purpose", value: "pulumi-state" } as const;

// A stack rule: a bucket's lifecycle is a resource of its own. What every bucket needs (public access
// block, customer key, versioning, access logs, lifecycle, TLS only) the s3-* rules check; this rule
// adds what a state backend needs on top.
export const pulumiStateBucketProtected = stackGuardrail({
    name: "pulumi-state-bucket-protected",
    description:
        `A bucket tagged ${STATE_BUCKET_TAG.key}=${STATE_BUCKET_TAG.value} (a Pulumi state backend) expires old state versions, ` +
        "which every update adds, and cannot be force-destroyed; the s3-* rules check what every bucket needs.",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific:
        "no scanner control looks at forceDestroy, which empties a bucket when its stack removes it, or asks for noncurrent versions to expire; " +
        "the state bucket's other protections are every bucket's (s3-* rules)",
    remediation:
        "Create the bucket with the bootstrap project (bootstrap/components/stateBackend.ts), or set forceDestroy: false and give its " +
        "BucketLifecycleConfiguration an Enabled rule with noncurrentVersionExpiration.noncurrentDays.",
    validate: (stack, _config, report) => {
        const stateBuckets = resourcesOfType(stack, ...BUCKET_TYPES).filter(
            (bucket) => field(bucket.props, "tags", STATE_BUCKET_TAG.key) === STATE_BUCKET_TAG.value,
        );
        decideEach(stateBuckets, (bucket) => {
            const name = String(bucket.props.bucket ?? bucket.name);
            if (isTrue(bucket.props.forceDestroy)) {
                report(`State bucket ${name} has forceDestroy on: removing it from its stack would delete every stack's state.`, bucket.urn);
            }
            const rules = settingsOf(bucket, stack, LIFECYCLE_TYPES).flatMap((lifecycle) => listAt(lifecycle.props, "rules"));
            if (!rules.some((rule) => field(rule, "status") === "Enabled" && field(rule, "noncurrentVersionExpiration", "noncurrentDays") !== undefined)) {
                report(`State bucket ${name} keeps every old state version: no enabled lifecycle rule expires noncurrent versions.`, bucket.urn);
            }
        });
    },
});
