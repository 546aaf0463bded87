/**
 * Go-style durations as Gateway API's HTTPRoute accepts them (pattern ^([0-9]{1,5}(h|m|s|ms)){1,4}$
 * in the v1.5.0 CRD): one to four number+unit parts, units h, m, s and ms. App Mesh takes
 * { value, unit: "s" | "ms" }, so every duration that passes here converts to it exactly.
 */
const DURATION = /^([0-9]{1,5}(h|ms|m|s)){1,4}$/;
const PART = /([0-9]{1,5})(h|ms|m|s)/g;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** Milliseconds of a duration such as "15s", "500ms" or "1m30s"; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
    if (!DURATION.test(text)) {
        return undefined;
    }
    let total = 0;
    for (const [, value, unit] of text.matchAll(PART)) {
        total += Number(value) * UNIT_MS[unit];
    }
    return total;
}

/** App Mesh's Duration: whole seconds when exact, else milliseconds. */
export function appMeshDuration(milliseconds: number): { unit: "s" | "ms"; value: number } {
    return milliseconds % 1000 === 0 ? { unit: "s", value: milliseconds / 1000 } : { unit: "ms", value: milliseconds };
}
