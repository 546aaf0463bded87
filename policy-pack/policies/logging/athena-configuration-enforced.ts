import { ATHENA_WORKGROUP, workgroupConfiguration } from "../../lib/athena";
import { resourceGuardrail } from "../../lib/policy";
import { isFalse } from "../../lib/values";

export const athenaConfigurationEnforced = resourceGuardrail({
    name: "athena-configuration-enforced",
    description: "Athena workgroups enforce their configuration, so a client cannot turn off result encryption, send results elsewhere or lift the scan limit.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_82", "AVD-AWS-0007"],
    remediation: "Leave configuration.enforceWorkgroupConfiguration at true (the provider's default); never set it to false.",
    resourceTypes: [ATHENA_WORKGROUP],
    validate: (workgroup, _config, report) => {
        if (isFalse(workgroupConfiguration(workgroup.props)?.enforceWorkgroupConfiguration)) {
            report("enforceWorkgroupConfiguration is false: each query's client settings override the workgroup's encryption and result location.");
        }
    },
});
