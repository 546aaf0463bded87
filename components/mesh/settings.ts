import { z } from "zod";

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label");

export const meshServiceSchema = z.strictObject({
    /** Kubernetes Service name of the workload. */
    name: dnsLabel,
    /** Namespace of the Service. */
    namespace: dnsLabel,
    /** Service port. */
    port: z.int().min(1).max(65535),
    healthCheck: z
        .strictObject({
            path: z.string().startsWith("/").default("/healthz"),
            intervalSeconds: z.int().min(5).max(300).default(10),
            timeoutSeconds: z.int().min(1).max(120).default(5),
            healthyThreshold: z.int().min(2).max(10).default(3),
            unhealthyThreshold: z.int().min(2).max(10).default(2),
        })
        .prefault({}),
    /** Require SigV4-signed callers (Lattice IAM auth). Default false. */
    iamAuth: z.boolean().default(false),
});

export const meshRouteRuleSchema = z.strictObject({
    match: z
        .strictObject({
            pathPrefix: z.string().startsWith("/").default("/"),
            headers: z.array(z.strictObject({ name: z.string().min(1), exact: z.string() })).default([]),
        })
        .prefault({}),
    /** Weighted targets; weights sum to 100. */
    targets: z.array(z.strictObject({ service: dnsLabel, weight: z.int().min(0).max(100) })).min(1),
    /** Whole-request timeout, e.g. "15s" or "500ms". */
    timeout: z.string().optional(),
    retries: z
        .strictObject({
            attempts: z.int().min(1).max(10),
            perTryTimeout: z.string(),
        })
        .optional(),
});

export const meshRouteSchema = z.strictObject({
    /** The name callers address; becomes the HTTPRoute or VirtualService. */
    name: dnsLabel,
    namespace: dnsLabel,
    rules: z.array(meshRouteRuleSchema).min(1),
});

export const meshSettingsSchema = z
    .strictObject({
        /** lattice (Amazon VPC Lattice via the AWS Gateway API Controller), appmesh (discontinued 2026-09-30) or none. Default lattice. */
        backend: z.enum(["lattice", "appmesh", "none"]).default("lattice"),
        services: z.array(meshServiceSchema).default([]),
        routes: z.array(meshRouteSchema).default([]),
    })
    .prefault({});

export type MeshSettings = z.output<typeof meshSettingsSchema>;
