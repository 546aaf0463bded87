// Values that Pulumi cannot know at preview (IDs of resources not yet created, outputs of
// other resources) must neither fail nor pass a rule that needs them. The Pulumi policy
// engine wraps resource properties in a proxy that throws when a rule reads such a value and
// then reports the policy as "can't run during preview". The offline evaluator reproduces
// that contract with its own sentinel and proxy, so both paths decide identically.

/**
 * Stands for a value that is unknown at preview. Callers of `evaluate` put it wherever the
 * plan has a computed value; `Symbol.for` keeps it identical across duplicate module copies.
 */
export const UNKNOWN: unique symbol = Symbol.for("eks-platform-guardrails.unknown") as never;

/**
 * How the Pulumi protocol spells an unknown string (`runtime.unknownValue` in @pulumi/pulumi,
 * `unknownStringValue` in @pulumi/policy). Mocks receive it in resource inputs at preview, so a
 * plan harness may pass such inputs through unchanged.
 */
export const PULUMI_UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN || value === PULUMI_UNKNOWN_STRING;
}

/** Thrown when a rule reads a value that is unknown at preview. */
export class UnknownValueError extends Error {
    constructor(readonly path: string) {
        super(`value at ${path || "<root>"} can't be known during preview`);
        this.name = "UnknownValueError";
    }
}

/**
 * Wraps plain data so that reading an UNKNOWN member throws `UnknownValueError`, exactly like
 * @pulumi/policy's unknown-checking proxy does for engine sentinels.
 */
export function guardUnknowns<T>(value: T, path = ""): T {
    if (isUnknown(value)) {
        throw new UnknownValueError(path);
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    return new Proxy(value, {
        get(target, key, receiver) {
            const member: unknown = Reflect.get(target, key, receiver);
            if (typeof key === "symbol" || typeof member === "function") {
                return member;
            }
            const memberPath = Array.isArray(target) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
            // Proxy invariant: non-configurable, non-writable data properties must be returned as is.
            const descriptor = Reflect.getOwnPropertyDescriptor(target, key);
            if (descriptor && descriptor.configurable === false && descriptor.writable === false) {
                return member;
            }
            return guardUnknowns(member, memberPath);
        },
    });
}

/**
 * Runs `decide` for every item, so that an item whose values are unknown does not hide a
 * violation found in another item, and returns the first unknown read, if any.
 */
export function attemptEach<T>(items: ArrayLike<T>, decide: (item: T, index: number) => void): UnknownValueError | undefined {
    let firstUnknown: UnknownValueError | undefined;
    for (let index = 0; index < items.length; index++) {
        try {
            decide(items[index], index);
        } catch (error) {
            if (!(error instanceof UnknownValueError)) {
                throw error;
            }
            firstUnknown ??= error;
        }
    }
    return firstUnknown;
}

/**
 * As `attemptEach`, then rethrows the first unknown read: the rule as a whole counts as
 * undecided, while the violations it did find stand.
 */
export function decideEach<T>(items: ArrayLike<T>, decide: (item: T, index: number) => void): void {
    const unknownRead = attemptEach(items, decide);
    if (unknownRead) {
        throw unknownRead;
    }
}

/** Runs independent checks of one resource; see `decideEach`. */
export function decideAll(...checks: Array<() => void>): void {
    decideEach(checks, (check) => check());
}

/**
 * The known items of a list, and the first unknown read if some were not. Lets a rule report
 * what it can see (a known 0.0.0.0/0 next to an unknown CIDR) and stay undecided otherwise.
 */
export function knownItems<T>(items: ArrayLike<T>): { known: T[]; unknownRead?: UnknownValueError } {
    const known: T[] = [];
    let unknownRead: UnknownValueError | undefined;
    for (let index = 0; index < items.length; index++) {
        try {
            known.push(items[index]);
        } catch (error) {
            if (!(error instanceof UnknownValueError)) {
                throw error;
            }
            unknownRead ??= error;
        }
    }
    return { known, unknownRead };
}

/**
 * The value `read` returns, or undefined if it reads an unknown value. Only for link
 * information (IDs, tags) where "unknown" and "absent" both mean "cannot link this way".
 */
export function readKnown<T>(read: () => T): T | undefined {
    try {
        return read();
    } catch (error) {
        if (error instanceof UnknownValueError) {
            return undefined;
        }
        throw error;
    }
}
