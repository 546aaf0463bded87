import { resourceGuardrail } from "../../lib/policy";
import { AUTOSCALING_GROUP, MANAGED_NODE_GROUP, isSpotGroup, isSpotNodeGroup, overrideInstanceTypes } from "../../lib/autoscaling";
import { shapeOf, type InstanceShape } from "../../lib/instance-types";
import { asArray, stringAt } from "../../lib/values";

interface DiversityConfig {
    minimumInstanceTypes: number;
}

export const spotInstanceTypeDiversity = resourceGuardrail<DiversityConfig>({
    name: "spot-instance-type-diversity",
    description: "Spot capacity draws on several instance types, so one reclaimed Spot pool does not take out the group.",
    enforcementLevel: "advisory",
    controls: [],
    platformSpecific: "Spot resilience is a cost and availability practice of this platform; the security benchmarks do not cover it",
    remediation:
        "List at least minimumInstanceTypes interchangeable types in mixedInstancesPolicy.launchTemplate.overrides " +
        "(self-managed) or instanceTypes (managed node group with capacityType SPOT).",
    configSchema: {
        minimumInstanceTypes: {
            type: "integer",
            minimum: 1,
            description: "Distinct instance types a Spot group must be able to use.",
            default: 3,
        },
    },
    resourceTypes: [AUTOSCALING_GROUP, MANAGED_NODE_GROUP],
    validate: (group, config, report) => {
        const spot = group.type === AUTOSCALING_GROUP ? isSpotGroup(group) : isSpotNodeGroup(group);
        if (!spot) {
            return;
        }
        const types = new Set(group.type === AUTOSCALING_GROUP ? overrideInstanceTypes(group) : asArray(group.props.instanceTypes));
        if (types.size < config.minimumInstanceTypes) {
            report(`Spot capacity can use ${types.size} instance type(s); at least ${config.minimumInstanceTypes} are required.`);
        }
    },
});

interface AllocationConfig {
    allowedStrategies: string[];
}

export const spotAllocationStrategy = resourceGuardrail<AllocationConfig>({
    name: "spot-allocation-strategy",
    description: "Spot groups allocate from the pools least likely to be interrupted, not the cheapest ones.",
    enforcementLevel: "advisory",
    controls: [],
    platformSpecific: "Spot resilience is a cost and availability practice of this platform; the security benchmarks do not cover it",
    remediation: 'Set mixedInstancesPolicy.instancesDistribution.spotAllocationStrategy: "price-capacity-optimized" (AWS default: lowest-price).',
    configSchema: {
        allowedStrategies: {
            type: "array",
            items: { type: "string" },
            description: "Accepted spotAllocationStrategy values.",
            default: ["price-capacity-optimized", "capacity-optimized", "capacity-optimized-prioritized"],
        },
    },
    resourceTypes: [AUTOSCALING_GROUP],
    validate: (group, config, report) => {
        if (!isSpotGroup(group)) {
            return;
        }
        const strategy = stringAt(group.props, "mixedInstancesPolicy", "instancesDistribution", "spotAllocationStrategy") ?? "lowest-price";
        if (!config.allowedStrategies.includes(strategy)) {
            report(`spotAllocationStrategy is ${strategy}.`);
        }
    },
});

export const spotCapacityRebalance = resourceGuardrail({
    name: "spot-capacity-rebalance",
    description: "Spot groups launch replacements on rebalance recommendations, before the two-minute interruption notice.",
    enforcementLevel: "advisory",
    controls: [],
    platformSpecific: "Spot resilience is a cost and availability practice of this platform; the security benchmarks do not cover it",
    remediation: "Set capacityRebalance: true on the Auto Scaling group (default false).",
    resourceTypes: [AUTOSCALING_GROUP],
    validate: (group, _config, report) => {
        if (isSpotGroup(group) && group.props.capacityRebalance !== true) {
            report("capacityRebalance is off.");
        }
    },
});

interface UniformShapeConfig {
    additionalInstanceShapes: Record<string, InstanceShape>;
}

export const autoscalingGroupUniformShape = resourceGuardrail<UniformShapeConfig>({
    name: "autoscaling-group-uniform-shape",
    description: "All instance types of one Auto Scaling group have the same vCPU and memory, as the Cluster Autoscaler assumes.",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific: "a Cluster Autoscaler assumption the platform relies on, not a security control",
    remediation:
        "Keep one vCPU/memory shape per group (e.g. m6i.xlarge, m6a.xlarge, m7i.xlarge) and create another group for another shape. " +
        "For a type the generated instance-type table does not list yet, regenerate the table or add the type to additionalInstanceShapes " +
        "from `aws ec2 describe-instance-types`.",
    configSchema: {
        additionalInstanceShapes: {
            type: "object",
            additionalProperties: {
                type: "object",
                properties: { vcpus: { type: "integer" }, memoryGiB: { type: "number" } },
                required: ["vcpus", "memoryGiB"],
            },
            description: "vCPU and memory of instance types the generated instance-type table (data/instance-types.json) does not list.",
            default: {},
        },
    },
    resourceTypes: [AUTOSCALING_GROUP],
    validate: (group, config, report) => {
        const types = [...new Set(overrideInstanceTypes(group))];
        const unsized = types.filter((type) => !shapeOf(type, config.additionalInstanceShapes));
        if (unsized.length > 0) {
            report(`Cannot size ${unsized.join(", ")}: not in the instance-type table; regenerate it or add them to additionalInstanceShapes.`);
            return;
        }
        const shapes = new Set(
            types.map((type) => {
                const shape = shapeOf(type, config.additionalInstanceShapes) as InstanceShape;
                return `${shape.vcpus} vCPU/${shape.memoryGiB} GiB`;
            }),
        );
        if (shapes.size > 1) {
            report(`Instance types differ in shape: ${[...shapes].join(" vs ")} (${types.join(", ")}).`);
        }
    },
});
