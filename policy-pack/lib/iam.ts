import { asArray, parseJsonDocument } from "./values";

export interface PolicyStatement {
    Sid?: string;
    Effect?: string;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Principal?: "*" | Record<string, string | string[]>;
    Condition?: Record<string, Record<string, string | string[]>>;
}

/** The statements of an IAM policy document, or undefined when it is not valid JSON. */
export function statementsOf(document: unknown): PolicyStatement[] | undefined {
    const parsed = parseJsonDocument(document);
    if (!parsed) {
        return undefined;
    }
    return asArray(parsed.Statement as PolicyStatement | PolicyStatement[] | undefined);
}

export function isAllow(statement: PolicyStatement): boolean {
    return statement.Effect === "Allow";
}

export function coversAllResources(statement: PolicyStatement): boolean {
    return asArray(statement.Resource).includes("*");
}

/** Principals as a flat list of `<kind>:<value>`, e.g. `AWS:*`, `Federated:arn:...`. */
export function principalsOf(statement: PolicyStatement): string[] {
    const principal = statement.Principal;
    if (principal === undefined) {
        return [];
    }
    if (principal === "*") {
        return ["AWS:*"];
    }
    return Object.entries(principal).flatMap(([kind, values]) => asArray(values).map((value) => `${kind}:${value}`));
}

/** Every condition key the statement tests, under any operator, in lower case (IAM matches keys case-insensitively). */
export function conditionKeys(statement: PolicyStatement): string[] {
    return Object.values(statement.Condition ?? {}).flatMap((block) => Object.keys(block).map((key) => key.toLowerCase()));
}

/** Condition values for a key under an operator, matching the key case-insensitively as IAM does. */
export function conditionValues(statement: PolicyStatement, operator: string, keySuffix: string): string[] {
    const block = statement.Condition?.[operator] ?? {};
    return Object.entries(block)
        .filter(([key]) => key.toLowerCase().endsWith(keySuffix.toLowerCase()))
        .flatMap(([, values]) => asArray(values));
}

export const IRSA_ACTION = "sts:AssumeRoleWithWebIdentity";

/** Statements of a trust policy that let an EKS OIDC identity assume the role. */
export function irsaTrustStatements(assumeRolePolicy: unknown): PolicyStatement[] {
    return (statementsOf(assumeRolePolicy) ?? []).filter(
        (statement) =>
            isAllow(statement) &&
            asArray(statement.Action).includes(IRSA_ACTION) &&
            // An EKS cluster's issuer; other OIDC providers (GitHub Actions) have trust rules of their own.
            principalsOf(statement).some((principal) => principal.startsWith("Federated:") && principal.includes(":oidc-provider/oidc.eks.")),
    );
}

const SERVICE_ACCOUNT_SUBJECT = /^system:serviceaccount:([^:*?]+):([^:*?]+)$/;

/** The `namespace/name` service accounts a trust statement admits through `StringEquals` on `sub`. */
export function trustedServiceAccounts(statement: PolicyStatement): string[] {
    return conditionValues(statement, "StringEquals", ":sub").flatMap((subject) => {
        const match = SERVICE_ACCOUNT_SUBJECT.exec(subject);
        return match ? [`${match[1]}/${match[2]}`] : [];
    });
}

/**
 * What a policy document governs, which decides how its Resource element reads: an identity policy
 * grants its principal access to the resources it names; a resource policy (queue, bucket) admits
 * principals to the resource it is attached to; a key policy is a resource policy whose Resource
 * "*" means "this key"; a trust policy admits principals to assume its role and has no Resource.
 */
export type DocumentKind = "identity" | "resource" | "key" | "trust";

export interface PolicyDocumentOf {
    kind: DocumentKind;
    /** Where the document sits in the resource's inputs, e.g. `inlinePolicies[0].policy`. */
    path: string;
    read: () => unknown;
}

/** The IAM policy documents among a resource's inputs; reading one may throw an unknown read. */
export function policyDocumentsOf(type: string, props: Record<string, unknown>): PolicyDocumentOf[] {
    const document = (kind: DocumentKind, path: string, read: () => unknown): PolicyDocumentOf[] => [{ kind, path, read }];
    switch (type) {
        case "aws:iam/policy:Policy":
        case "aws:iam/rolePolicy:RolePolicy":
        case "aws:iam/userPolicy:UserPolicy":
        case "aws:iam/groupPolicy:GroupPolicy":
            return document("identity", "policy", () => props.policy);
        case "aws:iam/role:Role": {
            const inline = props.inlinePolicies as Array<{ policy?: unknown }> | undefined;
            return [
                ...document("trust", "assumeRolePolicy", () => props.assumeRolePolicy),
                ...Array.from({ length: inline?.length ?? 0 }, (_, index) => ({
                    kind: "identity" as const,
                    path: `inlinePolicies[${index}].policy`,
                    read: () => inline?.[index]?.policy,
                })),
            ];
        }
        case "aws:kms/key:Key":
            return document("key", "policy", () => props.policy);
        case "aws:sqs/queue:Queue":
        case "aws:sqs/queuePolicy:QueuePolicy":
        case "aws:s3/bucketPolicy:BucketPolicy":
            return document("resource", "policy", () => props.policy);
        default:
            return [];
    }
}

export const IDENTITY_POLICY_TYPES = [
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
    "aws:iam/role:Role",
] as const;

export const POLICY_DOCUMENT_TYPES = [
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
    "aws:iam/role:Role",
    "aws:kms/key:Key",
    "aws:sqs/queue:Queue",
    "aws:sqs/queuePolicy:QueuePolicy",
    "aws:s3/bucketPolicy:BucketPolicy",
] as const;

/**
 * Whether an Allow statement grants an action: an Action pattern matches it, or NotAction is given
 * and does not. Matching is case-insensitive and `*`/`?` are wildcards, as in IAM.
 */
export function allowsAction(statement: PolicyStatement, action: string): boolean {
    if (!isAllow(statement)) {
        return false;
    }
    const matches = (patterns: string | string[] | undefined) => asArray(patterns).some((pattern) => actionPatternOf(pattern).test(action));
    return statement.NotAction !== undefined ? !matches(statement.NotAction) : matches(statement.Action);
}

// Rules ask about dozens of actions per statement: each pattern is compiled once per process.
const actionPatterns = new Map<string, RegExp>();

function actionPatternOf(pattern: string): RegExp {
    let expression = actionPatterns.get(pattern);
    if (!expression) {
        expression = new RegExp(
            `^${pattern
                .replace(/[.+^${}()|[\]\\]/g, "\\$&")
                .replace(/\*/g, ".*")
                .replace(/\?/g, ".")}$`,
            "i",
        );
        actionPatterns.set(pattern, expression);
    }
    return expression;
}

/** Whether a statement's Resource covers every resource ("*", or NotResource, which excludes only what it names). */
export function onAnyResource(statement: PolicyStatement): boolean {
    return statement.NotResource !== undefined || asArray(statement.Resource).includes("*");
}

/** A statement's label in messages. */
export function statementLabel(statement: PolicyStatement, index: number): string {
    return statement.Sid ? `Statement ${statement.Sid}` : `Statement ${index + 1}`;
}
