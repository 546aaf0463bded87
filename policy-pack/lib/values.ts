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
export function parseJsonDocument(value: unknown): Record<string, any> | undefined {
    if (typeof value === "object" && value !== null) {
        return value as Record<string, any>;
    }
    if (typeof value !== "string") {
        return undefined;
    }
    try {
        const parsed: unknown = JSON.parse(value);
        return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, any>) : undefined;
    } catch {
        return undefined;
    }
}

/** `*` matches any run of characters; everything else is literal. */
export function matchesWildcard(pattern: string, value: string): boolean {
    const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
    return new RegExp(`^${escaped.join(".*")}$`).test(value);
}
