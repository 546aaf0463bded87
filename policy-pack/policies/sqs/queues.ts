import { conditionKeys, isAllow, principalsOf, statementLabel, statementsOf } from "../../lib/iam";
import { resourceGuardrail } from "../../lib/policy";
import { decideEach } from "../../lib/unknown";
import { asArray, isTrue } from "../../lib/values";

const QUEUE = "aws:sqs/queue:Queue";
const QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";

export const sqsQueueEncrypted = resourceGuardrail({
    name: "sqs-queue-encrypted",
    description: "Every SQS queue states its encryption at rest: SQS-managed keys (SSE-SQS) or a KMS key.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_27", "AVD-AWS-0096"],
    remediation: "Set sqsManagedSseEnabled: true, or kmsMasterKeyId to a KMS key whose policy lets the senders (e.g. events.amazonaws.com) use it.",
    resourceTypes: [QUEUE],
    validate: (queue, _config, report) => {
        const key = queue.props.kmsMasterKeyId as unknown;
        if (!isTrue(queue.props.sqsManagedSseEnabled) && !(typeof key === "string" && key.length > 0)) {
            report("The queue sets neither sqsManagedSseEnabled nor kmsMasterKeyId.");
        }
    },
});

/** Condition keys that confine an any-principal grant to one source: a resource, account, VPC endpoint or organization. */
const SOURCE_KEYS = ["aws:sourcearn", "aws:sourceaccount", "aws:sourcevpce", "aws:sourcevpc", "aws:principalorgid", "aws:principalaccount", "aws:principalarn"];

export const sqsQueuePolicyRestricted = resourceGuardrail({
    name: "sqs-queue-policy-restricted",
    description:
        'A queue policy never allows every SQS action ("*", "sqs:*"), and never admits any principal (*) without a condition naming the source (aws:SourceArn, aws:SourceAccount, aws:SourceVpce, aws:PrincipalOrgID).',
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_72", "CKV_AWS_168", "CKV_AWS_387", "AVD-AWS-0097"],
    remediation:
        'Grant the sender\'s service principal (e.g. { Service: "events.amazonaws.com" }) sqs:SendMessage only, with ' +
        "ArnEquals aws:SourceArn set to the EventBridge rules: anyone who can send to the interruption queue can make the handler drain nodes.",
    resourceTypes: [QUEUE, QUEUE_POLICY],
    validate: (resource, _config, report) => {
        const policy = resource.props.policy as unknown;
        if (policy === undefined) {
            return;
        }
        decideEach(statementsOf(policy) ?? [], (statement, index) => {
            if (!isAllow(statement)) {
                return;
            }
            const label = statementLabel(statement, index);
            const wildcard = asArray(statement.Action).filter((action) => ["*", "sqs:*"].includes(action.toLowerCase()));
            if (wildcard.length > 0) {
                report(`${label} allows ${wildcard.join(", ")}: every queue action, purging and deleting included.`);
            }
            if (principalsOf(statement).includes("AWS:*") && !conditionKeys(statement).some((key) => SOURCE_KEYS.includes(key))) {
                report(`${label} admits any principal (*) without a condition naming the source.`);
            }
        });
    },
});
