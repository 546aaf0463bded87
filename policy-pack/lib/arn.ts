// Matching the ARNs a policy names against the ARN templates of AWS's resource types.
//
// A policy's ARN is a pattern: IAM lets `*` and `?` stand in any segment, and programs build
// patterns such as `arn:aws:logs:eu-west-1:111122223333:log-group:/aws/containerinsights/x/*`.
// A template is AWS's shape of a resource type, e.g.
// `arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}`. The question is whether
// some real ARN fits both, so both become glob patterns and the check is whether their languages
// intersect. IAM matches the first five segments separately (a wildcard there does not cross a
// colon) and the resource part as a whole.

const ARN_SEGMENTS = 6;

/** A glob over characters: literal characters, `?` (one character) and `*` (any run). */
type Glob = string[];

function policyGlob(text: string): Glob {
    // Policy variables such as ${aws:username} are resolved per request: any value.
    return Array.from(text.replace(/\$\{[^}]*\}/g, "*"));
}

function templateGlob(text: string): Glob {
    // A template variable is a non-empty value: one character followed by any run.
    return text.split(/(\$\{[^}]+\})/).flatMap((part) => (part.startsWith("${") ? ["?", "*"] : Array.from(part)));
}

/** Whether some string matches both globs. */
function globsIntersect(left: Glob, right: Glob): boolean {
    const seen = new Set<number>();
    const width = right.length + 1;
    const visit = (i: number, j: number): boolean => {
        if (i === left.length && j === right.length) {
            return true;
        }
        const state = i * width + j;
        if (seen.has(state)) {
            return false;
        }
        seen.add(state);
        const a = left[i];
        const b = right[j];
        if (a === "*" && visit(i + 1, j)) {
            return true;
        }
        if (b === "*" && visit(i, j + 1)) {
            return true;
        }
        if (a === undefined || b === undefined) {
            return false;
        }
        if (a === "*" && b !== "*" && visit(i, j + 1)) {
            return true;
        }
        if (b === "*" && a !== "*" && visit(i + 1, j)) {
            return true;
        }
        return a !== "*" && b !== "*" && (a === "?" || b === "?" || a === b) && visit(i + 1, j + 1);
    };
    return visit(0, 0);
}

/** The six parts of an ARN (the last holds the rest, colons included), or undefined if it is not one. */
export function arnParts(arn: string): string[] | undefined {
    const parts = arn.split(":");
    if (parts.length < ARN_SEGMENTS || parts[0] !== "arn") {
        return undefined;
    }
    return [...parts.slice(0, ARN_SEGMENTS - 1), parts.slice(ARN_SEGMENTS - 1).join(":")];
}

// Rules compare the same ARNs with the same templates for every action of every statement.
const matches = new Map<string, boolean>();

/** Whether an ARN pattern from a policy can name a resource of the type the template describes. */
export function arnMatchesTemplate(arnPattern: string, template: string): boolean {
    if (arnPattern === "*") {
        return true;
    }
    const key = `${arnPattern}\n${template}`;
    let match = matches.get(key);
    if (match === undefined) {
        match = patternMatchesTemplate(arnPattern, template);
        matches.set(key, match);
    }
    return match;
}

function patternMatchesTemplate(arnPattern: string, template: string): boolean {
    const pattern = arnParts(arnPattern);
    const shape = arnParts(template);
    if (!pattern || !shape) {
        return false;
    }
    return pattern.every((part, index) => globsIntersect(policyGlob(part), templateGlob(shape[index])));
}
