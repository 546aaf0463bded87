import { expandAction } from "../../lib/iam-data";
import { IDENTITY_POLICY_TYPES, allowsAction, isAllow, onAnyResource, type PolicyStatement } from "../../lib/iam";
import { resourceGuardrail } from "../../lib/policy";
import { decideAll, decideEach } from "../../lib/unknown";
import { asArray } from "../../lib/values";
import { DEPLOY_ROLE_SCHEMA, deployRoleMayAdminister, isDeployRoleDocument, type DeployRoleSettings } from "./deploy-roles";
import { forEachStatement, known } from "./documents";

const ATTACHMENT_TYPES = [
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
] as const;
const ROLE = "aws:iam/role:Role";

/** The AWS managed policy ARNs a resource attaches (attachments, and a role's managedPolicyArns). */
function attachedPolicyArns(type: string, props: Record<string, unknown>): unknown[] {
    return type === ROLE ? asArray(props.managedPolicyArns as unknown[]) : [props.policyArn];
}

/** `arn:<partition>:iam::aws:policy/<path><name>` → name, for AWS managed policies only. */
function awsManagedPolicyName(arn: unknown): string | undefined {
    return typeof arn === "string" ? /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1] : undefined;
}

interface ManagedAdminConfig {
    forbiddenPolicies: string[];
}

export const iamNoManagedAdminPolicy = resourceGuardrail<ManagedAdminConfig>({
    name: "iam-no-managed-admin-policy",
    description:
        "No role, user or group is given an AWS managed administrator policy: AdministratorAccess, IAMFullAccess (which grants itself the rest) or PowerUserAccess (every service but IAM and Organizations).",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_274", "CKV2_AWS_56"],
    remediation:
        "Attach a policy with the actions and resources the principal needs. People who administer the account get a permission " +
        "set through IAM Identity Center, outside the platform's stacks.",
    configSchema: {
        forbiddenPolicies: {
            type: "array",
            items: { type: "string" },
            description: "Names of AWS managed policies no principal may be given.",
            default: ["AdministratorAccess", "IAMFullAccess", "PowerUserAccess"],
        },
    },
    resourceTypes: [...ATTACHMENT_TYPES, ROLE],
    validate: (resource, config, report) =>
        decideEach(attachedPolicyArns(resource.type, resource.props), (arn) => {
            const name = awsManagedPolicyName(arn);
            if (name && config.forbiddenPolicies.includes(name)) {
                report(`${String(arn)} is an administrator policy.`);
            }
        }),
});

export const iamNoNotActionAllow = resourceGuardrail({
    name: "iam-no-not-action-allow",
    description: "No policy statement allows with NotAction or NotResource: they grant everything they do not name, including actions AWS adds later.",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific: "no Checkov, trivy or CIS EKS control inspects NotAction or NotResource in Allow statements; AWS's IAM guidance warns against them",
    remediation: 'List the actions (Action) and resources (Resource) the statement grants. NotAction and NotResource belong in "Deny" statements.',
    resourceTypes: [...IDENTITY_POLICY_TYPES, "aws:sqs/queue:Queue", "aws:sqs/queuePolicy:QueuePolicy", "aws:s3/bucketPolicy:BucketPolicy", "aws:kms/key:Key"],
    validate: (resource, _config, report) =>
        forEachStatement(resource.type, resource.props, report, ({ statement, label }) => {
            if (!isAllow(statement)) {
                return;
            }
            const inverted = (["NotAction", "NotResource"] as const).filter((element) => statement[element] !== undefined);
            if (inverted.length > 0) {
                report(`${label} allows with ${inverted.join(" and ")}.`);
            }
        }),
});

/**
 * Ways to gain more permissions than a policy grants, as Rhino Security Labs catalogued them (the
 * list cloudsplaining, and with it Checkov's CKV_AWS_286, checks): each is a set of actions that
 * together let the principal escalate. One-action sets are escalations on their own.
 */
export const ESCALATION_METHODS: ReadonlyArray<{ name: string; actions: string[] }> = [
    { name: "create a new version of a policy it is attached to", actions: ["iam:CreatePolicyVersion"] },
    { name: "switch a policy to an older, broader version", actions: ["iam:SetDefaultPolicyVersion"] },
    { name: "create access keys for another user", actions: ["iam:CreateAccessKey"] },
    { name: "give another user a console password", actions: ["iam:CreateLoginProfile"] },
    { name: "change another user's console password", actions: ["iam:UpdateLoginProfile"] },
    { name: "attach any managed policy to a user", actions: ["iam:AttachUserPolicy"] },
    { name: "attach any managed policy to a group", actions: ["iam:AttachGroupPolicy"] },
    { name: "attach any managed policy to a role", actions: ["iam:AttachRolePolicy"] },
    { name: "write any inline policy of a user", actions: ["iam:PutUserPolicy"] },
    { name: "write any inline policy of a group", actions: ["iam:PutGroupPolicy"] },
    { name: "write any inline policy of a role", actions: ["iam:PutRolePolicy"] },
    { name: "add a user to a more privileged group", actions: ["iam:AddUserToGroup"] },
    { name: "rewrite a role's trust policy and assume it", actions: ["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"] },
    { name: "launch an instance with a more privileged role", actions: ["iam:PassRole", "ec2:RunInstances"] },
    { name: "run a Lambda function as a more privileged role", actions: ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"] },
    { name: "trigger a Lambda function as a more privileged role", actions: ["iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"] },
    { name: "replace the code of a more privileged Lambda function", actions: ["lambda:UpdateFunctionCode"] },
    { name: "open a Glue development endpoint with a more privileged role", actions: ["iam:PassRole", "glue:CreateDevEndpoint"] },
    { name: "take over a Glue development endpoint", actions: ["glue:UpdateDevEndpoint"] },
    { name: "create a CloudFormation stack as a more privileged role", actions: ["iam:PassRole", "cloudformation:CreateStack"] },
    { name: "run a Data Pipeline as a more privileged role", actions: ["iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"] },
];

/** Actions that need no partner to escalate when granted on every resource. */
const ESCALATING_ON_ANY_RESOURCE = ["iam:PassRole", "sts:AssumeRole"];

export const iamNoPrivilegeEscalation = resourceGuardrail<DeployRoleSettings>({
    name: "iam-no-privilege-escalation",
    description:
        "No identity policy lets its principal grant itself more (policy writes, access keys, iam:PassRole with a service that runs code), nor allows iam:PassRole or sts:AssumeRole on every resource; the named deploy roles only on the resources they name.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_286"],
    remediation:
        "Remove the escalation actions, or scope them: iam:PassRole to the role ARNs the service needs with an iam:PassedToService " +
        "condition, sts:AssumeRole to named role ARNs, policy writes to a permissions-boundary-protected path. A role that runs `pulumi up` " +
        "and so manages IAM roles is named in deployRoles (its boundary in deployRoleBoundaries) and scopes those statements to its stack's resources.",
    configSchema: DEPLOY_ROLE_SCHEMA,
    resourceTypes: IDENTITY_POLICY_TYPES,
    validate: (resource, config, report) => {
        const statements: Array<{ statement: PolicyStatement; label: string }> = [];
        forEachStatement(resource.type, resource.props, report, ({ statement, label, kind }) => {
            if (kind === "identity" && isAllow(statement)) {
                asArray(statement.Action).forEach((action) => known(action, `${label} action`));
                statements.push({ statement, label });
            }
        });
        const granting = (action: string) => statements.filter(({ statement }) => allowsAction(statement, action));
        // A method counts when the document grants all of its actions, in one statement or several.
        const methods = ESCALATION_METHODS.filter((method) => method.actions.every((action) => granting(action).length > 0));
        // Read only when there is something to excuse: a deploy role's name may be unknown at preview.
        const excused = (method: (typeof ESCALATION_METHODS)[number]) =>
            method.actions.every((action) => granting(action).every(({ statement }) => deployRoleMayAdminister(statement))) &&
            isDeployRoleDocument(resource, config);
        decideAll(
            () =>
                decideEach(methods, (method) => {
                    if (!excused(method)) {
                        const where = [...new Set(method.actions.flatMap((action) => granting(action).map(({ label }) => label)))].join(", ");
                        report(`${where}: ${method.actions.join(" + ")} lets the principal ${method.name}.`);
                    }
                }),
            () => {
                for (const action of ESCALATING_ON_ANY_RESOURCE) {
                    for (const { label } of granting(action).filter(({ statement }) => onAnyResource(statement))) {
                        report(`${label} allows ${action} on every resource.`);
                    }
                }
            },
        );
    },
});

const ECR_WRITE_POLICIES = ["AmazonEC2ContainerRegistryFullAccess", "AmazonEC2ContainerRegistryPowerUser", "AmazonElasticContainerRegistryPublicFullAccess"];

interface EcrConfig {
    allowedRoles: string[];
}

/** ECR actions that change a registry (AWS's access levels Write, Tagging and Permissions management). */
function ecrWriteActionsOf(entry: string): string[] {
    if (!/^(ecr|ecr-public|\*)[:*]?/i.test(entry)) {
        return [];
    }
    const candidates =
        entry === "*" || entry === "*:*" ? [...(expandAction("ecr:*") ?? []), ...(expandAction("ecr-public:*") ?? [])] : (expandAction(entry) ?? []);
    return candidates.filter((action) => /Write|Tagging|Permissions management/.test(action.accessLevel)).map((action) => action.fullName);
}

export const ecrWriteRestricted = resourceGuardrail<EcrConfig>({
    name: "ecr-write-restricted",
    description:
        "Nodes, controllers and people get read-only access to container registries: no identity policy or AWS managed policy grants ECR writes, except to roles the config names (image publishers).",
    enforcementLevel: "mandatory",
    controls: ["CIS EKS 5.1.2", "CIS EKS 5.1.3"],
    remediation:
        "Give nodes AmazonEC2ContainerRegistryPullOnly (or ReadOnly) and workloads ecr:BatchGetImage / ecr:GetDownloadUrlForLayer on " +
        "named repositories. Only the CI role that publishes images pushes; list it in allowedRoles.",
    configSchema: {
        allowedRoles: {
            type: "array",
            items: { type: "string" },
            description: "Role names (the `role` of a RolePolicy or RolePolicyAttachment) that may write to registries.",
            default: [],
        },
    },
    resourceTypes: [...IDENTITY_POLICY_TYPES, ...ATTACHMENT_TYPES],
    validate: (resource, config, report) => {
        const role: unknown = resource.props.role ?? resource.props.name;
        if (typeof role === "string" && config.allowedRoles.includes(role)) {
            return;
        }
        if ((ATTACHMENT_TYPES as readonly string[]).includes(resource.type) || resource.type === ROLE) {
            decideEach(attachedPolicyArns(resource.type, resource.props), (arn) => {
                const name = awsManagedPolicyName(arn);
                if (name && ECR_WRITE_POLICIES.includes(name)) {
                    report(`${String(arn)} grants writes to container registries.`);
                }
            });
        }
        forEachStatement(resource.type, resource.props, report, ({ statement, label, kind }) => {
            if (kind !== "identity" || !isAllow(statement)) {
                return;
            }
            const writes = [...new Set(asArray(statement.Action).flatMap((entry) => ecrWriteActionsOf(known(entry, `${label} action`))))];
            if (writes.length > 0) {
                report(`${label} grants registry writes: ${writes.slice(0, 5).join(", ")}${writes.length > 5 ? ` and ${writes.length - 5} more` : ""}.`);
            }
        });
    },
});

const USER_POLICY_TYPES = ["aws:iam/userPolicy:UserPolicy", "aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment"];

export const iamNoUserPolicies = resourceGuardrail({
    name: "iam-no-user-policies",
    description: "Permissions go to roles and groups, never directly to IAM users (inline user policies, user attachments, policy attachments naming users).",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_40", "AVD-AWS-0143"],
    remediation: "Attach the policy to a group the user belongs to or, better, to a role people assume through IAM Identity Center.",
    resourceTypes: USER_POLICY_TYPES,
    validate: (resource, _config, report) => {
        if (resource.type === "aws:iam/policyAttachment:PolicyAttachment") {
            const users = asArray(resource.props.users as unknown[]);
            if (users.length > 0) {
                report(`The attachment gives the policy to users ${users.map(String).join(", ")}.`);
            }
            return;
        }
        report(`The policy is given to user ${String(resource.props.user)} directly.`);
    },
});

/**
 * cloudsplaining's lists (and so Checkov's CKV_AWS_287 and CKV_AWS_288): actions that return
 * credentials, and reads that can carry data off, which a policy must not grant on every resource.
 * Checkov exempts ecr:GetAuthorizationToken, which exists only on "*" and returns a registry token.
 */
const ACTIONS_THAT_RETURN_CREDENTIALS = [
    "chime:CreateApiKey",
    "codepipeline:PollForJobs",
    "cognito-identity:GetOpenIdToken",
    "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
    "cognito-identity:GetCredentialsForIdentity",
    "cognito-idp:GetSigningCertificate",
    "connect:GetFederationToken",
    "connect:GetFederationTokens",
    "ec2:GetPasswordData",
    "gamelift:RequestUploadCredentials",
    "gamelift:GetInstanceAccess",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "iam:UpdateAccessKey",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:DownloadDefaultKeyPair",
    "lightsail:GetRelationalDatabaseMasterUserPassword",
    "mediapackage:RotateChannelCredentials",
    "mediapackage:RotateIngestEndpointCredentials",
    "rds-db:connect",
    "redshift:GetClusterCredentials",
    "sso:GetRoleCredentials",
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:GetFederationToken",
    "sts:GetSessionToken",
];
const DATA_EXFILTRATION_ACTIONS = ["s3:GetObject", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "secretsmanager:GetSecretValue"];

export const iamNoUnconstrainedSecrets = resourceGuardrail({
    name: "iam-no-unconstrained-secrets",
    description:
        'No identity policy grants, on every resource ("*"), actions that return credentials (access keys, role sessions, database passwords) or read stored data (S3 objects, SSM parameters, Secrets Manager secrets).',
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_287", "CKV_AWS_288"],
    remediation:
        "Name the resources: the role ARNs for sts:AssumeRole, the bucket/prefix for s3:GetObject, the parameter path for ssm:GetParameter*, " +
        "the secret ARNs for secretsmanager:GetSecretValue.",
    resourceTypes: IDENTITY_POLICY_TYPES,
    validate: (resource, _config, report) =>
        forEachStatement(resource.type, resource.props, report, ({ statement, label, kind }) => {
            if (kind !== "identity" || !isAllow(statement) || !onAnyResource(statement)) {
                return;
            }
            asArray(statement.Action).forEach((action) => known(action, `${label} action`));
            const credentials = ACTIONS_THAT_RETURN_CREDENTIALS.filter((action) => allowsAction(statement, action));
            if (credentials.length > 0) {
                report(
                    `${label} allows actions that return credentials on every resource: ${credentials.slice(0, 4).join(", ")}${credentials.length > 4 ? ", …" : ""}.`,
                );
            }
            const data = DATA_EXFILTRATION_ACTIONS.filter((action) => allowsAction(statement, action));
            if (data.length > 0) {
                report(`${label} allows reading stored data on every resource: ${data.join(", ")}.`);
            }
        }),
});
