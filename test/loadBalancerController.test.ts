import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { evaluate } from "../policy-pack/evaluate";
import { accessLogBucketPolicy, defaultAccessLogBucketName } from "../components/loadBalancerController/accessLogs";
import { controllerFeatures, controllerPolicy, PUBLISHED_CONTROLLER_POLICY } from "../components/loadBalancerController/controllerPolicy";
import { isModernTlsPolicy } from "../components/loadBalancerController/validate";
import { isModernTlsPolicy as packIsModernTlsPolicy } from "../policy-pack/lib/load-balancers";
import type { PolicyDocument, PolicyStatement } from "../components/iam/policyDocument";
import { HELM_CHARTS, LOAD_BALANCER_CONTROLLER_POLICY } from "../components/versions";
import type { PlannedResource, RenderedStack } from "../tools/harness/render";
import { configErrorOf, ofType, oneOfType, parseStackWith, renderNamedStack, STACKS } from "./support";

const CHART = "kubernetes:helm.sh/v4:Chart";
const PARAMS = "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams";
const INGRESS_CLASS = "kubernetes:networking.k8s.io/v1:IngressClass";
const SCOPE = { region: "eu-west-1", accountId: "111122223333", partition: "aws", vpcId: "vpc-0123456789abcdef0" };

type Values = Record<string, any>;

const chartOf = (rendered: RenderedStack) => oneOfType(rendered.resources, CHART, "-lb-controller");
const valuesOf = (rendered: RenderedStack) => chartOf(rendered).props.values as Values;
const asList = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The controller's inline role policy as a stack renders it. */
function renderedControllerPolicy(rendered: RenderedStack): PolicyDocument {
    const role = oneOfType(rendered.resources, "aws:iam/role:Role", "-lb-controller-irsa");
    const policy = ofType(rendered.resources, "aws:iam/rolePolicy:RolePolicy").find((p) => p.props.role === role.id);
    assert.ok(policy, "the controller's role has an inline policy");
    return JSON.parse(String(policy.props.policy)) as PolicyDocument;
}

/** Each statement's effect, actions and condition, with its resources set aside. */
const grants = (document: PolicyDocument) =>
    document.Statement.flatMap((statement) =>
        asList(statement.Action).map((action) => JSON.stringify({ effect: statement.Effect, action, condition: statement.Condition ?? null })),
    ).sort();

describe("AWS Load Balancer Controller: its IAM policy", () => {
    it("is AWS's published file for the pinned controller version, byte for byte", () => {
        const file = path.join(__dirname, "..", "components", "loadBalancerController", LOAD_BALANCER_CONTROLLER_POLICY.file);
        // git's blob id of the file, as the pin records it for docs/install/iam_policy.json at that tag.
        const blob = execFileSync("git", ["hash-object", file], { encoding: "utf8" }).trim();
        assert.equal(blob, LOAD_BALANCER_CONTROLLER_POLICY.gitBlob);
        assert.equal(LOAD_BALANCER_CONTROLLER_POLICY.version, `v${HELM_CHARTS.loadBalancerController.version}`, "the policy of the chart's controller version");
        assert.deepEqual(JSON.parse(fs.readFileSync(file, "utf8")), PUBLISHED_CONTROLLER_POLICY);
    });

    const grantsOf = (service: string) => (grant: string) => grant.includes(`"action":"${service}:`);

    it("keeps every published grant the controller can call, its effect, action and condition, and narrows only resources", () => {
        const scoped = controllerPolicy(SCOPE, { shieldAdvanced: true, webAcl: true });
        // WAF Classic goes always: the controller runs with enableWaf: false.
        assert.deepEqual(
            grants(scoped),
            grants(PUBLISHED_CONTROLLER_POLICY).filter((grant) => !grantsOf("waf-regional")(grant)),
        );
        for (const statement of scoped.Statement) {
            for (const resource of asList(statement.Resource).filter((r) => r !== "*")) {
                // This account and region (IAM and Shield ARNs have no region), and only this VPC.
                assert.match(resource, /^arn:aws:[a-z0-9-]+:(eu-west-1)?:111122223333:/, resource);
                assert.ok(!resource.includes(":vpc/") || resource.endsWith(`:vpc/${SCOPE.vpcId}`), resource);
            }
        }
    });

    it("drops Shield's grants unless Shield Advanced is on, AWS WAF's unless a web ACL is set, WAF Classic's always", () => {
        const published = grants(PUBLISHED_CONTROLLER_POLICY);
        for (const service of ["shield", "wafv2", "waf-regional"]) {
            assert.ok(published.some(grantsOf(service)), `the published policy grants ${service}`);
        }
        const without = (...services: string[]) => published.filter((grant) => !services.some((service) => grantsOf(service)(grant)));
        assert.deepEqual(grants(controllerPolicy(SCOPE, { shieldAdvanced: false, webAcl: false })), without("shield", "wafv2", "waf-regional"));
        assert.deepEqual(grants(controllerPolicy(SCOPE, { shieldAdvanced: false, webAcl: true })), without("shield", "waf-regional"));
        assert.deepEqual(grants(controllerPolicy(SCOPE, { shieldAdvanced: true, webAcl: false })), without("wafv2", "waf-regional"));
    });

    it("fails the IAM rules as published (writes on *), and passes them narrowed", async () => {
        const judge = async (document: PolicyDocument) =>
            (await evaluate([{ type: "aws:iam/rolePolicy:RolePolicy", name: "lbc", props: { role: "r", policy: JSON.stringify(document) } }])).filter(
                (violation) => violation.policy.startsWith("iam-"),
            );
        const published = await judge(PUBLISHED_CONTROLLER_POLICY);
        assert.ok(published.some((violation) => /ec2:CreateSecurityGroup allows write actions .* on "\*"/.test(violation.message)));
        assert.ok(published.some((violation) => /elasticloadbalancing:CreateLoadBalancer allows write actions/.test(violation.message)));
        assert.deepEqual(await judge(controllerPolicy(SCOPE, { shieldAdvanced: true, webAcl: true })), []);
    });

    for (const stack of STACKS) {
        it(`${stack}: the role's policy is the published one narrowed to the stack's account, region and VPC`, async () => {
            const rendered = await renderNamedStack(stack);
            const vpcId = String(oneOfType(rendered.resources, "aws:ec2/vpc:Vpc").id);
            const { region } = rendered.program.config;
            const features = controllerFeatures(rendered.program.config.loadBalancerController);
            assert.deepEqual(renderedControllerPolicy(rendered), controllerPolicy({ ...SCOPE, region, vpcId }, features));
        });
    }

    it("reads modern TLS policies the same way as the guardrails", () => {
        for (const [name, modern] of [
            ["ELBSecurityPolicy-TLS13-1-2-2021-06", true],
            ["ELBSecurityPolicy-TLS13-1-3-2021-06", true],
            ["ELBSecurityPolicy-TLS13-1-2-Res-2021-06", true],
            ["ELBSecurityPolicy-TLS-1-2-2017-01", true],
            ["ELBSecurityPolicy-FS-1-2-Res-2020-10", true],
            ["ELBSecurityPolicy-TLS-1-2-Ext-2018-06", false],
            ["ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", false],
            ["ELBSecurityPolicy-TLS13-1-1-2021-06", false],
            ["ELBSecurityPolicy-2016-08", false],
            ["ELBSecurityPolicy-FS-1-1-2019-08", false],
        ] as const) {
            assert.equal(isModernTlsPolicy(name), modern, name);
            assert.equal(packIsModernTlsPolicy(name), modern, name);
        }
    });
});

describe("AWS Load Balancer Controller: what each stack deploys", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            it("runs the pinned chart, highly available, with pod IP targets and the platform's defaults", async () => {
                const rendered = await renderNamedStack(stack);
                const chart = chartOf(rendered);
                assert.equal(chart.props.chart, HELM_CHARTS.loadBalancerController.chart);
                assert.equal(chart.props.version, HELM_CHARTS.loadBalancerController.version);
                assert.equal(chart.props.namespace, "platform-system");
                const values = valuesOf(rendered);
                assert.ok(values.replicaCount >= 2);
                assert.deepEqual(values.podDisruptionBudget, { maxUnavailable: 1 });
                assert.deepEqual(
                    (values.topologySpreadConstraints as Values[]).map((c) => [c.topologyKey, c.labelSelector.matchLabels["app.kubernetes.io/name"]]),
                    [
                        ["topology.kubernetes.io/zone", "aws-load-balancer-controller"],
                        ["kubernetes.io/hostname", "aws-load-balancer-controller"],
                    ],
                );
                assert.equal(values.defaultTargetType, "ip");
                assert.equal(values.defaultLoadBalancerScheme, "internal");
                assert.ok(isModernTlsPolicy(values.defaultSSLPolicy));
                assert.equal(values.clusterName, rendered.program.config.clusterName);
                assert.equal(values.region, rendered.program.config.region);
                assert.equal(values.enableWaf, false, "WAF Classic is discontinued");
                assert.equal(values.createIngressClassResource, false, "the platform creates its own classes");
                assert.deepEqual(values.ingressClassParams, { create: false });
                assert.deepEqual(values.securityContext.capabilities, { drop: ["ALL"] });
                assert.equal(values.podSecurityContext.seccompProfile.type, "RuntimeDefault");
                assert.deepEqual(values.serviceAccount.name, "aws-load-balancer-controller");
                assert.match(String(values.serviceAccount.annotations["eks.amazonaws.com/role-arn"]), /role\/[a-z-]+-lb-controller-irsa-[0-9a-f]+$/);
                assert.equal(values.defaultTags["eks-platform:environment"], rendered.program.config.environment);
                // The controller's webhook must answer before anything needs it: the chart waits for the nodes it runs on.
                for (const group of ofType(rendered.resources, "aws:autoscaling/group:Group")) {
                    assert.ok(chart.dependsOn.includes(group.urn), `the chart does not wait for ${group.name}`);
                }
            });

            it("gives every load balancer a backend group that pods admit on unprivileged ports only", async () => {
                const rendered = await renderNamedStack(stack);
                const backend = oneOfType(rendered.resources, "aws:ec2/securityGroup:SecurityGroup", "-lb-backend");
                assert.equal(valuesOf(rendered).backendSecurityGroup, backend.id);
                const nodeGroupId = await new Promise<string>((resolve) => rendered.program.platform.cluster.nodeSecurityGroupId.apply(resolve));
                const ingress = oneOfType(rendered.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "-pods-from-load-balancers").props;
                assert.deepEqual(
                    [ingress.securityGroupId, ingress.referencedSecurityGroupId, ingress.ipProtocol, ingress.fromPort, ingress.toPort],
                    [nodeGroupId, backend.id, "tcp", 1024, 65535],
                );
                const egress = oneOfType(rendered.resources, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "-load-balancers-to-pods").props;
                assert.deepEqual(
                    [egress.securityGroupId, egress.referencedSecurityGroupId, egress.fromPort, egress.toPort],
                    [backend.id, nodeGroupId, 1024, 65535],
                );
                // The ENIConfigs put the same group on every pod ENI in the pod subnets: the targets of ip-mode load balancers.
                const eniConfigs = ofType(rendered.resources, "kubernetes:crd.k8s.amazonaws.com/v1alpha1:ENIConfig");
                assert.ok(eniConfigs.every((e) => (e.props.spec as Values).securityGroups.includes(nodeGroupId)));
            });

            it("tags the subnets the controller discovers: public for internet-facing, private for internal, never the pod subnets", async () => {
                const rendered = await renderNamedStack(stack);
                const cluster = `kubernetes.io/cluster/${rendered.program.config.clusterName}`;
                for (const subnet of ofType(rendered.resources, "aws:ec2/subnet:Subnet")) {
                    const tags = subnet.props.tags as Record<string, string>;
                    const tier = tags.tier;
                    assert.equal(tags["kubernetes.io/role/elb"], tier === "public" ? "1" : undefined, subnet.name);
                    assert.equal(tags["kubernetes.io/role/internal-elb"], tier === "private" ? "1" : undefined, subnet.name);
                    assert.equal(tags[cluster], tier === "pods" ? undefined : "shared", subnet.name);
                }
            });

            it("creates the platform's IngressClasses: internal by default, internet-facing only where allowed, their parameters fixing scheme, targets, TLS and attributes", async () => {
                const rendered = await renderNamedStack(stack);
                const { config } = rendered.program;
                const settings = config.loadBalancerController;
                const params = new Map(ofType(rendered.resources, PARAMS).map((p) => [(p.props.metadata as Values).name as string, p]));
                const classes = ofType(rendered.resources, INGRESS_CLASS);
                assert.deepEqual([...params.keys()].sort(), settings.internetFacing.allowed ? ["alb", "alb-internet-facing"] : ["alb"]);
                assert.equal(classes.length, params.size);
                const chart = chartOf(rendered);
                for (const ingressClass of classes) {
                    const name = (ingressClass.props.metadata as Values).name as string;
                    const spec = params.get(name)!.props.spec as Values;
                    assert.deepEqual(ingressClass.props.spec, {
                        controller: "ingress.k8s.aws/alb",
                        parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name },
                    });
                    assert.ok(ingressClass.dependsOn.includes(params.get(name)!.urn), "the class after its parameters");
                    assert.ok(params.get(name)!.dependsOn.includes(chart.urn), "the parameters after the chart and its CRD");
                    assert.equal(spec.targetType, "ip");
                    assert.equal(spec.sslPolicy, settings.defaultTlsPolicy);
                    const attributes = Object.fromEntries((spec.loadBalancerAttributes as { key: string; value: string }[]).map((a) => [a.key, a.value]));
                    assert.equal(attributes["access_logs.s3.enabled"], "true");
                    assert.equal(attributes["access_logs.s3.bucket"], defaultAccessLogBucketName(config.clusterName, "111122223333"));
                    assert.equal(attributes["deletion_protection.enabled"], String(config.environment === "prod"));
                    assert.equal(attributes["routing.http.drop_invalid_header_fields.enabled"], "true");
                }
                assert.equal((params.get("alb")!.props.spec as Values).scheme, "internal");
                const defaults = classes.filter((c) => (c.props.metadata as Values).annotations?.["ingressclass.kubernetes.io/is-default-class"] === "true");
                assert.deepEqual(
                    defaults.map((c) => (c.props.metadata as Values).name),
                    ["alb"],
                );
                if (settings.internetFacing.allowed) {
                    const spec = params.get("alb-internet-facing")!.props.spec as Values;
                    assert.equal(spec.scheme, "internet-facing");
                    assert.equal(spec.sslRedirectPort, "443");
                    assert.deepEqual(spec.namespaceSelector.matchExpressions, [
                        { key: "kubernetes.io/metadata.name", operator: "In", values: settings.internetFacing.namespaces },
                    ]);
                }
            });

            it("writes access logs to a bucket of their own: SSE-S3, private, TLS only, writable by Elastic Load Balancing for this account only", async () => {
                const rendered = await renderNamedStack(stack);
                const under = (r: PlannedResource) => /AccessLogBucket/.test(r.urn);
                const bucket = ofType(rendered.resources, "aws:s3/bucket:Bucket").find(under)!;
                assert.equal(bucket.props.bucket, defaultAccessLogBucketName(rendered.program.config.clusterName, "111122223333"));
                const encryption = ofType(rendered.resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find(
                    under,
                )!;
                assert.deepEqual((encryption.props.rules as Values[])[0].applyServerSideEncryptionByDefault, { sseAlgorithm: "AES256" });
                assert.equal(
                    ofType(rendered.resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").find(under)!.props.restrictPublicBuckets,
                    true,
                );
                const policy = JSON.parse(String(ofType(rendered.resources, "aws:s3/bucketPolicy:BucketPolicy").find(under)!.props.policy)) as PolicyDocument;
                assert.deepEqual(
                    policy.Statement.map((s) => s.Sid),
                    ["DenyInsecureTransport", "AlbLogDelivery", "AlbLogDeliveryByRegionalElbAccount", "NlbLogDelivery", "NlbLogDeliveryAclCheck"],
                );
                const protect = rendered.program.config.protection.protectStatefulResources;
                assert.equal(bucket.options.protect, protect);
                // The chart waits for the bucket and its policy: a load balancer told to log elsewhere fails to create.
                assert.ok(
                    ofType(rendered.resources, "aws:s3/bucketPolicy:BucketPolicy")
                        .filter(under)
                        .every((p) => chartOf(rendered).dependsOn.includes(p.urn)),
                );
            });
        });
    }

    it("builds the access-log bucket policy for a region with no Elastic Load Balancing account from the service principals alone", () => {
        const document = accessLogBucketPolicy({ bucketArn: "arn:aws:s3:::logs", scope: SCOPE });
        const principals = document.Statement.filter((s: PolicyStatement) => s.Effect === "Allow").map((s) => JSON.stringify(s.Principal));
        assert.deepEqual(principals, [
            '{"Service":"logdelivery.elasticloadbalancing.amazonaws.com"}',
            '{"Service":"delivery.logs.amazonaws.com"}',
            '{"Service":"delivery.logs.amazonaws.com"}',
        ]);
        assert.deepEqual(
            document.Statement.filter((s) => s.Action === "s3:PutObject").map((s) => s.Resource),
            ["arn:aws:s3:::logs/alb/AWSLogs/111122223333/*", "arn:aws:s3:::logs/nlb/AWSLogs/111122223333/*"],
        );
    });
});

describe("AWS Load Balancer Controller: settings", () => {
    it("defaults to on, two replicas, internal only, TLS 1.2+ policy, access logs, deletion protection in prod only", () => {
        const dev = parseStackWith("dev").loadBalancerController;
        assert.equal(dev.enabled, true);
        assert.equal(dev.replicas, 2);
        assert.equal(dev.defaultTlsPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
        assert.equal(dev.accessLogs.enabled, true);
        assert.equal(parseStackWith("staging").loadBalancerController.internetFacing.allowed, false);
    });

    it("refuses an outdated TLS policy, prod without access logs or deletion protection, and ignored internet-facing settings, naming each", async () => {
        const lb = (settings: Record<string, unknown>) => ({ "eks-platform:loadBalancerController": settings });
        assert.match(
            await configErrorOf("dev", lb({ defaultTlsPolicy: "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06" })),
            /loadBalancerController\.defaultTlsPolicy = "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06": must allow only TLS 1\.2/,
        );
        const prod = await configErrorOf("prod", lb({ accessLogs: { enabled: false }, deletionProtection: false }));
        assert.match(prod, /loadBalancerController\.accessLogs\.enabled = false: must be true in prod/);
        assert.match(prod, /loadBalancerController\.deletionProtection = false: must not be false in prod/);
        const ignored = await configErrorOf(
            "staging",
            lb({
                internetFacing: {
                    webAclArn: "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/edge/a1b2c3d4-5678-90ab-cdef-0123456789ab",
                    shieldAdvanced: true,
                },
            }),
        );
        assert.match(ignored, /internetFacing\.webAclArn = .*: applies to internet-facing load balancers only/);
        assert.match(ignored, /internetFacing\.shieldAdvanced = true: applies to internet-facing load balancers only/);
        assert.match(
            await configErrorOf("dev", lb({ internetFacing: { allowed: true, namespaces: [] } })),
            /internetFacing\.namespaces = \[\]: must name the application namespaces/,
        );
        assert.match(
            await configErrorOf("dev", lb({ internetFacing: { allowed: true, namespaces: ["shop"] } })),
            /internetFacing\.namespaces = "shop": is not one of cluster\.applicationNamespaces \(apps\)/,
        );
        assert.match(
            await configErrorOf("dev", lb({ internetFacing: { webAclArn: "arn:aws:wafv2:us-east-1:111122223333:global/webacl/x/1" } })),
            /must be the ARN of a regional AWS WAF web ACL/,
        );
        assert.match(
            await configErrorOf("dev", lb({ accessLogs: { bucketName: "Not_A_Bucket" } })),
            /loadBalancerController\.accessLogs\.bucketName = "Not_A_Bucket"/,
        );
    });

    it("refuses turning the controller off while the sample workload needs it", async () => {
        assert.match(
            await configErrorOf("dev", { "eks-platform:loadBalancerController": { enabled: false } }),
            /loadBalancerController\.enabled = false: must be true while compute\.sampleWorkload is on/,
        );
    });

    it("refuses Shield Advanced in a stack without NAT: its API has no VPC endpoint", async () => {
        const message = await configErrorOf("dev", {
            "eks-platform:network": { natGateways: "none" },
            "eks-platform:loadBalancerController": { internetFacing: { allowed: true, namespaces: ["apps"], shieldAdvanced: true } },
        });
        assert.match(message, /loadBalancerController\.internetFacing\.shieldAdvanced = true: needs network\.natGateways/);
    });
});
