import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import type { EnvironmentSelection } from "./environments";

/** Levels a policy can default to; "disabled" is only ever set by a config file. */
export type DefaultEnforcementLevel = "mandatory" | "advisory";
export type EnforcementLevel = DefaultEnforcementLevel | "disabled" | "remediate";

/** A resource as the rules see it: the same shape offline and in the policy engine. */
export interface ResourceView {
    type: string;
    name: string;
    urn: string;
    /** Provider ID when known (engine outputs, or a plan harness that records mock IDs). */
    id?: string;
    // Rules still read nested inputs directly (lib/values.ts has typed readers for new code); until every
    // rule uses them, the inputs stay untyped here.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
    props: Record<string, any>;
    parent?: string;
    dependsOn: string[];
    /**
     * Resource options that decide what a deletion or replacement destroys. The engine shows
     * policies `protect` but not `retainOnDelete`, so there it is undefined; offline plans know both.
     */
    options?: { protect?: boolean; retainOnDelete?: boolean };
}

export interface StackView {
    resources: ResourceView[];
    /** The environment whose settings apply to this stack, and how it was chosen. */
    environment: EnvironmentSelection;
}

/** Every parameter has a default, so a policy runs with no config file at all. */
export type ConfigSchema<C> = { [K in keyof C]-?: PolicyConfigJSONSchema & { default: C[K] } };

interface GuardrailMetadata<C> {
    /** Unique, kebab-case; the key of this policy in the config files. */
    name: string;
    description: string;
    enforcementLevel: DefaultEnforcementLevel;
    /**
     * External controls implemented: Checkov, trivy (AVD), CIS EKS Benchmark, Pod Security Standards.
     * Each must be shown failing by a fixture of this rule (its `demonstrates`); empty only for a
     * rule with `platformSpecific`.
     */
    controls: readonly string[];
    /**
     * Why no public control describes what this rule checks (the platform's own requirement);
     * set exactly when `controls` is empty, and shown in the docs instead of a control list.
     */
    platformSpecific?: string;
    remediation: string;
    configSchema?: ConfigSchema<C>;
}

export type ReportResourceViolation = (message: string) => void;
export type ReportStackViolation = (message: string, urn?: string) => void;

export interface ResourceGuardrail<C = Record<string, never>> extends GuardrailMetadata<C> {
    kind: "resource";
    /** Pulumi type tokens; a trailing `*` matches any suffix (e.g. `aws:appmesh/*`). */
    resourceTypes: readonly string[];
    validate(resource: ResourceView, config: C, report: ReportResourceViolation): void;
}

export interface StackGuardrail<C = Record<string, never>> extends GuardrailMetadata<C> {
    kind: "stack";
    validate(stack: StackView, config: C, report: ReportStackViolation): void;
}

// The pack is a heterogeneous list; each entry is type-checked against its own config where it is defined.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a rule's config type is checked where the rule is defined
export type Guardrail = ResourceGuardrail<any> | StackGuardrail<any>;

export function resourceGuardrail<C = Record<string, never>>(policy: Omit<ResourceGuardrail<C>, "kind">): ResourceGuardrail<C> {
    return { kind: "resource", ...policy };
}

export function stackGuardrail<C = Record<string, never>>(policy: Omit<StackGuardrail<C>, "kind">): StackGuardrail<C> {
    return { kind: "stack", ...policy };
}

export function appliesToType(policy: ResourceGuardrail<unknown>, type: string): boolean {
    return policy.resourceTypes.some((pattern) => (pattern.endsWith("*") ? type.startsWith(pattern.slice(0, -1)) : type === pattern));
}

/** The message as shown by the engine, which has no separate field for controls. */
export function withControls(policy: Guardrail, message: string): string {
    return `${message} [controls: ${policy.controls.join(", ")}]`;
}
