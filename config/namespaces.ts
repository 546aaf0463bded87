import * as awsProviderSettings from "@pulumi/aws/config/vars";
import type { ConfigProblem } from "./problems";
import { closest } from "./suggest";

/**
 * Every key of a stack file's `config:` is either read or refused. Pulumi hands a program every key
 * of every namespace and reads none of them for it, so a misspelt namespace (`eks-platfrom:logging`)
 * would silently leave its section on defaults. What each namespace means to a project:
 *
 * - its own (`eks-platform:` for the platform): its settings, checked by its schema;
 * - `aws:`: the platform builds its AWS provider explicitly from `aws:region` alone, so every other
 *   `aws:` key would reach only the lookups made before deployment (explicit providers read no stack
 *   configuration) and is refused; a project on the default provider (the bootstrap project) reads
 *   every setting the provider has;
 * - `pulumi:`: the engine's own settings, read by Pulumi itself;
 * - anything else is read by nothing and is refused, with the key it most likely meant when one is close.
 */

/** What a Pulumi project of this repository reads from its stack files. */
export interface ConfigNamespaces {
    /** The project's own namespace: stack files set "<own>:<section>". */
    own: string;
    /** The project, for messages: "the platform". */
    reader: string;
    /** "explicit": AWS resources go through a provider built from aws:region alone; "default": through the default provider, which reads every aws: setting. */
    awsProvider: "explicit" | "default";
    /** Namespaces of installed providers the project builds explicitly, and why their stack settings reach nothing. */
    unreadProviders: Record<string, string>;
}

/** The platform: "eks-platform:<section>", its own AWS provider. */
const PLATFORM_NAMESPACES: ConfigNamespaces = {
    own: "eks-platform",
    reader: "the platform",
    awsProvider: "explicit",
    unreadProviders: {
        kubernetes: "the platform's Kubernetes provider is built from the cluster's own kubeconfig and reads no stack settings",
        eks: "the EKS component takes its settings from eks-platform:cluster, not from stack settings",
    },
};

const AWS_NAMESPACE = "aws";
const ENGINE_NAMESPACE = "pulumi";
/** The one AWS provider setting a project with an explicit provider reads. */
const AWS_REGION = "region";

/** Settings of the installed AWS provider, as its SDK lists them (aws:profile, aws:defaultTags...). */
const AWS_SETTINGS = Object.keys(awsProviderSettings);

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
 * The problems of the keys outside the project's namespace (and of keys that are not
 * "<namespace>:<name>" at all); `sections` are the project's section names, for suggestions.
 */
export function namespaceProblems(
    config: Record<string, unknown>,
    sections: readonly string[],
    project: ConfigNamespaces = PLATFORM_NAMESPACES,
): ConfigProblem[] {
    const { own, reader } = project;
    return Object.entries(config).flatMap(([key, written]): ConfigProblem[] => {
        const value = decoded(written);
        const split = splitKey(key);
        if (!split) {
            const parts = key.split(":");
            const guess = closest(parts[0] === own && parts[1] ? parts[1] : (parts.pop() ?? key), sections);
            return [
                {
                    path: key,
                    value,
                    message: `is not a stack setting of the form <namespace>:<name>; the settings of ${reader} are ${own}:<section>${guess ? ` (did you mean "${own}:${guess}"?)` : ""}`,
                },
            ];
        }
        const { namespace, name } = split;
        const awsRead = project.awsProvider === "default" ? AWS_SETTINGS.includes(name) : name === AWS_REGION;
        if (namespace === own || namespace === ENGINE_NAMESPACE || (namespace === AWS_NAMESPACE && awsRead)) {
            return [];
        }
        if (namespace === AWS_NAMESPACE) {
            if (AWS_SETTINGS.includes(name)) {
                return [
                    {
                        path: key,
                        value,
                        message:
                            `is an AWS provider setting ${reader} does not pass on: it deploys through its own provider, built from aws:region alone ` +
                            "(explicit providers read no stack settings), so this would reach only the lookups made before deployment. Remove it: " +
                            `credentials and roles come from the environment (AWS_PROFILE, the CI role), tags from ${own}:tags`,
                    },
                ];
            }
            const guess = closest(name, AWS_SETTINGS);
            return [{ path: key, value, message: `is not a setting of the AWS provider${guess ? `; did you mean "${AWS_NAMESPACE}:${guess}"?` : ""}` }];
        }
        const meant = closest(namespace, [own, AWS_NAMESPACE, ENGINE_NAMESPACE]);
        if (meant === own) {
            const section = closest(name, sections) ?? name;
            return [{ path: key, value, message: `is in namespace "${namespace}", which ${reader} does not read; did you mean "${own}:${section}"?` }];
        }
        if (meant) {
            return [{ path: key, value, message: `is in namespace "${namespace}", which ${reader} does not read; did you mean "${meant}:${name}"?` }];
        }
        const reason = project.unreadProviders[namespace] ?? `${reader} does not read it`;
        const aws = project.awsProvider === "default" ? "the AWS provider's aws: settings" : "aws:region";
        return [
            {
                path: key,
                value,
                message: `is in namespace "${namespace}": ${reason}. A stack file of ${reader} holds ${own}:<section> settings, ${aws} and the engine's pulumi: settings; remove it (a YAML comment keeps a note)`,
            },
        ];
    });
}

/**
 * The "<namespace>:<section>" keys of a stack (values as Pulumi hands them: strings, with
 * structured values JSON-encoded) as the object the schema reads; the platform's namespace unless told.
 */
export function settingsFromPulumiConfig(all: Record<string, string>, namespace: string = PLATFORM_NAMESPACES.own): Record<string, unknown> {
    const settings: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(all)) {
        const split = splitKey(key);
        if (split?.namespace === namespace) {
            settings[split.name] = decoded(value);
        }
    }
    return settings;
}
