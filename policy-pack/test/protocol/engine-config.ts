import Ajv, { type ValidateFunction } from "ajv";
import { analyzerProto, Struct } from "./analyzer";

// How the Pulumi engine turns a `--policy-pack-config` file into the Configure request, ported
// from pulumi/pulumi (pkg/resource/analyzer/config.go: parsePolicyPackConfig,
// ReconcilePolicyPackConfig; pkg/resource/plugin/analyzer_plugin.go: GetAnalyzerInfo, Configure):
// every policy gets its default level and schema defaults, then the file's settings; each
// policy's settings are validated against its schema (the engine stops with "validating policy
// config" before Configure if one fails); keys that name no policy are passed on unchecked.

export type EngineLevel = "advisory" | "mandatory" | "remediate" | "disabled";
const LEVELS: EngineLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

interface EnginePolicyConfig {
    enforcementLevel?: EngineLevel;
    properties?: Record<string, unknown>;
}
export type EngineConfig = Record<string, EnginePolicyConfig>;

export interface EnginePolicyInfo {
    name: string;
    enforcementLevel: EngineLevel;
    configSchema?: { properties: Record<string, Record<string, unknown>>; required: string[] };
}

const LEVEL_OF: Record<number, EngineLevel> = {
    [analyzerProto.EnforcementLevel.ADVISORY]: "advisory",
    [analyzerProto.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzerProto.EnforcementLevel.REMEDIATE]: "remediate",
    [analyzerProto.EnforcementLevel.DISABLED]: "disabled",
};
const PROTO_LEVEL: Record<EngineLevel, analyzerProto.EnforcementLevel> = {
    advisory: analyzerProto.EnforcementLevel.ADVISORY,
    mandatory: analyzerProto.EnforcementLevel.MANDATORY,
    remediate: analyzerProto.EnforcementLevel.REMEDIATE,
    disabled: analyzerProto.EnforcementLevel.DISABLED,
};

export function levelName(level: analyzerProto.EnforcementLevel): EngineLevel {
    const name = LEVEL_OF[level];
    if (!name) {
        throw new Error(`invalid enforcement level ${level}`);
    }
    return name;
}

/** GetAnalyzerInfo as the engine converts it: a config-capable pack's schemas gain `enforcementLevel`. */
export function enginePolicies(info: analyzerProto.AnalyzerInfo): EnginePolicyInfo[] {
    return info.getPoliciesList().map((policy) => {
        const schema = policy.getConfigschema();
        const configSchema = info.getSupportsconfig()
            ? {
                  properties: {
                      ...((schema?.getProperties()?.toJavaScript() ?? {}) as Record<string, Record<string, unknown>>),
                      enforcementLevel: { type: "string", enum: [...LEVELS] },
                  },
                  required: schema?.getRequiredList() ?? [],
              }
            : undefined;
        return { name: policy.getName(), enforcementLevel: levelName(policy.getEnforcementlevel()), configSchema };
    });
}

function isLevel(value: unknown): value is EngineLevel {
    return LEVELS.includes(value as EngineLevel);
}

function extractEnforcementLevel(name: string, entry: Record<string, unknown>): EngineLevel | undefined {
    if (!("enforcementLevel" in entry)) {
        return undefined;
    }
    const level = entry.enforcementLevel;
    delete entry.enforcementLevel;
    if (typeof level !== "string") {
        throw new Error(`parsing enforcement level for "${name}": ${String(level)} is not a valid enforcement level; must be a string`);
    }
    if (!isLevel(level)) {
        throw new Error(`parsing enforcement level for "${name}": "${level}" is not a valid enforcement level`);
    }
    return level;
}

/** parsePolicyPackConfig: the file's JSON, with its levels checked. */
export function parsePolicyPackConfig(text: string): EngineConfig {
    if (text.trim() === "") {
        return {};
    }
    const parsed = JSON.parse(text) as Record<string, unknown>;
    // ESC environment references are resolved by the backend, not part of the policy config.
    delete parsed.environments;
    const result: EngineConfig = {};
    for (const [name, value] of Object.entries(parsed)) {
        let enforcementLevel: EngineLevel | undefined;
        let properties: Record<string, unknown> | undefined;
        if (typeof value === "string") {
            if (!isLevel(value)) {
                throw new Error(`parsing enforcement level for "${name}": "${value}" is not a valid enforcement level`);
            }
            enforcementLevel = value;
        } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
            const entry = { ...(value as Record<string, unknown>) };
            enforcementLevel = extractEnforcementLevel(name, entry);
            properties = Object.keys(entry).length > 0 ? entry : undefined;
        } else {
            throw new Error(`parsing "${name}": ${JSON.stringify(value)} is not a valid value; must be a string or object`);
        }
        if (enforcementLevel !== undefined || properties !== undefined) {
            result[name] = { enforcementLevel, properties };
        }
    }
    return result;
}

function applyConfig(result: EngineConfig, toApply: EngineConfig): EngineConfig {
    const all = toApply.all?.enforcementLevel;
    if (all) {
        for (const [name, entry] of Object.entries(result)) {
            result[name] = { enforcementLevel: all, properties: entry.properties };
        }
    }
    for (const [name, given] of Object.entries(toApply)) {
        const current = result[name];
        let properties = current?.properties;
        if (given.properties && Object.keys(given.properties).length > 0 && !properties) {
            properties = {};
        }
        result[name] = {
            enforcementLevel: given.enforcementLevel ?? current?.enforcementLevel,
            properties: properties && { ...properties, ...given.properties },
        };
    }
    return result;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new Map<string, ValidateFunction>();

/** gojsonschema's check of a policy's settings: an object with the schema's properties and required ones. */
function validatorFor(schema: NonNullable<EnginePolicyInfo["configSchema"]>): ValidateFunction {
    const converted = JSON.stringify({ type: "object", properties: schema.properties, ...(schema.required.length > 0 ? { required: schema.required } : {}) });
    let validate = validators.get(converted);
    if (!validate) {
        validate = ajv.compile(JSON.parse(converted) as object);
        validators.set(converted, validate);
    }
    return validate;
}

/** ReconcilePolicyPackConfig: defaults, then initial config, then the file; with the schema errors, if any. */
export function reconcilePolicyPackConfig(
    policies: EnginePolicyInfo[],
    initialConfig: EngineConfig,
    config: EngineConfig,
): { config: EngineConfig; validationErrors: string[] } {
    let result: EngineConfig = {};
    for (const policy of policies) {
        const defaults = Object.entries(policy.configSchema?.properties ?? {}).filter(([, schema]) => "default" in schema);
        result[policy.name] = {
            enforcementLevel: policy.enforcementLevel,
            properties: defaults.length > 0 ? Object.fromEntries(defaults.map(([key, schema]) => [key, structuredClone(schema.default)])) : undefined,
        };
    }
    result = applyConfig(applyConfig(result, initialConfig), config);
    const validationErrors: string[] = [];
    for (const policy of policies) {
        if (!policy.configSchema) {
            continue;
        }
        const validate = validatorFor(policy.configSchema);
        if (!validate(result[policy.name]?.properties ?? {})) {
            validationErrors.push(...(validate.errors ?? []).map((error) => `${policy.name}: ${error.instancePath || "(root)"} ${error.message ?? "invalid"}`));
        }
    }
    return { config: result, validationErrors: validationErrors.sort() };
}

/** The Configure request the engine sends for a reconciled config. */
export function configureRequest(config: EngineConfig): analyzerProto.ConfigureAnalyzerRequest {
    const request = new analyzerProto.ConfigureAnalyzerRequest();
    for (const [name, entry] of Object.entries(config)) {
        if (!entry.enforcementLevel) {
            throw new Error(`invalid enforcement level "" for "${name}"`);
        }
        const policyConfig = new analyzerProto.PolicyConfig();
        policyConfig.setEnforcementlevel(PROTO_LEVEL[entry.enforcementLevel]);
        policyConfig.setProperties(Struct.fromJavaScript(entry.properties ?? {}));
        request.getPolicyconfigMap().set(name, policyConfig);
    }
    return request;
}
