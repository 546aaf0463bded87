// Which environment's settings (config/<environment>.json) the pack applies to the stack it checks.
// The engine tells a policy two things about its stack: the URN of every resource
// (`urn:pulumi:<stack>::<project>::...`) and the stack's tags (the ConfigureStack call; @pulumi/policy
// 1.21.0 hands the tags to every validation and drops the stack's config and organization). So a
// stack names its environment with the stack tag `eks-platform:environment`, or else by being
// called after one (this project's dev, staging and prod); any other stack gets the strictest.
import * as fs from "fs";
import * as path from "path";
import type { PolicyPackConfig } from "./config";

/** Environments with a settings file, strictest first. */
export const ENVIRONMENTS = ["prod", "staging", "dev"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export const STRICTEST_ENVIRONMENT: Environment = ENVIRONMENTS[0];

/** The stack tag that names a stack's environment (`pulumi stack tag set eks-platform:environment dev`). */
export const ENVIRONMENT_TAG = "eks-platform:environment";

export const ENVIRONMENT_CONFIG_DIRECTORY = path.join(__dirname, "..", "config");

export interface StackIdentity {
    /** Stack name, as in the URNs (`urn:pulumi:<stack>::...`). */
    stack?: string;
    /** Stack tags, as @pulumi/policy hands them to validations. */
    tags?: ReadonlyMap<string, string>;
}

export interface EnvironmentSelection {
    environment: Environment;
    /** How it was chosen, for messages and docs. */
    by: "stack tag" | "stack name" | "strictest, the stack names no environment" | "strictest, the stack tag names no known environment";
    /** A stack tag that names no environment of the pack: reported by `stack-environment-known`. */
    unknownTag?: string;
}

export function isEnvironment(name: string | undefined): name is Environment {
    return (ENVIRONMENTS as readonly string[]).includes(name ?? "");
}

export function selectEnvironment(identity: StackIdentity): EnvironmentSelection {
    const tag = identity.tags?.get(ENVIRONMENT_TAG);
    if (tag !== undefined) {
        return isEnvironment(tag)
            ? { environment: tag, by: "stack tag" }
            : { environment: STRICTEST_ENVIRONMENT, by: "strictest, the stack tag names no known environment", unknownTag: tag };
    }
    if (isEnvironment(identity.stack)) {
        return { environment: identity.stack, by: "stack name" };
    }
    return { environment: STRICTEST_ENVIRONMENT, by: "strictest, the stack names no environment" };
}

/** The stack name in a Pulumi URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function stackOfUrn(urn: string): string | undefined {
    return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
}

const loaded = new Map<Environment, PolicyPackConfig>();

/** An environment's settings file, read once. */
export function environmentConfig(environment: Environment): PolicyPackConfig {
    let config = loaded.get(environment);
    if (!config) {
        const file = path.join(ENVIRONMENT_CONFIG_DIRECTORY, `${environment}.json`);
        config = JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig;
        loaded.set(environment, config);
    }
    return config;
}
