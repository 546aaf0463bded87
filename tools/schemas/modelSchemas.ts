import { ThrowingValidate } from "./observedFields";

/**
 * Schemas that npm packages ship as kubernetes-models classes with precompiled validators:
 * - kubernetes-models 5.1.0: the built-in API groups, generated from Kubernetes v1.36.0's OpenAPI
 *   (merged with older releases' specs so removed beta APIs still have types; see BUILTIN_GA_ONLY).
 * - @kubernetes-models/gateway-api 2.0.0: Gateway API v1.5.1, generated from the upstream Go types,
 *   which include experimental-channel fields (see GATEWAY_API_EXPERIMENTAL_FIELDS).
 */
export const BUILTIN_SCHEMA_PACKAGE = { name: "kubernetes-models", version: "5.1.0", kubernetesVersion: "1.36.0" } as const;
const GATEWAY_API_SCHEMA_PACKAGE = { name: "@kubernetes-models/gateway-api", version: "2.0.0", gatewayApiVersion: "v1.5.1" } as const;

export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";

export interface ModelValidator {
    validate: ThrowingValidate;
    /** Package the schema comes from, for messages. */
    origin: string;
}

type ModelClass = { apiVersion?: string; kind?: string; prototype: { validate(this: unknown): void } };

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VERSION = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

/** Built-in API groups: the core group, the unsuffixed historical groups and the *.k8s.io groups. */
function isBuiltinGroup(group: string): boolean {
    return (
        group === "" || ["apps", "batch", "autoscaling", "policy", "extensions"].includes(group) || (group.endsWith(".k8s.io") && group !== GATEWAY_API_GROUP)
    );
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
    const slash = apiVersion.lastIndexOf("/");
    return slash < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Module specifier of the model class for a kind, or undefined when no package covers the group. */
function modelModule(apiVersion: string, kind: string): { specifier: string; origin: string } | undefined {
    const { group, version } = splitApiVersion(apiVersion);
    // These names become a module path: accept only what Kubernetes itself allows in them.
    if (!VERSION.test(version) || !KIND.test(kind) || (group !== "" && !DNS_SUBDOMAIN.test(group))) {
        return undefined;
    }
    if (group === GATEWAY_API_GROUP) {
        return {
            specifier: `${GATEWAY_API_SCHEMA_PACKAGE.name}/${group}/${version}/${kind}`,
            origin: `${GATEWAY_API_SCHEMA_PACKAGE.name}@${GATEWAY_API_SCHEMA_PACKAGE.version} (Gateway API ${GATEWAY_API_SCHEMA_PACKAGE.gatewayApiVersion})`,
        };
    }
    if (isBuiltinGroup(group)) {
        return {
            specifier: `${BUILTIN_SCHEMA_PACKAGE.name}/${group === "" ? "" : `${group}/`}${version}/${kind}`,
            origin: `${BUILTIN_SCHEMA_PACKAGE.name}@${BUILTIN_SCHEMA_PACKAGE.version} (Kubernetes ${BUILTIN_SCHEMA_PACKAGE.kubernetesVersion})`,
        };
    }
    return undefined;
}

const MODULE_MISSING = new Set(["ERR_MODULE_NOT_FOUND", "ERR_PACKAGE_PATH_NOT_EXPORTED"]);
const models = new Map<string, Promise<ModelValidator | undefined>>();

async function loadModel(apiVersion: string, kind: string): Promise<ModelValidator | undefined> {
    const module = modelModule(apiVersion, kind);
    if (!module) {
        return undefined;
    }
    let exports: Record<string, unknown>;
    try {
        // The packages are ESM-only; a dynamic import loads one kind (and the types it uses) on demand.
        exports = (await import(module.specifier)) as Record<string, unknown>;
    } catch (error) {
        if (MODULE_MISSING.has((error as { code?: string }).code ?? "")) {
            return undefined;
        }
        throw error;
    }
    const exported: unknown = exports[kind];
    if (typeof exported !== "function") {
        return undefined;
    }
    const model = exported as unknown as ModelClass;
    // Nested types (DeploymentSpec) live beside the kinds but carry no apiVersion/kind of their own.
    if (model.apiVersion !== apiVersion || model.kind !== kind) {
        return undefined;
    }
    return { validate: (data) => model.prototype.validate.call(data), origin: module.origin };
}

/** The packaged validator of a kind, loaded once per process; undefined when no package defines it. */
export function modelValidator(apiVersion: string, kind: string): Promise<ModelValidator | undefined> {
    const key = `${apiVersion}/${kind}`;
    let model = models.get(key);
    if (!model) {
        model = loadModel(apiVersion, kind);
        models.set(key, model);
    }
    return model;
}

let objectMeta: Promise<ThrowingValidate> | undefined;

/** ObjectMeta's validator: the API server checks a custom resource's metadata as it does a built-in's. */
export function objectMetaValidator(): Promise<ThrowingValidate> {
    objectMeta ??= import("@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta").then((exports: Record<string, unknown>) => {
        const model = exports.ObjectMeta as ModelClass;
        return (data: unknown) => model.prototype.validate.call(data);
    });
    return objectMeta;
}

/**
 * The Gateway API standard channel the AWS Gateway API Controller is installed with (v1.5.0, whose
 * standard CRDs define the same fields as v1.5.1's): the kinds and versions its CRDs serve, and the
 * fields that exist only in the experimental channel (present in the Go types the package is
 * generated from, absent from the standard CRDs, so unknown fields on the cluster). Found by
 * comparing config/crd/standard with config/crd/experimental of kubernetes-sigs/gateway-api v1.5.1.
 * Field paths are JSON pointers with "*" for any array index.
 */
export const GATEWAY_API_STANDARD_CHANNEL: Record<string, string[]> = {
    "gateway.networking.k8s.io/v1": ["BackendTLSPolicy", "Gateway", "GatewayClass", "GRPCRoute", "HTTPRoute", "ListenerSet", "ReferenceGrant", "TLSRoute"],
    "gateway.networking.k8s.io/v1beta1": ["Gateway", "GatewayClass", "HTTPRoute", "ReferenceGrant"],
};

export const GATEWAY_API_EXPERIMENTAL_FIELDS: Record<string, string[]> = {
    HTTPRoute: [
        "/spec/useDefaultGateways",
        "/spec/rules/*/retry",
        "/spec/rules/*/sessionPersistence",
        "/spec/rules/*/filters/*/externalAuth",
        "/spec/rules/*/backendRefs/*/filters/*/externalAuth",
    ],
    GRPCRoute: ["/spec/useDefaultGateways", "/spec/rules/*/sessionPersistence"],
    TLSRoute: ["/spec/useDefaultGateways"],
    Gateway: ["/spec/defaultScope"],
};

/**
 * Built-in objects must use a GA API version: every beta or alpha built-in version kubernetes-models
 * carries was either removed (extensions/v1beta1, policy/v1beta1, …) or is off by default on
 * Kubernetes 1.24+ (KEP-3136) and so on EKS.
 */
export function builtinVersionProblem(apiVersion: string): string | undefined {
    const { group, version } = splitApiVersion(apiVersion);
    if (isBuiltinGroup(group) && !/^v[1-9][0-9]*$/.test(version)) {
        return `${apiVersion} is a beta/alpha built-in API version: removed or disabled by default on current Kubernetes (EKS enables none); use the GA version`;
    }
    return undefined;
}
