// Every load balancer writes access logs: the record of who called what, kept beside the flow logs.
import { describeRequest, loadBalancerRequests } from "../../lib/load-balancers";
import { stackGuardrail } from "../../lib/policy";
import { decideEach } from "../../lib/unknown";

export const loadBalancerAccessLogs = stackGuardrail({
    name: "load-balancer-access-logs",
    description:
        "Every load balancer (from an Ingress, a Service of type LoadBalancer, its IngressClassParams, or aws.lb) writes access logs to S3 " +
        "(attribute access_logs.s3.enabled=true).",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_91"],
    remediation:
        "Use the platform's IngressClasses, whose parameters turn access logs on; on a Service add " +
        "service.beta.kubernetes.io/aws-load-balancer-attributes: access_logs.s3.enabled=true,access_logs.s3.bucket=<bucket>,access_logs.s3.prefix=nlb " +
        "(docs/load-balancing.md); on aws.lb set accessLogs.enabled with a bucket.",
    validate: (stack, _config, report) =>
        decideEach(loadBalancerRequests(stack), (request) => {
            if (request.kind !== "classic" && request.attributes["access_logs.s3.enabled"] !== "true") {
                report(`${describeRequest(request)} writes no access logs (access_logs.s3.enabled is not true).`, request.resource.urn);
            }
        }),
});
