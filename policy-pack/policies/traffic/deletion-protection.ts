// A load balancer carries its DNS name: deleting it by mistake (an Ingress removed, a stack torn
// down) breaks every client that resolved it. Deletion protection makes that a deliberate act.
import { describeRequest, loadBalancerRequests } from "../../lib/load-balancers";
import { stackGuardrail } from "../../lib/policy";
import { decideEach } from "../../lib/unknown";

export const loadBalancerDeletionProtection = stackGuardrail({
    name: "load-balancer-deletion-protection",
    description: "Every ALB and NLB (from an Ingress, a Service of type LoadBalancer, its IngressClassParams, or aws.lb) has deletion protection on.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_150"],
    remediation:
        "Use the platform's IngressClasses (deletion protection follows loadBalancerController.deletionProtection, on in prod); on a Service add " +
        "deletion_protection.enabled=true to service.beta.kubernetes.io/aws-load-balancer-attributes; on aws.lb set enableDeletionProtection. " +
        "To remove such a load balancer, turn the attribute off first.",
    validate: (stack, _config, report) =>
        decideEach(loadBalancerRequests(stack), (request) => {
            if (request.kind !== "classic" && request.attributes["deletion_protection.enabled"] !== "true") {
                report(`${describeRequest(request)} has no deletion protection (deletion_protection.enabled is not true).`, request.resource.urn);
            }
        }),
});
