import { strict as assert } from "assert";
import { evaluateWithUndecided, PULUMI_UNKNOWN_STRING, UNKNOWN } from "../evaluate";
import { arnMatchesTemplate } from "../lib/arn";
import { conditionKeyExists, expandAction, isWildcardOnly } from "../lib/iam-data";
import { allow, QUEUE_ARN, rolePolicy, statements } from "./fixtures/iam";
import { planned } from "./fixtures/types";

const RULES = ["iam-actions-and-keys-exist", "iam-resources-match-actions"];

async function verdicts(resources: ReturnType<typeof planned>[]) {
    const { violations, undecided } = await evaluateWithUndecided(resources);
    return {
        violations: violations.filter((violation) => RULES.includes(violation.policy)).map((violation) => violation.message),
        undecided: undecided.filter((entry) => RULES.includes(entry.policy)).map((entry) => entry.policy),
    };
}

describe("IAM document rules: values unknown at preview", () => {
    it("leave both rules undecided when the whole document is unknown", async () => {
        const result = await verdicts([planned("aws:iam/rolePolicy:RolePolicy", { role: "r", policy: UNKNOWN })]);
        assert.deepEqual(result, { violations: [], undecided: RULES });
    });

    it("leave the shape undecided for an ARN built from an unknown value, and still judge the rest", async () => {
        const result = await verdicts([
            rolePolicy(allow("sqs:ReceiveMessage", `arn:aws:sqs:eu-west-1:111122223333:${PULUMI_UNKNOWN_STRING}`), allow("sqs:RecieveMessage", QUEUE_ARN)),
        ]);
        assert.deepEqual(result.undecided, ["iam-resources-match-actions"]);
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /Statement 2: "sqs:RecieveMessage" is not a sqs action/);
    });

    it("judge a role's known trust policy when an inline policy is unknown", async () => {
        const role = planned("aws:iam/role:Role", {
            assumeRolePolicy: statements({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRoles" }),
            inlinePolicies: [{ name: "inline", policy: UNKNOWN }],
        });
        const result = await verdicts([role]);
        assert.deepEqual(result.violations, ['assumeRolePolicy: Statement 1: "sts:AssumeRoles" is not a sts action (did you mean sts:AssumeRole?).']);
        assert.deepEqual(result.undecided, RULES);
    });
});

describe("IAM data and ARN matching", () => {
    it("expands wildcards case-insensitively and keeps AWS's spelling", () => {
        assert.deepEqual(
            expandAction("sqs:receivemessage")?.map((action) => action.fullName),
            ["sqs:ReceiveMessage"],
        );
        assert.ok(expandAction("ec2:Describe*")!.length > 100);
        assert.deepEqual(expandAction("ec2:Descibe*"), []);
        assert.equal(expandAction("*"), undefined);
    });

    it('knows which actions take only Resource "*"', () => {
        assert.ok(isWildcardOnly(expandAction("ec2:DescribeInstances")![0]));
        assert.ok(!isWildcardOnly(expandAction("sqs:DeleteMessage")![0]));
    });

    it("finds global, service, templated and identity-provider condition keys", () => {
        for (const key of [
            "aws:SourceAccount",
            "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled",
            "kms:ViaService",
            "kms:EncryptionContext:aws:s3:arn",
            "gitlab.com:project_id",
        ]) {
            assert.ok(conditionKeyExists(key), key);
        }
        for (const key of ["aws:ResourceTag", "aws:SourceAcount", "kms:ViaServices", "nosuchservice:Key"]) {
            assert.ok(!conditionKeyExists(key), key);
        }
    });

    it("matches ARN patterns against resource-type templates segment by segment", () => {
        const logGroup = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}";
        const logStream = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";
        const asg = "arn:${Partition}:autoscaling:${Region}:${Account}:autoScalingGroup:${GroupId}:autoScalingGroupName/${GroupFriendlyName}";
        assert.ok(arnMatchesTemplate("arn:aws:logs:eu-west-1:111122223333:log-group:/aws/x:log-stream:*", logStream));
        assert.ok(arnMatchesTemplate("arn:aws:logs:eu-west-1:111122223333:log-group:/aws/containerinsights/x/*", logStream));
        assert.ok(!arnMatchesTemplate("arn:aws:logs:eu-west-1:111122223333:log-group:/aws/x", logStream));
        assert.ok(arnMatchesTemplate("arn:aws:logs:eu-west-1:111122223333:log-group:/aws/x", logGroup));
        assert.ok(arnMatchesTemplate("arn:aws:autoscaling:*:111122223333:autoScalingGroup:*:autoScalingGroupName/*", asg));
        assert.ok(!arnMatchesTemplate("arn:aws:autoscaling:eu-west-1:111122223333:autoScalingGroupName/nodes", asg));
        // A wildcard in the region does not cross into the account segment.
        assert.ok(!arnMatchesTemplate("arn:aws:sqs:*", "arn:${Partition}:sqs:${Region}:${Account}:${QueueName}"));
        assert.ok(arnMatchesTemplate("*", asg));
    });
});
