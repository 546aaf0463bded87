/** One way an object differs from its schema, located by a JSON pointer into the object. */
export interface SchemaProblem {
    /** JSON pointer of the offending field, e.g. "/spec/template/spec/containers/0/securityContext/privilegd". */
    path: string;
    message: string;
}

/** The subset of an Ajv error both Ajv-compiled and kubernetes-models' precompiled validators report. */
export interface AjvLikeError {
    instancePath: string;
    keyword: string;
    params: Record<string, unknown>;
    message?: string;
}

export function pointerJoin(parent: string, key: string | number): string {
    return `${parent}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/**
 * Turns Ajv errors into problems that name the field at fault: a missing field is reported at its
 * own path rather than at its parent, and `anyOf`/`oneOf` summaries are dropped in favour of the
 * branch errors that explain them.
 */
export function problemsFromAjv(errors: readonly AjvLikeError[]): SchemaProblem[] {
    const problems: SchemaProblem[] = [];
    for (const error of errors) {
        switch (error.keyword) {
            case "required":
                problems.push({ path: pointerJoin(error.instancePath, String(error.params.missingProperty)), message: "required field is missing" });
                break;
            case "additionalProperties":
                problems.push({
                    path: pointerJoin(error.instancePath, String(error.params.additionalProperty)),
                    message: "unknown field (the schema does not define it)",
                });
                break;
            case "enum":
                problems.push({
                    path: error.instancePath,
                    message: `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
                });
                break;
            case "anyOf":
            case "oneOf":
                // Kept only to mark the path as a union; the branch errors explain it.
                problems.push({ path: error.instancePath, message: `must match one of the allowed forms (${error.keyword})` });
                break;
            default:
                problems.push({ path: error.instancePath, message: error.message ?? `fails ${error.keyword} ${JSON.stringify(error.params)}` });
        }
    }
    return collapseUnionBranches(problems);
}

/**
 * One problem per path: the branch errors of a union (Kubernetes' int-or-string and quantity
 * types) read "must be integer or must be string", and other reasons for one field are joined.
 */
function collapseUnionBranches(problems: SchemaProblem[]): SchemaProblem[] {
    const isUnionSummary = (p: SchemaProblem) => p.message.startsWith("must match one of");
    const unionPaths = new Set(problems.filter(isUnionSummary).map((p) => p.path));
    const messages = new Map<string, string[]>();
    for (const problem of problems) {
        const list = messages.get(problem.path) ?? [];
        messages.set(problem.path, list);
        if (!(unionPaths.has(problem.path) && isUnionSummary(problem)) && !list.includes(problem.message)) {
            list.push(problem.message);
        }
    }
    return [...messages.entries()].map(([path, list]) => ({ path, message: list.join(unionPaths.has(path) ? " or " : "; ") }));
}
