import type { KubeObject } from "../mesh/kube";
import type { GitopsSettings } from "./settings";
import { FLUX_NAMESPACE } from "./validate";

/** The Flux source and the platform's own Kustomization share this name. */
const PLATFORM_SYNC_NAME = "platform";

const SOURCE_API_VERSION = "source.toolkit.fluxcd.io/v1";
const KUSTOMIZE_API_VERSION = "kustomize.toolkit.fluxcd.io/v1";

/** The service account, in the Flux namespace, whose identity a tenant's Kustomization applies with. */
export function tenantServiceAccountName(namespace: string): string {
    return `tenant-${namespace}`;
}

/** Where the platform's cluster manifests are: the configured path, or `./clusters/<environment>`. */
function platformPath(settings: GitopsSettings, environment: string): string {
    return settings.source.path ?? `./clusters/${environment}`;
}

/** The Flux source object: a GitRepository, or an OCIRepository pulled from ECR with the controller's IRSA role. */
function sourceObject(settings: GitopsSettings): KubeObject {
    const { source } = settings;
    const metadata = { name: PLATFORM_SYNC_NAME, namespace: FLUX_NAMESPACE };
    const interval = `${source.intervalMinutes}m`;
    if (source.kind === "oci") {
        return {
            apiVersion: SOURCE_API_VERSION,
            kind: "OCIRepository",
            metadata,
            // provider "aws": the source-controller exchanges its web identity for an ECR token; no secret exists.
            spec: { url: source.url, ref: { tag: source.tag }, provider: "aws", interval },
        };
    }
    return {
        apiVersion: SOURCE_API_VERSION,
        kind: "GitRepository",
        metadata,
        spec: {
            url: source.url,
            ref: { branch: source.branch },
            interval,
            ...(source.secretName ? { secretRef: { name: source.secretName } } : {}),
        },
    };
}

function kustomization(settings: GitopsSettings, name: string, path: string, tenant?: string): KubeObject {
    return {
        apiVersion: KUSTOMIZE_API_VERSION,
        kind: "Kustomization",
        metadata: { name, namespace: FLUX_NAMESPACE },
        spec: {
            interval: `${settings.reconcileIntervalMinutes}m`,
            path,
            prune: settings.prune,
            sourceRef: { kind: settings.source.kind === "oci" ? "OCIRepository" : "GitRepository", name: PLATFORM_SYNC_NAME },
            // A tenant applies as its own service account, confined to its namespace by RBAC; the
            // platform's Kustomization applies as the controller, cluster-wide.
            ...(tenant ? { serviceAccountName: tenantServiceAccountName(tenant), targetNamespace: tenant } : {}),
            wait: true,
            timeout: "5m",
        },
    };
}

/**
 * The bootstrap objects the platform owns: the source, the platform's Kustomization, and one
 * Kustomization per tenant. What they apply lives in the repository.
 */
export function fluxSyncObjects(settings: GitopsSettings, environment: string): KubeObject[] {
    return [
        sourceObject(settings),
        kustomization(settings, PLATFORM_SYNC_NAME, platformPath(settings, environment)),
        ...settings.tenants.map((tenant) => kustomization(settings, tenantServiceAccountName(tenant.namespace), tenant.path, tenant.namespace)),
    ];
}
