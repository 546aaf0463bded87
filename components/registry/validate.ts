import type { ConfigProblem } from "../../config/problems";
import { pullThroughUpstream, PULL_THROUGH_UPSTREAMS } from "../../policy-pack/lib/images";
import type { ValidationFacts } from "../capability";
import { MAX_NAMESPACE_LENGTH, routeImage, type RouteFacts } from "./imageRoutes";
import type { RegistrySettings } from "./settings";

/** The namespace of this stack's cached repositories: configured, or the environment. */
export function registryNamespace(settings: RegistrySettings, environment: string): string {
    return settings.namespace ?? environment;
}

export function routeFactsOf(settings: RegistrySettings, facts: Pick<ValidationFacts, "region" | "network">): RouteFacts {
    return { region: facts.region, hasNat: facts.network.natGateways !== "none", settings };
}

/**
 * Every image the stack runs must be reachable from the nodes: directly through NAT, from ECR of
 * the region, or through the pull-through cache; the cache's namespace must fit ECR's limits and
 * its credentials name secrets ECR accepts; repositories are unique, outside the cache's namespace,
 * and pushed to by this account's roles only.
 */
export function validateRegistry(settings: RegistrySettings, facts: ValidationFacts): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const namespace = registryNamespace(settings, facts.environment);
    if (namespace.length > MAX_NAMESPACE_LENGTH) {
        problems.push({
            path: settings.namespace ? "registry.namespace" : "environment",
            value: namespace,
            message: `is longer than ${MAX_NAMESPACE_LENGTH} characters: ECR limits a cache rule's prefix <namespace>/<upstream> to 30; set registry.namespace`,
        });
    }

    const routeFacts = routeFactsOf(settings, facts);
    const reported = new Set<string>();
    for (const image of facts.images) {
        const route = routeImage(image.repository, routeFacts);
        if (route.kind === "unreachable" && !reported.has(image.repository)) {
            reported.add(image.repository);
            problems.push({
                path: "network.natGateways",
                value: facts.network.natGateways,
                message: `leaves image ${image.repository} (${image.reason}) unreachable: ${route.why}`,
            });
        }
    }

    for (const [host, secretArn] of Object.entries(settings.upstreamCredentials)) {
        const path = `registry.upstreamCredentials["${host}"]`;
        const upstream = pullThroughUpstream(host);
        if (!upstream?.needsCredentials) {
            const needing = PULL_THROUGH_UPSTREAMS.filter((u) => u.needsCredentials).map((u) => u.host);
            problems.push({
                path,
                value: secretArn,
                message: `names a registry that needs no credentials or cannot be cached; allowed: ${needing.join(", ")}`,
            });
            continue;
        }
        const secret = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:ecr-pullthroughcache\/[a-zA-Z0-9/_+=.@-]+$/.exec(secretArn);
        if (!secret) {
            problems.push({
                path,
                value: secretArn,
                message: "must be the ARN of a Secrets Manager secret whose name starts with ecr-pullthroughcache/ (ECR reads no other)",
            });
        } else if (secret[1] !== facts.region) {
            problems.push({ path, value: secretArn, message: `is in ${secret[1]}: ECR reads the secret from the cache rule's own region, ${facts.region}` });
        }
    }

    const account = facts.deployerPrincipalArn ? /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(facts.deployerPrincipalArn)?.[1] : undefined;
    settings.repositories.forEach((repository, index) => {
        const path = `registry.repositories[${index}]`;
        if (settings.repositories.findIndex((other) => other.name === repository.name) !== index) {
            problems.push({ path: `${path}.name`, value: repository.name, message: "is listed twice" });
        }
        if (repository.name === namespace || repository.name.startsWith(`${namespace}/`)) {
            problems.push({
                path: `${path}.name`,
                value: repository.name,
                message: `lies in ${namespace}/, where the pull-through cache creates its repositories; choose another name or registry.namespace`,
            });
        }
        repository.pushPrincipals.forEach((principal, principalIndex) => {
            const principalAccount = /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(principal)?.[1];
            if (account && principalAccount !== account) {
                problems.push({
                    path: `${path}.pushPrincipals[${principalIndex}]`,
                    value: principal,
                    message: `is a role of account ${principalAccount}: repository policies name this account's roles (${account}) only`,
                });
            }
        });
    });

    settings.replicationRegions.forEach((region, index) => {
        const path = `registry.replicationRegions[${index}]`;
        if (region === facts.region) {
            problems.push({ path, value: region, message: "is the stack's own region; replicate to other regions" });
        } else if (settings.replicationRegions.indexOf(region) !== index) {
            problems.push({ path, value: region, message: "is listed twice" });
        }
    });
    if (settings.replicationRegions.length > 0 && settings.repositories.length === 0) {
        problems.push({
            path: "registry.replicationRegions",
            value: settings.replicationRegions,
            message: "has nothing to replicate: registry.repositories is empty",
        });
    }
    return problems;
}
