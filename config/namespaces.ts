import * as awsProviderSettings from "@pulumi/aws/config/vars";
import type { ConfigProblem } from "./problems";
import { closest } from "./suggest";

/**
 * Every key of a stack file's `config:` is either read or refused. Pulumi hands a program every key
 * of every namespace and reads none of them for it, so a misspelt namespace (`eks-platfrom:logging`)
 * would silently leave its section on defaults. What each namespace means here:
 *
 * - `eks-platform:` the platform's settings, checked by the stack schema;
 * - `aws:region`: the region, read by the AWS lookups before deployment and passed to the platform's
 *   own AWS provider; every other `aws:` key would reach only the lookups (the platform's provider is
 *   explicit, and explicit providers read no stack configuration), so it is refused;
 * - `pulumi:`: the engine's own settings, read by Pulumi itself;
 * - anything else is read by nothing in this project and is refused, with the key it most likely
 *   meant when one is close.
 */

/** The platform's namespace: stack files set "eks-platform:<section>". */
const PLATFORM_NAMESPACE = "eks-platform";
const AWS_NAMESPACE = "aws";
const ENGINE_NAMESPACE = "pulumi";
/** The one AWS provider setting the platform reads. */
const AWS_REGION = "region";

/** Settings of the installed AWS provider, as its SDK lists them (aws:profile, aws:defaultTags...). */
const AWS_SETTINGS = Object.keys(awsProviderSettings);

/** Namespaces of providers installed here that the platform builds explicitly, and why their stack settings reach nothing. */
const UNREAD_PROVIDERS: Record<string, string> = {
    kubernetes: "the platform's Kubernetes provider is built from the cluster's own kubeconfig and reads no stack settings",
    eks: "the EKS component takes its settings from eks-platform:cluster, not from stack settings",
};

/** A value as the stack file wrote it: Pulumi hands structured values JSON-encoded. */
function decoded(value: unknown): unknown {
    if (typeof value !== "string") {
        return value;
    }
    try {
        return JSON.parse(value) as unknown;
    } catch {
        return value;
    }
}

/** A stack-file key split into namespace and name, or undefined when it is not "<namespace>:<name>". */
function splitKey(key: string): { namespace: string; name: string } | undefined {
    const parts = key.split(":");
    return parts.length === 2 && parts[0] && parts[1] ? { namespace: parts[0], name: parts[1] } : undefined;
}

/**
 * The problems of the keys outside the platform's namespace (and of keys that are not
 * "<namespace>:<name>" at all); `sections` are the platform's section names, for suggestions.
 */
export function namespaceProblems(config: Record<string, unknown>, sections: readonly string[]): ConfigProblem[] {
    return Object.entries(config).flatMap(([key, written]): ConfigProblem[] => {
        const value = decoded(written);
        const split = splitKey(key);
        if (!split) {
            const parts = key.split(":");
            const guess = closest(parts[0] === PLATFORM_NAMESPACE && parts[1] ? parts[1] : (parts.pop() ?? key), sections);
            return [
                {
                    path: key,
                    value,
                    message: `is not a stack setting of the form <namespace>:<name>; the platform's settings are ${PLATFORM_NAMESPACE}:<section>${guess ? ` (did you mean "${PLATFORM_NAMESPACE}:${guess}"?)` : ""}`,
                },
            ];
        }
        const { namespace, name } = split;
        if (namespace === PLATFORM_NAMESPACE || namespace === ENGINE_NAMESPACE || (namespace === AWS_NAMESPACE && name === AWS_REGION)) {
            return [];
        }
        if (namespace === AWS_NAMESPACE) {
            if (AWS_SETTINGS.includes(name)) {
                return [
                    {
                        path: key,
                        value,
                        message:
                            "is an AWS provider setting the platform does not pass on: it deploys through its own provider, built from aws:region alone " +
                            "(explicit providers read no stack settings), so this would reach only the lookups made before deployment. Remove it: " +
                            "credentials and roles come from the environment (AWS_PROFILE, the CI role), tags from eks-platform:tags",
                    },
                ];
            }
            const guess = closest(name, AWS_SETTINGS);
            return [{ path: key, value, message: `is not a setting of the AWS provider${guess ? `; did you mean "${AWS_NAMESPACE}:${guess}"?` : ""}` }];
        }
        const meant = closest(namespace, [PLATFORM_NAMESPACE, AWS_NAMESPACE, ENGINE_NAMESPACE]);
        if (meant === PLATFORM_NAMESPACE) {
            const section = closest(name, sections) ?? name;
            return [{ path: key, value, message: `is in namespace "${namespace}", which nothing reads; did you mean "${PLATFORM_NAMESPACE}:${section}"?` }];
        }
        if (meant) {
            return [{ path: key, value, message: `is in namespace "${namespace}", which nothing reads; did you mean "${meant}:${name}"?` }];
        }
        const reason = UNREAD_PROVIDERS[namespace] ?? "nothing in this project reads it";
        return [
            {
                path: key,
                value,
                message: `is in namespace "${namespace}": ${reason}. A stack file holds ${PLATFORM_NAMESPACE}:<section> settings, aws:region and the engine's pulumi: settings; remove it (a YAML comment keeps a note)`,
            },
        ];
    });
}

/**
 * The "eks-platform:<section>" keys of a stack (values as Pulumi hands them: strings, with
 * structured values JSON-encoded) as the object the schema reads.
 */
export function settingsFromPulumiConfig(all: Record<string, string>): Record<string, unknown> {
    const settings: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(all)) {
        const split = splitKey(key);
        if (split?.namespace !== PLATFORM_NAMESPACE) {
            continue;
        }
        settings[split.name] = decoded(value);
    }
    return settings;
}
