import { stackGuardrail, type ResourceView, type StackView } from "../../lib/policy";
import { AUTOSCALING_GROUP, LAUNCH_TEMPLATE, overrideInstanceTypes } from "../../lib/autoscaling";
import { instanceTypeRecord, maxPodsWithPrefixDelegation, nodeadmDefaultMaxPods, type InstanceTypeRecord } from "../../lib/instance-types";
import { resourcesOfType } from "../../lib/stack";
import { attemptEach, readKnown, UnknownValueError } from "../../lib/unknown";
import { cniResources, cniSettingsOf, type CniSettings } from "../../lib/vpc-cni";

interface PodDensityConfig {
    minimumPercent: number;
}

const TEMPLATE_REFERENCES = ["launchTemplateId", "id", "launchTemplateName", "name"] as const;

/** The IDs and names a group names its launch template by, and whether one of them is unknown at preview. */
function templateReferences(group: ResourceView): { references: string[]; unknown: boolean } {
    const references: string[] = [];
    let unknown = false;
    for (const field of TEMPLATE_REFERENCES) {
        const unknownRead = attemptEach([field], () => {
            const props = group.props as {
                mixedInstancesPolicy?: { launchTemplate?: { launchTemplateSpecification?: Record<string, unknown> } };
                launchTemplate?: Record<string, unknown>;
            };
            const spec = props.mixedInstancesPolicy?.launchTemplate?.launchTemplateSpecification ?? props.launchTemplate;
            const value = spec?.[field];
            if (typeof value === "string") {
                references.push(value);
            }
        });
        unknown ||= unknownRead !== undefined;
    }
    return { references, unknown };
}

/** The launch template a group launches from: by ID or name when they are known, else the one template it depends on. */
function launchTemplateOf(group: ResourceView, stack: StackView): ResourceView | undefined {
    const { references, unknown } = templateReferences(group);
    const templates = resourcesOfType(stack, LAUNCH_TEMPLATE);
    const byReference = templates.find((template) => {
        const name = readKnown((): unknown => template.props.name);
        return (template.id !== undefined && references.includes(template.id)) || (typeof name === "string" && references.includes(name));
    });
    if (byReference) {
        return byReference;
    }
    const dependedOn = templates.filter((template) => group.dependsOn.includes(template.urn));
    if (dependedOn.length === 1) {
        return dependedOn[0];
    }
    if (unknown) {
        throw new UnknownValueError(`launch template of ${group.urn}`);
    }
    return undefined;
}

/**
 * The kubelet maxPods an AL2023 NodeConfig in the user data sets: a number, `"default"` when the
 * NodeConfig sets none (nodeadm then derives it), or undefined when the user data holds no NodeConfig.
 */
function nodeConfigMaxPods(userData: unknown): number | "default" | undefined {
    if (typeof userData !== "string" || userData.length === 0) {
        return undefined;
    }
    const text = Buffer.from(userData, "base64").toString("utf8");
    if (!text.includes("node.eks.aws")) {
        return undefined;
    }
    // YAML (maxPods: 110) or JSON ("maxPods": 110); never maxPodsExpression.
    const match = /\bmaxPods["']?\s*:\s*(\d+)/.exec(text);
    return match ? Number(match[1]) : "default";
}

/** What to change, from what the stack says about the VPC CNI. */
function remedy(cni: CniSettings | undefined, potential: number): string {
    const setMaxPods = `set the NodeConfig's spec.kubelet.config.maxPods to ${potential}`;
    if (!cni) {
        return `Turn on VPC CNI prefix delegation (ENABLE_PREFIX_DELEGATION) and ${setMaxPods}.`;
    }
    if (!cni.prefixDelegation) {
        return `Prefix delegation is off in ${cni.source.name} (ENABLE_PREFIX_DELEGATION; on this platform eks-platform:cluster prefixDelegation): turn it on and ${setMaxPods}.`;
    }
    return `Prefix delegation is on in ${cni.source.name}: ${setMaxPods}.`;
}

export const nodePoolPodDensity = stackGuardrail<PodDensityConfig>({
    name: "node-pool-pod-density",
    description:
        "A node pool's kubelet maxPods is not far below what its instance types run with VPC CNI prefix delegation, so small pods do not buy idle nodes.",
    enforcementLevel: "advisory",
    controls: [],
    platformSpecific: "pod density is a cost practice of this platform (idle nodes), not a security control; no benchmark asks for it",
    remediation:
        'Turn on VPC CNI prefix delegation (ENABLE_PREFIX_DELEGATION: "true" in the vpc-cni add-on\'s configurationValues; eks-platform:cluster ' +
        "prefixDelegation, on by default) and set the launch template NodeConfig's spec.kubelet.config.maxPods to what the types can run: " +
        "110 below 30 vCPUs, 250 from 30 up, less on types with few ENIs. Xen types cannot use prefixes; move such pools to Nitro types.",
    configSchema: {
        minimumPercent: {
            type: "number",
            minimum: 1,
            maximum: 100,
            description: "Report a pool whose maxPods is below this percentage of what its instance types run with prefix delegation.",
            default: 50,
        },
    },
    validate: (stack, config, report) => {
        let cni: CniSettings | undefined;
        const undecidedCni = attemptEach(cniResources(stack), (resource) => {
            cni ??= cniSettingsOf(resource);
        });
        const undecidedGroup = attemptEach(resourcesOfType(stack, AUTOSCALING_GROUP), (group) => {
            const template = launchTemplateOf(group, stack);
            if (!template) {
                return;
            }
            const maxPods = nodeConfigMaxPods(template.props.userData);
            if (maxPods === undefined) {
                return;
            }
            const listed = overrideInstanceTypes(group);
            const types = (listed.length > 0 ? listed : [template.props.instanceType]).filter((type): type is string => typeof type === "string");
            const records = types.flatMap((type) => {
                const record = instanceTypeRecord(type);
                return record ? [record] : [];
            });
            if (records.length === 0) {
                return;
            }
            if (undecidedCni) {
                throw undecidedCni;
            }
            const smallest = (count: (record: InstanceTypeRecord) => number) => Math.min(...records.map(count));
            const potential = smallest((record) => maxPodsWithPrefixDelegation(record, cni?.customNetworking ?? false));
            const current = maxPods === "default" ? smallest(nodeadmDefaultMaxPods) : maxPods;
            if (current * 100 < potential * config.minimumPercent) {
                const where =
                    maxPods === "default"
                        ? `nodeadm's default: the NodeConfig of launch template ${template.name} sets none`
                        : `the NodeConfig of launch template ${template.name}`;
                report(
                    `maxPods is ${current} (${where}), under ${config.minimumPercent}% of the ${potential} pods its instance types (${types.join(", ")}) run with VPC CNI prefix delegation. ${remedy(cni, potential)}`,
                    group.urn,
                );
            }
        });
        if (undecidedGroup) {
            throw undecidedGroup;
        }
    },
});
