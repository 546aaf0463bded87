import { ecrRegistryOf, parseImage, PULL_THROUGH_UPSTREAMS, pullThroughUpstream, type PullThroughUpstream } from "../../policy-pack/lib/images";
import type { ImageUse } from "../capability";
import type { RegistrySettings } from "./settings";

/** ECR's limit on a pull-through cache rule's repository prefix (CreatePullThroughCacheRule). */
const MAX_CACHE_PREFIX_LENGTH = 30;

/** The longest namespace every upstream's prefix (`<namespace>/<key>`) fits ECR's limit with. */
export const MAX_NAMESPACE_LENGTH = MAX_CACHE_PREFIX_LENGTH - 1 - Math.max(...PULL_THROUGH_UPSTREAMS.map((upstream) => upstream.key.length));

/** What decides how nodes reach an image. */
export interface RouteFacts {
    region: string;
    /** The network has NAT gateways: public registries are reachable directly. */
    hasNat: boolean;
    settings: Pick<RegistrySettings, "pullThroughCache" | "upstreamCredentials">;
}

/** How nodes reach one image. */
export type ImageRoute =
    | { kind: "direct" }
    /** ECR of the stack's own region, through the ECR endpoints. */
    | { kind: "regionalEcr" }
    | { kind: "cache"; upstream: PullThroughUpstream }
    | { kind: "unreachable"; why: string };

/** Whether this stack pulls through the cache: always with "on", without NAT with "auto". */
function cacheEnabled(facts: RouteFacts): boolean {
    return facts.settings.pullThroughCache === "on" || (facts.settings.pullThroughCache === "auto" && !facts.hasNat);
}

export function routeImage(repository: string, facts: RouteFacts): ImageRoute {
    const { registry } = parseImage(repository);
    const ecr = ecrRegistryOf(registry);
    if (ecr && ecr.region === facts.region) {
        return { kind: "regionalEcr" };
    }
    const upstream = pullThroughUpstream(registry);
    const credentialed = upstream && (!upstream.needsCredentials || Object.hasOwn(facts.settings.upstreamCredentials, upstream.host));
    if (upstream && credentialed && cacheEnabled(facts)) {
        return { kind: "cache", upstream };
    }
    if (facts.hasNat) {
        return { kind: "direct" };
    }
    if (ecr) {
        return {
            kind: "unreachable",
            why: `it is in ECR in ${ecr.region}: without NAT the nodes reach ECR in ${facts.region} only, and the pull-through cache cannot fetch from another account's registry`,
        };
    }
    if (!upstream) {
        return {
            kind: "unreachable",
            why: `${registry} is not a registry ECR's pull-through cache can fetch from (${PULL_THROUGH_UPSTREAMS.map((u) => u.host).join(", ")})`,
        };
    }
    if (!credentialed) {
        return {
            kind: "unreachable",
            why: `${registry} needs credentials: set registry.upstreamCredentials["${upstream.host}"] to a Secrets Manager secret named ecr-pullthroughcache/...`,
        };
    }
    return { kind: "unreachable", why: "registry.pullThroughCache is off, and without NAT the nodes reach no public registry" };
}

/** The upstream registries this stack caches: one pull-through cache rule each, in the table's order. */
export function cachedUpstreams(images: ImageUse[], facts: RouteFacts): PullThroughUpstream[] {
    const hosts = new Set(images.map((image) => routeImage(image.repository, facts)).flatMap((route) => (route.kind === "cache" ? [route.upstream.host] : [])));
    return PULL_THROUGH_UPSTREAMS.filter((upstream) => hosts.has(upstream.host));
}

/** A cache rule's repository prefix: `<namespace>/<upstream key>`. */
export const cachePrefix = (namespace: string, upstream: PullThroughUpstream) => `${namespace}/${upstream.key}`;

/** The account registry's host, `<account>.dkr.ecr.<region>.<dns suffix>`. */
export function registryHost(accountId: string, region: string, partition: string): string {
    return `${accountId}.dkr.ecr.${region}.${partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"}`;
}

/** Where nodes pull `repository` from through the cache: `<registry>/<namespace>/<upstream key>/<path>`. */
export function cachedRepository(repository: string, upstream: PullThroughUpstream, host: string, namespace: string): string {
    return `${host}/${cachePrefix(namespace, upstream)}/${parseImage(repository).path}`;
}
