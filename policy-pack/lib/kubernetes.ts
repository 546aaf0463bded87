import type { ResourceView } from "./policy";

/**
 * Type tokens of a Kubernetes kind in each given API version ("core/v1", "apps/v1", ...), each with
 * its server-side-apply `<Kind>Patch` counterpart, as @pulumi/kubernetes names them.
 */
export function kubernetesTypes(kind: string, versions: readonly string[]): string[] {
    return versions.flatMap((version) => [`kubernetes:${version}:${kind}`, `kubernetes:${version}:${kind}Patch`]);
}

/** The Kubernetes kind a type token names, without the `Patch` suffix. */
export function kindOf(resource: Pick<ResourceView, "type">): string {
    return resource.type.slice(resource.type.lastIndexOf(":") + 1).replace(/Patch$/, "");
}

/**
 * A `*Patch` resource is a server-side apply of only the fields it names: a field it leaves out keeps
 * the live object's value, which no rule can see. Rules that require a setting therefore judge a patch
 * on what it sets, and rules that forbid a value judge it like any other object.
 */
export function isPatch(resource: Pick<ResourceView, "type">): boolean {
    return resource.type.startsWith("kubernetes:") && resource.type.endsWith("Patch");
}

/** True when `value` is absent only because the resource is a patch that does not touch it. */
export function leftToLiveObject(resource: Pick<ResourceView, "type">, value: unknown): boolean {
    return value === undefined && isPatch(resource);
}

/**
 * Namespace a namespaced object lands in. Without metadata.namespace the Kubernetes provider uses
 * its own default namespace, which is `default` unless the provider sets one; the rules cannot see
 * provider settings, so they take the API server's default.
 */
export function namespaceOf(resource: ResourceView): string {
    return objectOf(resource).metadata?.namespace ?? "default";
}

export const SERVICE_TYPES = kubernetesTypes("Service", ["core/v1"]);
export const CONFIG_MAP_TYPES = kubernetesTypes("ConfigMap", ["core/v1"]);
export const SERVICE_ACCOUNT_TYPES = kubernetesTypes("ServiceAccount", ["core/v1"]);
export const NAMESPACE_TYPES = kubernetesTypes("Namespace", ["core/v1"]);
export const NETWORK_POLICY_TYPES = kubernetesTypes("NetworkPolicy", ["networking.k8s.io/v1", "extensions/v1beta1"]);
export const INGRESS_TYPES = kubernetesTypes("Ingress", ["networking.k8s.io/v1", "networking.k8s.io/v1beta1", "extensions/v1beta1"]);

// The parts of the Kubernetes API objects the rules read, as the API (and @pulumi/kubernetes'
// input types) spell them. Every field is optional: a program may omit anything, and a value
// unknown at preview arrives as the UNKNOWN sentinel, which the guard proxy turns into a throw.

export interface ObjectMeta {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
}

interface Capabilities {
    add?: string[];
    drop?: string[];
}

export interface SecurityContext {
    privileged?: boolean;
    allowPrivilegeEscalation?: boolean;
    runAsNonRoot?: boolean;
    runAsUser?: number;
    runAsGroup?: number;
    readOnlyRootFilesystem?: boolean;
    procMount?: string;
    capabilities?: Capabilities;
    seccompProfile?: { type?: string; localhostProfile?: string };
    appArmorProfile?: { type?: string; localhostProfile?: string };
    seLinuxOptions?: { user?: string; role?: string; type?: string; level?: string };
    windowsOptions?: { hostProcess?: boolean };
}

export interface PodSecurityContext extends Omit<
    SecurityContext,
    "privileged" | "allowPrivilegeEscalation" | "readOnlyRootFilesystem" | "procMount" | "capabilities"
> {
    fsGroup?: number;
    supplementalGroups?: number[];
    sysctls?: { name?: string; value?: string }[];
}

/** The action of a probe or lifecycle hook; only the fields that can point it elsewhere. */
export interface Handler {
    httpGet?: { host?: string };
    tcpSocket?: { host?: string };
}

export interface Container {
    name?: string;
    image?: string;
    command?: string[];
    args?: string[];
    ports?: { containerPort?: number; hostPort?: number }[];
    env?: { name?: string; valueFrom?: { secretKeyRef?: { name?: string; key?: string } } }[];
    envFrom?: { secretRef?: { name?: string } }[];
    resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
    livenessProbe?: Handler;
    readinessProbe?: Handler;
    startupProbe?: Handler;
    lifecycle?: { postStart?: Handler; preStop?: Handler };
    securityContext?: SecurityContext;
    volumeMounts?: { name?: string; mountPath?: string; readOnly?: boolean }[];
}

interface Volume {
    name?: string;
    hostPath?: { path?: string; type?: string };
    [source: string]: unknown;
}

export interface PodSpec {
    containers?: Container[];
    initContainers?: Container[];
    ephemeralContainers?: Container[];
    volumes?: Volume[];
    securityContext?: PodSecurityContext;
    hostNetwork?: boolean;
    hostPID?: boolean;
    hostIPC?: boolean;
    hostUsers?: boolean;
    hostAliases?: unknown[];
    serviceAccountName?: string;
    /** Deprecated alias of serviceAccountName, still honoured by the API server. */
    serviceAccount?: string;
    automountServiceAccountToken?: boolean;
}

export interface PodTemplate {
    metadata: ObjectMeta;
    spec: PodSpec;
}

/** A resource's props as a Kubernetes object: metadata, plus whatever the kind keeps beside it. */
export function objectOf<T extends object = Record<string, unknown>>(resource: ResourceView): { metadata?: ObjectMeta } & T {
    return resource.props as { metadata?: ObjectMeta } & T;
}
