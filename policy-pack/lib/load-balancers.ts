// What load balancers a stack asks for, as the engine sees them: the AWS Load Balancer Controller
// creates ALBs from Ingresses and NLBs from Services of type LoadBalancer, configured by their
// annotations and by their IngressClass's IngressClassParams (which take precedence over an
// Ingress's own annotations); a program may also declare aws.lb resources directly. The rules judge
// every one of them through this one view, so an annotation, a class parameter and an aws.lb input
// that mean the same thing are judged the same way.
import { INGRESS_TYPES, objectOf, SERVICE_TYPES } from "./kubernetes";
import type { ResourceView, StackView } from "./policy";
import { resourcesOfType } from "./stack";
import { readKnown } from "./unknown";

const LOAD_BALANCER_TYPES = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
export const LISTENER_TYPES = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
const INGRESS_CLASS_TYPES = ["kubernetes:networking.k8s.io/v1:IngressClass"];
export const INGRESS_CLASS_PARAMS_TYPES = ["kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams"];
const HELM_TYPES = ["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v3:Release"];

/** The controller an IngressClass names to be served by the AWS Load Balancer Controller (or EKS Auto Mode). */
const ALB_CONTROLLERS = ["ingress.k8s.aws/alb", "eks.amazonaws.com/alb"];
const NLB_SERVICE_CLASSES = ["service.k8s.aws/nlb", "eks.amazonaws.com/nlb"];
const NLB_SERVICE_TYPES = ["external", "nlb", "nlb-ip"];
/** The controller's own default TLS policy, used when neither its chart nor an object names one. */
const CONTROLLER_DEFAULT_TLS_POLICY = "ELBSecurityPolicy-2016-08";

const INGRESS = "alb.ingress.kubernetes.io/";
const SERVICE = "service.beta.kubernetes.io/aws-load-balancer-";

type Scheme = "internal" | "internet-facing";

interface Listener {
    protocol: string;
    port: number;
    /** For HTTP listeners: whether every request is redirected to HTTPS. */
    redirectsToHttps?: boolean;
    /** For HTTPS and TLS listeners: the security policy, and where it was set. */
    tlsPolicy?: { name: string; from: string };
}

/** One load balancer the stack asks for, by whatever object asks for it. */
export interface LoadBalancerRequest {
    resource: ResourceView;
    kind: "application" | "network" | "classic";
    scheme: Scheme;
    /** Where the scheme was decided, for messages. */
    schemeFrom: string;
    /** Listeners, when the object states them; undefined for an aws.lb load balancer (its listeners are their own resources). */
    listeners?: Listener[];
    /** Load balancer attributes as Elastic Load Balancing names them (access_logs.s3.enabled, deletion_protection.enabled). */
    attributes: Record<string, string>;
}

function annotationsOf(resource: ResourceView): Record<string, string> {
    return objectOf(resource).metadata?.annotations ?? {};
}

/** "key=value,key=value" as the controller's attribute annotations take them. */
function parseAttributes(value: string | undefined): Record<string, string> {
    if (!value) {
        return {};
    }
    return Object.fromEntries(
        value
            .split(",")
            .map((pair) => pair.trim())
            .filter((pair) => pair.includes("="))
            .map((pair) => [pair.slice(0, pair.indexOf("=")).trim(), pair.slice(pair.indexOf("=") + 1).trim()]),
    );
}

/** The controller chart's values, when the stack installs it. */
function controllerValues(stack: StackView): Record<string, unknown> | undefined {
    const chart = resourcesOfType(stack, ...HELM_TYPES).find((resource) =>
        readKnown(() => typeof resource.props.chart === "string" && /(^|\/)aws-load-balancer-controller$/.test(resource.props.chart)),
    );
    return chart ? ((chart.props.values as Record<string, unknown> | undefined) ?? {}) : undefined;
}

/** The TLS policy a listener gets when nothing names one: the chart's defaultSSLPolicy, else the controller's built-in default. */
export function controllerDefaultTlsPolicy(stack: StackView): { name: string; from: string } {
    const configured = controllerValues(stack)?.defaultSSLPolicy;
    return typeof configured === "string" && configured.length > 0
        ? { name: configured, from: "the controller's defaultSSLPolicy" }
        : { name: CONTROLLER_DEFAULT_TLS_POLICY, from: "the controller's built-in default" };
}

function nameOf(resource: ResourceView): string | undefined {
    return objectOf(resource).metadata?.name;
}

/** The IngressClassParams spec of an Ingress's class, and whether an ALB serves the Ingress at all. */
/** The IngressClassParams fields the rules read, as the controller's CRD names them. */
interface IngressClassParamsSpec {
    scheme?: string;
    sslPolicy?: string;
    sslRedirectPort?: string;
    certificateArn?: string[];
    loadBalancerAttributes?: { key: string; value: string }[];
}

function ingressClassParams(ingress: ResourceView, stack: StackView): { served: boolean; params: IngressClassParamsSpec; className?: string } {
    const classes = resourcesOfType(stack, ...INGRESS_CLASS_TYPES);
    const explicit =
        objectOf<{ spec?: { ingressClassName?: string } }>(ingress).spec?.ingressClassName ?? annotationsOf(ingress)["kubernetes.io/ingress.class"];
    const ingressClass =
        explicit !== undefined
            ? classes.find((candidate) => nameOf(candidate) === explicit)
            : classes.find((candidate) => annotationsOf(candidate)["ingressclass.kubernetes.io/is-default-class"] === "true");
    if (!ingressClass) {
        // A class the stack does not declare: the controller's chart serves "alb" (its ingressClass value).
        const chartClass = controllerValues(stack)?.ingressClass ?? "alb";
        return { served: explicit === chartClass, params: {}, className: explicit };
    }
    const spec = objectOf<{ spec?: { controller?: string; parameters?: { kind?: string; name?: string } } }>(ingressClass).spec ?? {};
    if (!ALB_CONTROLLERS.includes(String(spec.controller))) {
        return { served: false, params: {} };
    }
    const parameters = spec.parameters;
    const params =
        parameters?.kind === "IngressClassParams"
            ? resourcesOfType(stack, ...INGRESS_CLASS_PARAMS_TYPES).find((candidate) => nameOf(candidate) === parameters.name)
            : undefined;
    return { served: true, params: (params && objectOf<{ spec?: IngressClassParamsSpec }>(params).spec) ?? {}, className: nameOf(ingressClass) };
}

/** `[{"HTTP": 80}, {"HTTPS": 443}]` as the listen-ports annotation writes it. */
function parseListenPorts(value: string): { protocol: string; port: number }[] {
    try {
        const parsed = JSON.parse(value) as Record<string, number>[];
        return parsed.flatMap((entry) => Object.entries(entry).map(([protocol, port]) => ({ protocol: protocol.toUpperCase(), port: Number(port) })));
    } catch {
        return [];
    }
}

function ingressRequest(ingress: ResourceView, stack: StackView): LoadBalancerRequest | undefined {
    const { served, params, className } = ingressClassParams(ingress, stack);
    if (!served) {
        return undefined;
    }
    const annotations = annotationsOf(ingress);
    const from = className ? `IngressClassParams of class ${className}` : "";
    const scheme = (params.scheme ?? annotations[`${INGRESS}scheme`] ?? "internal") as Scheme;
    const schemeFrom = params.scheme ? from : annotations[`${INGRESS}scheme`] ? `annotation ${INGRESS}scheme` : "the controller's default";
    const hasCertificate =
        annotations[`${INGRESS}certificate-arn`] !== undefined ||
        (Array.isArray(params.certificateArn) && params.certificateArn.length > 0) ||
        (objectOf<{ spec?: { tls?: unknown[] } }>(ingress).spec?.tls ?? []).length > 0;
    const ports = annotations[`${INGRESS}listen-ports`]
        ? parseListenPorts(annotations[`${INGRESS}listen-ports`])
        : [hasCertificate ? { protocol: "HTTPS", port: 443 } : { protocol: "HTTP", port: 80 }];
    const redirect = params.sslRedirectPort !== undefined || annotations[`${INGRESS}ssl-redirect`] !== undefined;
    const tlsPolicy = params.sslPolicy
        ? { name: String(params.sslPolicy), from }
        : annotations[`${INGRESS}ssl-policy`]
          ? { name: annotations[`${INGRESS}ssl-policy`], from: `annotation ${INGRESS}ssl-policy` }
          : controllerDefaultTlsPolicy(stack);
    const fromParams = Object.fromEntries((params.loadBalancerAttributes ?? []).map((a) => [a.key, a.value]));
    return {
        resource: ingress,
        kind: "application",
        scheme,
        schemeFrom,
        listeners: ports.map(({ protocol, port }) => ({
            protocol,
            port,
            ...(protocol === "HTTP" ? { redirectsToHttps: redirect } : {}),
            ...(protocol === "HTTPS" ? { tlsPolicy } : {}),
        })),
        // Parameters of the class take precedence over the Ingress's annotation.
        attributes: { ...parseAttributes(annotations[`${INGRESS}load-balancer-attributes`]), ...fromParams },
    };
}

function serviceRequest(service: ResourceView, stack: StackView): LoadBalancerRequest | undefined {
    const spec = objectOf<{ spec?: { type?: string; loadBalancerClass?: string; ports?: { port?: number; protocol?: string }[] } }>(service).spec ?? {};
    if (spec.type !== "LoadBalancer") {
        return undefined;
    }
    const annotations = annotationsOf(service);
    const byController =
        NLB_SERVICE_CLASSES.includes(String(spec.loadBalancerClass)) ||
        NLB_SERVICE_TYPES.includes(annotations[`${SERVICE}type`]) ||
        // The controller's webhook gives a Service without a class its NLB class.
        (spec.loadBalancerClass === undefined && controllerValues(stack) !== undefined && controllerValues(stack)?.enableServiceMutatorWebhook !== false);
    if (spec.loadBalancerClass !== undefined && !byController) {
        return undefined;
    }
    const explicitScheme = annotations[`${SERVICE}scheme`];
    const legacyInternal = annotations[`${SERVICE}internal`];
    const scheme: Scheme = explicitScheme
        ? (explicitScheme as Scheme)
        : byController || (legacyInternal !== undefined && legacyInternal !== "false")
          ? "internal"
          : "internet-facing";
    const schemeFrom = explicitScheme
        ? `annotation ${SERVICE}scheme`
        : byController
          ? "the controller's default"
          : "the in-tree cloud provider's default (no aws-load-balancer-internal annotation)";
    const sslPorts = (annotations[`${SERVICE}ssl-ports`] ?? "").split(",").map((port) => port.trim());
    const hasCertificate = annotations[`${SERVICE}ssl-cert`] !== undefined;
    const tlsPolicy = annotations[`${SERVICE}ssl-negotiation-policy`]
        ? { name: annotations[`${SERVICE}ssl-negotiation-policy`], from: `annotation ${SERVICE}ssl-negotiation-policy` }
        : controllerDefaultTlsPolicy(stack);
    const attributes = parseAttributes(annotations[`${SERVICE}attributes`]);
    if (annotations[`${SERVICE}access-log-enabled`] !== undefined && attributes["access_logs.s3.enabled"] === undefined) {
        attributes["access_logs.s3.enabled"] = annotations[`${SERVICE}access-log-enabled`];
    }
    return {
        resource: service,
        kind: byController ? "network" : "classic",
        scheme,
        schemeFrom,
        listeners: (spec.ports ?? []).map((port) => {
            const tls = hasCertificate && (sslPorts.includes("*") || sslPorts.includes(String(port.port)) || annotations[`${SERVICE}ssl-ports`] === undefined);
            return { protocol: tls ? "TLS" : (port.protocol ?? "TCP"), port: Number(port.port), ...(tls ? { tlsPolicy } : {}) };
        }),
        attributes,
    };
}

function awsRequest(loadBalancer: ResourceView): LoadBalancerRequest {
    const props = loadBalancer.props as {
        loadBalancerType?: unknown;
        internal?: unknown;
        enableDeletionProtection?: unknown;
        accessLogs?: { enabled?: unknown; bucket?: unknown };
    };
    const type = typeof props.loadBalancerType === "string" ? props.loadBalancerType : "application";
    const attributes: Record<string, string> = {
        "access_logs.s3.enabled": String(props.accessLogs?.enabled === true && typeof props.accessLogs.bucket === "string"),
        "deletion_protection.enabled": String(props.enableDeletionProtection === true),
    };
    return {
        resource: loadBalancer,
        kind: type === "network" ? "network" : "application",
        scheme: props.internal === true ? "internal" : "internet-facing",
        schemeFrom: props.internal === true ? "internal: true" : "internal is not true",
        attributes,
    };
}

/** Every load balancer the stack asks for: Ingresses an ALB serves, Services of type LoadBalancer, and aws.lb load balancers. */
export function loadBalancerRequests(stack: StackView): LoadBalancerRequest[] {
    return [
        ...resourcesOfType(stack, ...INGRESS_TYPES).flatMap((ingress) => ingressRequest(ingress, stack) ?? []),
        ...resourcesOfType(stack, ...SERVICE_TYPES).flatMap((service) => serviceRequest(service, stack) ?? []),
        ...resourcesOfType(stack, ...LOAD_BALANCER_TYPES).map(awsRequest),
    ];
}

/** What a load balancer is, for messages: "Ingress apps/web (ALB)". */
export function describeRequest(request: LoadBalancerRequest): string {
    const kind = request.kind === "application" ? "ALB" : request.kind === "network" ? "NLB" : "Classic Load Balancer";
    if (request.resource.type.startsWith("kubernetes:")) {
        const metadata = objectOf(request.resource).metadata ?? {};
        const object = request.resource.type.includes(":Ingress") ? "Ingress" : "Service";
        return `${object} ${metadata.namespace ?? "default"}/${metadata.name ?? request.resource.name} (${kind})`;
    }
    return `load balancer ${request.resource.name} (${kind})`;
}

/**
 * The aws.lb load balancer a listener belongs to: its loadBalancerArn is that load balancer's ARN
 * (or ID, which for aws.lb is the ARN). Undefined when the listener's load balancer is not in the
 * stack; throws (undecided) when the ARN is not known yet.
 */
export function loadBalancerOfListener(listener: ResourceView, stack: StackView): ResourceView | undefined {
    const arn = listener.props.loadBalancerArn as unknown;
    return resourcesOfType(stack, ...LOAD_BALANCER_TYPES).find(
        (candidate) => arn !== undefined && (candidate.id === arn || readKnown(() => candidate.props.arn as unknown) === arn),
    );
}

/**
 * Whether an Elastic Load Balancing security policy negotiates TLS 1.2 or newer only, without legacy
 * cipher extensions: the FS-1-2, TLS-1-2 and TLS13-1-2/1-3 families (the prefixes Checkov's CKV_AWS_103
 * accepts) less their "Ext" variants, which add CBC and SHA-1 suites (trivy's AVD-AWS-0047 lists the
 * TLS13 Ext policies, and every older policy, as outdated).
 */
export function isModernTlsPolicy(name: string): boolean {
    return /^ELBSecurityPolicy-(FS-1-2|TLS-1-2|TLS13-1-[23])-/.test(name) && !/-Ext\d*-/.test(name);
}
