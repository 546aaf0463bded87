import { strict as assert } from "assert";
import type { PolicyDocument } from "../components/iam/policyDocument";
import { fluentBitPolicy } from "../components/logging/fluentBitPolicy";
import { defaultLogBucketName, s3KeyFormat } from "../components/logging/layout";
import { bucketNameProblems } from "../components/logging/validate";
import { configErrorOf } from "./support";

describe("Logging: S3 bucket names", () => {
    it("accepts names S3 accepts", () => {
        for (const name of ["abc", "eks-platform-prod-logs-111122223333", "logs.example.com", "a1-b2.c3", "x".repeat(63)]) {
            assert.deepEqual(bucketNameProblems(name), [], name);
        }
    });

    const rejected: [string, RegExp][] = [
        ["ab", /3 to 63/],
        ["x".repeat(64), /is 64 characters long/],
        ["Logs-Bucket", /lowercase letters, digits, dots and hyphens/],
        ["logs_bucket", /lowercase letters, digits, dots and hyphens/],
        ["-logs", /begin and end with a lowercase letter or a digit/],
        ["logs.", /begin and end/],
        ["my..logs", /two adjacent dots/],
        ["192.168.5.4", /IP address/],
        ["xn--logs", /start with "xn--"/],
        ["sthree-logs", /start with "sthree-"/],
        ["amzn-s3-demo-logs", /start with "amzn-s3-demo-"/],
        ["logs-s3alias", /end with "-s3alias"/],
        ["logs--ol-s3", /end with "--ol-s3"/],
        ["logs.mrap", /end with ".mrap"/],
        ["logs--x-s3", /end with "--x-s3"/],
        ["logs--table-s3", /end with "--table-s3"/],
        ["logs-an", /end with "-an"/],
    ];
    for (const [name, message] of rejected) {
        it(`rejects ${name.length > 20 ? `${name.slice(0, 12)}... (${name.length})` : name}`, () => {
            const problems = bucketNameProblems(name);
            assert.ok(problems.some((p) => message.test(p)), `${name}: ${problems.join("; ")}`);
        });
    }

    it("lowers the cluster name into the default bucket name", () => {
        assert.equal(defaultLogBucketName("Team_Alpha-prod", "111122223333"), "team-alpha-prod-logs-111122223333");
    });
});

describe("Logging: S3 key layout", () => {
    it("writes Hive-style partitions under the cluster's prefix, namespace from the rewritten tag", () => {
        assert.equal(
            s3KeyFormat("eks-platform-prod"),
            "/fluent-bit-logs/cluster=eks-platform-prod/namespace=$TAG[1]/year=%Y/month=%m/day=%d/%H-%M-%S-$UUID.gz",
        );
    });
});

describe("Logging: Fluent Bit IAM policy", () => {
    const groupArns = ["a", "b"].map((g) => `arn:aws:logs:eu-west-1:111122223333:log-group:/aws/containerinsights/c/${g}`);
    const allResources = (document: PolicyDocument) => document.Statement.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));

    it("writes only to its own log groups and their streams", () => {
        const document = fluentBitPolicy({ logGroupArns: groupArns });
        assert.equal(document.Statement.length, 1);
        const [logs] = document.Statement;
        assert.deepEqual(logs.Action, ["logs:CreateLogStream", "logs:PutLogEvents"]);
        assert.deepEqual(logs.Resource, groupArns.flatMap((arn) => [arn, `${arn}:log-stream:*`]));
        assert.ok(!allResources(document).includes("*"));
    });

    it("puts objects only under its own prefix, and uses the key only through S3 for that bucket", () => {
        const bucketArn = "arn:aws:s3:::logs-bucket";
        const kmsKeyArn = "arn:aws:kms:eu-west-1:111122223333:key/abc";
        const document = fluentBitPolicy({ logGroupArns: groupArns, s3: { bucketArn, keyPrefix: "fluent-bit-logs/cluster=c", kmsKeyArn, region: "eu-west-1" } });
        const put = document.Statement.find((s) => s.Action === "s3:PutObject");
        assert.equal(put?.Resource, `${bucketArn}/fluent-bit-logs/cluster=c/*`);
        const kms = document.Statement.find((s) => Array.isArray(s.Action) && s.Action.includes("kms:GenerateDataKey"));
        assert.equal(kms?.Resource, kmsKeyArn);
        assert.deepEqual(kms?.Condition?.StringEquals, { "kms:ViaService": "s3.eu-west-1.amazonaws.com" });
        assert.ok(!allResources(document).some((r) => r === "*" || r === `${bucketArn}/*`));
    });
});

describe("Logging: configuration errors", () => {
    it("rejects a retention CloudWatch does not offer", async () => {
        const message = await configErrorOf("dev", { "eks-platform:logging": { fluentBit: { retentionDays: 45 } } });
        assert.match(message, /logging\.fluentBit\.retentionDays = 45: must be one of CloudWatch's retention periods: 1, 3, 5, 7, 14, 30, 60, 90/);
    });

    it("rejects an invalid bucket name, naming each broken rule", async () => {
        const message = await configErrorOf("staging", { "eks-platform:logging": { s3: { bucketName: "Team_Logs..x" } } });
        assert.match(message, /logging\.s3\.bucketName = "Team_Logs\.\.x": may hold only lowercase letters, digits, dots and hyphens/);
        assert.match(message, /logging\.s3\.bucketName = "Team_Logs\.\.x": must not contain two adjacent dots/);
    });

    it("rejects a default bucket name that would exceed 63 characters", async () => {
        const message = await configErrorOf("staging", { "eks-platform:cluster": { name: "a-very-long-cluster-name-for-the-analytics-platform" } });
        assert.match(message, /logging\.s3\.bucketName = \(not set\): the default name "a-very-long-cluster-name-for-the-analytics-platform-logs-<account>" is 69 characters long.*set logging\.s3\.bucketName/);
    });

    it("rejects lifecycle transitions S3 would refuse", async () => {
        const message = await configErrorOf("prod", { "eks-platform:logging": { s3: { transitionToIaDays: 14, transitionToGlacierDays: 40, expirationDays: 30 } } });
        assert.match(message, /logging\.s3\.transitionToIaDays = 14: must be at least 30/);
        assert.match(message, /logging\.s3\.transitionToGlacierDays = 40: must be at least 30 days after transitionToIaDays \(14\), i\.e\. >= 44/);
        assert.match(message, /logging\.s3\.expirationDays = 30: must be greater than transitionToGlacierDays \(40\)/);
    });

    it("rejects S3 shipping without Fluent Bit", async () => {
        const message = await configErrorOf("staging", { "eks-platform:logging": { fluentBit: { enabled: false } } });
        assert.match(message, /logging\.s3\.enabled = true: needs logging\.fluentBit\.enabled/);
    });

    it("rejects malformed resource quantities and add-on versions", async () => {
        const message = await configErrorOf("dev", {
            "eks-platform:logging": { fluentBit: { resources: { memoryLimit: "512MB" } }, containerInsights: { addonVersion: "6.4.0" } },
        });
        assert.match(message, /logging\.fluentBit\.resources\.memoryLimit = "512MB": must be a Kubernetes memory quantity/);
        assert.match(message, /logging\.containerInsights\.addonVersion = "6\.4\.0": must be an EKS add-on version/);
    });
});
