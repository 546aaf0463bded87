// Load balancers speak TLS where clients reach them over untrusted networks, and only with TLS 1.2
// or newer: HTTP only to redirect to HTTPS, modern security policies on every HTTPS and TLS listener.
import {
    controllerDefaultTlsPolicy,
    describeRequest,
    INGRESS_CLASS_PARAMS_TYPES,
    isModernTlsPolicy,
    LISTENER_TYPES,
    loadBalancerOfListener,
    loadBalancerRequests,
} from "../../lib/load-balancers";
import { objectOf } from "../../lib/kubernetes";
import { stackGuardrail } from "../../lib/policy";
import { resourcesOfType } from "../../lib/stack";
import { decideEach } from "../../lib/unknown";

interface TlsConfig {
    requireHttpsInternal: boolean;
}

const MODERN = "a TLS 1.2+ policy without legacy ciphers (ELBSecurityPolicy-TLS13-1-2-*, -TLS13-1-3-*, -TLS-1-2-* or -FS-1-2-*, no -Ext)";

export const loadBalancerHttpsModernTls = stackGuardrail<TlsConfig>({
    name: "load-balancer-https-modern-tls",
    description:
        "Internet-facing load balancers serve HTTPS (HTTP only to redirect), and every HTTPS and TLS listener, the IngressClassParams and the " +
        "controller's default use a TLS 1.2+ security policy without legacy ciphers.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_2", "AVD-AWS-0054", "CKV_AWS_103", "AVD-AWS-0047"],
    remediation:
        "Listen on HTTPS with a certificate (alb.ingress.kubernetes.io/certificate-arn) and redirect HTTP (the `alb-internet-facing` class does). " +
        "Leave the TLS policy to the platform (its default is ELBSecurityPolicy-TLS13-1-2-2021-06) or name a modern one.",
    configSchema: {
        requireHttpsInternal: {
            type: "boolean",
            description: "Also require HTTPS on internal load balancers (traffic that never leaves the VPC).",
            default: false,
        },
    },
    validate: (stack, config, report) => {
        decideEach(loadBalancerRequests(stack), (request) => {
            const needsHttps = request.scheme === "internet-facing" || config.requireHttpsInternal;
            for (const listener of request.listeners ?? []) {
                if (listener.protocol === "HTTP" && needsHttps && !listener.redirectsToHttps) {
                    report(`${describeRequest(request)} serves plain HTTP on ${listener.port} without redirecting to HTTPS.`, request.resource.urn);
                }
                if (listener.tlsPolicy && !isModernTlsPolicy(listener.tlsPolicy.name)) {
                    report(
                        `${describeRequest(request)} listens on ${listener.protocol} ${listener.port} with ${listener.tlsPolicy.name} (${listener.tlsPolicy.from}), not ${MODERN}.`,
                        request.resource.urn,
                    );
                }
            }
        });
        decideEach(resourcesOfType(stack, ...INGRESS_CLASS_PARAMS_TYPES), (params) => {
            const policy = objectOf<{ spec?: { sslPolicy?: string } }>(params).spec?.sslPolicy;
            if (policy !== undefined && !isModernTlsPolicy(policy)) {
                report(`IngressClassParams ${objectOf(params).metadata?.name ?? params.name} sets ${policy}, not ${MODERN}.`, params.urn);
            }
        });
        // The controller's default applies to every listener that names no policy.
        const chart = resourcesOfType(stack, "kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v3:Release").find(
            (resource) => typeof resource.props.chart === "string" && /(^|\/)aws-load-balancer-controller$/.test(resource.props.chart),
        );
        const fallback = controllerDefaultTlsPolicy(stack);
        if (chart && !isModernTlsPolicy(fallback.name)) {
            report(
                `The AWS Load Balancer Controller's default TLS policy is ${fallback.name} (${fallback.from}), not ${MODERN}: set defaultSSLPolicy.`,
                chart.urn,
            );
        }
        decideEach(resourcesOfType(stack, ...LISTENER_TYPES), (listener) => {
            const protocol = String(listener.props.protocol ?? "");
            if (protocol === "HTTP") {
                const actions = (listener.props.defaultActions ?? []) as { type?: string; redirect?: { protocol?: string } }[];
                const redirects = actions.some((action) => action.type === "redirect" && action.redirect?.protocol === "HTTPS");
                const loadBalancer = loadBalancerOfListener(listener, stack);
                const internal = loadBalancer?.props.internal === true;
                if (!redirects && (!internal || config.requireHttpsInternal)) {
                    report(`Listener ${listener.name} serves plain HTTP without redirecting to HTTPS.`, listener.urn);
                }
            }
            if (protocol === "HTTPS" || protocol === "TLS") {
                const policy = typeof listener.props.sslPolicy === "string" ? listener.props.sslPolicy : undefined;
                if (!policy || !isModernTlsPolicy(policy)) {
                    report(`Listener ${listener.name} (${protocol}) uses ${policy ?? "Elastic Load Balancing's default policy"}, not ${MODERN}.`, listener.urn);
                }
            }
        });
    },
});
