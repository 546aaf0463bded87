import type { EnforcementLevel, Guardrail } from "./policy";

/**
 * A policy-pack config file as `pulumi preview --policy-pack-config <file>` reads it: per
 * policy either a bare enforcement level or an object with `enforcementLevel` and the
 * policy's configSchema properties; the key `all` sets the level of every policy.
 */
export type PolicyPackConfig = Record<string, EnforcementLevel | PolicyConfigEntry>;
type PolicyConfigEntry = { enforcementLevel?: EnforcementLevel } & Record<string, unknown>;

export function enforcementLevelOf(policy: Guardrail, config: PolicyPackConfig): EnforcementLevel {
    return levelIn(config[policy.name]) ?? levelIn(config.all) ?? policy.enforcementLevel;
}

function levelIn(entry: PolicyPackConfig[string] | undefined): EnforcementLevel | undefined {
    return typeof entry === "string" ? entry : entry?.enforcementLevel;
}

/** The policy's parameters: schema defaults overlaid with whatever the config sets. */
export function parametersOf(policy: Guardrail, entry: PolicyPackConfig[string] | Record<string, unknown> | undefined): Record<string, unknown> {
    const parameters: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema ?? {})) {
        parameters[key] = (schema as { default: unknown }).default;
    }
    if (entry && typeof entry === "object") {
        for (const [key, value] of Object.entries(entry)) {
            if (key !== "enforcementLevel" && value !== undefined) {
                parameters[key] = value;
            }
        }
    }
    return parameters;
}
