import type { LoadBalancerControllerSettings } from "./settings";

/** The controller name an IngressClass must carry for the AWS Load Balancer Controller to serve it. */
export const ALB_CONTROLLER = "ingress.k8s.aws/alb";

/** The load balancer class of Services the controller serves (its NLBs). */
export const NLB_SERVICE_CLASS = "service.k8s.aws/nlb";

/** The platform's IngressClasses: the default one makes internal ALBs, the other internet-facing ALBs. */
export const INGRESS_CLASSES = { internal: "alb", internetFacing: "alb-internet-facing" } as const;

/** A load balancer attribute as IngressClassParams and the attribute annotations take it. */
export interface Attribute {
    key: string;
    value: string;
}

/** What the attributes of every platform load balancer depend on. */
export interface AttributeInputs {
    /** Where access logs go, when they are on. */
    accessLogs?: { bucket: string; prefix: string };
    deletionProtection: boolean;
}

/**
 * Attributes the platform sets on its load balancers (keys as Elastic Load Balancing names them):
 * access logs to the access-log bucket, deletion protection, and, for ALBs, dropping requests with
 * header fields that are not valid HTTP (request smuggling; AVD-AWS-0052, CKV_AWS_131).
 */
export function loadBalancerAttributes(inputs: AttributeInputs, kind: "application" | "network"): Attribute[] {
    return [
        ...(inputs.accessLogs
            ? [
                  { key: "access_logs.s3.enabled", value: "true" },
                  { key: "access_logs.s3.bucket", value: inputs.accessLogs.bucket },
                  { key: "access_logs.s3.prefix", value: inputs.accessLogs.prefix },
              ]
            : [{ key: "access_logs.s3.enabled", value: "false" }]),
        { key: "deletion_protection.enabled", value: String(inputs.deletionProtection) },
        ...(kind === "application" ? [{ key: "routing.http.drop_invalid_header_fields.enabled", value: "true" }] : []),
    ];
}

/** The attributes as the controller's annotations take them: key=value, comma separated. */
export function attributeAnnotation(attributes: Attribute[]): string {
    return attributes.map(({ key, value }) => `${key}=${value}`).join(",");
}

/** One IngressClass of the platform and the IngressClassParams that fix what its ALBs may be. */
export interface IngressClassSpec {
    name: string;
    /** Whether Ingresses without a class get this one. */
    isDefault: boolean;
    /** IngressClassParams spec (elbv2.k8s.aws/v1beta1), fields as the controller's CRD names them. */
    params: Record<string, unknown>;
}

/**
 * The platform's IngressClasses. Their IngressClassParams take precedence over an Ingress's own
 * annotations, so the scheme, target type, TLS policy and attributes are the platform's, whatever an
 * Ingress asks for: `alb` (the default class) makes internal ALBs, and `alb-internet-facing`, only where
 * allowed, makes internet-facing ones for the listed namespaces, redirecting HTTP to HTTPS, behind the
 * configured web ACL. Target type `ip` registers pod addresses (the secondary CIDR under custom
 * networking) rather than node ports.
 */
export function ingressClassSpecs(settings: LoadBalancerControllerSettings, attributes: AttributeInputs): IngressClassSpec[] {
    const common = {
        targetType: "ip",
        ipAddressType: "ipv4",
        sslPolicy: settings.defaultTlsPolicy,
        loadBalancerAttributes: loadBalancerAttributes(attributes, "application"),
    };
    const specs: IngressClassSpec[] = [{ name: INGRESS_CLASSES.internal, isDefault: true, params: { ...common, scheme: "internal" } }];
    const { internetFacing } = settings;
    if (internetFacing.allowed) {
        specs.push({
            name: INGRESS_CLASSES.internetFacing,
            isDefault: false,
            params: {
                ...common,
                scheme: "internet-facing",
                sslRedirectPort: "443",
                inboundCIDRs: internetFacing.inboundCidrs,
                namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: internetFacing.namespaces }] },
                ...(internetFacing.webAclArn ? { wafv2AclArn: internetFacing.webAclArn } : {}),
            },
        });
    }
    return specs;
}
