import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { kindOf, kubernetesTypes, namespaceOf, objectOf, type Container, type ObjectMeta, type PodSpec, type PodTemplate } from "./kubernetes";
import type { ResourceView } from "./policy";
import { asArray } from "./values";
import { decideEach } from "./unknown";

/**
 * Every kind that carries a pod template, with each API version @pulumi/kubernetes has a type for
 * (test/workloads.test.ts checks this against the installed SDK). Versions the supported clusters no
 * longer serve stay listed: a program may still declare them, and its pods must not slip past the
 * rules because of the version it spells.
 */
const WORKLOAD_API_VERSIONS = {
    Pod: ["core/v1"],
    PodTemplate: ["core/v1"],
    ReplicationController: ["core/v1"],
    Deployment: ["apps/v1", "apps/v1beta1", "apps/v1beta2", "extensions/v1beta1"],
    StatefulSet: ["apps/v1", "apps/v1beta1", "apps/v1beta2"],
    DaemonSet: ["apps/v1", "apps/v1beta2", "extensions/v1beta1"],
    ReplicaSet: ["apps/v1", "apps/v1beta2", "extensions/v1beta1"],
    Job: ["batch/v1"],
    CronJob: ["batch/v1", "batch/v1beta1", "batch/v2alpha1"],
} as const;

export type WorkloadKind = keyof typeof WORKLOAD_API_VERSIONS;

export const WORKLOAD_KINDS = Object.keys(WORKLOAD_API_VERSIONS) as WorkloadKind[];

/** Type tokens of every workload kind and of its server-side-apply `<Kind>Patch` counterpart. */
export const WORKLOAD_TYPES: readonly string[] = WORKLOAD_KINDS.flatMap((kind) => kubernetesTypes(kind, WORKLOAD_API_VERSIONS[kind]));

/** A container of any of the pod's three lists, with where it came from for messages. */
export interface ContainerView {
    list: "containers" | "initContainers" | "ephemeralContainers";
    name: string;
    spec: Container;
}

/**
 * The pod template of any workload kind: a Pod is its own template, a PodTemplate holds it at
 * `template`, a CronJob in its job template, every controller at `spec.template`.
 */
export function podTemplateOf(workload: ResourceView): PodTemplate {
    type Template = { metadata?: ObjectMeta; spec?: PodSpec };
    const object = objectOf<{ spec?: PodSpec & { template?: Template; jobTemplate?: { spec?: { template?: Template } } }; template?: Template }>(workload);
    const kind = kindOf(workload);
    if (kind === "Pod") {
        return { metadata: object.metadata ?? {}, spec: object.spec ?? {} };
    }
    const template = kind === "PodTemplate" ? object.template : kind === "CronJob" ? object.spec?.jobTemplate?.spec?.template : object.spec?.template;
    return { metadata: template?.metadata ?? {}, spec: template?.spec ?? {} };
}

export function podSpecOf(workload: ResourceView): PodSpec {
    return podTemplateOf(workload).spec;
}

/** Visits every container (regular, init, ephemeral) one by one; see `decideEach`. */
export function forEachContainer(workload: ResourceView, visit: (container: ContainerView) => void): void {
    const spec = podSpecOf(workload);
    const lists = ["containers", "initContainers", "ephemeralContainers"] as const;
    decideEach(lists, (list) => decideEach(asArray(spec[list]), (container) => visit({ list, name: container.name ?? "<unnamed>", spec: container })));
}

export function describeContainer(container: ContainerView): string {
    return container.list === "containers" ? `container "${container.name}"` : `${container.list} "${container.name}"`;
}

/** Config shared by workload rules: namespaces whose system add-ons are exempt, listed per environment. */
export interface NamespaceExemptions {
    exemptNamespaces: string[];
}

export const EXEMPT_NAMESPACES_SCHEMA: PolicyConfigJSONSchema & { default: string[] } = {
    type: "array",
    items: { type: "string" },
    description: "Namespaces of system add-ons exempt from this rule; list them per environment in the config files.",
    default: [],
};

export function isExempt(workload: ResourceView, config: NamespaceExemptions): boolean {
    return config.exemptNamespaces.includes(namespaceOf(workload));
}
