// The IAM policy simulator as the simulation tests use it: @cloud-copilot/iam-simulate (AGPL-3.0),
// a root devDependency used by tests only, never shipped.
import { strict as assert } from "assert";
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";

export type Policy = { Version: string; Statement: Array<Record<string, any>> };

export function parsePolicy(document: unknown): Policy {
    return (typeof document === "string" ? JSON.parse(document) : document) as Policy;
}

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

/** Runs one request; fails the test when the simulator would silently drop a context key it does not know. */
export async function simulate(
    simulation: Omit<Simulation, "serviceControlPolicies" | "resourceControlPolicies">,
    allowIgnoredKeys = false,
): Promise<Decision> {
    const result = await runSimulation({ serviceControlPolicies: [], resourceControlPolicies: [], ...simulation }, {});
    if (result.resultType === "error") {
        throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
    }
    if (result.resultType === "single" && !allowIgnoredKeys) {
        // A context key the simulator does not know for the action would be silently dropped.
        assert.deepEqual(result.result.ignoredContextKeys ?? [], [], `${simulation.request.action}: context keys the simulator ignores`);
    }
    return result.overallResult;
}

// The simulator knows only the federation keys of the Service Authorization Reference
// (accounts.google.com:sub, cognito-identity.amazonaws.com:aud, ...), not the sub and aud keys of
// an EKS cluster's or GitHub's issuer, and drops keys it does not know. So the trusted issuer
// (taken from the trust's Federated principal) is renamed to one it knows, in the trust policy and
// in the token alike: the condition logic is unchanged, and keys of any other issuer stay unknown
// and absent, as they would be in a request carrying that issuer's token.
const STAND_IN_ISSUER = "accounts.google.com";

export interface WebIdentityToken {
    issuer: string;
    sub: string;
    aud: string;
}

export function issuerOf(providerArn: string): string {
    return providerArn.slice(providerArn.indexOf(":oidc-provider/") + ":oidc-provider/".length);
}

function withStandInIssuer(trust: Policy, issuer: string): Policy {
    const rename = (key: string) => (key.startsWith(`${issuer}:`) ? `${STAND_IN_ISSUER}:${key.slice(issuer.length + 1)}` : key);
    return {
        ...trust,
        Statement: trust.Statement.map((statement) => ({
            ...statement,
            Condition: Object.fromEntries(
                Object.entries((statement.Condition ?? {}) as Record<string, Record<string, unknown>>).map(([operator, block]) => [
                    operator,
                    Object.fromEntries(Object.entries(block).map(([key, value]) => [rename(key), value])),
                ]),
            ),
        })),
    };
}

/** AssumeRoleWithWebIdentity of `roleArn`, whose `trust` names `trustedIssuer`, with a token of `token.issuer`. */
export function assumeWithWebIdentity(roleArn: string, trust: Policy, trustedIssuer: string, token: WebIdentityToken, account: string): Promise<Decision> {
    const keyIssuer = token.issuer === trustedIssuer ? STAND_IN_ISSUER : token.issuer;
    return simulate(
        {
            request: {
                principal: `arn:aws:iam::${account}:oidc-provider/${token.issuer}`,
                action: "sts:AssumeRoleWithWebIdentity",
                resource: { resource: roleArn, accountId: account },
                contextVariables: { [`${keyIssuer}:sub`]: token.sub, [`${keyIssuer}:aud`]: token.aud },
            },
            identityPolicies: [],
            resourcePolicy: withStandInIssuer(trust, trustedIssuer),
        },
        // Only a foreign issuer's keys may be ignored: they are the ones no trust condition names.
        token.issuer !== trustedIssuer,
    );
}
