// How traffic reaches Services and Ingresses: nothing that lets an object's author capture another
// address (externalIPs, CVE-2020-8554) or inject configuration into a shared ingress proxy.
import { INGRESS_TYPES, objectOf, SERVICE_TYPES } from "../../lib/kubernetes";
import { resourceGuardrail } from "../../lib/policy";
import { decideAll, decideEach } from "../../lib/unknown";
import { asArray } from "../../lib/values";

interface ExternalAddressConfig {
    allowedExternalIPs: string[];
    allowedExternalNames: string[];
}

export const serviceNoExternalAddresses = resourceGuardrail<ExternalAddressConfig>({
    name: "service-no-external-addresses",
    description: "Services set no externalIPs (anyone who may create a Service could capture that address's traffic) and no unreviewed externalName.",
    enforcementLevel: "mandatory",
    controls: ["AVD-KSV-0108"],
    remediation:
        "Expose Services through a load balancer (type LoadBalancer or an Ingress / Gateway). An ExternalName that points at a " +
        "reviewed endpoint (an RDS or ElastiCache hostname) goes into allowedExternalNames.",
    configSchema: {
        allowedExternalIPs: { type: "array", items: { type: "string" }, description: "externalIPs that Services may claim.", default: [] },
        allowedExternalNames: { type: "array", items: { type: "string" }, description: "DNS names ExternalName Services may point to.", default: [] },
    },
    resourceTypes: SERVICE_TYPES,
    validate: (service, config, report) => {
        const spec = objectOf<{ spec?: { externalIPs?: string[]; externalName?: string } }>(service).spec ?? {};
        decideAll(
            () =>
                decideEach(asArray(spec.externalIPs), (address) => {
                    if (!config.allowedExternalIPs.includes(address)) {
                        report(`The Service claims external IP ${address}.`);
                    }
                }),
            () => {
                if (spec.externalName !== undefined && !config.allowedExternalNames.includes(spec.externalName)) {
                    report(`The Service is an alias of ${spec.externalName}, which allowedExternalNames does not list.`);
                }
            },
        );
    },
});

// Annotations whose value ingress-nginx copies into its configuration, and the characters that break
// out of it (as trivy's KCV-0093 matches them).
const NGINX_VALUE_ANNOTATIONS: Record<string, RegExp> = {
    "nginx.ingress.kubernetes.io/auth-url": /[\r\n<>"{}|^`\\]/,
    "nginx.ingress.kubernetes.io/mirror-target": /[\r\n<>"{}|^`\\]/,
    "nginx.ingress.kubernetes.io/mirror-host": /[\r\n<>"{}|^`\\]/,
    "nginx.ingress.kubernetes.io/auth-tls-match-cn": /CN=.*[\r\n#{};|]/,
};

export const ingressNoConfigurationInjection = resourceGuardrail({
    name: "ingress-no-configuration-injection",
    description:
        "Ingresses carry no configuration snippets and no ingress-nginx annotation with characters that break out of its config (CVE-2021-25742 and its successors).",
    enforcementLevel: "mandatory",
    controls: ["CKV_K8S_152", "CKV_K8S_153", "CKV_K8S_154", "AVD-KCV-0093"],
    remediation:
        "Remove *-snippet annotations; express the behaviour with the controller's typed annotations or in its reviewed global " +
        "configuration. The platform exposes services through the AWS Load Balancer Controller and VPC Lattice, which need neither.",
    resourceTypes: INGRESS_TYPES,
    validate: (ingress, _config, report) => {
        const annotations = objectOf(ingress).metadata?.annotations ?? {};
        decideEach(Object.keys(annotations), (key) => {
            if (key.includes("snippet")) {
                report(`Annotation ${key} injects configuration into the ingress controller.`);
            }
            const unsafe = NGINX_VALUE_ANNOTATIONS[key];
            if (unsafe?.test(annotations[key])) {
                report(`Annotation ${key} contains characters that break out of ingress-nginx's configuration.`);
            }
        });
    },
});
