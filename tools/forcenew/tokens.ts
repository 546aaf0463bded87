import { normalized, pulumiProperty, type SdkShapes } from "./pulumiSdkTypes";

/**
 * Which token of the installed SDK a Terraform resource type has. pulumi-aws names most resources
 * after their Terraform type (`aws_eks_cluster` → `aws:eks/cluster:Cluster`); the rest it renamed
 * by hand when it mapped them (`aws_db_instance` → `aws:rds/instance:Instance`, `aws_lb` →
 * `aws:lb/loadBalancer:LoadBalancer`, `aws_ec2_transit_gateway` →
 * `aws:ec2transitgateway/transitGateway:TransitGateway`), and it keeps deprecated aliases
 * (`aws:s3/bucketV2:BucketV2`). The installed SDK does not record the Terraform names, so they are
 * matched in stages, each only among what the earlier ones left and only where the answer is
 * unique:
 *
 *   name:        the token's module and name spell the Terraform type, or its name does in the
 *                module of the type's service package (or in "index", a one-module SDK's module);
 *   name suffix: the token's name spells the end of the Terraform type, in a module related to it
 *                (its service package, or a module one of them prefixes: `ec2` → `ec2transitgateway`);
 *   arguments:   the token's Args and the resource's top-level arguments are most alike (Jaccard
 *                index at least MIN_ARGUMENT_MATCH), each the other's best match, with a word of
 *                the names or the module in common; equal scores go to the token whose module is
 *                closer to the type (`aws_lb` → `lb`, `aws_alb` → `alb`);
 *   alias:       a token whose doc says it "has been deprecated in favor of" another gets that
 *                token's resource.
 */
export interface TerraformNames {
    /** The provider's service package (its Go package directory). */
    service: string;
    arguments: string[];
}

export type MatchedBy = "name" | "name suffix" | `arguments (${string})` | `alias of ${string}`;

export interface TokenMatches {
    /** Terraform type → its tokens (the resource first, then its deprecated aliases) and how each was found. */
    tokens: Map<string, { token: string; matchedBy: MatchedBy }[]>;
    /** Tokens of the SDK no Terraform type matches, with the reason. */
    unmatchedTokens: Map<string, string>;
    /** Terraform types no token of the SDK matches. */
    unmatchedTypes: string[];
}

const MIN_ARGUMENT_MATCH = 0.3;

/** `ec2_transit_gateway` or `transitGateway` → ["ec2", "transit", "gateway"]. */
function words(name: string): string[] {
    return name
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((w) => w !== "");
}

function sameStem(a: string, b: string): boolean {
    return (
        a === b ||
        (Math.min(a.length, b.length) >= 3 && (a.startsWith(b) || b.startsWith(a))) ||
        (a.length >= 5 && b.length >= 5 && a.slice(0, 5) === b.slice(0, 5))
    );
}

/** `source` names the Terraform provider release in the reasons of unmatched tokens. */
export function matchTokens(terraform: Record<string, TerraformNames>, shapes: SdkShapes, prefix: string, source: string): TokenMatches {
    const all = [...shapes.resources.entries()].filter(([token]) => !token.startsWith("pulumi:providers:"));
    const canonical = new Map(all.filter(([, shape]) => !shape.aliasOf));
    const tokenOf = new Map<string, { token: string; matchedBy: MatchedBy }>();
    const taken = new Set<string>();
    const types = Object.keys(terraform).sort();
    const rest = (type: string) => type.slice(prefix.length);
    const assign = (type: string, token: string, matchedBy: MatchedBy) => {
        tokenOf.set(type, { token, matchedBy });
        taken.add(token);
    };
    const open = () => [...canonical.keys()].filter((token) => !taken.has(token));
    const moduleOf = (token: string) => canonical.get(token)!.module;
    const nameOf = (token: string) => canonical.get(token)!.name;

    // Stage "name": as the bridge names resources by default.
    const byFullName = new Map<string, string[]>();
    const byModuleAndName = new Map<string, string[]>();
    for (const [token, shape] of canonical) {
        const add = (map: Map<string, string[]>, key: string) => map.set(key, [...(map.get(key) ?? []), token]);
        add(byFullName, normalized(shape.module + shape.name));
        add(byModuleAndName, `${shape.module}/${normalized(shape.name)}`);
    }
    for (const type of types) {
        const wanted = normalized(rest(type));
        const full = (byFullName.get(wanted) ?? []).filter((token) => !taken.has(token));
        // A one-module SDK (@pulumi/github) keeps every resource in "index".
        const inModule = (module: string) => (byModuleAndName.get(`${module}/${wanted}`) ?? []).filter((token) => !taken.has(token));
        const found = [full, inModule(terraform[type].service), inModule("index")].find((candidates) => candidates.length === 1) ?? [];
        if (found.length === 1) {
            assign(type, found[0], "name");
        }
    }

    // How close a token's module is to a Terraform type: 3 its first word, 2 its service package
    // (or a prefix either way), 1 a module other types of its service package went to.
    const affinity = new Map<string, Set<string>>();
    const learn = () => {
        for (const [type, { token }] of tokenOf) {
            const service = terraform[type].service;
            affinity.set(service, (affinity.get(service) ?? new Set()).add(moduleOf(token)));
        }
    };
    const closeness = (type: string, token: string): number => {
        const module = moduleOf(token);
        const service = terraform[type].service;
        if (words(rest(type))[0] === module || normalized(rest(type)) === module) {
            return 3;
        }
        if (module === service || module.startsWith(service) || service.startsWith(module)) {
            return 2;
        }
        return affinity.get(service)?.has(module) ? 1 : 0;
    };

    // Stage "name suffix".
    for (const type of types.filter((t) => !tokenOf.has(t))) {
        const typeWords = words(rest(type));
        for (let start = 1; start < typeWords.length; start++) {
            const suffix = typeWords.slice(start).join("");
            const found = open().filter((token) => {
                const module = moduleOf(token);
                const service = terraform[type].service;
                const head = typeWords.slice(0, start).join("");
                const related = module === service || module.startsWith(service) || service.startsWith(module) || head.startsWith(module);
                return related && normalized(nameOf(token)) === suffix;
            });
            if (found.length === 1) {
                assign(type, found[0], "name suffix");
            }
            if (found.length > 0) {
                break;
            }
        }
    }

    // Stage "arguments", repeated while it finds matches: each one teaches which modules a service uses.
    const score = (type: string, token: string): number => {
        const args = canonical.get(token)!.args;
        // The bridge turns tags_all into an output only.
        const wanted = terraform[type].arguments.filter((name) => normalized(name) !== "tagsall");
        const found = new Set(wanted.map((name) => pulumiProperty(args, name)).filter((name) => name !== undefined));
        return found.size / (wanted.length + args.size - found.size);
    };
    const evidence = (type: string, token: string) =>
        closeness(type, token) > 0 || words(rest(type)).some((a) => [...words(moduleOf(token)), ...words(nameOf(token))].some((b) => sameStem(a, b)));
    type Candidate = { type: string; token: string; score: number; closeness: number };
    const better = (a: Candidate, b: Candidate) => (Math.abs(a.score - b.score) > 1e-9 ? a.score > b.score : a.closeness > b.closeness);
    const tied = (a: Candidate, b: Candidate) => Math.abs(a.score - b.score) <= 1e-9 && a.closeness === b.closeness;
    for (let found = true; found;) {
        found = false;
        learn();
        const candidates: Candidate[] = [];
        for (const type of types.filter((t) => !tokenOf.has(t) && terraform[t].arguments.length > 0)) {
            for (const token of open()) {
                const value = score(type, token);
                if (value >= MIN_ARGUMENT_MATCH && evidence(type, token)) {
                    candidates.push({ type, token, score: value, closeness: closeness(type, token) });
                }
            }
        }
        const best = (list: Candidate[]) => {
            const top = list.reduce<Candidate | undefined>((a, b) => (!a || better(b, a) ? b : a), undefined);
            return top && list.filter((c) => tied(c, top)).length === 1 ? top : undefined;
        };
        for (const candidate of candidates) {
            const forType = best(candidates.filter((c) => c.type === candidate.type));
            const forToken = best(candidates.filter((c) => c.token === candidate.token));
            if (forType === candidate && forToken === candidate && !tokenOf.has(candidate.type) && !taken.has(candidate.token)) {
                assign(candidate.type, candidate.token, `arguments (${candidate.score.toFixed(2)})`);
                found = true;
            }
        }
    }

    const tokens = new Map([...tokenOf].map(([type, match]) => [type, [match]]));
    const unmatchedTokens = new Map<string, string>();
    for (const [token, shape] of all) {
        if (shape.aliasOf) {
            const target = [...canonical].find(([, s]) => s.module === shape.aliasOf!.module && s.name === shape.aliasOf!.name)?.[0];
            const owner = target ? [...tokenOf].find(([, match]) => match.token === target)?.[0] : undefined;
            if (owner) {
                tokens.get(owner)!.push({ token, matchedBy: `alias of ${target!}` });
            } else {
                unmatchedTokens.set(
                    token,
                    `a deprecated alias of ${target ?? `${shape.aliasOf.module}.${shape.aliasOf.name}`}, which no Terraform type matches`,
                );
            }
        } else if (!taken.has(token)) {
            unmatchedTokens.set(token, `no resource of ${source} has its name, and none has arguments like its inputs`);
        }
    }
    return { tokens, unmatchedTokens, unmatchedTypes: types.filter((type) => !tokenOf.has(type)) };
}
