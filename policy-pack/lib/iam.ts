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

/** `*` or `<service>:*` style wildcards that grant every action of every service. */
export function grantsAllActions(statement: PolicyStatement): boolean {
    return asArray(statement.Action).some((action) => action === "*" || action === "*:*");
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
            principalsOf(statement).some((principal) => principal.startsWith("Federated:") && principal.includes("oidc")),
    );
}

export const SERVICE_ACCOUNT_SUBJECT = /^system:serviceaccount:([^:*?]+):([^:*?]+)$/;

/** The `namespace/name` service accounts a trust statement admits through `StringEquals` on `sub`. */
export function trustedServiceAccounts(statement: PolicyStatement): string[] {
    return conditionValues(statement, "StringEquals", ":sub").flatMap((subject) => {
        const match = SERVICE_ACCOUNT_SUBJECT.exec(subject);
        return match ? [`${match[1]}/${match[2]}`] : [];
    });
}
