import type { ConfigProblem } from "../../config/problems";
import { ATHENA_WORKGROUP, autoname, IAM_POLICY_OR_PROFILE, IAM_ROLE, LOG_GROUP, type NameUse, S3_BUCKET_HTTPS } from "../../config/names";
import { clusterNameOrigin, type ValidationFacts } from "../capability";
import { archiveQueryNames, containerInsightsLogGroup, defaultLogBucketName, SHIPPED_LOG_GROUPS } from "./layout";
import { loggingRoleNames } from "./logging";
import type { LoggingSettings } from "./settings";

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

/** The lifecycle days, and settings that need each other (the bucket's name is among the section's names). */
export function validateLogging(logging: LoggingSettings): ConfigProblem[] {
    if (!logging.s3.enabled) {
        return [];
    }
    const problems: ConfigProblem[] = [];
    if (!logging.fluentBit.enabled) {
        problems.push({ path: "logging.s3.enabled", value: true, message: "needs logging.fluentBit.enabled: Fluent Bit is what writes logs to S3" });
    }
    return [...problems, ...lifecycleProblems(logging.s3)];
}

/**
 * The log groups (when either shipper runs), the archive bucket (given, or the default from the
 * cluster name and the account: any 12-digit account gives it its real length and characters) and
 * the shippers' auto-named roles, and the archive's Athena workgroup and reader policy.
 */
export function loggingNames(logging: LoggingSettings, facts: ValidationFacts): NameUse[] {
    const { clusterName } = facts;
    const fromCluster = clusterNameOrigin(facts);
    const fluentBitOn = logging.fluentBit.enabled;
    const insightsOn = logging.containerInsights.enabled;
    const roles = loggingRoleNames(clusterName);
    const groups = [...(fluentBitOn || insightsOn ? SHIPPED_LOG_GROUPS : []), ...(insightsOn ? (["performance"] as const) : [])];
    const uses: NameUse[] = groups.map((group) => ({
        ...fromCluster,
        name: containerInsightsLogGroup(clusterName, group),
        rule: LOG_GROUP,
        composedAs: `the ${group} log group`,
    }));
    if (fluentBitOn) {
        uses.push({ ...fromCluster, name: autoname(roles.fluentBit), rule: IAM_ROLE, composedAs: "Fluent Bit's role, auto-named" });
    }
    if (insightsOn) {
        uses.push({ ...fromCluster, name: autoname(roles.cloudWatchAgent), rule: IAM_ROLE, composedAs: "the CloudWatch agent's role, auto-named" });
    }
    if (logging.s3.enabled && fluentBitOn) {
        const archive = archiveQueryNames(clusterName);
        uses.push(
            { ...fromCluster, name: archive.workgroup, rule: ATHENA_WORKGROUP, composedAs: "the log archive's Athena workgroup" },
            { ...fromCluster, name: archive.readerPolicy, rule: IAM_POLICY_OR_PROFILE, composedAs: "the log archive's reader policy" },
        );
    }
    if (logging.s3.enabled) {
        const { bucketName } = logging.s3;
        uses.push(
            bucketName !== undefined
                ? { path: "logging.s3.bucketName", value: bucketName, name: bucketName, rule: S3_BUCKET_HTTPS }
                : {
                      path: "logging.s3.bucketName",
                      value: undefined,
                      name: defaultLogBucketName(clusterName, "111122223333"),
                      rule: S3_BUCKET_HTTPS,
                      composedAs: `the default, "${defaultLogBucketName(clusterName, "<account>")}"`,
                      remedy: "set logging.s3.bucketName",
                  },
        );
    }
    return uses;
}
