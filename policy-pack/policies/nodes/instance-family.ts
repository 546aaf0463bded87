import { resourceGuardrail, type ResourceView } from "../../lib/policy";
import { AUTOSCALING_GROUP, LAUNCH_TEMPLATE, MANAGED_NODE_GROUP, overrideInstanceTypes } from "../../lib/autoscaling";
import { EKS_COMPONENT_CLUSTER } from "../../lib/clusters";
import { familyOf } from "../../lib/instance-types";
import { field, stringAt, stringsAt } from "../../lib/values";

interface InstanceFamilyConfig {
    allowedFamilies: string[];
}

/** Instance types a resource launches, with each API's default where none is given. */
function instanceTypesOf(resource: ResourceView): string[] {
    switch (resource.type) {
        case LAUNCH_TEMPLATE:
            return stringsAt(resource.props, "instanceType");
        case AUTOSCALING_GROUP:
            return overrideInstanceTypes(resource);
        case MANAGED_NODE_GROUP:
            return resource.props.instanceTypes === undefined ? ["t3.medium"] : stringsAt(resource.props, "instanceTypes");
        default: {
            // The component creates a default node group (t3.medium unless instanceType says
            // otherwise) except when it is skipped explicitly or implied by Fargate or Auto Mode.
            const { skipDefaultNodeGroup, fargate, autoMode } = resource.props;
            const skipped = skipDefaultNodeGroup === true || !!fargate || field(autoMode, "enabled") === true;
            return skipped ? [] : [stringAt(resource.props, "instanceType") ?? "t3.medium"];
        }
    }
}

/**
 * The families the platform has qualified: current-generation Nitro general, compute and memory
 * types. The program's compute.allowedInstanceFamilies defaults to the same list.
 */
export const QUALIFIED_INSTANCE_FAMILIES: readonly string[] = [
    "m5",
    "m5a",
    "m6i",
    "m6a",
    "m7i",
    "m7a",
    "c5",
    "c5a",
    "c6i",
    "c6a",
    "c7i",
    "c7a",
    "r5",
    "r5a",
    "r6i",
    "r6a",
    "r7i",
    "r7a",
    "m6g",
    "m7g",
    "c6g",
    "c7g",
    "r6g",
    "r7g",
];

export const nodeInstanceFamilyAllowed = resourceGuardrail<InstanceFamilyConfig>({
    name: "node-instance-family-allowed",
    description: "Nodes run only instance families the platform has qualified (architecture, Nitro, ENI limits, cost).",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific: "which instance families the platform has qualified is the platform's decision; no public benchmark names them",
    remediation: "Pick an instance type from an allowed family, or qualify the family and add it to allowedFamilies.",
    configSchema: {
        allowedFamilies: {
            type: "array",
            items: { type: "string" },
            description: "EC2 instance families (the part before the dot) that nodes may use.",
            default: [...QUALIFIED_INSTANCE_FAMILIES],
        },
    },
    resourceTypes: [LAUNCH_TEMPLATE, AUTOSCALING_GROUP, MANAGED_NODE_GROUP, EKS_COMPONENT_CLUSTER],
    validate: (resource, config, report) => {
        const disallowed = instanceTypesOf(resource).filter((type) => !config.allowedFamilies.includes(familyOf(type)));
        if (disallowed.length > 0) {
            report(`Instance types outside the allowed families: ${disallowed.join(", ")}.`);
        }
    },
});
