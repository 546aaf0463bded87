// Internet-facing load balancers only where the environment allows them, and then only on the
// ports the organisation declared: everything else stays inside the VPC.
import { describeRequest, INGRESS_CLASS_PARAMS_TYPES, LISTENER_TYPES, loadBalancerOfListener, loadBalancerRequests } from "../../lib/load-balancers";
import { objectOf } from "../../lib/kubernetes";
import { stackGuardrail } from "../../lib/policy";
import { resourcesOfType } from "../../lib/stack";
import { decideEach } from "../../lib/unknown";

interface InternetFacingConfig {
    allowInternetFacing: boolean;
    allowedPublicPorts: number[];
}

export const loadBalancerInternetFacingAllowed = stackGuardrail<InternetFacingConfig>({
    name: "load-balancer-internet-facing-allowed",
    description:
        "A load balancer is internet-facing only where the environment allows it, and then listens only on the declared ports; this covers " +
        "Ingresses, Services of type LoadBalancer, IngressClassParams that make internet-facing ALBs, and aws.lb load balancers and listeners.",
    enforcementLevel: "mandatory",
    controls: ["AVD-AWS-0053"],
    remediation:
        "Use the internal scheme (the platform's default IngressClass `alb`, or service.beta.kubernetes.io/aws-load-balancer-scheme: internal). " +
        "Where the environment allows internet-facing load balancers, use the `alb-internet-facing` IngressClass and listen on allowedPublicPorts only.",
    configSchema: {
        allowInternetFacing: { type: "boolean", description: "Whether internet-facing load balancers may exist in this environment.", default: false },
        allowedPublicPorts: {
            type: "array",
            items: { type: "integer" },
            description: "Listener ports an internet-facing load balancer may open (80 serves only the redirect to HTTPS: load-balancer-https-modern-tls).",
            default: [80, 443],
        },
    },
    validate: (stack, config, report) => {
        const notAllowed = "this environment allows no internet-facing load balancer (allowInternetFacing)";
        decideEach(loadBalancerRequests(stack), (request) => {
            if (request.scheme !== "internet-facing") {
                return;
            }
            const what = `${describeRequest(request)} is internet-facing (${request.schemeFrom})`;
            if (!config.allowInternetFacing) {
                report(`${what}: ${notAllowed}.`, request.resource.urn);
                return;
            }
            for (const listener of (request.listeners ?? []).filter((candidate) => !config.allowedPublicPorts.includes(candidate.port))) {
                report(
                    `${what} and listens on ${listener.protocol} ${listener.port}, which allowedPublicPorts (${config.allowedPublicPorts.join(", ")}) does not list.`,
                    request.resource.urn,
                );
            }
        });
        // A class whose parameters make every Ingress of it internet-facing.
        decideEach(resourcesOfType(stack, ...INGRESS_CLASS_PARAMS_TYPES), (params) => {
            if (!config.allowInternetFacing && objectOf<{ spec?: { scheme?: string } }>(params).spec?.scheme === "internet-facing") {
                report(`IngressClassParams ${objectOf(params).metadata?.name ?? params.name} makes internet-facing ALBs: ${notAllowed}.`, params.urn);
            }
        });
        // aws.lb listeners of internet-facing load balancers, which are resources of their own.
        decideEach(resourcesOfType(stack, ...LISTENER_TYPES), (listener) => {
            const loadBalancer = loadBalancerOfListener(listener, stack);
            const port = Number(listener.props.port);
            if (config.allowInternetFacing && loadBalancer && loadBalancer.props.internal !== true && !config.allowedPublicPorts.includes(port)) {
                report(
                    `Listener ${listener.name} of internet-facing load balancer ${loadBalancer.name} listens on ${port}, which allowedPublicPorts does not list.`,
                    listener.urn,
                );
            }
        });
    },
});
