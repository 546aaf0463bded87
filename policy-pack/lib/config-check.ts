import type { ErrorObject, ValidateFunction } from "ajv";
import { createRequire } from "module";
import { editDistance } from "./edit-distance";
import { CachedSchemaCompiler } from "./schema-cache";
import { pointerSegments, valueAtPointer } from "./values";

/** A policy as a config names it: its name and the JSON schemas of its settings (none if it has none). */
export interface ConfigurablePolicy {
    name: string;
    settings?: Record<string, object>;
}

// The pack's own check of a policy-pack config. The Pulumi engine validates each policy's
// settings against its config schema before Configure, but passes a key that names no policy
// straight through, and lets a policy entry carry settings its schema does not define: a typo
// ("log-group-retenion", "minimumRetentionDay") would silently leave the default in force. The
// pack applies this check when the engine or Pulumi Cloud calls Configure (lib/engine.ts) and the
// offline evaluator applies it to the config it is given, so both refuse the same configs.

const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

/** A config that the pack refuses; `problems` names each setting, its value and what is allowed. */
export class PolicyConfigError extends Error {
    constructor(
        readonly problems: string[],
        origin = "policy-pack config",
    ) {
        super(`Invalid ${origin} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
        this.name = "PolicyConfigError";
    }
}

function suggestion(name: string, candidates: string[]): string {
    const [closest] = candidates.map((candidate) => ({ candidate, distance: editDistance(name, candidate) })).sort((a, b) => a.distance - b.distance);
    return closest && closest.distance <= Math.max(2, Math.floor(name.length / 4)) ? `; did you mean "${closest.candidate}"?` : "";
}

function pointerToPath(pointer: string): string {
    return pointerSegments(pointer)
        .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`))
        .join("");
}

function describe(error: ErrorObject, policy: ConfigurablePolicy, entry: unknown): string {
    const settings = Object.keys(policy.settings ?? {});
    if (error.keyword === "additionalProperties" && error.instancePath === "") {
        const setting = (error.params as { additionalProperty: string }).additionalProperty;
        const allowed = settings.length > 0 ? `its settings are ${settings.join(", ")}` : "it has no settings";
        return `${policy.name}: no setting "${setting}"${suggestion(setting, settings)} (${allowed}, and enforcementLevel)`;
    }
    const value = valueAtPointer(entry, error.instancePath);
    const allowed = error.keyword === "enum" ? `: one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(", ")}` : "";
    return `${policy.name}${pointerToPath(error.instancePath)} = ${JSON.stringify(value)}: ${error.message ?? "invalid"}${allowed}`;
}

export class PolicyConfigChecker {
    // Ajv is loaded only to compile a check no earlier run has cached.
    private readonly schemas = new CachedSchemaCompiler({ allErrors: true, strict: false });
    private readonly policies: Map<string, ConfigurablePolicy>;
    private readonly validators = new Map<string, ValidateFunction>();

    constructor(policies: readonly ConfigurablePolicy[]) {
        this.policies = new Map(policies.map((policy) => [policy.name, policy]));
    }

    /** A policy entry's check, compiled when a config first names the policy. */
    private validatorOf(policy: ConfigurablePolicy): ValidateFunction {
        let validate = this.validators.get(policy.name);
        if (!validate) {
            validate = this.schemas.compile({
                type: "object",
                properties: { ...policy.settings, enforcementLevel: { enum: LEVELS } },
                additionalProperties: false,
            });
            this.validators.set(policy.name, validate);
        }
        return validate;
    }

    /**
     * Problems of a config in the `--policy-pack-config` file format (per policy a level or an
     * object of settings), which also covers what Configure carries; empty when it is valid.
     */
    problems(config: unknown): string[] {
        if (typeof config !== "object" || config === null || Array.isArray(config)) {
            return [`the config must be an object keyed by policy name, not ${JSON.stringify(config)}`];
        }
        const names = [...this.policies.keys()];
        const problems: string[] = [];
        for (const [name, entry] of Object.entries(config as Record<string, unknown>)) {
            const known = this.policies.get(name);
            if (typeof entry === "string") {
                if (!LEVELS.includes(entry)) {
                    problems.push(`${name} = ${JSON.stringify(entry)}: not an enforcement level; one of ${LEVELS.join(", ")}`);
                }
            } else if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
                problems.push(`${name} = ${JSON.stringify(entry)}: must be an enforcement level or an object of the policy's settings`);
                continue;
            }
            if (name === "all") {
                const { enforcementLevel, ...settings } = typeof entry === "object" ? (entry as Record<string, unknown>) : {};
                if (enforcementLevel !== undefined && !LEVELS.includes(enforcementLevel as string)) {
                    problems.push(`all.enforcementLevel = ${JSON.stringify(enforcementLevel)}: not an enforcement level; one of ${LEVELS.join(", ")}`);
                }
                if (Object.keys(settings).length > 0) {
                    problems.push(`all: sets only an enforcement level for every policy, not ${Object.keys(settings).join(", ")}`);
                }
                continue;
            }
            if (!known) {
                problems.push(`unknown policy "${name}"${suggestion(name, names)} (the pack's policies are listed in docs/guardrails.md)`);
                continue;
            }
            if (typeof entry === "object") {
                const validate = this.validatorOf(known);
                if (!validate(entry)) {
                    problems.push(...(validate.errors ?? []).map((error) => describe(error, known, entry)));
                }
            }
        }
        return problems;
    }

    /** Throws a PolicyConfigError listing every problem of the config. */
    check(config: unknown, origin?: string): void {
        const problems = this.problems(config);
        if (problems.length > 0) {
            throw new PolicyConfigError(problems, origin);
        }
    }
}

// What the Configure handler of @pulumi/policy's server receives: per policy, an enforcement level and a Struct of settings.
interface ConfigureCall {
    request: {
        getPolicyconfigMap(): { entries(): Iterable<[string, { getEnforcementlevel(): number; getProperties(): { toJavaScript(): object } | undefined }]> };
    };
}
type ConfigureCallback = (error: { code: number; details: string } | null, response?: unknown) => void;
type Handler = (call: ConfigureCall, callback: ConfigureCallback) => unknown;
type AddService = (this: unknown, service: unknown, implementation: Record<string, unknown>) => void;

/**
 * Runs `construct` (which builds the PolicyPack, and with it the policy server) so that the server's
 * Configure handler first applies the pack's config check and answers INVALID_ARGUMENT, listing every
 * problem, for a config the check refuses; the previous config then stays in force. @pulumi/policy
 * offers no hook for this: its server registers its handlers with @grpc/grpc-js's Server.addService
 * inside the PolicyPack constructor, so addService is wrapped for exactly that call. If a future
 * @pulumi/policy registers Configure some other way, this throws rather than serve without the check.
 */
export function serveWithConfigCheck(checker: PolicyConfigChecker, construct: () => void): void {
    // The very modules @pulumi/policy's server loads: its copy of @grpc/grpc-js and its level conversion.
    const policyRequire = createRequire(require.resolve("@pulumi/policy/server"));
    const grpc = policyRequire("@grpc/grpc-js") as { Server: { prototype: { addService: AddService } }; status: { INVALID_ARGUMENT: number } };
    const { convertEnforcementLevel } = policyRequire("./protoutil") as { convertEnforcementLevel: (level: number) => string };
    const prototype = grpc.Server.prototype;
    const addService = prototype.addService;
    let guarded = false;

    const checked = (configure: Handler, implementation: Record<string, unknown>): Handler => {
        return (call, callback) => {
            let problems: string[];
            try {
                const config: Record<string, object> = {};
                for (const [name, entry] of call.request.getPolicyconfigMap().entries()) {
                    config[name] = { ...(entry.getProperties()?.toJavaScript() ?? {}), enforcementLevel: convertEnforcementLevel(entry.getEnforcementlevel()) };
                }
                problems = checker.problems(config);
            } catch (error) {
                problems = [(error as Error).message];
            }
            if (problems.length > 0) {
                const details = `eks-platform-guardrails refuses this policy config:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`;
                callback({ code: grpc.status.INVALID_ARGUMENT, details });
                return undefined;
            }
            return configure.call(implementation, call, callback);
        };
    };
    prototype.addService = function (this: unknown, service: unknown, implementation: Record<string, unknown>): void {
        const configure = implementation.configure;
        if (typeof configure !== "function") {
            return addService.call(this, service, implementation);
        }
        guarded = true;
        return addService.call(this, service, { ...implementation, configure: checked(configure as Handler, implementation) });
    };
    try {
        construct();
    } finally {
        prototype.addService = addService;
    }
    if (!guarded) {
        throw new Error("@pulumi/policy did not register a Configure handler through @grpc/grpc-js's Server.addService; the policy config check cannot run");
    }
}
