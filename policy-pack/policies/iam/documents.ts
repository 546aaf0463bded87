// Checks of every IAM policy document the program writes against AWS's service authorization
// reference (lib/iam-data.ts): without an AWS account, a misspelt action, a condition key that
// no request carries or an ARN of the wrong shape would otherwise surface only at deploy time,
// or, worse, never: IAM accepts a policy whose grants match nothing.
import { arnMatchesTemplate, arnParts } from "../../lib/arn";
import {
    actionsOf,
    conditionKeyExists,
    conditionKeyService,
    expandAction,
    isWildcardOnly,
    isWriteAction,
    resourceTypesOf,
    serviceExists,
    type IamAction,
} from "../../lib/iam-data";
import { POLICY_DOCUMENT_TYPES, policyDocumentsOf, principalsOf, statementLabel, statementsOf, type DocumentKind, type PolicyStatement } from "../../lib/iam";
import { resourceGuardrail, type ReportResourceViolation } from "../../lib/policy";
import { PULUMI_UNKNOWN_STRING, UnknownValueError, decideEach } from "../../lib/unknown";
import { asArray } from "../../lib/values";
import { editDistance } from "../../lib/edit-distance";

export interface Statement {
    statement: PolicyStatement;
    label: string;
    kind: DocumentKind;
}

/**
 * Runs `check` on every statement of every policy document of the resource. A document that is
 * unknown at preview leaves the rule undecided for that document only. A document that is not
 * JSON is reported once, by iam-actions-and-keys-exist (`reportInvalid`): it grants nothing that
 * can be checked, and IAM would refuse it at deploy time.
 */
export function forEachStatement(
    type: string,
    props: Record<string, unknown>,
    report: ReportResourceViolation,
    check: (statement: Statement, report: ReportResourceViolation) => void,
    reportInvalid = false,
): void {
    decideEach(policyDocumentsOf(type, props), (document) => {
        const content = document.read();
        const statements = statementsOf(content);
        if (!statements) {
            if (reportInvalid && content !== undefined) {
                report(`${document.path} is not a JSON policy document.`);
            }
            return;
        }
        const where = document.path === "policy" ? "" : `${document.path}: `;
        decideEach(statements, (statement, index) => check({ statement, label: `${where}${statementLabel(statement, index)}`, kind: document.kind }, report));
    });
}

/** A string from a document; one built from a value unknown at preview cannot be judged. */
export function known(text: string, path: string): string {
    if (typeof text === "string" && text.includes(PULUMI_UNKNOWN_STRING)) {
        throw new UnknownValueError(path);
    }
    return text;
}

function closestAction(entry: string): string | undefined {
    const service = entry.slice(0, entry.indexOf(":"));
    const wanted = entry.toLowerCase();
    const ranked = actionsOf(service)
        .map((action) => ({ name: action.fullName, distance: editDistance(action.fullName.toLowerCase(), wanted) }))
        .sort((a, b) => a.distance - b.distance);
    return ranked[0] && ranked[0].distance <= 3 ? ranked[0].name : undefined;
}

/** Why an Action or NotAction entry names nothing, or undefined when it names real actions. */
function unknownActionReason(entry: string): string | undefined {
    if (entry === "*") {
        return undefined;
    }
    const separator = entry.indexOf(":");
    if (separator <= 0) {
        return `"${entry}" is not of the form service:Action`;
    }
    const service = entry.slice(0, separator);
    if (!/[*?]/.test(service) && !serviceExists(service)) {
        return `"${entry}" names no AWS service ("${service}")`;
    }
    if ((expandAction(entry) ?? []).length > 0) {
        return undefined;
    }
    if (/[*?]/.test(entry)) {
        return `"${entry}" matches no ${service} action`;
    }
    const suggestion = closestAction(entry);
    return `"${entry}" is not a ${service} action${suggestion ? ` (did you mean ${suggestion}?)` : ""}`;
}

const CONDITION_OPERATORS = new Set(
    [
        ...["Equals", "NotEquals", "EqualsIgnoreCase", "NotEqualsIgnoreCase", "Like", "NotLike"].map((suffix) => `String${suffix}`),
        ...["Equals", "NotEquals", "LessThan", "LessThanEquals", "GreaterThan", "GreaterThanEquals"].flatMap((suffix) => [`Numeric${suffix}`, `Date${suffix}`]),
        "Bool",
        "BinaryEquals",
        "IpAddress",
        "NotIpAddress",
        ...["Equals", "Like", "NotEquals", "NotLike"].map((suffix) => `Arn${suffix}`),
    ].map((operator) => operator.toLowerCase()),
);

/** IAM's condition operators, with the IfExists suffix and the set qualifiers; `Null` takes neither suffix. */
function isConditionOperator(operator: string): boolean {
    const unqualified = operator.replace(/^(ForAllValues|ForAnyValue):/i, "").toLowerCase();
    if (unqualified === "null") {
        return true;
    }
    return CONDITION_OPERATORS.has(unqualified.replace(/ifexists$/, ""));
}

// Claims that AWS STS copies from an OIDC token into the request as `<issuer>:<claim>` keys.
const OIDC_CLAIMS = new Set(["sub", "aud", "amr"]);

/** Issuers (`host/path`) of the IAM OIDC providers a statement names as federated principals. */
function oidcIssuersOf(statement: PolicyStatement): string[] {
    return principalsOf(statement).flatMap((principal) => {
        const match = /^Federated:arn:[^:]+:iam::\d{12}:oidc-provider\/(.+)$/.exec(principal);
        return match ? [match[1].toLowerCase()] : [];
    });
}

function isOidcClaimKey(key: string, issuers: string[]): boolean {
    const separator = key.lastIndexOf(":");
    return issuers.includes(key.slice(0, separator).toLowerCase()) && OIDC_CLAIMS.has(key.slice(separator + 1).toLowerCase());
}

const WEB_IDENTITY_PROVIDERS = new Set(["cognito-identity.amazonaws.com", "www.amazon.com", "graph.facebook.com", "accounts.google.com"]);

/** Why a principal is malformed, or undefined. Shapes from the IAM JSON policy reference (Principal element). */
function principalProblem(principal: string): string | undefined {
    const separator = principal.indexOf(":");
    const kind = principal.slice(0, separator);
    const value = principal.slice(separator + 1);
    switch (kind) {
        case "AWS":
            return value === "*" ||
                /^\d{12}$/.test(value) ||
                /^arn:aws[a-z-]*:iam::(\d{12}:(root|role\/.+|user\/.+)|aws:.+)$/.test(value) ||
                /^arn:aws[a-z-]*:sts::\d{12}:(assumed-role|federated-user)\/.+$/.test(value)
                ? undefined
                : `AWS principal "${value}" is neither an account ID nor an IAM account, role or user ARN`;
        case "Service":
            return /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/.test(value) ? undefined : `Service principal "${value}" is not an AWS service principal`;
        case "Federated":
            return WEB_IDENTITY_PROVIDERS.has(value) || /^arn:aws[a-z-]*:iam::\d{12}:(oidc-provider|saml-provider)\/.+$/.test(value)
                ? undefined
                : `Federated principal "${value}" is neither an IAM OIDC or SAML provider ARN nor a supported web identity provider`;
        case "CanonicalUser":
            return /^[0-9a-f]{64}$/.test(value) ? undefined : `CanonicalUser principal "${value}" is not a canonical user ID`;
        default:
            return `"${kind}" is not a principal type`;
    }
}

export const iamActionsAndKeysExist = resourceGuardrail({
    name: "iam-actions-and-keys-exist",
    description:
        "Every action in an IAM policy document the program writes (role, managed, KMS key, SQS queue, S3 bucket and trust " +
        "policies) exists in AWS's service authorization reference, every wildcard matches at least one action, every condition " +
        "key exists for its service or is global, and every principal is well formed.",
    enforcementLevel: "mandatory",
    controls: [
        "IAM Access Analyzer INVALID_ACTION",
        "IAM Access Analyzer INVALID_SERVICE_IN_ACTION",
        "IAM Access Analyzer INVALID_SERVICE_CONDITION_KEY",
        "IAM Access Analyzer INVALID_GLOBAL_CONDITION_KEY",
        "IAM Access Analyzer INVALID_CONDITION_OPERATOR",
        "IAM Access Analyzer INVALID_PRINCIPAL_FORMAT",
    ],
    remediation:
        "Spell actions as the Service Authorization Reference does (service prefix, then the action), use condition keys the " +
        "service or IAM defines (an OIDC provider's keys are <issuer>:sub, :aud and :amr), and name principals by ARN. IAM " +
        "accepts a grant that matches nothing; the mistake shows only as AccessDenied at run time.",
    resourceTypes: POLICY_DOCUMENT_TYPES,
    validate: (resource, _config, report) =>
        forEachStatement(
            resource.type,
            resource.props,
            report,
            ({ statement, label }) => {
                const actionEntries = [...asArray(statement.Action), ...asArray(statement.NotAction)];
                decideEach(actionEntries, (entry) => {
                    const reason = unknownActionReason(known(entry, `${label} action`));
                    if (reason) {
                        report(`${label}: ${reason}.`);
                    }
                });
                decideEach(principalsOf(statement), (principal) => {
                    const problem = principalProblem(known(principal, `${label} principal`));
                    if (problem) {
                        report(`${label}: ${problem}.`);
                    }
                });
                const issuers = oidcIssuersOf(statement);
                // Which services' requests the statement can match; undecidable with "*" or a malformed entry.
                const actionServices = new Set(
                    asArray(statement.Action).map((entry) => (entry.includes(":") ? entry.slice(0, entry.indexOf(":")).toLowerCase() : "")),
                );
                const judgesServices = actionServices.size > 0 && !actionServices.has("") && !actionServices.has("*");
                decideEach(Object.entries(statement.Condition ?? {}), ([operator, block]) => {
                    if (!isConditionOperator(operator)) {
                        report(`${label}: "${operator}" is not an IAM condition operator.`);
                    }
                    decideEach(Object.keys(block ?? {}), (rawKey) => {
                        const key = known(rawKey, `${label} condition key`);
                        if (isOidcClaimKey(key, issuers)) {
                            return;
                        }
                        if (!conditionKeyExists(key)) {
                            report(`${label}: condition key "${key}" is neither global nor a key of its service.`);
                            return;
                        }
                        const service = conditionKeyService(key);
                        if (judgesServices && service && !actionServices.has(service)) {
                            report(
                                `${label}: condition key "${key}" is only in ${service} requests, and the statement's actions are ` +
                                    `${[...actionServices].join(", ")} actions: the condition always sees it absent.`,
                            );
                        }
                    });
                });
            },
            true,
        ),
});

/** Actions of an entry; unknown names (reported by iam-actions-and-keys-exist) and "*" yield none. */
function actionsOfEntry(entry: string): readonly IamAction[] {
    return expandAction(entry) ?? [];
}

function typeNames(actions: readonly IamAction[]): string {
    const names = new Set(actions.flatMap((action) => action.resourceTypes.filter((type) => type.name).map((type) => `${action.service}:${type.name}`)));
    return names.size > 0 ? [...names].join(", ") : 'none: they take only "*"';
}

function grantsOn(action: IamAction, resources: string[]): boolean {
    if (resources.includes("*")) {
        return true;
    }
    return resourceTypesOf(action).some((type) => resources.some((resource) => arnMatchesTemplate(resource, type.arn)));
}

function listed(actions: readonly IamAction[], limit = 5): string {
    const names = actions.map((action) => action.fullName);
    return names.length > limit ? `${names.slice(0, limit).join(", ")} and ${names.length - limit} more` : names.join(", ");
}

export const iamResourcesMatchActions = resourceGuardrail({
    name: "iam-resources-match-actions",
    description:
        "In every IAM policy statement, each resource ARN has the shape of a resource type the statement's actions accept, each " +
        'action is granted on at least one of its resources, and no write action that supports resource-level permissions is allowed on "*".',
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_356", "CKV_AWS_111", "CKV_AWS_289", "CKV_AWS_290", "IAM Access Analyzer INVALID_ARN_RESOURCE"],
    remediation:
        "Name each resource by an ARN of the type the action authorizes against (the Service Authorization Reference's \"Resource " +
        'types" column), e.g. arn:aws:sqs:<region>:<account>:<queue> for sqs:ReceiveMessage. Keep "*" for actions without ' +
        "resource-level permissions (ec2:Describe*); for write actions name the ARNs, or an ARN pattern of the type with a tag condition.",
    resourceTypes: POLICY_DOCUMENT_TYPES,
    validate: (resource, _config, report) =>
        forEachStatement(resource.type, resource.props, report, ({ statement, label, kind }) => {
            // A trust policy has no Resource (the role it is attached to is the resource), and NotAction or
            // NotResource statements name what they exclude, which has no shape to compare.
            if (kind === "trust" || statement.NotAction !== undefined || statement.NotResource !== undefined) {
                return;
            }
            const entries = asArray(statement.Action).map((entry) => known(entry, `${label} action`));
            if (entries.includes("*")) {
                return;
            }
            const resources = asArray(statement.Resource).map((arn) => known(arn, `${label} resource`));
            const actions = entries.flatMap(actionsOfEntry);

            for (const arn of resources.filter((candidate) => candidate !== "*")) {
                if (!arnParts(arn)) {
                    report(`${label}: resource "${arn}" is not an ARN.`);
                } else if (actions.length > 0 && !actions.some((action) => resourceTypesOf(action).some((type) => arnMatchesTemplate(arn, type.arn)))) {
                    report(`${label}: resource "${arn}" is of none of the resource types its actions accept (${typeNames(actions)}).`);
                }
            }

            for (const entry of entries) {
                const expanded = actionsOfEntry(entry);
                if (expanded.length === 0 || expanded.some((action) => grantsOn(action, resources))) {
                    continue;
                }
                report(
                    expanded.every(isWildcardOnly)
                        ? `${label}: ${entry} supports no resource-level permissions; it is granted only by "Resource": "*".`
                        : `${label}: ${entry} is granted on none of its resource types (${typeNames(expanded)}).`,
                );
            }

            // In a key policy "*" means the key the policy is attached to, not every resource: the
            // write check below would flag every key policy AWS documents, so it does not apply there.
            if (kind === "key" || statement.Effect !== "Allow" || !resources.includes("*")) {
                return;
            }
            for (const entry of entries) {
                const restrictable = actionsOfEntry(entry).filter((action) => isWriteAction(action) && !isWildcardOnly(action));
                if (restrictable.length > 0) {
                    const which = /[*?]/.test(entry) ? ` (${listed(restrictable)})` : "";
                    report(`${label}: ${entry} allows write actions that support resource-level permissions on "*"${which}.`);
                }
            }
        }),
});
