import { strict as assert } from "assert";
import type { PolicyDocument } from "../components/iam/policyDocument";
import { fluentBitPolicy } from "../components/logging/fluentBitPolicy";
import { defaultLogBucketName, s3KeyFormat } from "../components/logging/layout";
import { bucketNameProblems } from "../config/names";
import type { RenderedStack } from "../tools/harness/render";
import { byUrn, configErrorOf, ofType, oneOfType, parseStackWith, physicalName, renderNamedStack, renderStackWith, STACKS } from "./support";

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
            assert.ok(
                problems.some((p) => message.test(p)),
                `${name}: ${problems.join("; ")}`,
            );
        });
    }

    it("lowers the cluster name into the default bucket name", () => {
        assert.equal(defaultLogBucketName("Team_Alpha-prod", "111122223333"), "team-alpha-prod-logs-111122223333");
    });
});

describe("Logging: S3 key layout", () => {
    it("writes Hive-style partitions under the cluster's prefix: the UTC hour, then the namespace from the rewritten tag", () => {
        assert.equal(s3KeyFormat("eks-platform-prod"), "/fluent-bit-logs/cluster=eks-platform-prod/datehour=%Y-%m-%d-%H/namespace=$TAG[1]/%H-%M-%S-$UUID.gz");
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
        assert.deepEqual(
            logs.Resource,
            groupArns.map((arn) => `${arn}:log-stream:*`),
        );
        assert.ok(!allResources(document).includes("*"));
    });

    it("puts objects only under its own prefix, and uses the key only through S3 for that bucket", () => {
        const bucketArn = "arn:aws:s3:::logs-bucket";
        const kmsKeyArn = "arn:aws:kms:eu-west-1:111122223333:key/abc";
        const document = fluentBitPolicy({
            logGroupArns: groupArns,
            s3: { bucketArn, keyPrefix: "fluent-bit-logs/cluster=c", kmsKeyArn, region: "eu-west-1" },
        });
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
        assert.match(
            message,
            /logging\.s3\.bucketName = "Team_Logs\.\.x": as an S3 bucket name reached over HTTPS, it may hold only lowercase letters, digits, dots and hyphens/,
        );
        assert.match(message, /must not contain two adjacent dots/);
        assert.match(message, /must not contain dots: HTTPS to <bucket>\.s3\.<region>\.amazonaws\.com fails its certificate check/);
    });

    it("rejects a default bucket name that would exceed 63 characters", async () => {
        const message = await configErrorOf("staging", { "eks-platform:cluster": { name: "a-very-long-cluster-name-for-the-analytics-platform" } });
        assert.match(
            message,
            /logging\.s3\.bucketName = \(not set\): becomes an S3 bucket name .*\(the default, "a-very-long-cluster-name-for-the-analytics-platform-logs-<account>"\), which is 69 characters long.*; set logging\.s3\.bucketName/,
        );
    });

    it("rejects lifecycle transitions S3 would refuse", async () => {
        const message = await configErrorOf("prod", {
            "eks-platform:logging": { s3: { transitionToIaDays: 14, transitionToGlacierDays: 40, expirationDays: 30 } },
        });
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

type Planned = RenderedStack["resources"][number];

/** Everything registered under the Logging component, at any depth. */
function loggingResources(resources: Planned[]): Planned[] {
    const root = oneOfType(resources, "eksplatform:logging:Logging").urn;
    const parents = byUrn(resources);
    const under = (r: Planned): boolean => r.parent === root || (r.parent !== null && parents.has(r.parent) && under(parents.get(r.parent)!));
    return resources.filter(under);
}

const CHART = "kubernetes:helm.sh/v4:Chart";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
/** What a stack file asks of logging, read as the program reads it. */
function expectedOf(stack: string): { retention: number; s3: boolean; insights: boolean; protect: boolean } {
    const settings = parseStackWith(stack);
    return {
        retention: settings.logging.fluentBit.retentionDays,
        s3: settings.logging.s3.enabled,
        insights: settings.logging.containerInsights.enabled,
        protect: settings.protection.protectStatefulResources,
    };
}

describe("Logging component, per environment", () => {
    for (const stack of STACKS) {
        const expected = expectedOf(stack);
        describe(stack, () => {
            it("installs the aws-for-fluent-bit chart in the logging namespace with the cluster's provider", async () => {
                const { resources } = await renderNamedStack(stack);
                const chart = oneOfType(loggingResources(resources), CHART);
                assert.equal(chart.props.chart, "aws-for-fluent-bit");
                assert.deepEqual(chart.props.repositoryOpts, { repo: "https://aws.github.io/eks-charts" });
                assert.equal(chart.props.namespace, "logging");
                const provider = byUrn(resources).get(chart.provider ?? "");
                assert.equal(provider?.type, "pulumi:providers:kubernetes");
                const namespace = ofType(resources, "kubernetes:core/v1:Namespace").find((n) => (n.props.metadata as { name: string }).name === "logging");
                assert.ok(namespace && chart.dependsOn.includes(namespace.urn), "chart does not wait for its namespace");
            });

            it("ships container logs to the application group in the stack's region, never creating groups itself", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const values = oneOfType(loggingResources(resources), CHART).props.values as Record<string, any>;
                const group = (name: string) => `/aws/containerinsights/${program.config.clusterName}/${name}`;
                assert.equal(values.cloudWatchLogs.enabled, true);
                assert.equal(values.cloudWatchLogs.region, program.config.region);
                assert.equal(values.cloudWatchLogs.logGroupName, group("application"));
                assert.equal(values.cloudWatchLogs.autoCreateGroup, false);
                assert.ok(!("logRetentionDays" in values.cloudWatchLogs), "retention belongs to the program's log groups");
                assert.equal(values.cloudWatch.enabled, false);
                for (const name of ["host", "dataplane"]) {
                    const output = String(values.additionalOutputs)
                        .split("\n\n")
                        .find((section) => section.includes(`Match              ${name}.*`));
                    assert.ok(output, `no ${name} output`);
                    assert.match(output, new RegExp(`log_group_name     ${group(name)}\\n`));
                    assert.match(output, new RegExp(`region             ${program.config.region}\\n`));
                    assert.match(output, /auto_create_group {2}false/);
                }
            });

            it("runs on every node, tainted or not, with requests and limits, reading host logs read-only", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const values = oneOfType(loggingResources(resources), CHART).props.values as Record<string, any>;
                assert.deepEqual(values.tolerations, [{ operator: "Exists" }]);
                const { resources: sizes } = program.config.logging.fluentBit;
                assert.deepEqual(values.resources, {
                    requests: { cpu: sizes.cpuRequest, memory: sizes.memoryRequest },
                    limits: { cpu: sizes.cpuLimit, memory: sizes.memoryLimit },
                });
                const mounts = values.volumeMounts as { name: string; mountPath: string; readOnly?: boolean }[];
                const volumes = values.volumes as { name: string; hostPath: { path: string } }[];
                const writable = mounts.filter((m) => !m.readOnly).map((m) => volumes.find((v) => v.name === m.name)?.hostPath.path);
                assert.deepEqual(writable, ["/var/fluent-bit/state"], "only the state directory may be writable");
                assert.equal(mounts.find((m) => m.mountPath === "/var/log")?.readOnly, true);
                // Every state file (tail offsets, journal cursors, S3 buffer) lives in the writable directory.
                const statePaths = [
                    values.input.db,
                    ...String(values.additionalInputs)
                        .match(/DB\s+\S+/g)!
                        .map((l: string) => l.split(/\s+/)[1]),
                ];
                statePaths.forEach((p) => assert.ok(p.startsWith("/var/fluent-bit/state/"), p));
                assert.deepEqual(values.containerSecurityContext.capabilities, { drop: ["ALL"] });
                assert.equal(values.containerSecurityContext.allowPrivilegeEscalation, false);
                assert.equal(values.serviceAccount.name, "aws-for-fluent-bit");
            });

            it(`creates the log groups with ${expected.retention} days' retention, the platform key${expected.protect ? ", protected" : ""}`, async () => {
                const { resources, program } = await renderNamedStack(stack);
                const groups = ofType(loggingResources(resources), LOG_GROUP);
                const names = ["application", "host", "dataplane", ...(expected.insights ? ["performance"] : [])].map(
                    (g) => `/aws/containerinsights/${program.config.clusterName}/${g}`,
                );
                assert.deepEqual(groups.map((g) => g.props.name).sort(), names.sort());
                const key = oneOfType(resources, "aws:kms/key:Key");
                for (const group of groups) {
                    assert.equal(group.props.retentionInDays, expected.retention, String(group.props.name));
                    assert.match(String(group.props.kmsKeyId), new RegExp(`^arn:aws:kms:${program.config.region}:111122223333:key/`));
                    assert.ok(group.dependsOn.includes(key.urn), `${String(group.props.name)} is not encrypted with the platform key`);
                    assert.equal(group.options.protect, expected.protect);
                    assert.equal(group.options.retainOnDelete, expected.protect);
                }
                const chart = oneOfType(loggingResources(resources), CHART);
                for (const group of groups.filter((g) => !String(g.props.name).endsWith("/performance"))) {
                    assert.ok(chart.dependsOn.includes(group.urn), `Fluent Bit may start before ${String(group.props.name)} exists`);
                }
            });

            it("limits the Fluent Bit role to its own log groups (and bucket prefix), trusted by its service account only", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const mine = loggingResources(resources);
                const role = ofType(mine, "aws:iam/role:Role").find((r) => r.name.endsWith("-fluent-bit"))!;
                const trust = JSON.parse(String(role.props.assumeRolePolicy)) as PolicyDocument;
                const condition = trust.Statement[0].Condition!.StringEquals;
                assert.deepEqual(Object.entries(condition).find(([k]) => k.endsWith(":sub"))?.[1], "system:serviceaccount:logging:aws-for-fluent-bit");
                const policy = JSON.parse(
                    String(ofType(mine, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name.endsWith("-fluent-bit"))!.props.policy),
                ) as PolicyDocument;
                const groupArns = ofType(mine, LOG_GROUP)
                    .filter((g) => !String(g.props.name).endsWith("/performance"))
                    .map((g) => `arn:aws:logs:${program.config.region}:111122223333:log-group:${String(g.props.name)}`);
                const writes = policy.Statement.filter((s) => [s.Action].flat().some((a) => a.startsWith("logs:") || a.startsWith("s3:")));
                for (const statement of writes) {
                    for (const resource of [statement.Resource].flat()) {
                        assert.ok(
                            resource && !resource.endsWith(":*:*") && resource !== "*" && !/^arn:aws:s3:::[^/]+\/\*$/.test(resource),
                            `too broad: ${resource}`,
                        );
                    }
                }
                const logResources = writes.filter((s) => [s.Action].flat()[0].startsWith("logs:")).flatMap((s) => [s.Resource].flat());
                assert.deepEqual(logResources.sort(), groupArns.map((arn) => `${arn}:log-stream:*`).sort());
                const s3Put = writes.find((s) => s.Action === "s3:PutObject");
                if (expected.s3) {
                    assert.equal(
                        s3Put?.Resource,
                        `arn:aws:s3:::${program.config.clusterName}-logs-111122223333/fluent-bit-logs/cluster=${program.config.clusterName}/*`,
                    );
                } else {
                    assert.equal(s3Put, undefined);
                }
            });

            it(expected.s3 ? "copies container logs to S3 under Athena partitions" : "ships nothing to S3", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const values = oneOfType(loggingResources(resources), CHART).props.values as Record<string, any>;
                const buckets = ofType(loggingResources(resources), "aws:s3/bucket:Bucket");
                if (!expected.s3) {
                    assert.deepEqual(values.s3, { enabled: false });
                    assert.equal(buckets.length, 0);
                    assert.doesNotMatch(String(values.additionalFilters), /rewrite_tag/);
                    return;
                }
                const bucketName = `${program.config.clusterName}-logs-111122223333`;
                assert.equal(values.s3.enabled, true);
                assert.equal(values.s3.bucket, bucketName);
                assert.equal(values.s3.region, program.config.region);
                assert.equal(values.s3.match, "s3.*");
                assert.equal(values.s3.s3KeyFormat, s3KeyFormat(program.config.clusterName));
                assert.equal(values.s3.compression, "gzip");
                assert.match(
                    String(values.additionalFilters),
                    /Name\s+rewrite_tag\n\s+Match\s+kube\.\*\n\s+Rule\s+\$kubernetes\['namespace_name'\] \^\(\[a-z0-9-\]\+\)\$ s3\.\$1 true/,
                );
                assert.equal(buckets.length, 1);
                assert.equal(buckets[0].props.bucket, bucketName);
            });

            it(
                expected.insights
                    ? "installs the Container Insights add-on with its own role, our Fluent Bit as the only log shipper"
                    : "leaves Container Insights off",
                async () => {
                    const { resources } = await renderNamedStack(stack);
                    const mine = loggingResources(resources);
                    const addons = ofType(mine, "aws:eks/addon:Addon");
                    if (!expected.insights) {
                        assert.equal(addons.length, 0);
                        return;
                    }
                    const [addon] = addons;
                    assert.equal(addons.length, 1);
                    assert.equal(addon.props.addonName, "amazon-cloudwatch-observability");
                    assert.match(String(addon.props.addonVersion), /^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
                    assert.deepEqual(JSON.parse(String(addon.props.configurationValues)), { containerLogs: { enabled: false } });
                    const role = ofType(mine, "aws:iam/role:Role").find((r) => r.name.endsWith("-cloudwatch-agent"))!;
                    assert.equal(addon.props.serviceAccountRoleArn, `arn:aws:iam::111122223333:role/${physicalName(role)}`);
                    assert.match(String(role.props.assumeRolePolicy), /"system:serviceaccount:amazon-cloudwatch:cloudwatch-agent"/);
                    const attachment = ofType(mine, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").find((a) => a.props.role === physicalName(role));
                    assert.equal(attachment?.props.policyArn, "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy");
                },
            );
        });
    }
});

describe("Logging: the S3 archive", () => {
    for (const stack of ["staging", "prod"] as const) {
        it(`${stack}: is versioned, SSE-KMS with the platform key, owner-enforced, private, TLS-only and tiered`, async () => {
            const { resources, program } = await renderNamedStack(stack);
            const mine = loggingResources(resources);
            const bucket = oneOfType(mine, "aws:s3/bucket:Bucket");
            const of = (type: string) => {
                const found = ofType(mine, type).filter((r) => r.dependsOn.includes(bucket.urn));
                assert.equal(found.length, 1, type);
                return found[0];
            };
            assert.equal(bucket.options.protect, expectedOf(stack).protect);
            assert.equal(bucket.options.retainOnDelete, expectedOf(stack).protect);
            assert.equal(bucket.props.forceDestroy, false);

            assert.deepEqual(of("aws:s3/bucketVersioning:BucketVersioning").props.versioningConfiguration, { status: "Enabled" });
            const [rule] = of("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").props.rules as any[];
            assert.equal(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
            assert.match(rule.applyServerSideEncryptionByDefault.kmsMasterKeyId, /^arn:aws:kms:.*:key\//);
            assert.equal(rule.bucketKeyEnabled, true);
            assert.deepEqual(of("aws:s3/bucketOwnershipControls:BucketOwnershipControls").props.rule, { objectOwnership: "BucketOwnerEnforced" });
            const block = of("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").props;
            for (const setting of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
                assert.equal(block[setting], true, setting);
            }

            const policy = JSON.parse(String(of("aws:s3/bucketPolicy:BucketPolicy").props.policy)) as PolicyDocument;
            const arn = `arn:aws:s3:::${String(bucket.props.bucket)}`;
            assert.deepEqual(policy.Statement, [
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [arn, `${arn}/*`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ]);

            const s3 = program.config.logging.s3;
            const rules = of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").props.rules as any[];
            const tiering = rules.find((r) => r.id === "tier-then-expire-logs");
            assert.deepEqual(tiering.filter, { prefix: "fluent-bit-logs/" });
            assert.deepEqual(tiering.transitions, [
                { days: s3.transitionToIaDays, storageClass: "STANDARD_IA" },
                { days: s3.transitionToGlacierDays, storageClass: "GLACIER" },
            ]);
            assert.deepEqual(tiering.expiration, { days: s3.expirationDays });
            assert.deepEqual(tiering.noncurrentVersionExpiration, { noncurrentDays: s3.noncurrentVersionDays });
            assert.deepEqual(tiering.abortIncompleteMultipartUpload, { daysAfterInitiation: 7 });

            // Fluent Bit writes only once the bucket is locked down and encrypting.
            const chart = oneOfType(mine, CHART);
            for (const type of [
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                "aws:s3/bucketPolicy:BucketPolicy",
            ]) {
                assert.ok(chart.dependsOn.includes(of(type).urn), `chart does not wait for ${type}`);
            }
        });
    }

    it("takes a configured bucket name", async () => {
        const { resources } = await renderStackWith("staging", { "eks-platform:logging": { s3: { bucketName: "acme-eks-staging-logs" } } });
        const mine = loggingResources(resources);
        assert.equal(oneOfType(mine, "aws:s3/bucket:Bucket").props.bucket, "acme-eks-staging-logs");
        assert.equal((oneOfType(mine, CHART).props.values as any).s3.bucket, "acme-eks-staging-logs");
    });
});

describe("Logging: Container Insights without our Fluent Bit", () => {
    it("lets the add-on ship container logs into the same program-owned groups", async () => {
        const { resources, program } = await renderStackWith("dev", {
            "eks-platform:logging": { fluentBit: { enabled: false }, containerInsights: { enabled: true, addonVersion: "v6.5.0-eksbuild.2" } },
        });
        const mine = loggingResources(resources);
        assert.equal(ofType(mine, CHART).length, 0);
        assert.equal(ofType(mine, "aws:iam/role:Role").filter((r) => r.name.endsWith("-fluent-bit")).length, 0);
        const addon = oneOfType(mine, "aws:eks/addon:Addon");
        assert.deepEqual(JSON.parse(String(addon.props.configurationValues)), { containerLogs: { enabled: true } });
        assert.equal(addon.props.addonVersion, "v6.5.0-eksbuild.2", "a configured add-on version overrides the pin");
        const groups = ofType(mine, LOG_GROUP)
            .map((g) => String(g.props.name).split("/").pop())
            .sort();
        assert.deepEqual(groups, ["application", "dataplane", "host", "performance"]);
        ofType(mine, LOG_GROUP).forEach((g) => assert.equal(g.props.retentionInDays, program.config.logging.fluentBit.retentionDays));
    });

    it("creates no log groups when neither shipper runs", async () => {
        // Fargate's log router writes to the same application group, so it goes too. Neither shipper reads the
        // retention then: a retention set beside them would be refused.
        const { resources } = await renderStackWith("dev", {
            "eks-platform:logging": { fluentBit: { enabled: false, retentionDays: undefined } },
            "eks-platform:fargate": { logging: { enabled: false } },
        });
        assert.equal(ofType(loggingResources(resources), LOG_GROUP).length, 0);
    });
});

describe("Logging: stack outputs", () => {
    it("tells operators where the logs are", async () => {
        const rendered = await renderNamedStack("staging");
        const { stackOutputs } = await import("../components/program");
        const outputs = stackOutputs(rendered.program);
        const cluster = rendered.program.config.clusterName;
        assert.deepEqual(outputs.logGroupNames, {
            application: `/aws/containerinsights/${cluster}/application`,
            host: `/aws/containerinsights/${cluster}/host`,
            dataplane: `/aws/containerinsights/${cluster}/dataplane`,
        });
        assert.equal(outputs.logBucketName, `${cluster}-logs-111122223333`);
    });
});
