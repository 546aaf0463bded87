import { defineCapability } from "../capability";
import { chartImageUses } from "../common/chartImages";
import { LoadBalancerController } from "./controller";
import { loadBalancerControllerSettingsSchema } from "./settings";
import { validateLoadBalancerController } from "./validate";

const CONTROLLER = "AWS Load Balancer Controller";

/** eks-platform:loadBalancerController: the AWS Load Balancer Controller, its IngressClasses and access-log bucket. */
export const loadBalancerControllerCapability = defineCapability({
    key: "loadBalancerController",
    settings: loadBalancerControllerSettingsSchema,
    validate: validateLoadBalancerController,
    awsServices: (settings) =>
        settings.enabled
            ? [
                  { service: "sts", reason: `${CONTROLLER}: its IRSA role's credentials` },
                  { service: "elasticloadbalancing", reason: `${CONTROLLER}: creates and reconciles load balancers, listeners and target groups` },
                  { service: "ec2", reason: `${CONTROLLER}: discovers subnets, manages the load balancers' security groups and their rules` },
                  { service: "acm", reason: `${CONTROLLER}: finds certificates for HTTPS listeners by host name` },
                  { service: "cognito-idp", reason: `${CONTROLLER}: reads the user pool client of an Ingress that authenticates with Cognito` },
                  // WAF is called only when a web ACL is set; the published policy allows it all the same. Shield has no
                  // endpoint: its validation refuses shieldAdvanced without NAT.
                  { service: "wafv2", reason: `${CONTROLLER}: associates web ACLs with ALBs (loadBalancerController.internetFacing.webAclArn)` },
                  { service: "waf-regional", reason: `${CONTROLLER}: WAF Classic web ACL associations, which its published policy allows` },
              ]
            : [],
    images: (settings) => (settings.enabled ? chartImageUses("loadBalancerController", CONTROLLER) : []),
    deploy: (name, context, settings, opts) => (settings.enabled ? new LoadBalancerController(name, { context, settings }, opts) : undefined),
});
