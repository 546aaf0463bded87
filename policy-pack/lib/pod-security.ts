import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { resourceGuardrail, type DefaultEnforcementLevel, type ResourceGuardrail, type ResourceView } from "./policy";
import type { Container, PodSecurityContext, PodSpec, SecurityContext } from "./kubernetes";
import { EXEMPT_NAMESPACES_SCHEMA, WORKLOAD_TYPES, isExempt, podSpecOf, type NamespaceExemptions } from "./workloads";

/** A workload rule: applies to every workload kind and honours the namespace exemptions of its config. */
export function workloadGuardrail<C extends NamespaceExemptions = NamespaceExemptions>(definition: {
    name: string;
    description: string;
    enforcementLevel?: DefaultEnforcementLevel;
    controls: string[];
    remediation: string;
    extraConfigSchema?: { [K in Exclude<keyof C, "exemptNamespaces">]-?: PolicyConfigJSONSchema & { default: C[K] } };
    check: (workload: ResourceView, podSpec: PodSpec, config: C, report: (message: string) => void) => void;
}): ResourceGuardrail<C> {
    return resourceGuardrail<C>({
        name: definition.name,
        description: definition.description,
        enforcementLevel: definition.enforcementLevel ?? "mandatory",
        controls: definition.controls,
        remediation: definition.remediation,
        configSchema: { exemptNamespaces: EXEMPT_NAMESPACES_SCHEMA, ...definition.extraConfigSchema } as ResourceGuardrail<C>["configSchema"],
        resourceTypes: WORKLOAD_TYPES,
        validate: (workload, config, report) => {
            if (!isExempt(workload, config)) {
                definition.check(workload, podSpecOf(workload), config, report);
            }
        },
    });
}

/** Settings a container inherits from the pod's securityContext unless it sets its own. */
type InheritedField = keyof SecurityContext & keyof PodSecurityContext;

/** A container's setting, falling back to the pod-level securityContext as Kubernetes does. */
export function effectiveSecurityContextValue<K extends InheritedField>(podSpec: PodSpec, container: Container, field: K): SecurityContext[K] {
    return container.securityContext?.[field] ?? podSpec.securityContext?.[field];
}
