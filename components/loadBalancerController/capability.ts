import { defineCapability } from "../capability";
import { LoadBalancerController, LOAD_BALANCER_CONTROLLER_IMAGE } from "./controller";
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
                  // The controller calls WAF only when it manages web ACL associations (a web ACL is configured).
                  ...(settings.internetFacing.webAclArn
                      ? [{ service: "wafv2", reason: `${CONTROLLER}: associates the web ACL with internet-facing ALBs` }]
                      : []),
              ]
            : [],
    images: (settings) =>
        settings.enabled
            ? [{ repository: LOAD_BALANCER_CONTROLLER_IMAGE, reason: CONTROLLER, chart: { key: "loadBalancerController", valuesPath: "image.repository" } }]
            : [],
    deploy: (name, context, settings, opts) => (settings.enabled ? new LoadBalancerController(name, { context, settings }, opts) : undefined),
});
