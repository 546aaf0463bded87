import { z } from "zod";
import { featureSwitch, uniqueBy } from "../../config/schemaRules";
import { dnsLabel } from "../common/kubernetesNames";

/**
 * Limits below are the intersection of what both backends accept, so one declaration renders on
 * either. Sources: Gateway API v1.5.0 standard CRDs (HTTPRoute v1), AWS Gateway API Controller
 * v2.1.3 (CRDs under helm/crds, rule builder pkg/gateway/model_build_rule.go) and the App Mesh
 * CRDs of appmesh-controller chart 1.13.3 (appmesh.k8s.aws/v1beta2).
 */

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
        path: z.string().startsWith("/").default("/healthz").describe("HTTP path probed on the service port."),
        intervalSeconds: z.int().min(5).max(300).default(10).describe("Seconds between probes."),
        timeoutSeconds: z
            .int()
            .min(2)
            .max(60)
            .default(5)
            .describe("Seconds a probe may take, shorter than `intervalSeconds` (App Mesh allows 2-60 s, Lattice 1-120 s)."),
        healthyThreshold: z.int().min(2).max(10).default(3).describe("Consecutive successes before a target counts as healthy."),
        unhealthyThreshold: z.int().min(2).max(10).default(2).describe("Consecutive failures before a target counts as unhealthy."),
    })
    .prefault({})
    .describe("HTTP health check of the workload's pods: a Lattice TargetGroupPolicy, or the App Mesh virtual node's.");

const meshServiceSchema = z.strictObject({
    name: dnsLabel.describe("Kubernetes Service of one version of a workload (such as `catalog-v1`); unique in its namespace."),
    namespace: dnsLabel.describe(
        "Namespace of the Service, which the mesh creates with its backend's labels: not a system or platform namespace, " +
            "and not in `cluster.applicationNamespaces`.",
    ),
    port: z
        .int()
        .min(1)
        .max(65535)
        .describe(
            "Port the Service exposes and its pods serve plain HTTP/1.1 on: one number, because App Mesh listens on the pod port and Lattice routes to the Service port.",
        ),
    podSelector: z
        .record(z.string().min(1), z.string())
        .optional()
        .describe("Pod labels that select the workload's pods (the App Mesh virtual node). When unset, `{app.kubernetes.io/name: <name>}`."),
    healthCheck: meshHealthCheckSchema,
    calls: z
        .array(dnsLabel)
        .default([])
        .describe(
            "Declared routes, by name, this service calls. App Mesh configures a caller's Envoy only for the virtual services listed as its backends; " +
                "Lattice needs no list (every member of the service network may call every route, narrowed by `iamAuth`).",
        ),
});

const meshRouteRuleSchema = z.strictObject({
    match: z
        .strictObject({
            pathPrefix: z
                .string()
                .startsWith("/")
                .max(1024)
                .default("/")
                .describe(
                    "Path prefix a request must have; the default matches every request. Gateway API refuses `//`, `/./`, `/../`, `%2f`, `#` and a trailing `/..`.",
                ),
            headers: z
                .array(
                    z.strictObject({
                        name: headerName.describe("Header name; matched case-insensitively, once per rule."),
                        exact: z.string().min(1).max(255).describe("Value the header must have, exactly."),
                    }),
                )
                .max(5)
                .default([])
                .describe("Headers a request must carry, all of them (at most 5: the Lattice controller's limit)."),
        })
        .prefault({})
        .describe("Which requests the rule takes. A rule that an earlier rule always shadows is rejected."),
    targets: z
        .array(
            z.strictObject({
                service: dnsLabel.describe("A service declared under `services` in the route's namespace, once per rule."),
                weight: z.int().min(0).max(100).describe("Percent of the rule's requests it receives; a rule's weights sum to 100."),
            }),
        )
        .min(1)
        .max(10)
        .describe("Where the rule sends requests, weighted (at most 10: App Mesh's limit), each service once.")
        .meta(uniqueBy(["service"], "give each service of a rule one weight")),
    timeout: z
        .string()
        .optional()
        .describe(
            'Whole-request timeout, a Go-style duration such as "15s", "500ms" or "1m30s" (units h, m, s, ms; whole numbers). ' +
                "App Mesh only (`onUnsupported` decides on Lattice). When unset, App Mesh applies 15 s.",
        ),
    retries: z
        .strictObject({
            maxRetries: z.int().min(1).max(10).describe("Retries after the first attempt."),
            perTryTimeout: z.string().describe("Time each attempt may take, a Go-style duration; at most the rule's `timeout`."),
        })
        .optional()
        .describe(
            "Retries of requests failing with a 5xx, a gateway error or a connection error. App Mesh only (`onUnsupported` decides on Lattice). When unset, none.",
        ),
});

const meshRouteSchema = z.strictObject({
    name: dnsLabel.describe(
        "The name callers address, unique in the mesh and different from the services of its namespace; " +
            "becomes the HTTPRoute, or the App Mesh VirtualService and VirtualRouter. On Lattice, its first 20 characters and the namespace's first 18 name " +
            "the Lattice service, so they must differ between routes.",
    ),
    namespace: dnsLabel.describe("Namespace of the route; the same rules as a service's."),
    rules: z.array(meshRouteRuleSchema).min(1).describe("Rules in priority order: the first whose match fits a request takes it."),
    iamAuth: z
        .strictObject({
            allowedPrincipals: z.array(awsPrincipal).min(1).describe("Accounts (12-digit ids) and IAM roles or users allowed to call the route."),
        })
        .optional()
        .describe(
            "Require SigV4-signed callers from these principals (a VPC Lattice IAM auth policy). Lattice only (`onUnsupported` decides on App Mesh). When unset, off.",
        ),
});

/**
 * A canary of one declared service, run by Flagger (v1.44.0 Canary `flagger.app/v1beta1`). Weights
 * are percent of the service's requests; every analysis step is judged on Container Insights metrics
 * of the canary's pods (see canary.ts for why not VPC Lattice's own request metrics).
 */
const meshCanarySchema = z.strictObject({
    service: dnsLabel
        .max(55)
        .describe(
            "A service declared under `services` in the canary's namespace: the name callers address, which Flagger takes over (it creates the Services " +
                "`<service>`, `<service>-primary` and `<service>-canary` and the route between them). At most 55 characters (Flagger appends `-primary`).",
        ),
    namespace: dnsLabel.describe("Namespace of the service and of its Deployment."),
    targetDeployment: dnsLabel
        .max(55)
        .optional()
        .describe("The Deployment Flagger watches and copies to `<targetDeployment>-primary`. When unset, the service's name."),
    intervalMinutes: z
        .int()
        .min(1)
        .max(60)
        .default(1)
        .describe("Minutes between analysis steps, each one a weight increase; whole minutes because CloudWatch keeps Container Insights metrics per minute."),
    threshold: z.int().min(1).max(20).default(5).describe("Failed metric checks after which Flagger rolls the canary back (all traffic to the primary)."),
    stepWeight: z.int().min(1).max(100).default(10).describe("Percent of requests added to the canary at each step; at most `maxWeight`."),
    maxWeight: z.int().min(1).max(100).default(50).describe("Percent of requests the canary gets before Flagger promotes it to primary."),
    progressDeadlineSeconds: z.int().min(60).max(3600).default(600).describe("Seconds the canary's pods may take to become ready before Flagger rolls back."),
    metrics: z
        .strictObject({
            maxContainerRestarts: z
                .int()
                .min(0)
                .max(100)
                .default(0)
                .describe(
                    "Most container restarts a canary pod may have (Container Insights `pod_number_of_container_restarts`, Maximum per interval); the default 0 fails a crash-looping canary.",
                ),
            maxCpuOverLimitPercent: z
                .int()
                .min(1)
                .max(1000)
                .optional()
                .describe(
                    "Highest CPU use of the canary's pods in percent of their CPU limit (Container Insights `pod_cpu_utilization_over_pod_limit`, Average per interval); " +
                        "needs CPU limits on the Deployment. When unset, not checked.",
                ),
        })
        .prefault({})
        .describe("The checks of each analysis step; a step fails when any is above its bound."),
});

export const meshSettingsSchema = z
    .strictObject({
        backend: z
            .enum(["lattice", "appmesh", "none"])
            .default("lattice")
            .describe(
                "`lattice`: Amazon VPC Lattice through the AWS Gateway API Controller. `appmesh`: AWS App Mesh, discontinued by AWS on 2026-09-30, " +
                    "kept for teams that still run it. `none`: no mesh, and then no services or routes may be declared.",
            ),
        name: dnsLabel
            .min(3)
            .refine((name) => !name.startsWith("sn-"), 'must not start with "sn-" (reserved for Lattice ids)')
            .optional()
            .describe("Name of the VPC Lattice service network and Gateway, or of the App Mesh mesh; not starting `sn-`. When unset, the cluster name."),
        onUnsupported: z
            .enum(["reject", "warn"])
            .default("reject")
            .describe(
                "What to do with a declared feature the backend cannot apply (timeouts and retries on Lattice, `iamAuth` on App Mesh): " +
                    "`reject` fails validation naming each one; `warn` deploys without it and reports each at deploy time (`pulumi up` warnings, `platform.addOns.mesh.unsupported`).",
            ),
        services: z
            .array(meshServiceSchema)
            .default([])
            .describe("The workloads in the mesh: one entry per Kubernetes Service, that is per version of a workload; each namespace and name once.")
            .meta(uniqueBy(["namespace", "name"], "one Kubernetes Service is one mesh service: declare it once")),
        routes: z
            .array(meshRouteSchema)
            .default([])
            .describe("The names callers address, each with rules that match requests and send them to services; each name once in the mesh.")
            .meta(uniqueBy(["name"], "callers address a route by its name, so each name is declared once in the mesh")),
        flagger: z
            .strictObject({
                enabled: z
                    .boolean()
                    .default(false)
                    .describe(
                        "Install Flagger (chart pinned in components/versions.ts) in `platform-system`, with the mesh's provider (`gatewayapi:v1` on Lattice, `appmesh:v1beta2` on App Mesh) " +
                            "and an IRSA role that reads CloudWatch metrics; needed by `canaries`.",
                    ),
            })
            .prefault({})
            .describe("Flagger, the progressive delivery controller that runs `canaries`."),
        canaries: z
            .array(meshCanarySchema)
            .default([])
            .describe("Progressive delivery of declared services: Flagger shifts their requests to a new version step by step and rolls back on failed checks.")
            .meta(uniqueBy(["namespace", "service"], "a service has one canary: declare it once")),
    })
    .prefault({})
    .describe("One declarative service mesh: VPC Lattice (the default) or App Mesh, its services and its routes.")
    .meta(featureSwitch("backend", "none"));

export type MeshSettings = z.output<typeof meshSettingsSchema>;
export type MeshService = MeshSettings["services"][number];
export type MeshRoute = MeshSettings["routes"][number];
export type MeshRouteRule = MeshRoute["rules"][number];
export type MeshBackend = MeshSettings["backend"];
export type MeshCanary = MeshSettings["canaries"][number];

/** The pod labels a service's workload carries: podSelector, or the app.kubernetes.io/name convention. */
export function podSelectorOf(service: MeshService): Record<string, string> {
    return service.podSelector ?? { "app.kubernetes.io/name": service.name };
}
