// Pulumi's AWS provider passes some booleans as strings ("true"), because the underlying
// Terraform schema types them so (launch template `ebs.encrypted`, `associatePublicIpAddress`).

export function isTrue(value: unknown): boolean {
    return value === true || value === "true";
}

export function isFalse(value: unknown): boolean {
    return value === false || value === "false";
}

export function asArray<T>(value: T | T[] | undefined | null): T[] {
    if (value === undefined || value === null) {
        return [];
    }
    return Array.isArray(value) ? value : [value];
}

/** IAM, key policies and add-on configuration arrive either as JSON text or as an object. */
export function parseJsonDocument(value: unknown): Record<string, unknown> | undefined {
    if (typeof value === "object" && value !== null) {
        return value as Record<string, unknown>;
    }
    if (typeof value !== "string") {
        return undefined;
    }
    try {
        const parsed: unknown = JSON.parse(value);
        return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}

/** `*` matches any run of characters; everything else is literal. */
export function matchesWildcard(pattern: string, value: string): boolean {
    const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
    return new RegExp(`^${escaped.join(".*")}$`).test(value);
}

/**
 * The value at a path of properties, or undefined as soon as a step is not an object. Reading goes
 * through the value itself, so an unknown value guarded by lib/unknown.ts still stops the rule.
 */
export function field(value: unknown, ...path: Array<string | number>): unknown {
    let current = value;
    for (const key of path) {
        if (typeof current !== "object" || current === null) {
            return undefined;
        }
        current = (current as Record<string | number, unknown>)[key];
    }
    return current;
}

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The segments of a JSON pointer (RFC 6901, "/a/b~1c" is a, b/c), unescaped. */
export function pointerSegments(pointer: string): string[] {
    return pointer
        .split("/")
        .slice(1)
        .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The value a JSON pointer names, or undefined as soon as a step is not an object. */
export function valueAtPointer(value: unknown, pointer: string): unknown {
    return field(value, ...pointerSegments(pointer));
}

/** The object at a path, or undefined. */
export function recordAt(value: unknown, ...path: Array<string | number>): Record<string, unknown> | undefined {
    const found = field(value, ...path);
    return isRecord(found) ? found : undefined;
}

/** The list at a path (a single value becomes a list of one), or an empty list. */
export function listAt(value: unknown, ...path: Array<string | number>): unknown[] {
    return asArray(field(value, ...path));
}

/** The string at a path, or undefined. */
export function stringAt(value: unknown, ...path: Array<string | number>): string | undefined {
    const found = field(value, ...path);
    return typeof found === "string" ? found : undefined;
}

/** The strings of the list at a path; other items are skipped. */
export function stringsAt(value: unknown, ...path: Array<string | number>): string[] {
    return listAt(value, ...path).filter((item): item is string => typeof item === "string");
}
