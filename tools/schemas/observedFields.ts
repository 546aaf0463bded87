import { AjvLikeError, pointerJoin, SchemaProblem } from "./problems";

/**
 * Strict field checking for precompiled validators.
 *
 * kubernetes-models ships its OpenAPI schemas compiled to Ajv standalone code, without
 * `additionalProperties: false`, so an unknown field such as `securityContext.privilegd` validates.
 * The compiled code cannot be recompiled with the flag, but its behaviour tells us what the schema
 * defines: for an object schema with `properties`, the validator reads every defined property of
 * the object (`data.x !== undefined`), present or not; for a map (`additionalProperties: {schema}`)
 * it enumerates the keys; for a free-form object (x-kubernetes-preserve-unknown-fields, RawExtension)
 * it does neither. So we hand the validator a read-recording view of the object and afterwards
 * report, for every object whose keys were not enumerated and whose properties were read, each key
 * the validator never looked at: that is exactly `additionalProperties: false` on the schemas that
 * list properties and say nothing about others, which is how `kubectl --validate=strict` and
 * kubeconform's strict mode treat unknown fields.
 */
interface ObservedObject {
    path: string;
    keys: string[];
    read: Set<string>;
    enumerated: boolean;
}

function observe(value: unknown, path: string, observed: ObservedObject[]): unknown {
    if (value === null || typeof value !== "object") {
        return value;
    }
    const record: ObservedObject = {
        path,
        keys: Array.isArray(value) ? [] : Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined),
        read: new Set(),
        enumerated: false,
    };
    observed.push(record);
    const children = new Map<string, unknown>();
    return new Proxy(value, {
        get(target, key, receiver) {
            const child: unknown = Reflect.get(target, key, receiver);
            if (typeof key !== "string") {
                return child;
            }
            record.read.add(key);
            if (child === null || typeof child !== "object") {
                return child;
            }
            if (!children.has(key)) {
                children.set(key, observe(child, pointerJoin(path, key), observed));
            }
            return children.get(key);
        },
        has(target, key) {
            if (typeof key === "string") {
                record.read.add(key);
            }
            return Reflect.has(target, key);
        },
        ownKeys(target) {
            record.enumerated = true;
            return Reflect.ownKeys(target);
        },
    });
}

/** A kubernetes-models validate function: throws an error carrying Ajv errors when data is invalid. */
export type ThrowingValidate = (data: unknown) => void;

/** Runs a precompiled validator and adds an "unknown field" problem for every field it did not read. */
export function validateObserved(validate: ThrowingValidate, object: unknown): { errors: AjvLikeError[]; unknownFields: SchemaProblem[] } {
    const observed: ObservedObject[] = [];
    let errors: AjvLikeError[] = [];
    try {
        validate(observe(object, "", observed));
    } catch (error) {
        const reported = (error as { errors?: unknown }).errors;
        if (!Array.isArray(reported)) {
            throw error;
        }
        errors = reported as AjvLikeError[];
    }
    const unknownFields: SchemaProblem[] = [];
    for (const record of observed) {
        if (record.enumerated || record.read.size === 0) {
            continue;
        }
        for (const key of record.keys) {
            if (!record.read.has(key)) {
                unknownFields.push({ path: pointerJoin(record.path, key), message: "unknown field (the schema does not define it)" });
            }
        }
    }
    return { errors, unknownFields };
}
