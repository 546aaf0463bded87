import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import type { ResourceView } from "./policy";
import { asArray } from "./values";
import { decideEach } from "./unknown";

const POD = "kubernetes:core/v1:Pod";
export const CRON_JOB = "kubernetes:batch/v1:CronJob";
export const WORKLOAD_TYPES = [
    POD,
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:apps/v1:ReplicaSet",
    "kubernetes:batch/v1:Job",
    CRON_JOB,
] as const;

/** A container of any of the pod's three lists, with where it came from for messages. */
export interface ContainerView {
    list: "containers" | "initContainers" | "ephemeralContainers";
    name: string;
    spec: Record<string, any>;
}

/** The pod template of any workload kind; a CronJob nests it in its job template. */
export function podTemplateOf(workload: ResourceView): { metadata: Record<string, any>; spec: Record<string, any> } {
    const props = workload.props;
    if (workload.type === POD) {
        return { metadata: props.metadata ?? {}, spec: props.spec ?? {} };
    }
    const template = workload.type === CRON_JOB ? props.spec?.jobTemplate?.spec?.template : props.spec?.template;
    return { metadata: template?.metadata ?? {}, spec: template?.spec ?? {} };
}

export function podSpecOf(workload: ResourceView): Record<string, any> {
    return podTemplateOf(workload).spec;
}

/**
 * Namespace the workload lands in. Without metadata.namespace the Kubernetes provider uses
 * its own default namespace, which is `default` unless the provider sets one; the rules
 * cannot see provider settings, so they take the API server's default.
 */
export function namespaceOf(resource: ResourceView): string {
    return resource.props.metadata?.namespace ?? "default";
}

/** Visits every container (regular, init, ephemeral) one by one; see `decideEach`. */
export function forEachContainer(workload: ResourceView, visit: (container: ContainerView) => void): void {
    const spec = podSpecOf(workload);
    const lists = ["containers", "initContainers", "ephemeralContainers"] as const;
    decideEach(lists, (list) =>
        decideEach(asArray(spec[list]), (container: Record<string, any>) => visit({ list, name: container.name ?? "<unnamed>", spec: container })),
    );
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
