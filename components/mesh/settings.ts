import { z } from "zod";

/**
 * Limits below are the intersection of what both backends accept, so one declaration renders on
 * either. Sources: Gateway API v1.5.0 standard CRDs (HTTPRoute v1), AWS Gateway API Controller
 * v2.1.3 (CRDs under helm/crds, rule builder pkg/gateway/model_build_rule.go) and the App Mesh
 * CRDs of appmesh-controller chart 1.13.3 (appmesh.k8s.aws/v1beta2).
 */

const dnsLabel = z
    .string()
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label (lowercase letters, digits, '-'; at most 63 characters)");

/** An HTTP header name as Gateway API accepts it; App Mesh caps names at 50 characters. */
const headerName = z
    .string()
    .min(1)
    .max(50)
    .regex(/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/, "must be an HTTP header name (token characters only)");

/** An account id or an IAM role/user ARN, as a VPC Lattice auth policy principal. */
const awsPrincipal = z
    .string()
    .regex(/^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+))$/, "must be a 12-digit account id or an IAM role/user ARN");

const meshHealthCheckSchema = z
    .strictObject({
        /** HTTP path probed on the service port. Default "/healthz". */
        path: z.string().startsWith("/").default("/healthz"),
        /** Seconds between probes (5-300). Default 10. */
        intervalSeconds: z.int().min(5).max(300).default(10),
        /** Seconds a probe may take (2-60: App Mesh allows 2-60 s, Lattice 1-120 s). Default 5. */
        timeoutSeconds: z.int().min(2).max(60).default(5),
        /** Consecutive successes before a target is healthy (2-10). Default 3. */
        healthyThreshold: z.int().min(2).max(10).default(3),
        /** Consecutive failures before a target is unhealthy (2-10). Default 2. */
        unhealthyThreshold: z.int().min(2).max(10).default(2),
    })
    .prefault({});

const meshServiceSchema = z.strictObject({
    /** Kubernetes Service name of the workload (one version of it, e.g. catalog-v1). */
    name: dnsLabel,
    /** Namespace of the Service; the Mesh component creates it with the backend's labels. */
    namespace: dnsLabel,
    /** Port the Service exposes and its pods serve plain HTTP/1.1 on (the same number: App Mesh listens on the pod port, Lattice routes to the Service port). */
    port: z.int().min(1).max(65535),
    /** Pod labels that select the workload's pods (App Mesh virtual node). Default { "app.kubernetes.io/name": <name> }. */
    podSelector: z.record(z.string().min(1), z.string()).optional(),
    healthCheck: meshHealthCheckSchema,
    /**
     * Routes (by name) this service calls. App Mesh only configures a caller's Envoy for the
     * virtual services listed as its backends; Lattice needs no list (every service network
     * member may call every route, narrowed by iamAuth). Default none.
     */
    calls: z.array(dnsLabel).default([]),
});

const meshRouteRuleSchema = z.strictObject({
    match: z
        .strictObject({
            /** Path prefix to match. Default "/" (every request). */
            pathPrefix: z.string().startsWith("/").max(1024).default("/"),
            /** Exact header matches, all required (at most 5: the Lattice controller's limit). Default none. */
            headers: z
                .array(z.strictObject({ name: headerName, exact: z.string().min(1).max(255) }))
                .max(5)
                .default([]),
        })
        .prefault({}),
    /** Weighted targets: declared services in the route's namespace, weights summing to 100 (at most 10: App Mesh's limit). */
    targets: z
        .array(z.strictObject({ service: dnsLabel, weight: z.int().min(0).max(100) }))
        .min(1)
        .max(10),
    /** Whole-request timeout as a Go-style duration, e.g. "15s", "500ms", "1m30s". Default none (App Mesh: 15s). */
    timeout: z.string().optional(),
    /** Retries of failed requests (5xx, gateway errors, connection errors). Default none. */
    retries: z
        .strictObject({
            /** Retries after the first attempt (1-10). */
            maxRetries: z.int().min(1).max(10),
            /** Time each attempt may take, Go-style duration. */
            perTryTimeout: z.string(),
        })
        .optional(),
});

const meshRouteSchema = z.strictObject({
    /** The name callers address, unique in the mesh; becomes the HTTPRoute, or the VirtualService and VirtualRouter. */
    name: dnsLabel,
    namespace: dnsLabel,
    /** Rules in priority order: the first whose match fits a request takes it. */
    rules: z.array(meshRouteRuleSchema).min(1),
    /** Require SigV4-signed callers from these principals (a VPC Lattice IAM auth policy). Default off. */
    iamAuth: z.strictObject({ allowedPrincipals: z.array(awsPrincipal).min(1) }).optional(),
});

export const meshSettingsSchema = z
    .strictObject({
        /**
         * lattice: Amazon VPC Lattice through the AWS Gateway API Controller (default).
         * appmesh: AWS App Mesh, discontinued by AWS on 2026-09-30; kept for teams that still run it.
         * none: no mesh.
         */
        backend: z.enum(["lattice", "appmesh", "none"]).default("lattice"),
        /**
         * Name of the VPC Lattice service network (and Gateway) or of the App Mesh mesh. Default: the
         * cluster name. 3-63 characters, not starting "sn-" (a Lattice service network name).
         */
        name: dnsLabel
            .min(3)
            .refine((name) => !name.startsWith("sn-"), 'must not start with "sn-" (reserved for Lattice ids)')
            .optional(),
        /**
         * What to do with a declared feature the selected backend cannot apply (retries and timeouts
         * on Lattice, IAM auth on App Mesh): reject (default) fails validation naming each one; warn
         * deploys without it and reports each at deploy time.
         */
        onUnsupported: z.enum(["reject", "warn"]).default("reject"),
        services: z.array(meshServiceSchema).default([]),
        routes: z.array(meshRouteSchema).default([]),
    })
    .prefault({});

export type MeshSettings = z.output<typeof meshSettingsSchema>;
export type MeshService = MeshSettings["services"][number];
export type MeshRoute = MeshSettings["routes"][number];
export type MeshRouteRule = MeshRoute["rules"][number];
export type MeshBackend = MeshSettings["backend"];

/** The pod labels a service's workload carries: podSelector, or the app.kubernetes.io/name convention. */
export function podSelectorOf(service: MeshService): Record<string, string> {
    return service.podSelector ?? { "app.kubernetes.io/name": service.name };
}
