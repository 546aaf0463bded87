import { autoname, IAM_POLICY_OR_PROFILE, IAM_ROLE, LOG_GROUP } from "../../config/names";
import { clusterNameOrigin, defineSection } from "../capability";
import { flowLogGroupName, flowLogsResourceName } from "./network";
import { networkSettingsSchema } from "./settings";
import { validateNetworkAccess } from "./validate";

/**
 * eks-platform:network. Its layout is checked by validateNetwork (./validate.ts), which the parser
 * runs before every other check because they read the CIDR plan it lays out; its endpoints and the
 * runner's path by validateNetworkAccess, with the other sections.
 */
export const networkSection = defineSection({
    key: "network",
    settings: networkSettingsSchema,
    validate: validateNetworkAccess,
    // The flow logs' group, and their auto-named role and its inline policy, from the cluster name.
    names: (_network, facts) => [
        { ...clusterNameOrigin(facts), name: flowLogGroupName(facts.clusterName), rule: LOG_GROUP, composedAs: "the flow log group" },
        { ...clusterNameOrigin(facts), name: autoname(flowLogsResourceName(facts.clusterName)), rule: IAM_ROLE, composedAs: "the flow logs' role, auto-named" },
        {
            ...clusterNameOrigin(facts),
            name: autoname(flowLogsResourceName(facts.clusterName)),
            rule: IAM_POLICY_OR_PROFILE,
            composedAs: "the flow logs' role policy, auto-named",
        },
    ],
});
