import type { PolicyPackConfig } from "../../evaluate";
import { enginePoliciesOf, levelIn } from "../../lib/engine";
import { environmentConfig, selectEnvironment, type Environment } from "../../lib/environments";
import type { Guardrail } from "../../lib/policy";
import type { EngineConfig, EngineLevel } from "./engine-config";

// What the published pack gives one stack, in the offline evaluator's terms (docs/guardrails.md,
// "Enforcement across the organization"). The stack's environment comes from its tags and name as
// ConfigureStack and the URNs carry them; each rule applies that environment's settings file, and
// an engine config (`--policy-pack-config`, `pulumi policy enable --config`) overrides it for every
// stack. The engine fixes each registered policy's level at Configure, so a rule reports under the
// engine policy registered at the level the stack's environment gives it: the rule itself, or its
// `-advisory` twin; an engine config reaches the rule through that name only.

export interface StackScope {
    stack: string;
    tags: Record<string, string>;
}

export function environmentOf(scope: StackScope): Environment {
    return selectEnvironment({ stack: scope.stack, tags: new Map(Object.entries(scope.tags)) }).environment;
}

/** The engine policy that reports the rule in this environment; undefined where no registered level matches (disabled there). */
function servingPolicy(policy: Guardrail, environment: Environment): { name: string; level: EngineLevel } | undefined {
    const level = levelIn(policy, environment);
    const served = enginePoliciesOf(policy).find((variant) => variant.enforcementLevel === level);
    return served && { name: served.name, level: served.enforcementLevel ?? "advisory" };
}

/** The name the engine reports a rule's verdicts under, for a stack of this environment. */
export function servedName(policy: Guardrail, environment: Environment): string {
    return servingPolicy(policy, environment)?.name ?? policy.name;
}

/**
 * The complete offline config equivalent to the environment's settings file overlaid with an
 * engine config (as the engine reconciles and sends it): per rule, the level Configure gives the
 * engine policy that serves it here (that policy's entry, else `all`, else its registered level;
 * disabled where none serves it), and the file's settings overlaid with that policy's.
 */
export function effectiveConfig(policies: readonly Guardrail[], environment: Environment, engineConfig: EngineConfig): PolicyPackConfig {
    const file = environmentConfig(environment);
    const config: PolicyPackConfig = {};
    for (const policy of policies) {
        const served = servingPolicy(policy, environment);
        const entry = file[policy.name];
        const settings = typeof entry === "object" ? { ...entry } : {};
        delete settings.enforcementLevel;
        const configured = served ? engineConfig[served.name] : undefined;
        const level = served ? (configured?.enforcementLevel ?? engineConfig.all?.enforcementLevel ?? served.level) : "disabled";
        config[policy.name] = { ...settings, ...configured?.properties, enforcementLevel: level };
    }
    return config;
}
