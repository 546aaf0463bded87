/**
 * The delivery identities' policy documents, as pure functions of names and ARNs, so the tests
 * simulate exactly what the program attaches. Two identities per account: per environment a deploy
 * role (GitHub environment <env> only) that runs `pulumi up` of that platform stack, and one
 * preview role (pull requests of the repository) that reads what `pulumi preview` reads.
 */
import type { PolicyDocument, PolicyStatement } from "../components/iam/policyDocument";
import {
    environmentSubject,
    FOUNDATION_TAG,
    GITHUB_OIDC_ISSUER,
    platformResourcePrefix,
    pullRequestSubject,
    STS_AUDIENCE,
    workloadBoundaryArn,
} from "./delivery";

/** Where the delivery identities live and what they may touch. */
export interface DeliveryScope {
    partition: string;
    region: string;
    accountId: string;
    /** The platform's Pulumi project name (the prefix of every name). */
    project: string;
    /** ARN of the IAM OIDC provider of GitHub Actions. */
    oidcProviderArn: string;
    /** The self-managed backend, when there is one. */
    state?: { bucketArn: string; bucketKeyArn: string; secretsKeyArn: string };
    /** Resources of the delivery foundation that no deployment may change. */
    foundation: { bucketArns: string[]; keyArns: string[]; aliasArns: string[]; iamArns: string[]; logGroupArns: string[] };
}

/**
 * Services whose resources the platform manages, with the IAM actions a preview may call on
 * them: configuration reads only, never data (no log events, queue messages, objects, parameters).
 */
const PLATFORM_SERVICE_READS: Record<string, string[]> = {
    ec2: ["ec2:Describe*"],
    eks: ["eks:Describe*", "eks:List*"],
    iam: ["iam:GetRole", "iam:GetRolePolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:GetInstanceProfile", "iam:GetOpenIDConnectProvider", "iam:List*"],
    kms: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListResourceTags"],
    logs: ["logs:DescribeLogGroups", "logs:ListTagsForResource"],
    events: ["events:DescribeRule", "events:ListTargetsByRule", "events:ListTagsForResource"],
    sqs: ["sqs:GetQueueAttributes", "sqs:ListQueueTags"],
    autoscaling: ["autoscaling:Describe*"],
    elasticfilesystem: ["elasticfilesystem:Describe*"],
    fsx: ["fsx:Describe*", "fsx:ListTagsForResource"],
    "vpc-lattice": ["vpc-lattice:Get*", "vpc-lattice:List*"],
    appmesh: ["appmesh:Describe*", "appmesh:List*"],
    // Describe* (repositories, cache rules, creation templates, the registry) keeps the boundary under IAM's 6,144 characters.
    ecr: ["ecr:Describe*", "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy", "ecr:GetRegistryScanningConfiguration", "ecr:ListTagsForResource"],
    s3: ["s3:GetBucket*", "s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration"],
    // The log archive's catalog and workgroup: table definitions and saved queries, never query results.
    glue: ["glue:GetDatabase", "glue:GetTable", "glue:GetTags"],
    athena: ["athena:GetWorkGroup", "athena:GetNamedQuery", "athena:ListNamedQueries", "athena:ListTagsForResource"],
};

/** Regional services whose resources the deploy role creates and changes, in its own account and region. */
export const REGIONAL_DEPLOY_SERVICES = [
    "ec2",
    "eks",
    "autoscaling",
    "elasticfilesystem",
    "fsx",
    "logs",
    "events",
    "sqs",
    "vpc-lattice",
    "appmesh",
    "kms",
    "glue",
    "athena",
];

/**
 * What the deploy role does to the stack's ECR repositories: create, configure and delete them. No
 * image writes (push, delete, import, replicate): images come from CI's publishers and the cache.
 */
export const REPOSITORY_MANAGEMENT = [
    "ecr:CreateRepository",
    "ecr:DeleteRepository",
    "ecr:PutImageScanningConfiguration",
    "ecr:PutImageTagMutability",
    "ecr:PutLifecyclePolicy",
    "ecr:DeleteLifecyclePolicy",
    "ecr:SetRepositoryPolicy",
    "ecr:DeleteRepositoryPolicy",
    "ecr:TagResource",
    "ecr:UntagResource",
];

/** Create actions that IAM authorizes only on "*" (no resource-level permissions) and the platform calls. */
const ACCOUNT_WIDE_CREATES = [
    "eks:CreateCluster",
    "elasticfilesystem:CreateFileSystem",
    "kms:CreateKey",
    // The registry's own settings: pull-through cache rules, creation templates, scanning and
    // replication are properties of the account's registry, not of a repository.
    "ecr:CreatePullThroughCacheRule",
    "ecr:UpdatePullThroughCacheRule",
    "ecr:DeletePullThroughCacheRule",
    "ecr:CreateRepositoryCreationTemplate",
    "ecr:UpdateRepositoryCreationTemplate",
    "ecr:DeleteRepositoryCreationTemplate",
    "ecr:PutRegistryScanningConfiguration",
    "ecr:PutReplicationConfiguration",
];

/** Services whose service-linked roles a platform deployment may create on first use. */
const SERVICE_LINKED_ROLES = [
    "eks.amazonaws.com",
    "autoscaling.amazonaws.com",
    "spot.amazonaws.com",
    "elasticfilesystem.amazonaws.com",
    "fsx.amazonaws.com",
    "s3.data-source.lustre.fsx.amazonaws.com",
    "vpc-lattice.amazonaws.com",
    "appmesh.amazonaws.com",
    "replication.ecr.amazonaws.com",
];

/**
 * What `pulumi up` does to the roles of its stack besides granting them permissions: read, describe,
 * tag, change the trust, revoke, pass to a service, delete. Never DeleteRolePermissionsBoundary.
 */
const ROLE_MANAGEMENT_ACTIONS = [
    "iam:GetRole",
    "iam:ListRoleTags",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
    "iam:UpdateAssumeRolePolicy",
    "iam:GetRolePolicy",
    "iam:ListRolePolicies",
    "iam:ListAttachedRolePolicies",
    "iam:ListInstanceProfilesForRole",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PassRole",
    "iam:DeleteRole",
];

/**
 * The actions that give a role permissions (or a new boundary). IAM sets `iam:PermissionsBoundary` on
 * each to the boundary the role has, or is created or set with: the deploy roles may call them only
 * when that is the workload boundary.
 */
const BOUNDED_ROLE_GRANTS = ["iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:AttachRolePolicy"];

/**
 * The services the platform's roles use, by the AWS managed and inline policies the program attaches:
 * the cluster's service role (EC2, Elastic Load Balancing, Auto Scaling, KMS), the nodes (EC2, EKS,
 * EKS Pod Identity, ECR pulls, Systems Manager), the IRSA roles (VPC CNI and CSI drivers, Fluent Bit and
 * the CloudWatch agent, the termination handler, the cluster autoscaler, the mesh controllers) and the
 * flow-log role. Granted whole on this account's resources in this region; ECR, S3, the Systems Manager
 * agent and the calls that name no resource are granted by action below. IAM and STS are not among them.
 */
const WORKLOAD_SERVICES = [
    "ec2",
    "eks",
    "eks-auth",
    "autoscaling",
    "elasticloadbalancing",
    "elasticfilesystem",
    "fsx",
    "kms",
    "logs",
    "cloudwatch",
    "xray",
    "sqs",
    "vpc-lattice",
    "appmesh",
];

/** Image pulls (AmazonEC2ContainerRegistryPullOnly; its pull-through imports are granted on this account's repositories only, below). */
const WORKLOAD_IMAGE_PULLS = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"];

/**
 * The Systems Manager agent's calls that name a resource (AmazonSSMManagedInstanceCore, and the CloudWatch
 * agent's parameter reads); not the rest of `ssm`, which runs commands on other instances.
 */
const WORKLOAD_SSM_AGENT_ACTIONS = [
    "ssm:DescribeAssociation",
    "ssm:DescribeDocument",
    "ssm:GetDocument",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:ListInstanceAssociations",
    "ssm:PutComplianceItems",
    "ssm:UpdateAssociationStatus",
    "ssm:UpdateInstanceAssociationStatus",
    "ssm:UpdateInstanceInformation",
];

/** Object reads and writes; the platform's roles only write (Fluent Bit's archive). */
const WORKLOAD_OBJECT_ACTIONS = [
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "s3:GetBucketLocation",
    "s3:AbortMultipartUpload",
    "s3:ListMultipartUploadParts",
];

/**
 * The calls of the platform's roles that IAM authorizes only on "*" (no resource-level permissions):
 * describes and lists, ECR's token, the SSM agent's channels, X-Ray's segments, the tagging API.
 */
const WORKLOAD_UNSCOPED_ACTIONS = [
    "ec2:Describe*",
    "ec2:GetInstanceTypesFromInstanceRequirements",
    "autoscaling:Describe*",
    "elasticloadbalancing:Describe*",
    "elasticfilesystem:Describe*",
    "fsx:Describe*",
    "eks:List*",
    "kms:ListAliases",
    "logs:DescribeLogGroups",
    "ecr:GetAuthorizationToken",
    "ssm:ListAssociations",
    "ssm:GetManifest",
    "ssm:GetDeployablePatchSnapshotForInstance",
    "ssm:PutConfigurePackageResult",
    "ssm:PutInventory",
    "ssmmessages:*",
    "ec2messages:*",
    "xray:GetSampling*",
    "xray:PutTelemetryRecords",
    "xray:PutTraceSegments",
    "vpc-lattice:List*",
    "appmesh:List*",
    "tag:GetResources",
    "tag:TagResources",
    "tag:UntagResources",
];

/**
 * What the AWS Load Balancer Controller calls beside Elastic Load Balancing itself
 * (components/loadBalancerController/controllerPolicy.ts): certificates for HTTPS listeners, Cognito
 * clients for authenticating rules, web ACLs and Shield protection of its load balancers. These are
 * the calls IAM authorizes on "*" (or that only read); server certificates are IAM's only reads here.
 */
const WORKLOAD_LOAD_BALANCER_READS = [
    "acm:DescribeCertificate",
    "acm:ListCertificates",
    "cognito-idp:DescribeUserPoolClient",
    "iam:GetServerCertificate",
    "iam:ListServerCertificates",
    "shield:CreateProtection",
    "shield:DescribeProtection",
    "shield:GetSubscriptionState",
    "wafv2:GetWebACL",
    "wafv2:GetWebACLForResource",
];

/**
 * The controller's writes that name a resource: attaching web ACLs to its ALBs, removing Shield
 * protections. Not WAF Classic (waf-regional), which the platform runs the controller without.
 */
const WORKLOAD_LOAD_BALANCER_WRITES = ["wafv2:AssociateWebACL", "wafv2:DisassociateWebACL", "shield:DeleteProtection"];

/** Service-linked roles the platform's roles create on first use (the cluster role for load balancers, the FSx driver, the mesh controllers). */
const WORKLOAD_SERVICE_LINKED_ROLES = ["elasticloadbalancing.amazonaws.com", "fsx.amazonaws.com", "vpc-lattice.amazonaws.com", "appmesh.amazonaws.com"];

/** AWS managed policies that amount to standing administration; no delivery identity may attach them. */
const ADMIN_MANAGED_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];

function document(...statements: PolicyStatement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/**
 * Trust of a delivery role: GitHub's token for exactly one subject, minted for STS. StringEquals
 * (not StringLike) on both claims, so no pattern can widen it to another repository or context.
 */
function githubTrustPolicy(oidcProviderArn: string, subject: string): PolicyDocument {
    return document({
        Sid: "GitHubActionsOfOneRepositoryContext",
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${GITHUB_OIDC_ISSUER}:aud`]: STS_AUDIENCE, [`${GITHUB_OIDC_ISSUER}:sub`]: subject } },
    });
}

export function deployTrustPolicy(oidcProviderArn: string, owner: string, repository: string, environment: string): PolicyDocument {
    return githubTrustPolicy(oidcProviderArn, environmentSubject(owner, repository, environment));
}

export function previewTrustPolicy(oidcProviderArn: string, owner: string, repository: string): PolicyDocument {
    return githubTrustPolicy(oidcProviderArn, pullRequestSubject(owner, repository));
}

function readStatement(): PolicyStatement {
    return { Sid: "ReadPlatformConfiguration", Effect: "Allow", Action: Object.values(PLATFORM_SERVICE_READS).flat(), Resource: "*" };
}

/** The EKS AMI IDs and other public parameters AWS publishes; the program resolves AMIs through them. */
function publicParameterStatement(scope: DeliveryScope): PolicyStatement {
    return {
        Sid: "ReadAwsPublicParameters",
        Effect: "Allow",
        Action: ["ssm:GetParameter", "ssm:GetParameters"],
        // Their ARNs have no account ("arn:aws:ssm:<region>::parameter/aws/service/..."); `*` matches the empty one.
        Resource: `arn:${scope.partition}:ssm:${scope.region}:*:parameter/aws/service/*`,
    };
}

/** Object keys of one stack in a DIY backend: its checkpoint, history, backups and locks. */
function stackStateKeys(project: string, stack: string): string[] {
    return [
        `.pulumi/stacks/${project}/${stack}.json*`,
        `.pulumi/history/${project}/${stack}/*`,
        `.pulumi/backups/${project}/${stack}/*`,
        `.pulumi/locks/organization/${project}/${stack}/*`,
    ];
}

function stateStatements(scope: DeliveryScope, environment: string | undefined): PolicyStatement[] {
    if (!scope.state) {
        return [];
    }
    const { bucketArn, bucketKeyArn, secretsKeyArn } = scope.state;
    const s3Service = `s3.${scope.region}.amazonaws.com`;
    const statements: PolicyStatement[] = [
        {
            Sid: "ListState",
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: bucketArn,
            Condition: { StringLike: { "s3:prefix": ".pulumi/*" } },
        },
    ];
    if (environment === undefined) {
        statements.push(
            {
                Sid: "ReadPlatformState",
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: [`${bucketArn}/.pulumi/meta.yaml`, `${bucketArn}/.pulumi/stacks/${scope.project}/*`],
            },
            // Reading an SSE-KMS object decrypts its data key; only through S3.
            {
                Sid: "DecryptStateObjects",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: bucketKeyArn,
                Condition: { StringEquals: { "kms:ViaService": s3Service } },
            },
            { Sid: "DecryptStackSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: secretsKeyArn },
        );
    } else {
        statements.push(
            { Sid: "ReadBackendVersion", Effect: "Allow", Action: "s3:GetObject", Resource: `${bucketArn}/.pulumi/meta.yaml` },
            {
                Sid: "WriteOwnStackState",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                Resource: stackStateKeys(scope.project, environment).map((key) => `${bucketArn}/${key}`),
            },
            {
                Sid: "EncryptStateObjects",
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: bucketKeyArn,
                Condition: { StringEquals: { "kms:ViaService": s3Service } },
            },
            { Sid: "EncryptStackSecrets", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], Resource: secretsKeyArn },
        );
    }
    return statements;
}

/** What `pulumi preview` of any platform stack of this account needs, and nothing that writes. */
export function previewPolicy(scope: DeliveryScope): PolicyDocument {
    return document(readStatement(), publicParameterStatement(scope), ...stateStatements(scope, undefined));
}

function repositoryStatement({ partition, region, accountId }: DeliveryScope): PolicyStatement {
    return {
        Sid: "ManageRepositoriesInRegion",
        Effect: "Allow",
        Action: REPOSITORY_MANAGEMENT,
        Resource: `arn:${partition}:ecr:${region}:${accountId}:repository/*`,
    };
}

/**
 * What `pulumi up` of one platform stack needs: the platform's services in this account and region,
 * IAM and S3 only under the stack's own name prefix, and its own state.
 */
export function deployPolicy(scope: DeliveryScope, environment: string): PolicyDocument {
    const { partition, region, accountId } = scope;
    const prefix = platformResourcePrefix(scope.project, environment);
    const iam = (resource: string) => `arn:${partition}:iam::${accountId}:${resource}`;
    return document(
        readStatement(),
        publicParameterStatement(scope),
        {
            Sid: "ManagePlatformResourcesInRegion",
            Effect: "Allow",
            Action: REGIONAL_DEPLOY_SERVICES.map((service) => `${service}:*`),
            Resource: [
                ...REGIONAL_DEPLOY_SERVICES.map((service) => `arn:${partition}:${service}:${region}:${accountId}:*`),
                // Launch templates and instances name AWS-owned AMIs and snapshots, whose ARNs carry no account.
                `arn:${partition}:ec2:${region}::image/*`,
                `arn:${partition}:ec2:${region}::snapshot/*`,
            ],
        },
        { Sid: "CreateAccountWideResources", Effect: "Allow", Action: ACCOUNT_WIDE_CREATES, Resource: "*" },
        repositoryStatement(scope),
        { Sid: "ManageOwnRoles", Effect: "Allow", Action: ROLE_MANAGEMENT_ACTIONS, Resource: iam(`role/${prefix}-*`) },
        // A role may be created or granted permissions only while it carries the workload boundary,
        // so whatever policy the deployer writes, the role can do no more than that boundary allows.
        {
            Sid: "GrantOwnRolesOnlyWithinWorkloadBoundary",
            Effect: "Allow",
            Action: BOUNDED_ROLE_GRANTS,
            Resource: iam(`role/${prefix}-*`),
            Condition: { StringEquals: { "iam:PermissionsBoundary": workloadBoundaryArn(partition, accountId, scope.project) } },
        },
        {
            Sid: "ManageOwnIamPolicies",
            Effect: "Allow",
            Action: "iam:*",
            Resource: [iam(`policy/${prefix}-*`), iam(`instance-profile/${prefix}-*`), iam(`oidc-provider/oidc.eks.${region}.amazonaws.com/id/*`)],
        },
        {
            Sid: "CreateServiceLinkedRoles",
            Effect: "Allow",
            Action: "iam:CreateServiceLinkedRole",
            Resource: iam("role/aws-service-role/*"),
            Condition: { StringEquals: { "iam:AWSServiceName": SERVICE_LINKED_ROLES } },
        },
        { Sid: "ManageOwnBuckets", Effect: "Allow", Action: "s3:*", Resource: [`arn:${partition}:s3:::${prefix}-*`, `arn:${partition}:s3:::${prefix}-*/*`] },
        ...stateStatements(scope, environment),
    );
}

/** A role that could assume others could reach any role whose trust names it; these boundaries assume none. */
const ASSUME_NO_OTHER_ROLE: PolicyStatement = {
    Sid: "AssumeNoOtherRole",
    Effect: "Deny",
    Action: ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"],
    Resource: "*",
};

/** Explicit denies a deploy role's boundary holds whatever policy is attached to the role later. */
function deployGuards(scope: DeliveryScope): PolicyStatement[] {
    const { partition, accountId, foundation } = scope;
    return [
        // A role the deployer creates could name the deployer in its trust; assuming nothing closes that path.
        ASSUME_NO_OTHER_ROLE,
        {
            Sid: "AttachNoAdministratorPolicy",
            Effect: "Deny",
            Action: ["iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"],
            Resource: "*",
            Condition: { ArnLike: { "iam:PolicyARN": ADMIN_MANAGED_POLICIES.map((name) => `arn:${partition}:iam::aws:policy/${name}`) } },
        },
        // Without these, a role the deployer creates with `*:*` and passes to an instance or a service
        // would escape every deny here. StringNotEquals also matches when the role has no boundary.
        {
            Sid: "GrantNoRoleOutsideWorkloadBoundary",
            Effect: "Deny",
            Action: BOUNDED_ROLE_GRANTS,
            Resource: "*",
            Condition: { StringNotEquals: { "iam:PermissionsBoundary": workloadBoundaryArn(partition, accountId, scope.project) } },
        },
        { Sid: "RemoveNoRoleBoundary", Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: "*" },
        // The boundaries themselves are among these: no new version, no default version, no deletion.
        { Sid: "ChangeNoDeliveryIdentity", Effect: "Deny", Action: "iam:*", Resource: foundation.iamArns },
        ...foundationGuards(scope, "change"),
    ];
}

/**
 * Denies that keep a role off the delivery foundation. `change` (deploy roles) forbids changing it;
 * `use` (workload roles) forbids touching it at all: the state holds every stack's outputs, the
 * secrets key decrypts their secrets, the runner logs show what the deployments printed.
 */
function foundationGuards(scope: DeliveryScope, level: "change" | "use"): PolicyStatement[] {
    const { foundation } = scope;
    const verb = level === "use" ? "Use" : "Change";
    const statements: PolicyStatement[] = [
        // The tooling network shares the account's EC2 namespace; its resources carry the foundation tag.
        {
            Sid: "ChangeNoToolingNetwork",
            Effect: "Deny",
            Action: [
                "ec2:Accept*",
                "ec2:Associate*",
                "ec2:Attach*",
                "ec2:Authorize*",
                "ec2:Create*",
                "ec2:Delete*",
                "ec2:Detach*",
                "ec2:Disassociate*",
                "ec2:Modify*",
                "ec2:Reject*",
                "ec2:Replace*",
                "ec2:Revoke*",
            ],
            Resource: "*",
            Condition: { StringEquals: { [`aws:ResourceTag/${FOUNDATION_TAG.key}`]: FOUNDATION_TAG.value } },
        },
        {
            Sid: "TagNothingAsFoundation",
            Effect: "Deny",
            Action: ["ec2:CreateTags", "ec2:DeleteTags"],
            Resource: "*",
            Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": FOUNDATION_TAG.key } },
        },
    ];
    if (foundation.logGroupArns.length > 0) {
        statements.push({
            Sid: `${verb}NoRunnerLogs`,
            Effect: "Deny",
            Action:
                level === "use"
                    ? "logs:*"
                    : ["logs:DeleteLogGroup", "logs:DeleteLogStream", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:DisassociateKmsKey"],
            Resource: foundation.logGroupArns.flatMap((arn) => [arn, `${arn}:*`]),
        });
    }
    if (foundation.bucketArns.length > 0) {
        statements.push({
            Sid: `${verb}NoDeliveryBucket`,
            Effect: "Deny",
            Action:
                level === "use"
                    ? "s3:*"
                    : [
                          "s3:DeleteBucket",
                          "s3:DeleteBucketPolicy",
                          "s3:DeleteObjectVersion",
                          "s3:PutBucket*",
                          "s3:PutLifecycleConfiguration",
                          "s3:PutEncryptionConfiguration",
                      ],
            Resource: foundation.bucketArns.flatMap((arn) => [arn, `${arn}/*`]),
        });
    }
    if (foundation.keyArns.length > 0) {
        statements.push({
            Sid: level === "use" ? "UseNoDeliveryKey" : "AdministerNoDeliveryKey",
            Effect: "Deny",
            Action:
                level === "use"
                    ? "kms:*"
                    : [
                          "kms:ScheduleKeyDeletion",
                          "kms:DisableKey",
                          "kms:DisableKeyRotation",
                          "kms:PutKeyPolicy",
                          "kms:CreateGrant",
                          "kms:CreateAlias",
                          "kms:DeleteAlias",
                          "kms:UpdateAlias",
                      ],
            Resource: [...foundation.keyArns, ...foundation.aliasArns],
        });
    }
    return statements;
}

/**
 * The most any deploy role can ever do: the platform's services in this account and region (IAM
 * and S3 in this account), minus the guards. Each role's own policy narrows this to its stack.
 */
export function deployBoundary(scope: DeliveryScope): PolicyDocument {
    const { partition, region, accountId } = scope;
    const services = [...REGIONAL_DEPLOY_SERVICES, "iam", "s3"];
    return document(
        readStatement(),
        publicParameterStatement(scope),
        { Sid: "CreateAccountWideResources", Effect: "Allow", Action: ACCOUNT_WIDE_CREATES, Resource: "*" },
        repositoryStatement(scope),
        {
            Sid: "PlatformServicesOfThisAccount",
            Effect: "Allow",
            Action: services.map((service) => `${service}:*`),
            Resource: [
                `arn:${partition}:*:${region}:${accountId}:*`,
                `arn:${partition}:ec2:${region}::*`,
                `arn:${partition}:iam::${accountId}:*`,
                `arn:${partition}:s3:::*`,
            ],
        },
        ...deployGuards(scope),
    );
}

/**
 * The workload boundary: the most any role a platform stack creates can ever do, whatever policy the
 * deployer attaches to it. The services the platform's roles use, service-linked roles of those
 * services, and nothing of IAM or STS; nothing of the delivery foundation.
 */
export function workloadBoundary(scope: DeliveryScope): PolicyDocument {
    const { partition, region, accountId } = scope;
    return document(
        {
            Sid: "PlatformServicesInThisAccount",
            Effect: "Allow",
            Action: WORKLOAD_SERVICES.map((service) => `${service}:*`),
            Resource: [
                `arn:${partition}:*:${region}:${accountId}:*`,
                // AWS-owned AMIs and snapshots carry no account.
                `arn:${partition}:ec2:${region}::*`,
            ],
        },
        {
            Sid: "SystemsManagerAgent",
            Effect: "Allow",
            Action: WORKLOAD_SSM_AGENT_ACTIONS,
            // Documents of any owner: AWS publishes the agent's own.
            Resource: [
                `arn:${partition}:ssm:${region}:${accountId}:*`,
                `arn:${partition}:ssm:${region}:*:document/*`,
                `arn:${partition}:ec2:${region}:${accountId}:instance/*`,
            ],
        },
        // Pulls only, from any registry: EKS's add-on images live in AWS's own accounts. No pushes.
        { Sid: "PullImages", Effect: "Allow", Action: WORKLOAD_IMAGE_PULLS, Resource: `arn:${partition}:ecr:${region}:*:repository/*` },
        // A NAT-less stack's pull-through cache: the first pull imports the image into a repository ECR
        // creates (the nodes' and Fargate's cache-pull policy), with the creation role's tags. No pushes.
        {
            Sid: "PullThroughCacheImports",
            Effect: "Allow",
            Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository", "ecr:TagResource"],
            Resource: `arn:${partition}:ecr:${region}:${accountId}:repository/*`,
        },
        // Objects only (Fluent Bit's archive): no bucket configuration, policy or deletion.
        { Sid: "ReadAndWriteObjects", Effect: "Allow", Action: WORKLOAD_OBJECT_ACTIONS, Resource: `arn:${partition}:s3:::*` },
        { Sid: "PlatformCallsWithoutResources", Effect: "Allow", Action: WORKLOAD_UNSCOPED_ACTIONS, Resource: "*" },
        { Sid: "LoadBalancerIntegrationReads", Effect: "Allow", Action: WORKLOAD_LOAD_BALANCER_READS, Resource: "*" },
        {
            Sid: "LoadBalancerWebAclsAndProtections",
            Effect: "Allow",
            Action: WORKLOAD_LOAD_BALANCER_WRITES,
            Resource: [
                `arn:${partition}:wafv2:${region}:${accountId}:regional/webacl/*/*`,
                `arn:${partition}:elasticloadbalancing:${region}:${accountId}:loadbalancer/app/*/*`,
                `arn:${partition}:shield::${accountId}:protection/*`,
            ],
        },
        {
            Sid: "ServiceLinkedRolesOfPlatformServices",
            Effect: "Allow",
            Action: "iam:CreateServiceLinkedRole",
            Resource: `arn:${partition}:iam::${accountId}:role/aws-service-role/*`,
            Condition: { StringEquals: { "iam:AWSServiceName": WORKLOAD_SERVICE_LINKED_ROLES } },
        },
        ASSUME_NO_OTHER_ROLE,
        ...foundationGuards(scope, "use"),
    );
}

/** The most the preview role can ever do: reads, and explicitly no state writes or encryption. */
export function previewBoundary(scope: DeliveryScope): PolicyDocument {
    const guards: PolicyStatement[] = [
        { Sid: "AssumeNoOtherRole", Effect: "Deny", Action: ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"], Resource: "*" },
    ];
    if (scope.state) {
        guards.push(
            {
                Sid: "WriteNoState",
                Effect: "Deny",
                Action: ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"],
                Resource: `${scope.state.bucketArn}/*`,
            },
            { Sid: "EncryptNoSecrets", Effect: "Deny", Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptTo"], Resource: scope.state.secretsKeyArn },
        );
    }
    return document(...previewPolicy(scope).Statement, ...guards);
}
