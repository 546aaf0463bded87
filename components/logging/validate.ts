import type { ConfigProblem } from "../../config/problems";
import type { ValidationFacts } from "../capability";
import { defaultLogBucketName } from "./layout";
import type { LoggingSettings } from "./settings";

/**
 * Amazon S3 general purpose bucket naming rules (S3 User Guide, "General purpose bucket naming
 * rules", as published 2026): the reserved prefixes and suffixes belong to access point aliases,
 * Object Lambda, Multi-Region Access Points, directory buckets, table buckets and the
 * account-regional namespace ("-an"), which this program does not create buckets in.
 */
const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3", "-an"];

/** Everything wrong with a bucket name, one phrase per broken rule; empty when S3 accepts it. */
export function bucketNameProblems(name: string): string[] {
    const problems: string[] = [];
    if (name.length < 3 || name.length > 63) {
        problems.push(`is ${name.length} characters long; bucket names have 3 to 63`);
    }
    if (!/^[a-z0-9.-]*$/.test(name)) {
        problems.push("may hold only lowercase letters, digits, dots and hyphens");
    }
    if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
        problems.push("must begin and end with a lowercase letter or a digit");
    }
    if (name.includes("..")) {
        problems.push("must not contain two adjacent dots");
    }
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) {
        problems.push("must not be formatted as an IP address");
    }
    for (const prefix of RESERVED_PREFIXES.filter((p) => name.startsWith(p))) {
        problems.push(`must not start with "${prefix}" (reserved by S3)`);
    }
    for (const suffix of RESERVED_SUFFIXES.filter((s) => name.endsWith(s))) {
        problems.push(`must not end with "${suffix}" (reserved by S3)`);
    }
    return problems;
}

/**
 * S3 lifecycle constraints S3 would otherwise reject at `pulumi up`: Standard-IA only takes objects
 * at least 30 days old, objects must spend 30 days in Standard-IA before a Glacier transition, and
 * expiry must come after the last transition.
 */
function lifecycleProblems(s3: LoggingSettings["s3"]): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    if (s3.transitionToIaDays < 30) {
        problems.push({
            path: "logging.s3.transitionToIaDays",
            value: s3.transitionToIaDays,
            message: "must be at least 30: S3 moves only objects 30 days or older to Standard-IA",
        });
    }
    if (s3.transitionToGlacierDays < s3.transitionToIaDays + 30) {
        problems.push({
            path: "logging.s3.transitionToGlacierDays",
            value: s3.transitionToGlacierDays,
            message: `must be at least 30 days after transitionToIaDays (${s3.transitionToIaDays}), i.e. >= ${s3.transitionToIaDays + 30}: objects stay 30 days in Standard-IA`,
        });
    }
    if (s3.expirationDays <= s3.transitionToGlacierDays) {
        problems.push({
            path: "logging.s3.expirationDays",
            value: s3.expirationDays,
            message: `must be greater than transitionToGlacierDays (${s3.transitionToGlacierDays}); objects expire after their last transition`,
        });
    }
    return problems;
}

/**
 * The bucket name (given, or the default derived from the effective cluster name), the lifecycle
 * days, and settings that need each other.
 */
export function validateLogging(logging: LoggingSettings, { clusterName }: Pick<ValidationFacts, "clusterName">): ConfigProblem[] {
    if (!logging.s3.enabled) {
        return [];
    }
    const problems: ConfigProblem[] = [];
    if (!logging.fluentBit.enabled) {
        problems.push({ path: "logging.s3.enabled", value: true, message: "needs logging.fluentBit.enabled: Fluent Bit is what writes logs to S3" });
    }
    if (logging.s3.bucketName !== undefined) {
        for (const message of bucketNameProblems(logging.s3.bucketName)) {
            problems.push({ path: "logging.s3.bucketName", value: logging.s3.bucketName, message });
        }
    } else {
        // Any 12-digit account gives the default its real length and character set.
        const example = defaultLogBucketName(clusterName, "111122223333");
        for (const message of bucketNameProblems(example)) {
            problems.push({
                path: "logging.s3.bucketName",
                value: undefined,
                message: `the default name "${defaultLogBucketName(clusterName, "<account>")}" ${message}; set logging.s3.bucketName`,
            });
        }
    }
    return [...problems, ...lifecycleProblems(logging.s3)];
}
