import { isUnknown, PULUMI_UNKNOWN_STRING, type Undecided, type Violation } from "../../evaluate";
import { analyzerProto, Struct, type StructMessage } from "./analyzer";
import { levelName } from "./engine-config";

// The engine's encoding of resources for the analyzer (pkg/resource/plugin/analyzer_plugin.go and
// sdk/go/common/resource/plugin/rpc.go MarshalProperties with KeepUnknowns, KeepSecrets and
// SkipInternalKeys), and the decoding of what the pack answers back into the offline evaluator's
// terms, so the two can be compared field by field.

/** Pulumi's signature key and secret signature (sdk/go/common/resource/properties.go). */
const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

/** A resource as the plan records it; fixtures give the fields they need. */
export interface WireResource {
    urn: string;
    type: string;
    name: string;
    /** Provider ID; a Terraform-bridged provider also returns it as the `id` output. Absent or "" for components. */
    id?: string;
    parent?: string | null;
    dependsOn?: string[];
    provider?: string | null;
    options?: { protect?: boolean; retainOnDelete?: boolean; ignoreChanges?: string[]; deleteBeforeReplace?: boolean };
    props: Record<string, unknown>;
}

/** A value as a Pulumi program marks it secret (the SDK's and the plan's representation). */
export function secret(value: unknown): Record<string, unknown> {
    return { [SIGNATURE_KEY]: SECRET_SIGNATURE, value };
}

function isSecret(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIGNATURE_KEY] === SECRET_SIGNATURE;
}

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One property value as MarshalPropertyValue puts it on the wire. */
function wireValue(value: unknown, at: string): JsonValue {
    if (isUnknown(value)) {
        // A Node.js program's computed value reaches the engine as the string sentinel and is sent on as one.
        return PULUMI_UNKNOWN_STRING;
    }
    if (value === null || typeof value === "string" || typeof value === "boolean") {
        return value;
    }
    if (typeof value === "number" && Number.isFinite(value)) {
        return value;
    }
    if (Array.isArray(value)) {
        return value.map((element, index) => (element === undefined ? null : wireValue(element, `${at}[${index}]`)));
    }
    if (isSecret(value)) {
        return { [SIGNATURE_KEY]: SECRET_SIGNATURE, value: wireValue(value.value, at) };
    }
    if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        return Object.fromEntries(
            Object.entries(value as Record<string, unknown>)
                .filter(([, member]) => member !== undefined)
                .map(([key, member]) => [key, wireValue(member, `${at}.${key}`)]),
        );
    }
    const kind = typeof value === "object" ? (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name : typeof value;
    throw new Error(`cannot send ${at} over the analyzer protocol: a ${kind ?? "value"} has no Pulumi property encoding here`);
}

/** MarshalProperties: top-level keys starting with "__" are the engine's own and are skipped. */
function marshalProperties(props: Record<string, unknown>, label: string): StructMessage {
    const fields = Object.entries(props).filter(([key, value]) => !key.startsWith("__") && value !== undefined);
    return Struct.fromJavaScript(Object.fromEntries(fields.map(([key, value]) => [key, wireValue(value, `${label}.${key}`)])));
}

/** Type and name from a URN: `urn:pulumi:<stack>::<project>::<parent types$type>::<name>`. */
function parseUrn(urn: string): { type: string; name: string } {
    const parts = urn.split("::");
    if (parts.length < 4) {
        throw new Error(`not a URN: ${urn}`);
    }
    return { type: parts[2].split("$").pop()!, name: parts.slice(3).join("::") };
}

function resourceOptions(resource: WireResource): analyzerProto.AnalyzerResourceOptions {
    const options = new analyzerProto.AnalyzerResourceOptions();
    options.setProtect(resource.options?.protect === true);
    options.setIgnorechangesList(resource.options?.ignoreChanges ?? []);
    // The plan records the flag, not whether the program set it; only `true` is certainly set.
    options.setDeletebeforereplace(resource.options?.deleteBeforeReplace === true);
    options.setDeletebeforereplacedefined(resource.options?.deleteBeforeReplace === true);
    options.setAdditionalsecretoutputsList([]);
    options.setAliasesList([]);
    options.setCustomtimeouts(new analyzerProto.AnalyzerResourceOptions.CustomTimeouts());
    options.setParent(resource.parent ?? "");
    return options;
}

/** The resource's provider as the engine describes it: its URN, type, name and inputs (when the plan has them). */
function providerOf(resource: WireResource, byUrn: Map<string, WireResource>): analyzerProto.AnalyzerProviderResource | undefined {
    if (!resource.provider) {
        return undefined;
    }
    const recorded = byUrn.get(resource.provider);
    const provider = new analyzerProto.AnalyzerProviderResource();
    provider.setUrn(resource.provider);
    provider.setType(recorded?.type ?? parseUrn(resource.provider).type);
    provider.setName(recorded?.name ?? parseUrn(resource.provider).name);
    provider.setProperties(marshalProperties(recorded?.props ?? {}, resource.provider));
    return provider;
}

/** Analyze (and Remediate): the resource's inputs, before it is created or updated. */
export function analyzeRequest(resource: WireResource, byUrn: Map<string, WireResource>): analyzerProto.AnalyzeRequest {
    const request = new analyzerProto.AnalyzeRequest();
    request.setUrn(resource.urn);
    request.setType(resource.type);
    request.setName(resource.name);
    request.setProperties(marshalProperties(resource.props, resource.urn));
    request.setOptions(resourceOptions(resource));
    const provider = providerOf(resource, byUrn);
    if (provider) {
        request.setProvider(provider);
    }
    return request;
}

/**
 * AnalyzeStack: every resource's outputs with parent and dependencies. The plan knows a resource's
 * inputs and its provider ID; the outputs are taken as those inputs plus `id`, which
 * Terraform-bridged providers (aws) return as an output and stack rules link resources by.
 */
export function analyzeStackRequest(resources: WireResource[]): analyzerProto.AnalyzeStackRequest {
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    const request = new analyzerProto.AnalyzeStackRequest();
    request.setResourcesList(
        resources.map((resource) => {
            const outputs = resource.id && !("id" in resource.props) ? { ...resource.props, id: resource.id } : resource.props;
            const entry = new analyzerProto.AnalyzerResource();
            entry.setUrn(resource.urn);
            entry.setType(resource.type);
            entry.setName(resource.name);
            entry.setProperties(marshalProperties(outputs, resource.urn));
            entry.setOptions(resourceOptions(resource));
            entry.setParent(resource.parent ?? "");
            entry.setDependenciesList(resource.dependsOn ?? []);
            const provider = providerOf(resource, byUrn);
            if (provider) {
                entry.setProvider(provider);
            }
            return entry;
        }),
    );
    return request;
}

/** Everything a policy run can conclude about one resource (or the stack), as comparable lines. */
export interface Outcomes {
    violations: string[];
    /** "can't run during preview" diagnostics: the rule read a value unknown at preview. */
    undecided: string[];
    /** The rule could not decide for a reason other than an unknown property (e.g. subnets in another stack). */
    notApplicable: string[];
}

export function emptyOutcomes(): Outcomes {
    return { violations: [], undecided: [], notApplicable: [] };
}

const where = (urn: string | null) => urn ?? "(stack)";

export function violationLine(violation: Violation): string {
    return `${violation.policy} [${violation.enforcementLevel}] ${where(violation.urn)}: ${violation.message} {controls: ${violation.controls.join(", ")}}`;
}

const undecidedLine = (policy: string, urn: string | null, path: string) => `${policy} ${where(urn)}: needs .${path}`;
const notApplicableLine = (policy: string, urn: string | null, reason: string) => `${policy} ${where(urn)}: ${reason}`;

const CANT_RUN = /^can't run policy '([^']+)' from policy pack '[^']+' during preview: (?:\w+ )?value at \.(.*) can't be known during preview$/s;
const UNDECIDED_REASON = /^value at (.*) can't be known during preview$/s;

/**
 * What one Analyze or AnalyzeStack response says, in the offline evaluator's terms. The pack sends
 * a violation as `<description>\n<message> [controls: ...]`; the engine attributes a diagnostic
 * without a URN to the analyzed resource (Analyze) or to the stack (AnalyzeStack).
 */
export function decodeResponse(response: analyzerProto.AnalyzeResponse, analyzedUrn: string | null, descriptions: Map<string, string>, into: Outcomes): void {
    for (const diagnostic of response.getDiagnosticsList()) {
        const policy = diagnostic.getPolicyname();
        const urn = diagnostic.getUrn() || analyzedUrn;
        const message = diagnostic.getMessage();
        const cantRun = CANT_RUN.exec(message);
        if (cantRun && levelName(diagnostic.getEnforcementlevel()) === "advisory") {
            into.undecided.push(undecidedLine(policy, urn, cantRun[2]));
            continue;
        }
        const description = descriptions.get(policy) ?? "";
        const reported = message.startsWith(`${description}\n`) ? message.slice(description.length + 1) : message;
        const withControls = /^(.*) \[controls: (.*)\]$/s.exec(reported);
        const level = levelName(diagnostic.getEnforcementlevel());
        into.violations.push(
            violationLine({
                policy,
                enforcementLevel: level === "remediate" ? "mandatory" : (level as Violation["enforcementLevel"]),
                controls: withControls ? withControls[2].split(", ").filter(Boolean) : ["(none reported)"],
                urn,
                message: withControls ? withControls[1] : reported,
            }),
        );
    }
    for (const entry of response.getNotApplicableList()) {
        if (UNDECIDED_REASON.test(entry.getReason())) {
            into.notApplicable.push(notApplicableLine(entry.getPolicyName(), analyzedUrn, entry.getReason()));
        }
    }
}

/** A rule's unknown read, spelled as the engine's proxy spells the path (`a.b[0]` → `a.b.0`). */
function enginePath(path: string): string {
    return path.replace(/\[(\d+)\]/g, ".$1");
}

/** Whether `props` holds an unknown value at the rule's read path. */
function unknownAt(props: Record<string, unknown>, path: string): boolean {
    const segments = path.match(/[^.[\]]+/g) ?? [];
    const unwrap = (value: unknown): unknown => (isSecret(value) ? unwrap(value.value) : value);
    let value: unknown = unwrap(props);
    for (const segment of segments) {
        if (isUnknown(value) || typeof value !== "object" || value === null) {
            return false;
        }
        value = unwrap((value as Record<string, unknown>)[segment]);
    }
    return isUnknown(value);
}

/**
 * The offline evaluator's verdicts as the protocol must report them, each under the name the engine
 * reports its rule by (`nameOf`): violations as they are; an undecided rule as the engine's "can't
 * run during preview" when it stopped on an unknown property (Analyze: of that resource;
 * AnalyzeStack: of any resource), otherwise as "not applicable".
 */
export function expectedOutcomes(
    violations: Violation[],
    undecided: Undecided[],
    resources: Array<{ urn: string; props: Record<string, unknown> }>,
    stackPolicies: Set<string>,
    nameOf: (policy: string) => string,
): Outcomes {
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    const outcomes = emptyOutcomes();
    outcomes.violations = violations.map((violation) => violationLine({ ...violation, policy: nameOf(violation.policy) }));
    for (const entry of undecided) {
        const path = UNDECIDED_REASON.exec(entry.reason)?.[1];
        const candidates = stackPolicies.has(entry.policy) ? resources : [byUrn.get(entry.urn ?? "")].filter((resource) => resource !== undefined);
        if (path !== undefined && candidates.some((resource) => unknownAt(resource.props, path))) {
            outcomes.undecided.push(undecidedLine(nameOf(entry.policy), entry.urn, enginePath(path)));
        } else {
            outcomes.notApplicable.push(notApplicableLine(nameOf(entry.policy), entry.urn, entry.reason));
        }
    }
    return outcomes;
}

/** The differences between two outcome sets, each line naming the policy and the resource; empty when equal. */
export function differences(overProtocol: Outcomes, offline: Outcomes, labels = ["over the protocol", "offline"]): string[] {
    const lines: string[] = [];
    for (const kind of ["violations", "undecided", "notApplicable"] as const) {
        const remaining = [...offline[kind]];
        for (const line of overProtocol[kind]) {
            const index = remaining.indexOf(line);
            if (index >= 0) {
                remaining.splice(index, 1);
            } else {
                lines.push(`only ${labels[0]} (${kind}): ${line}`);
            }
        }
        lines.push(...remaining.map((line) => `only ${labels[1]} (${kind}): ${line}`));
    }
    return lines.sort();
}
