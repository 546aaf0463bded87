import type { ConfigProblem } from "../../config/problems";
import { PLATFORM_NAMESPACES } from "../cluster/namespaces";
import { canaryTarget, flaggerServiceNames, isCanaried } from "./canary";
import { parseDuration } from "./duration";
import { latticeServiceName } from "./lattice";
import type { MeshBackend, MeshRouteRule, MeshSettings } from "./settings";

/** A declared feature the selected backend has no way to apply. */
export interface UnsupportedFeature {
    path: string;
    value: unknown;
    /** Why the backend cannot apply it. */
    reason: string;
}

const LATTICE_NO_TIMEOUT =
    "VPC Lattice has no per-request timeout: the AWS Gateway API Controller v2.1.3 builds Lattice listener rules from matches and weighted targets only and does not apply HTTPRoute timeouts";
const LATTICE_NO_RETRIES =
    "VPC Lattice does not retry requests, and Gateway API v1.5 has HTTPRoute retries only in its experimental channel, which the controller does not implement; retry in the client";
const APPMESH_NO_IAM_AUTH =
    "App Mesh cannot authorize callers by IAM identity (its client policies are TLS-based); there is no equivalent of a Lattice IAM auth policy";

/** Where each backend falls short of the declaration: the single list both validation and the Mesh component read. */
export function unsupportedFeatures(mesh: MeshSettings): UnsupportedFeature[] {
    const found: UnsupportedFeature[] = [];
    mesh.routes.forEach((route, r) => {
        if (mesh.backend === "lattice") {
            route.rules.forEach((rule, i) => {
                const at = `mesh.routes[${r}].rules[${i}]`;
                if (rule.timeout !== undefined) {
                    found.push({ path: `${at}.timeout`, value: rule.timeout, reason: LATTICE_NO_TIMEOUT });
                }
                if (rule.retries !== undefined) {
                    found.push({ path: `${at}.retries`, value: rule.retries, reason: LATTICE_NO_RETRIES });
                }
            });
        }
        if (mesh.backend === "appmesh" && route.iamAuth) {
            found.push({ path: `mesh.routes[${r}].iamAuth`, value: route.iamAuth, reason: APPMESH_NO_IAM_AUTH });
        }
    });
    return found;
}

const OTHER_BACKEND: Record<MeshBackend, string> = { lattice: "appmesh", appmesh: "lattice", none: "lattice" };

const DURATION_HELP = 'is not a duration: write whole numbers with units h, m, s or ms, e.g. "15s", "500ms", "1m30s" (at most 4 parts of at most 5 digits)';

function checkDuration(path: string, value: string, problems: ConfigProblem[]): number | undefined {
    const milliseconds = parseDuration(value);
    if (milliseconds === undefined) {
        problems.push({ path, value, message: DURATION_HELP });
        return undefined;
    }
    if (milliseconds === 0) {
        problems.push({ path, value, message: "must be longer than 0 (omit the setting for no limit of your own)" });
        return undefined;
    }
    return milliseconds;
}

/** Where a called name lives: its route's namespace, or its canaried service's. */
function calleeNamespace(mesh: MeshSettings, name: string): string | undefined {
    return mesh.routes.find((route) => route.name === name)?.namespace ?? mesh.canaries.find((canary) => canary.service === name)?.namespace;
}

/** What Gateway API's HTTPRoute CRD (v1.5.0, CEL rules on path values) refuses in a path prefix. */
const FORBIDDEN_IN_PATH = ["//", "/./", "/../", "%2f", "%2F", "#"];

function pathProblem(prefix: string): string | undefined {
    const found = FORBIDDEN_IN_PATH.find((part) => prefix.includes(part));
    if (found) {
        return `must not contain "${found}" (Gateway API rejects it in a path match)`;
    }
    return prefix.endsWith("/..") ? 'must not end with "/.." (Gateway API rejects it in a path match)' : undefined;
}

/** Does every request `earlier` matches also match `later`'s conditions, so `later` can never be reached? */
function shadows(earlier: MeshRouteRule, later: MeshRouteRule): boolean {
    const headersCovered = earlier.match.headers.every((h) =>
        later.match.headers.some((l) => l.name.toLowerCase() === h.name.toLowerCase() && l.exact === h.exact),
    );
    return headersCovered && (earlier.match.pathPrefix === "/" || earlier.match.pathPrefix === later.match.pathPrefix);
}

/** Namespaces the mesh must not take over: Kubernetes' own, the platform's, and the App Mesh controller's. */
const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease", "appmesh-system", ...PLATFORM_NAMESPACES.map((n) => n.name)];

function checkNamespace(path: string, namespace: string, applicationNamespaces: string[], problems: ConfigProblem[]): void {
    if (RESERVED_NAMESPACES.includes(namespace)) {
        problems.push({
            path,
            value: namespace,
            message: `is a system or platform namespace (${RESERVED_NAMESPACES.join(", ")}); put mesh workloads in their own namespace`,
        });
    } else if (applicationNamespaces.includes(namespace)) {
        problems.push({
            path,
            value: namespace,
            message:
                "is also listed in cluster.applicationNamespaces; the mesh creates its namespaces itself, with the labels its backend needs, so list it in one place only: remove it from cluster.applicationNamespaces",
        });
    }
}

/**
 * The canaries: Flagger on, each for a declared service whose traffic Flagger alone may split,
 * weights that can reach their maximum, and the metrics they are judged on collected.
 */
function canaryProblems(mesh: MeshSettings, containerInsights: boolean, problems: ConfigProblem[]): void {
    if (mesh.canaries.length > 0 && !mesh.flagger.enabled) {
        problems.push({
            path: "mesh.canaries",
            value: mesh.canaries.map((canary) => `${canary.namespace}/${canary.service}`),
            message: "need Flagger, which runs them: set mesh.flagger.enabled to true, or remove the canaries",
        });
    }
    mesh.canaries.forEach((canary, c) => {
        const at = `mesh.canaries[${c}]`;
        const service = mesh.services.find((s) => s.name === canary.service && s.namespace === canary.namespace);
        if (!service) {
            const declared = mesh.services.filter((s) => s.namespace === canary.namespace).map((s) => s.name);
            const known = declared.length > 0 ? `declared there: ${declared.join(", ")}` : "no service is declared there";
            problems.push({
                path: `${at}.service`,
                value: canary.service,
                message: `is not a declared service in namespace ${canary.namespace} (${known}); a canary shifts the requests of a service the mesh declares, so declare it under mesh.services`,
            });
        } else if (service.podSelector !== undefined) {
            problems.push({
                path: `mesh.services[${mesh.services.indexOf(service)}].podSelector`,
                value: service.podSelector,
                message: `cannot be applied to a canaried service: Flagger selects the pods of ${canaryTarget(canary)} and ${canaryTarget(canary)}-primary by their app label itself; remove it`,
            });
        }
        if (mesh.routes.some((route) => route.name === canary.service)) {
            problems.push({
                path: `${at}.service`,
                value: canary.service,
                message: "is also the name of a declared route; callers address a canaried service by its name as they address a route, so the two must differ",
            });
        }
        if (canary.stepWeight > canary.maxWeight) {
            problems.push({
                path: `${at}.stepWeight`,
                value: canary.stepWeight,
                message: `is more than maxWeight (${canary.maxWeight}); the first step would already pass the weight at which Flagger promotes: use at most ${canary.maxWeight}`,
            });
        }
        if (!containerInsights) {
            problems.push({
                path: at,
                value: `${canary.namespace}/${canary.service}`,
                message:
                    "is judged on Container Insights metrics, which this stack does not collect: set logging.containerInsights.enabled to true (the default), or remove the canary",
            });
        }
    });
}

/** A service whose requests Flagger splits: no declared route may send to it or to Flagger's Services of it. */
function canariedTargetProblem(mesh: MeshSettings, namespace: string, target: string): string | undefined {
    const canaried = mesh.canaries.find(
        (canary) => canary.namespace === namespace && (canary.service === target || flaggerServiceNames(canary.service).includes(target)),
    );
    return canaried
        ? `is the canaried service ${canaried.service} (or one of Flagger's Services of it): Flagger owns its route and weights, so callers address "${canaried.service}" itself; remove this target`
        : undefined;
}

/**
 * Semantic checks of the mesh declaration: references resolve, weights add up, durations parse,
 * nothing is unreachable, nothing declared is silently dropped by the chosen backend, and the
 * canaries can run (`containerInsights`: whether the logging capability collects their metrics).
 */
export function validateMesh(mesh: MeshSettings, applicationNamespaces: string[], containerInsights: boolean): ConfigProblem[] {
    const problems: ConfigProblem[] = [];

    // With backend "none", any other mesh setting is refused by the generic rule for switched-off features.
    if (mesh.backend === "none") {
        return problems;
    }
    canaryProblems(mesh, containerInsights, problems);

    const servicesByNamespace = new Map<string, string[]>();
    mesh.services.forEach((service, s) => {
        servicesByNamespace.set(service.namespace, [...(servicesByNamespace.get(service.namespace) ?? []), service.name]);
        checkNamespace(`mesh.services[${s}].namespace`, service.namespace, applicationNamespaces, problems);
        const check = service.healthCheck;
        if (check.timeoutSeconds >= check.intervalSeconds) {
            problems.push({
                path: `mesh.services[${s}].healthCheck.timeoutSeconds`,
                value: check.timeoutSeconds,
                message: `must be shorter than intervalSeconds (${check.intervalSeconds}): a probe must end before the next starts`,
            });
        }
    });

    const routeNames = mesh.routes.map((route) => route.name);
    // Lattice service name -> what already has it ('route "x"' or 'canaried service "x"').
    const latticeNames = new Map<string, string>();
    // On Lattice a canaried service is addressed through Flagger's HTTPRoute of its name, which gets a Lattice service too.
    if (mesh.backend === "lattice") {
        for (const canary of mesh.canaries) {
            latticeNames.set(latticeServiceName(canary.service, canary.namespace), `canaried service "${canary.service}"`);
        }
    }
    mesh.routes.forEach((route, r) => {
        const at = `mesh.routes[${r}]`;
        checkNamespace(`${at}.namespace`, route.namespace, applicationNamespaces, problems);
        const latticeName = latticeServiceName(route.name, route.namespace);
        const clash = latticeNames.get(latticeName);
        if (clash !== undefined && clash !== `route "${route.name}"`) {
            problems.push({
                path: `${at}.name`,
                value: route.name,
                message: `shares its VPC Lattice service name "${latticeName}" with ${clash} (the controller keeps 20 characters of the route and 18 of the namespace); make the first 20 characters differ`,
            });
        }
        latticeNames.set(latticeName, `route "${route.name}"`);
        const declaredHere = servicesByNamespace.get(route.namespace) ?? [];
        if (declaredHere.includes(route.name)) {
            problems.push({
                path: `${at}.name`,
                value: route.name,
                message: `is also a declared service in namespace ${route.namespace}; App Mesh needs a Kubernetes Service of the route's name for DNS, so route and service names must differ`,
            });
        }

        route.rules.forEach((rule, i) => {
            const ruleAt = `${at}.rules[${i}]`;
            const badPath = pathProblem(rule.match.pathPrefix);
            if (badPath) {
                problems.push({ path: `${ruleAt}.match.pathPrefix`, value: rule.match.pathPrefix, message: badPath });
            }
            const headerNames = rule.match.headers.map((h) => h.name.toLowerCase());
            rule.match.headers.forEach((header, h) => {
                if (headerNames.indexOf(header.name.toLowerCase()) !== h) {
                    problems.push({
                        path: `${ruleAt}.match.headers[${h}].name`,
                        value: header.name,
                        message: "is matched twice in this rule (header names are case-insensitive); keep one",
                    });
                }
            });
            const total = rule.targets.reduce((sum, target) => sum + target.weight, 0);
            if (total !== 100) {
                problems.push({
                    path: `${ruleAt}.targets`,
                    value: rule.targets.map((t) => `${t.service}=${t.weight}`),
                    message: `weights sum to ${total}; they must sum to 100 (percent of the rule's traffic)`,
                });
            }
            rule.targets.forEach((target, t) => {
                const path = `${ruleAt}.targets[${t}].service`;
                const canaried = canariedTargetProblem(mesh, route.namespace, target.service);
                if (canaried) {
                    problems.push({ path, value: target.service, message: canaried });
                } else if (!declaredHere.includes(target.service)) {
                    const known = declaredHere.length > 0 ? `declared there: ${declaredHere.join(", ")}` : "no service is declared there";
                    problems.push({
                        path,
                        value: target.service,
                        message: `is not a declared service in namespace ${route.namespace} (${known}); declare it under mesh.services`,
                    });
                }
            });
            const timeout = rule.timeout === undefined ? undefined : checkDuration(`${ruleAt}.timeout`, rule.timeout, problems);
            if (rule.retries) {
                const perTry = checkDuration(`${ruleAt}.retries.perTryTimeout`, rule.retries.perTryTimeout, problems);
                if (perTry !== undefined && timeout !== undefined && perTry > timeout) {
                    problems.push({
                        path: `${ruleAt}.retries.perTryTimeout`,
                        value: rule.retries.perTryTimeout,
                        message: `is longer than the rule's timeout (${rule.timeout}); one attempt cannot outlast the whole request`,
                    });
                }
            }
            const shadowing = route.rules.slice(0, i).findIndex((earlier) => shadows(earlier, rule));
            if (shadowing >= 0) {
                problems.push({
                    path: `${ruleAt}.match`,
                    value: rule.match,
                    message: `can never match: rules[${shadowing}] comes first and takes every request this one would; put the more specific rule first`,
                });
            }
        });
    });

    const canaryNames = mesh.canaries.map((canary) => canary.service);
    mesh.services.forEach((service, s) => {
        service.calls.forEach((name, c) => {
            const path = `mesh.services[${s}].calls[${c}]`;
            if (!routeNames.includes(name) && !canaryNames.includes(name)) {
                problems.push({
                    path,
                    value: name,
                    message: `is not a declared route or canaried service (routes: ${routeNames.join(", ") || "none"}; canaried services: ${canaryNames.join(", ") || "none"})`,
                });
            } else if (mesh.backend === "appmesh" && isCanaried(mesh, service) && calleeNamespace(mesh, name) !== service.namespace) {
                problems.push({
                    path,
                    value: name,
                    message: `is in namespace ${calleeNamespace(mesh, name)}, but ${service.name} has a canary: Flagger's App Mesh router names its virtual nodes' backends in the canary's namespace (${service.namespace}) only`,
                });
            }
        });
    });

    if (mesh.onUnsupported === "reject") {
        for (const feature of unsupportedFeatures(mesh)) {
            problems.push({
                path: feature.path,
                value: feature.value,
                message: `cannot be applied by backend "${mesh.backend}": ${feature.reason}. Remove it, use backend "${OTHER_BACKEND[mesh.backend]}", or set mesh.onUnsupported to "warn" to deploy without it`,
            });
        }
    }
    return problems;
}
