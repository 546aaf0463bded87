import { defineCapability } from "../capability";
import { chartImageUses } from "../common/chartImages";
import { LoadBalancerController } from "./controller";
import { controllerFeatures } from "./controllerPolicy";
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
                  // AWS WAF only with a web ACL, as the controller calls it (and its policy grants it) only then; never WAF
                  // Classic. Shield has no endpoint: its validation refuses shieldAdvanced without NAT.
                  ...(controllerFeatures(settings).webAcl
                      ? [{ service: "wafv2", reason: `${CONTROLLER}: associates web ACLs with ALBs (loadBalancerController.internetFacing.webAclArn)` }]
                      : []),
              ]
            : [],
    images: (settings) => (settings.enabled ? chartImageUses("loadBalancerController", CONTROLLER) : []),
    deploy: (name, context, settings, opts) => (settings.enabled ? new LoadBalancerController(name, { context, settings }, opts) : undefined),
});
