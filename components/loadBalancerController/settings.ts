import { z } from "zod";

const dnsLabel = z
    .string()
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label (lowercase letters, digits, '-'; at most 63 characters)");

const ipv4Cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, "must be an IPv4 CIDR such as 203.0.113.0/24");

/** A regional AWS WAF (v2) web ACL, the only kind an ALB takes. */
const REGIONAL_WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[A-Za-z0-9_-]+\/[0-9a-f-]+$/;

export const loadBalancerControllerSettingsSchema = z
    .strictObject({
        enabled: z
            .boolean()
            .default(true)
            .describe("Install the AWS Load Balancer Controller: an ALB for each Ingress (or IngressGroup), an NLB for each Service of type LoadBalancer."),
        replicas: z
            .int()
            .min(2)
            .max(5)
            .default(2)
            .describe(
                "Controller replicas, spread across zones with a disruption budget of one. One is the leader; every replica serves the admission webhooks Ingresses and Services need.",
            ),
        defaultTlsPolicy: z
            .string()
            .regex(/^ELBSecurityPolicy-[A-Za-z0-9-]+$/, "must be an Elastic Load Balancing security policy name such as ELBSecurityPolicy-TLS13-1-2-2021-06")
            .default("ELBSecurityPolicy-TLS13-1-2-2021-06")
            .describe(
                "TLS policy of every HTTPS and TLS listener that names none (the controller's default and the platform's IngressClassParams). Must allow TLS 1.2 or newer only.",
            ),
        internetFacing: z
            .strictObject({
                allowed: z
                    .boolean()
                    .default(false)
                    .describe("Create the `alb-internet-facing` IngressClass, the one way to an internet-facing ALB. Off: internal load balancers only."),
                namespaces: z
                    .array(dnsLabel)
                    .default([])
                    .describe(
                        "Application namespaces whose Ingresses may use the internet-facing class (its IngressClassParams namespaceSelector). Required when allowed.",
                    ),
                inboundCidrs: z
                    .array(ipv4Cidr)
                    .min(1)
                    .default(["0.0.0.0/0"])
                    .describe("Client ranges the internet-facing ALBs' security groups admit on their listener ports. 0.0.0.0/0 is everyone."),
                webAclArn: z
                    .string()
                    .regex(REGIONAL_WEB_ACL_ARN, "must be the ARN of a regional AWS WAF web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)")
                    .optional()
                    .describe("AWS WAF web ACL every internet-facing ALB is associated with (IngressClassParams wafv2AclArn)."),
                shieldAdvanced: z
                    .boolean()
                    .default(false)
                    .describe(
                        "Let the controller manage AWS Shield Advanced protection for ALBs whose Ingress asks for it (alb.ingress.kubernetes.io/shield-advanced-protection). Needs the account's Shield Advanced subscription.",
                    ),
            })
            .prefault({})
            .describe("Internet-facing load balancers: whether any may exist, for whom, and their protection."),
        accessLogs: z
            .strictObject({
                enabled: z
                    .boolean()
                    .default(true)
                    .describe(
                        "Access logs of every load balancer of the platform's IngressClasses (and of Services that carry the attributes) to the access-log bucket. Required in prod.",
                    ),
                bucketName: z
                    .string()
                    .optional()
                    .describe(
                        "Name of the access-log bucket the program creates (SSE-S3: the only encryption ALB log delivery supports). Default <cluster>-lb-logs-<account>.",
                    ),
                expirationDays: z.int().min(1).default(365).describe("Days access logs are kept before they expire."),
            })
            .prefault({})
            .describe("Load balancer access logs."),
        deletionProtection: z
            .boolean()
            .optional()
            .describe("Deletion protection on the load balancers of the platform's IngressClasses. Default: on in prod, off elsewhere; required in prod."),
    })
    .prefault({})
    .describe("The AWS Load Balancer Controller and the IngressClasses through which applications get load balancers.");

export type LoadBalancerControllerSettings = z.output<typeof loadBalancerControllerSettingsSchema>;
