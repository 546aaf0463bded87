import { resourceGuardrail } from "../../lib/policy";
import { CLUSTER_TYPES, CONTROL_PLANE_LOG_TYPES, enabledLogTypes } from "../../lib/clusters";

export const eksControlPlaneLogging = resourceGuardrail({
    name: "eks-control-plane-logging",
    description: "All five EKS control-plane log types (api, audit, authenticator, controllerManager, scheduler) go to CloudWatch.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_37", "AVD-AWS-0038", "CIS EKS 2.1.1"],
    remediation: `Set enabledClusterLogTypes: ${JSON.stringify(CONTROL_PLANE_LOG_TYPES)}. Logging is off when the list is absent.`,
    resourceTypes: CLUSTER_TYPES,
    validate: (cluster, _config, report) => {
        const enabled = enabledLogTypes(cluster);
        const missing = CONTROL_PLANE_LOG_TYPES.filter((type) => !enabled.includes(type));
        if (missing.length > 0) {
            report(`Control-plane log types not enabled: ${missing.join(", ")}.`);
        }
    },
});
