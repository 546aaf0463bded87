import { defineCapability } from "../capability";
import { LoadBalancerController } from "./controller";
import { loadBalancerControllerSettingsSchema } from "./settings";
import { validateLoadBalancerController } from "./validate";

/** eks-platform:loadBalancerController: the AWS Load Balancer Controller, its IngressClasses and access-log bucket. */
export const loadBalancerControllerCapability = defineCapability({
    key: "loadBalancerController",
    settings: loadBalancerControllerSettingsSchema,
    validate: validateLoadBalancerController,
    deploy: (name, context, settings, opts) => (settings.enabled ? new LoadBalancerController(name, { context, settings }, opts) : undefined),
});
