import * as pulumi from "@pulumi/pulumi";
import { valueAtPointer } from "../../policy-pack/lib/values";
import type { PlannedResource, RenderedStack } from "../harness/render";
import { crdValidator, hasCrdGroupVersion } from "./crdSchemas";
import { helmValuesProblems } from "./helmValues";
import {
    BUILTIN_SCHEMA_PACKAGE,
    builtinVersionProblem,
    GATEWAY_API_EXPERIMENTAL_FIELDS,
    GATEWAY_API_GROUP,
    GATEWAY_API_STANDARD_CHANNEL,
    modelValidator,
    objectMetaValidator,
    splitApiVersion,
} from "./modelSchemas";
import { cachedObservation } from "./observationCache";
import { problemsFromAjv, SchemaProblem } from "./problems";

/** One way a rendered Kubernetes object (or Helm values) breaks the schema of its kind. */
export interface SchemaFinding {
    urn: string;
    apiVersion: string;
    kind: string;
    /** JSON pointer into the object ("" for the object as a whole). */
    path: string;
    message: string;
}

/** Type token of a Kubernetes object: kubernetes:<group|core>/<version>:<Kind>. */
const OBJECT_TOKEN = /^kubernetes:([^:/]+)\/([^:/]+):([^:]+)$/;

/**
 * Token groups of the Kubernetes provider that are not API objects: Helm charts and releases,
 * YAML and kustomize groups are components (or a Helm release) that render objects of their own.
 */
const NON_OBJECT_TOKEN_GROUPS = new Set(["helm.sh", "yaml", "kustomize"]);

/** apiVersion and kind of a resource, when it is a Kubernetes API object. */
export function objectIdentity(resource: Pick<PlannedResource, "type">): { apiVersion: string; kind: string } | undefined {
    const match = OBJECT_TOKEN.exec(resource.type);
    if (!match || NON_OBJECT_TOKEN_GROUPS.has(match[1])) {
        return undefined;
    }
    const [, group, version, kind] = match;
    return { apiVersion: group === "core" ? version : `${group}/${version}`, kind };
}

const MIN_KUBERNETES_MINOR = 34;

function versionProblem(kubernetesVersion: string): string | undefined {
    const [major, minor] = kubernetesVersion.split(".").map(Number);
    const [schemaMajor, schemaMinor] = BUILTIN_SCHEMA_PACKAGE.kubernetesVersion.split(".").map(Number);
    if (major !== schemaMajor || !(minor >= MIN_KUBERNETES_MINOR && minor <= schemaMinor)) {
        return `no built-in schemas for Kubernetes ${kubernetesVersion}: ${BUILTIN_SCHEMA_PACKAGE.name}@${BUILTIN_SCHEMA_PACKAGE.version} is validated for 1.${MIN_KUBERNETES_MINOR}-${schemaMajor}.${schemaMinor}`;
    }
    return undefined;
}

function matchesPointerPattern(path: string, pattern: string): boolean {
    const parts = path.split("/");
    const wanted = pattern.split("/");
    return parts.length === wanted.length && wanted.every((segment, i) => segment === "*" || segment === parts[i]);
}

/** Every field of `object` at a path matching one of the JSON-pointer patterns ("*" = any index). */
function fieldsAt(object: unknown, patterns: string[]): string[] {
    const found: string[] = [];
    const walk = (value: unknown, path: string) => {
        if (value === null || typeof value !== "object") {
            return;
        }
        for (const [key, child] of Object.entries(value)) {
            const childPath = `${path}/${key}`;
            if (child === undefined) {
                continue;
            }
            if (patterns.some((p) => matchesPointerPattern(childPath, p))) {
                found.push(childPath);
            }
            walk(child, childPath);
        }
    };
    walk(object, "");
    return found;
}

/**
 * A value Pulumi cannot know at preview (an ID of a resource not created yet) arrives as the
 * protocol's unknown string: whether it will fit its field cannot be decided, so a finding about
 * such a value is dropped. Field names are always known, so unknown fields are still reported.
 */
function aboutKnownValue(object: unknown, problem: SchemaProblem): boolean {
    return valueAtPointer(object, problem.path) !== pulumi.runtime.unknownValue;
}

/** Validates one object against the schema of its apiVersion and kind. */
async function objectProblems(object: Record<string, unknown>, apiVersion: string, kind: string): Promise<SchemaProblem[]> {
    const tooOld = builtinVersionProblem(apiVersion);
    if (tooOld) {
        return [{ path: "/apiVersion", message: tooOld }];
    }
    const crd = crdValidator(apiVersion, kind);
    if (crd) {
        const metadata = object.metadata === undefined ? undefined : await cachedObservation("ObjectMeta", objectMetaValidator, object.metadata);
        const { unknownFields, errors } = metadata ?? { unknownFields: [], errors: [] };
        return [
            ...problemsFromAjv(crd.validate(object)),
            ...problemsFromAjv(errors.map((e) => ({ ...e, instancePath: `/metadata${e.instancePath}` }))),
            ...unknownFields.map((p) => ({ ...p, path: `/metadata${p.path}` })),
        ];
    }
    const { group } = splitApiVersion(apiVersion);
    if (group === GATEWAY_API_GROUP && !GATEWAY_API_STANDARD_CHANNEL[apiVersion]?.includes(kind)) {
        return [{ path: "", message: `${apiVersion} ${kind} is not served by the Gateway API v1.5 standard-channel CRDs the controller is installed with` }];
    }
    const observation = await cachedObservation(`${apiVersion}/${kind}`, async () => (await modelValidator(apiVersion, kind))?.validate, object);
    if (observation) {
        const { errors, unknownFields } = observation;
        const problems = [...problemsFromAjv(errors), ...unknownFields];
        if (group === GATEWAY_API_GROUP) {
            for (const path of fieldsAt(object, GATEWAY_API_EXPERIMENTAL_FIELDS[kind] ?? [])) {
                problems.push({ path, message: "experimental-channel Gateway API field: the standard-channel CRDs do not define it" });
            }
        }
        return problems;
    }
    const known = hasCrdGroupVersion(apiVersion) ? `tools/schemas/data/crds has ${apiVersion} but not the kind ${kind}` : `no schema for ${apiVersion}`;
    return [{ path: "", message: `unknown kind: ${known}; add the CRD schema (see docs/schemas.md) so the object is checked` }];
}

/**
 * Validates every Kubernetes object among the resources against the schema of its apiVersion and
 * kind, strictly (unknown fields are errors), and the values of Helm charts that publish a values
 * schema. Resolves to no findings when everything is valid.
 */
export async function validateKubernetesObjects(resources: readonly PlannedResource[], kubernetesVersion: string): Promise<SchemaFinding[]> {
    const findings: SchemaFinding[] = [];
    const unsupported = versionProblem(kubernetesVersion);
    for (const resource of resources) {
        const identity = objectIdentity(resource);
        if (!identity) {
            for (const finding of helmValuesProblems(resource)) {
                findings.push({ urn: resource.urn, ...finding });
            }
            continue;
        }
        const { apiVersion, kind } = identity;
        const report = (problem: SchemaProblem) => findings.push({ urn: resource.urn, apiVersion, kind, ...problem });
        if (unsupported) {
            report({ path: "", message: unsupported });
            continue;
        }
        const object = resource.props;
        if (object.apiVersion !== apiVersion || object.kind !== kind) {
            report({ path: "/kind", message: `object says ${String(object.apiVersion)}/${String(object.kind)} but registers as ${resource.type}` });
        }
        const checked = { ...object, apiVersion, kind };
        for (const problem of await objectProblems(checked, apiVersion, kind)) {
            if (aboutKnownValue(checked, problem)) {
                report(problem);
            }
        }
    }
    return findings;
}

/** The schema findings of a rendered stack, for the plan document's `schemaFindings` key. */
export function schemaFindingsFor(rendered: RenderedStack): Promise<SchemaFinding[]> {
    return validateKubernetesObjects(rendered.resources, rendered.program.config.cluster.kubernetesVersion);
}
