// Container images: how a reference splits into registry and path, where ECR's pull-through cache
// can fetch from, and which images each pinned Helm chart runs (the generated table
// data/chart-images.json, shared by the pack and the platform program because the pack is
// published on its own).
import * as fs from "fs";
import * as path from "path";
import type { SourceRecord } from "./instance-types";

/** An image reference split as the container runtime reads it. */
export interface ImageReference {
    /** Registry host; "docker.io" when the reference names none. */
    registry: string;
    /** Repository path inside the registry ("library/nginx" for a bare "nginx"). */
    path: string;
    tag?: string;
    digest?: string;
}

/** Splits an image reference into registry host, repository path, tag and digest. */
export function parseImage(image: string): ImageReference {
    const [withoutDigest, digest] = image.split("@");
    const firstSlash = withoutDigest.indexOf("/");
    const firstComponent = firstSlash === -1 ? "" : withoutDigest.slice(0, firstSlash);
    // The first component is a registry host only if it looks like one; otherwise Docker Hub.
    const hasRegistry = firstComponent.includes(".") || firstComponent.includes(":") || firstComponent === "localhost";
    const registry = hasRegistry ? firstComponent : "docker.io";
    const rest = hasRegistry ? withoutDigest.slice(firstSlash + 1) : withoutDigest;
    const lastSlash = rest.lastIndexOf("/");
    const tagAt = rest.indexOf(":", lastSlash + 1);
    const repositoryPath = tagAt === -1 ? rest : rest.slice(0, tagAt);
    const tag = tagAt === -1 ? undefined : rest.slice(tagAt + 1);
    // Docker Hub's official images live under library/.
    const fullPath = registry === "docker.io" && !repositoryPath.includes("/") ? `library/${repositoryPath}` : repositoryPath;
    return { registry, path: fullPath, tag, digest };
}

/** A private ECR registry host, `<account>.dkr.ecr.<region>.amazonaws.com` (or `.amazonaws.com.cn`). */
export function ecrRegistryOf(host: string): { accountId: string; region: string } | undefined {
    const match = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(host);
    return match ? { accountId: match[1], region: match[2] } : undefined;
}

/**
 * An upstream registry ECR's pull-through cache can fetch from. From the Amazon ECR User Guide,
 * "Sync an upstream registry with an Amazon ECR private registry" and the CreatePullThroughCacheRule
 * API reference (upstreamRegistryUrl per registry). Azure Container Registry (a host per customer)
 * and ECR-to-ECR (an IAM role per upstream account) are left out: the platform caches public
 * registries only.
 */
export interface PullThroughUpstream {
    /** The registry host as image references name it. */
    host: string;
    /** The URL a cache rule names (`upstreamRegistryUrl`). */
    upstreamRegistryUrl: string;
    /** The path segment under the stack's cache namespace: `<namespace>/<key>/<path>`. */
    key: string;
    /** The upstream needs credentials, in a Secrets Manager secret named `ecr-pullthroughcache/...`. */
    needsCredentials: boolean;
}

export const PULL_THROUGH_UPSTREAMS: readonly PullThroughUpstream[] = [
    { host: "public.ecr.aws", upstreamRegistryUrl: "public.ecr.aws", key: "ecr-public", needsCredentials: false },
    { host: "registry.k8s.io", upstreamRegistryUrl: "registry.k8s.io", key: "k8s", needsCredentials: false },
    { host: "quay.io", upstreamRegistryUrl: "quay.io", key: "quay", needsCredentials: false },
    { host: "docker.io", upstreamRegistryUrl: "registry-1.docker.io", key: "docker-hub", needsCredentials: true },
    { host: "ghcr.io", upstreamRegistryUrl: "ghcr.io", key: "ghcr", needsCredentials: true },
    { host: "registry.gitlab.com", upstreamRegistryUrl: "registry.gitlab.com", key: "gitlab", needsCredentials: true },
    { host: "cgr.dev", upstreamRegistryUrl: "cgr.dev", key: "chainguard", needsCredentials: true },
];

export function pullThroughUpstream(host: string): PullThroughUpstream | undefined {
    return PULL_THROUGH_UPSTREAMS.find((upstream) => upstream.host === host);
}

/** One image a chart runs: the values key holding its repository, and the chart's defaults there. */
export interface ChartImage {
    /** Dotted values key of the repository, e.g. "image.repository" or "sidecar.image.repository". */
    valuesPath: string;
    /** The chart's default repository at that key (registry host and path). */
    repository: string;
    /** The chart's default tag beside it; "" when the chart derives it (usually from appVersion). */
    tag: string;
}

export interface ChartImageRecord {
    /** The chart as the program names it: a name in a repository, or an oci:// reference. */
    chart: string;
    version: string;
    appVersion: string;
    /** Where its values.yaml was read. */
    source: SourceRecord;
    images: ChartImage[];
}

export interface ChartImageTable {
    generated: string;
    /** By "<chart>@<version>". */
    charts: Record<string, ChartImageRecord>;
}

export const CHART_IMAGE_TABLE_FILE = path.join(__dirname, "..", "data", "chart-images.json");

let table: ChartImageTable | undefined;

function chartImageTable(): ChartImageTable {
    table ??= JSON.parse(fs.readFileSync(CHART_IMAGE_TABLE_FILE, "utf8")) as ChartImageTable;
    return table;
}

const chartImageKey = (chart: string, version: string) => `${chart}@${version}`;

/** The images a chart at a version runs, or undefined for a chart the table does not know. */
export function chartImagesOf(chart: string, version: string): ChartImage[] | undefined {
    const key = chartImageKey(chart, version);
    return Object.hasOwn(chartImageTable().charts, key) ? chartImageTable().charts[key].images : undefined;
}
