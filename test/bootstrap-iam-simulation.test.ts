// The delivery roles of the bootstrap project, simulated with their trust, inline policy and
// permissions boundary exactly as the shipped bootstrap stack renders them: who can assume the prod
// deploy role, and what the deploy and preview roles may and may not do once assumed.
import { strict as assert } from "assert";
import {
    deployBoundaryName,
    deployRoleName,
    environmentSubject,
    GITHUB_OIDC_ISSUER,
    previewBoundaryName,
    previewRoleName,
    workloadBoundaryName,
} from "../bootstrap/delivery";
import type { PlannedResource } from "../tools/harness/render";
import { renderBootstrapFile } from "./bootstrapSupport";
import { assumeWithWebIdentity, issuerOf, parsePolicy, simulate, type Decision, type Policy } from "./iamSimulation";
import { ofType } from "./support";

const ACCOUNT = "111122223333";
const REGION = "eu-west-1";
const REPOSITORY = "example-corp/eks-platform";
const STATE_BUCKET = "arn:aws:s3:::example-corp-pulumi-state-111122223333";
const WORKLOAD_BOUNDARY_NAME = workloadBoundaryName("eks-platform");
const WORKLOAD_BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/${WORKLOAD_BOUNDARY_NAME}`;
/** The request context of a role write: the boundary the role has, or is created or set with. */
const bounded = (arn = WORKLOAD_BOUNDARY) => ({ "iam:PermissionsBoundary": arn });

interface DeliveryRole {
    arn: string;
    trust: Policy;
    policy: Policy;
    boundary: Policy;
}

function byName(resources: PlannedResource[], type: string, name: string): PlannedResource {
    const [found] = ofType(resources, type).filter((resource) => resource.props.name === name);
    assert.ok(found, `${type} ${name}`);
    return found;
}

function deliveryRole(resources: PlannedResource[], roleName: string, boundaryName: string): DeliveryRole {
    const [role] = ofType(resources, "aws:iam/role:Role").filter((candidate) => candidate.props.name === roleName);
    assert.ok(role, roleName);
    const [inline] = ofType(resources, "aws:iam/rolePolicy:RolePolicy").filter((policy) => policy.props.role === role.props.name);
    const [boundary] = ofType(resources, "aws:iam/policy:Policy").filter((policy) => policy.props.name === boundaryName);
    assert.equal(role.props.permissionsBoundary, `arn:aws:iam::${ACCOUNT}:policy/${boundaryName}`);
    return {
        arn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`,
        trust: parsePolicy(role.props.assumeRolePolicy),
        policy: parsePolicy(inline.props.policy),
        boundary: parsePolicy(boundary.props.policy),
    };
}

/** Resources of the foundation the requests name, with the resource policies that govern them. */
interface Foundation {
    deploy: DeliveryRole;
    preview: DeliveryRole;
    /** A role a deployment created with the workload boundary and gave every permission (`*:*`). */
    workload: DeliveryRole;
    secretsKeyArn: string;
    keyPolicy: Policy;
    stateBucketPolicy: Policy;
}

async function foundation(): Promise<Foundation> {
    const { resources } = await renderBootstrapFile();
    const secretsAlias = ofType(resources, "aws:kms/alias:Alias").find((alias) => alias.props.name === "alias/eks-platform-pulumi-secrets")!;
    const secretsKey = ofType(resources, "aws:kms/key:Key").find((key) => key.id === secretsAlias.props.targetKeyId)!;
    const stateBucket = ofType(resources, "aws:s3/bucket:Bucket").find((bucket) => `arn:aws:s3:::${String(bucket.props.bucket)}` === STATE_BUCKET)!;
    const stateBucketPolicy = ofType(resources, "aws:s3/bucketPolicy:BucketPolicy").find((policy) => policy.props.bucket === stateBucket.id)!;
    return {
        deploy: deliveryRole(resources, deployRoleName("eks-platform", "prod"), deployBoundaryName("eks-platform")),
        preview: deliveryRole(resources, previewRoleName("eks-platform"), previewBoundaryName("eks-platform")),
        workload: {
            arn: iam("role/eks-platform-prod-node-0a1b2c3"),
            trust: { Version: "2012-10-17", Statement: [] },
            policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
            boundary: parsePolicy(byName(resources, "aws:iam/policy:Policy", WORKLOAD_BOUNDARY_NAME).props.policy),
        },
        secretsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${secretsKey.id}`,
        keyPolicy: parsePolicy(secretsKey.props.policy),
        stateBucketPolicy: parsePolicy(stateBucketPolicy.props.policy),
    };
}

interface Request {
    title: string;
    action: string;
    resource: string;
    context?: Record<string, string | string[]>;
    /** Refused by an explicit Deny (a boundary's guard), not merely never granted. */
    guarded?: boolean;
}

function request(role: DeliveryRole, { action, resource, context }: Request, resourcePolicy?: Policy): Promise<Decision> {
    return simulate({
        request: { principal: role.arn, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context ?? {} },
        identityPolicies: [{ name: "inline", policy: role.policy }],
        permissionBoundaryPolicies: [{ name: "boundary", policy: role.boundary }],
        resourcePolicy,
    });
}

/** The resource policy AWS evaluates with the request: the key's for KMS, the bucket's for the state bucket. */
function resourcePolicyFor(f: Foundation, resource: string): Policy | undefined {
    if (resource === f.secretsKeyArn) {
        return f.keyPolicy;
    }
    return resource.startsWith(STATE_BUCKET) ? f.stateBucketPolicy : undefined;
}

const TLS = { "aws:SecureTransport": "true" };
const stateObject = (key: string) => `${STATE_BUCKET}/${key}`;
const iam = (resource: string) => `arn:aws:iam::${ACCOUNT}:${resource}`;
const ec2 = (resource: string, region = REGION) => `arn:aws:ec2:${region}:${ACCOUNT}:${resource}`;

describe("IAM simulation of the delivery roles (bootstrap/stacks/Pulumi.platform.yaml)", () => {
    describe("the prod deploy role's trust", () => {
        const token = (sub: string, aud = "sts.amazonaws.com", issuer = GITHUB_OIDC_ISSUER) => ({ issuer, sub, aud });

        it("admits the prod environment's token of this repository", async () => {
            const { deploy } = await foundation();
            const trustedIssuer = issuerOf(String(deploy.trust.Statement[0].Principal.Federated));
            assert.equal(
                await assumeWithWebIdentity(
                    deploy.arn,
                    deploy.trust,
                    trustedIssuer,
                    token(environmentSubject("example-corp", "eks-platform", "prod")),
                    ACCOUNT,
                ),
                "Allowed",
            );
        });

        for (const [title, misused] of [
            ["another repository's prod environment", token("repo:example-corp/eks-platform-fork:environment:prod")],
            ["a repository of the same name under another owner", token("repo:attacker/eks-platform:environment:prod")],
            ["another environment of this repository", token(`repo:${REPOSITORY}:environment:staging`)],
            ["a branch (a job outside any environment)", token(`repo:${REPOSITORY}:ref:refs/heads/main`)],
            ["a pull request", token(`repo:${REPOSITORY}:pull_request`)],
            ["a token minted for another audience", token(`repo:${REPOSITORY}:environment:prod`, "https://github.com/example-corp")],
            [
                "the same subject from another issuer",
                token(`repo:${REPOSITORY}:environment:prod`, "sts.amazonaws.com", "oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"),
            ],
        ] as const) {
            it(`refuses ${title}`, async () => {
                const { deploy } = await foundation();
                const trustedIssuer = issuerOf(String(deploy.trust.Statement[0].Principal.Federated));
                assert.notEqual(await assumeWithWebIdentity(deploy.arn, deploy.trust, trustedIssuer, misused, ACCOUNT), "Allowed");
            });
        }

        it("the preview role admits this repository's pull requests, and refuses its prod environment and another repository", async () => {
            const { preview } = await foundation();
            const trustedIssuer = issuerOf(String(preview.trust.Statement[0].Principal.Federated));
            const assume = (sub: string) => assumeWithWebIdentity(preview.arn, preview.trust, trustedIssuer, token(sub), ACCOUNT);
            assert.equal(await assume(`repo:${REPOSITORY}:pull_request`), "Allowed");
            assert.notEqual(await assume(`repo:${REPOSITORY}:environment:prod`), "Allowed");
            assert.notEqual(await assume("repo:example-corp/other:pull_request"), "Allowed");
        });
    });

    const deployAllowed: Request[] = [
        { title: "create the cluster", action: "eks:CreateCluster", resource: "*" },
        { title: "create a VPC in its region", action: "ec2:CreateVpc", resource: ec2("vpc/*") },
        {
            title: "create a role of its stack with the workload boundary",
            action: "iam:CreateRole",
            resource: iam("role/eks-platform-prod-node-0a1b2c3"),
            context: bounded(),
        },
        {
            title: "give a role of its stack that carries the workload boundary an inline policy",
            action: "iam:PutRolePolicy",
            resource: iam("role/eks-platform-prod-node-0a1b2c3"),
            context: bounded(),
        },
        {
            title: "attach a managed policy to a role of its stack that carries the workload boundary",
            action: "iam:AttachRolePolicy",
            resource: iam("role/eks-platform-prod-node-0a1b2c3"),
            context: { ...bounded(), "iam:PolicyARN": "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy" },
        },
        {
            title: "put the workload boundary on a role of its stack (a role created before the boundary existed)",
            action: "iam:PutRolePermissionsBoundary",
            resource: iam("role/eks-platform-prod-node-0a1b2c3"),
            context: bounded(),
        },
        { title: "pass a role of its stack", action: "iam:PassRole", resource: iam("role/eks-platform-prod-node-0a1b2c3") },
        { title: "create its stack's log bucket", action: "s3:CreateBucket", resource: "arn:aws:s3:::eks-platform-prod-logs-111122223333" },
        { title: "write its stack's checkpoint", action: "s3:PutObject", resource: stateObject(".pulumi/stacks/eks-platform/prod.json"), context: TLS },
        {
            title: "take its stack's lock",
            action: "s3:PutObject",
            resource: stateObject(".pulumi/locks/organization/eks-platform/prod/0a1b.json"),
            context: TLS,
        },
        { title: "encrypt a stack secret", action: "kms:Encrypt", resource: "SECRETS_KEY" },
    ];
    const deployDenied: Request[] = [
        { title: "create a role of the dev stack", action: "iam:CreateRole", resource: iam("role/eks-platform-dev-node-0a1b2c3"), context: bounded() },
        // The escalation the workload boundary closes: a role of its own stack, with `*:*`, passed to an instance.
        { guarded: true, title: "create a role of its stack without a boundary", action: "iam:CreateRole", resource: iam("role/eks-platform-prod-x") },
        {
            guarded: true,
            title: "create a role of its stack with a boundary of its own making",
            action: "iam:CreateRole",
            resource: iam("role/eks-platform-prod-x"),
            context: bounded(iam("policy/eks-platform-prod-wide-open")),
        },
        {
            guarded: true,
            title: "create a role of its stack with its own (the deploy) boundary",
            action: "iam:CreateRole",
            resource: iam("role/eks-platform-prod-x"),
            context: bounded(iam("policy/eks-platform-deploy-boundary")),
        },
        {
            guarded: true,
            title: "swap a role's boundary for a policy of its stack",
            action: "iam:PutRolePermissionsBoundary",
            resource: iam("role/eks-platform-prod-node-0a1b2c3"),
            context: bounded(iam("policy/eks-platform-prod-wide-open")),
        },
        {
            guarded: true,
            title: "give a role of its stack without a boundary an inline policy",
            action: "iam:PutRolePolicy",
            resource: iam("role/eks-platform-prod-node-0a1b2c3"),
        },
        {
            guarded: true,
            title: "attach a managed policy to a role of its stack without a boundary",
            action: "iam:AttachRolePolicy",
            resource: iam("role/eks-platform-prod-node-0a1b2c3"),
            context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy" },
        },
        {
            guarded: true,
            title: "remove the workload boundary from a role of its stack",
            action: "iam:DeleteRolePermissionsBoundary",
            resource: iam("role/eks-platform-prod-node-0a1b2c3"),
            context: bounded(),
        },
        { guarded: true, title: "rewrite the workload boundary", action: "iam:CreatePolicyVersion", resource: WORKLOAD_BOUNDARY },
        {
            guarded: true,
            title: "make another version of the workload boundary the default",
            action: "iam:SetDefaultPolicyVersion",
            resource: WORKLOAD_BOUNDARY,
        },
        { guarded: true, title: "delete the workload boundary", action: "iam:DeletePolicy", resource: WORKLOAD_BOUNDARY },
        { title: "write the dev stack's state", action: "s3:PutObject", resource: stateObject(".pulumi/stacks/eks-platform/dev.json"), context: TLS },
        {
            title: "write the bootstrap stack's state",
            action: "s3:PutObject",
            resource: stateObject(".pulumi/stacks/eks-platform-bootstrap/platform.json"),
            context: TLS,
        },
        {
            guarded: true,
            title: "purge a state version",
            action: "s3:DeleteObjectVersion",
            resource: stateObject(".pulumi/stacks/eks-platform/prod.json"),
            context: TLS,
        },
        { guarded: true, title: "delete the state bucket", action: "s3:DeleteBucket", resource: STATE_BUCKET, context: TLS },
        { guarded: true, title: "widen its own trust", action: "iam:UpdateAssumeRolePolicy", resource: iam("role/eks-platform-deploy-prod") },
        { guarded: true, title: "detach its boundary", action: "iam:DeleteRolePermissionsBoundary", resource: iam("role/eks-platform-deploy-prod") },
        { guarded: true, title: "rewrite the boundary", action: "iam:CreatePolicyVersion", resource: iam("policy/eks-platform-deploy-boundary") },
        {
            guarded: true,
            title: "attach AdministratorAccess to a role of its stack",
            action: "iam:AttachRolePolicy",
            resource: iam("role/eks-platform-prod-node-0a1b2c3"),
            context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" },
        },
        {
            guarded: true,
            title: "assume a role of its stack (one it could have created to trust itself)",
            action: "sts:AssumeRole",
            resource: iam("role/eks-platform-prod-node-0a1b2c3"),
        },
        { title: "create an IAM user", action: "iam:CreateUser", resource: iam("user/backdoor") },
        { title: "create a VPC in another region", action: "ec2:CreateVpc", resource: ec2("vpc/*", "us-east-1") },
        { title: "turn off EBS encryption by default", action: "ec2:DisableEbsEncryptionByDefault", resource: "*" },
        { guarded: true, title: "schedule the secrets key's deletion", action: "kms:ScheduleKeyDeletion", resource: "SECRETS_KEY" },
        {
            guarded: true,
            title: "add a route to the tooling network",
            action: "ec2:CreateRoute",
            resource: ec2("route-table/rtb-0a1b2c3d4e5f60001"),
            context: { "aws:ResourceTag/eks-platform:delivery": "foundation" },
        },
        {
            guarded: true,
            title: "delete a runner's build logs",
            action: "logs:DeleteLogGroup",
            resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/codebuild/eks-platform-runner-prod`,
        },
        { title: "leave the organisation", action: "organizations:LeaveOrganization", resource: "*" },
    ];
    const previewAllowed: Request[] = [
        { title: "read a stack's checkpoint", action: "s3:GetObject", resource: stateObject(".pulumi/stacks/eks-platform/prod.json"), context: TLS },
        { title: "decrypt a stack secret", action: "kms:Decrypt", resource: "SECRETS_KEY" },
        { title: "describe VPCs", action: "ec2:DescribeVpcs", resource: "*" },
        { title: "describe the cluster", action: "eks:DescribeCluster", resource: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/eks-platform-prod` },
    ];
    const previewDenied: Request[] = [
        {
            guarded: true,
            title: "write a stack's checkpoint",
            action: "s3:PutObject",
            resource: stateObject(".pulumi/stacks/eks-platform/prod.json"),
            context: TLS,
        },
        {
            guarded: true,
            title: "take a stack's lock",
            action: "s3:PutObject",
            resource: stateObject(".pulumi/locks/organization/eks-platform/prod/0a1b.json"),
            context: TLS,
        },
        {
            title: "read the bootstrap stack's state",
            action: "s3:GetObject",
            resource: stateObject(".pulumi/stacks/eks-platform-bootstrap/platform.json"),
            context: TLS,
        },
        { guarded: true, title: "encrypt a secret", action: "kms:Encrypt", resource: "SECRETS_KEY" },
        { title: "create a VPC", action: "ec2:CreateVpc", resource: ec2("vpc/*") },
        { title: "read archived logs", action: "s3:GetObject", resource: "arn:aws:s3:::eks-platform-prod-logs-111122223333/fluent-bit-logs/x.gz" },
        { title: "read a private parameter", action: "ssm:GetParameter", resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/prod/database-password` },
        {
            title: "read log events",
            action: "logs:GetLogEvents",
            resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/eks/eks-platform-prod/cluster:log-stream:x`,
        },
        { title: "receive queue messages", action: "sqs:ReceiveMessage", resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:eks-platform-prod-interruptions` },
    ];

    // What the escalation would have been: the deployer creates a role of its stack with every
    // permission and passes it to an instance. With the workload boundary that role gets only this.
    const workloadAllowed: Request[] = [
        { title: "describe instances (the kubelet)", action: "ec2:DescribeInstances", resource: "*" },
        { title: "create a pod ENI (the VPC CNI)", action: "ec2:CreateNetworkInterface", resource: ec2("network-interface/*") },
        { title: "pull images", action: "ecr:GetAuthorizationToken", resource: "*" },
        {
            title: "report to Systems Manager (the node's agent)",
            action: "ssm:UpdateInstanceInformation",
            resource: ec2("instance/i-0123456789abcdef0"),
        },
        {
            title: "hand out pod credentials (EKS Pod Identity)",
            action: "eks-auth:AssumeRoleForPodIdentity",
            resource: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/eks-platform-prod`,
        },
        {
            title: "ship logs (Fluent Bit)",
            action: "logs:PutLogEvents",
            resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/containerinsights/eks-platform-prod/application:log-stream:x`,
        },
        {
            title: "create the Elastic Load Balancing service-linked role (the cluster role)",
            action: "iam:CreateServiceLinkedRole",
            resource: iam("role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing"),
            context: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" },
        },
    ];
    const workloadDenied: Request[] = [
        { title: "create a role, even with the workload boundary", action: "iam:CreateRole", resource: iam("role/eks-platform-prod-y"), context: bounded() },
        { title: "give a role an inline policy", action: "iam:PutRolePolicy", resource: iam("role/eks-platform-prod-node-0a1b2c3"), context: bounded() },
        { title: "create an IAM user", action: "iam:CreateUser", resource: iam("user/backdoor") },
        { title: "rewrite the workload boundary", action: "iam:CreatePolicyVersion", resource: WORKLOAD_BOUNDARY },
        {
            title: "create a service-linked role of a service the platform does not use",
            action: "iam:CreateServiceLinkedRole",
            resource: iam("role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"),
            context: { "iam:AWSServiceName": "ecs.amazonaws.com" },
        },
        { guarded: true, title: "assume another role", action: "sts:AssumeRole", resource: iam("role/eks-platform-deploy-prod") },
        { guarded: true, title: "read a stack's state", action: "s3:GetObject", resource: stateObject(".pulumi/stacks/eks-platform/prod.json"), context: TLS },
        { guarded: true, title: "decrypt a stack secret", action: "kms:Decrypt", resource: "SECRETS_KEY" },
        {
            guarded: true,
            title: "read a runner's build logs",
            action: "logs:GetLogEvents",
            resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/codebuild/eks-platform-runner-prod:log-stream:x`,
        },
        {
            guarded: true,
            title: "add a route to the tooling network",
            action: "ec2:CreateRoute",
            resource: ec2("route-table/rtb-0a1b2c3d4e5f60001"),
            context: { "aws:ResourceTag/eks-platform:delivery": "foundation" },
        },
        {
            title: "create a Lambda function (a service the platform does not use)",
            action: "lambda:CreateFunction",
            resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:x`,
        },
        { title: "leave the organisation", action: "organizations:LeaveOrganization", resource: "*" },
        {
            title: "run a command on another instance",
            action: "ssm:SendCommand",
            resource: ec2("instance/i-0fedcba9876543210"),
        },
    ];

    for (const [who, pick, allowed, denied] of [
        ["the prod deploy role", (f: Foundation) => f.deploy, deployAllowed, deployDenied],
        ["the preview role", (f: Foundation) => f.preview, previewAllowed, previewDenied],
        ["a role of a platform stack with every permission, under the workload boundary", (f: Foundation) => f.workload, workloadAllowed, workloadDenied],
    ] as const) {
        describe(who, () => {
            const resolve = (f: Foundation, r: Request): Request => ({ ...r, resource: r.resource === "SECRETS_KEY" ? f.secretsKeyArn : r.resource });
            for (const entry of allowed) {
                it(`may ${entry.title}`, async () => {
                    const f = await foundation();
                    const resolved = resolve(f, entry);
                    assert.equal(await request(pick(f), resolved, resourcePolicyFor(f, resolved.resource)), "Allowed");
                });
            }
            for (const entry of denied) {
                it(`may not ${entry.title}${entry.guarded ? " (an explicit guard)" : ""}`, async () => {
                    const f = await foundation();
                    const resolved = resolve(f, entry);
                    const decision = await request(pick(f), resolved, resourcePolicyFor(f, resolved.resource));
                    if (entry.guarded) {
                        assert.equal(decision, "ExplicitlyDenied");
                    } else {
                        assert.notEqual(decision, "Allowed");
                    }
                });
            }
        });
    }
});
