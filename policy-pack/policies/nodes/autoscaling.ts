import { resourceGuardrail } from "../../lib/policy";
import { AUTOSCALING_GROUP, MANAGED_NODE_GROUP } from "../../lib/autoscaling";
import { asArray, field, listAt } from "../../lib/values";

export const autoscalingGroupUsesLaunchTemplate = resourceGuardrail({
    name: "autoscaling-group-uses-launch-template",
    description: "Self-managed node groups launch from an EC2 launch template, not a legacy launch configuration.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_315"],
    remediation: "Set launchTemplate { id, version } or mixedInstancesPolicy.launchTemplate.launchTemplateSpecification; drop launchConfiguration.",
    resourceTypes: [AUTOSCALING_GROUP],
    validate: (group, _config, report) => {
        const direct = field(group.props, "launchTemplate");
        const mixed = field(group.props, "mixedInstancesPolicy", "launchTemplate", "launchTemplateSpecification");
        if (!direct && !mixed) {
            report("The group does not launch from a launch template.");
        }
    },
});

export const nodeGroupSshRestricted = resourceGuardrail({
    name: "node-group-ssh-restricted",
    description: "Managed node groups allow SSH only from named security groups, never implicitly from 0.0.0.0/0.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_100"],
    remediation:
        "Drop remoteAccess and use SSM Session Manager; or, if SSH is truly needed, set remoteAccess.sourceSecurityGroupIds. " +
        "With only ec2SshKey, EKS opens port 22 to 0.0.0.0/0.",
    resourceTypes: [MANAGED_NODE_GROUP],
    validate: (nodeGroup, _config, report) => {
        if (field(nodeGroup.props, "remoteAccess", "ec2SshKey") && listAt(nodeGroup.props, "remoteAccess", "sourceSecurityGroupIds").length === 0) {
            report("remoteAccess sets an SSH key without sourceSecurityGroupIds: port 22 is open to 0.0.0.0/0.");
        }
    },
});

export const autoscalingGroupTagsPropagated = resourceGuardrail({
    name: "autoscaling-group-tags-propagated",
    description: "Auto Scaling groups pass tags on to the instances they launch, so every node carries its owner, cost centre and cluster.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_153"],
    remediation: "Set tags: [{ key, value, propagateAtLaunch: true }] on the group, at least the cluster's ownership tag and the cost centre.",
    resourceTypes: [AUTOSCALING_GROUP],
    validate: (group, _config, report) => {
        const tags = asArray(group.props.tags as Array<Record<string, unknown>>);
        if (!tags.some((tag) => tag.propagateAtLaunch === true || tag.propagateAtLaunch === "true")) {
            report(tags.length === 0 ? "The group has no tags." : "No tag of the group propagates to the instances it launches.");
        }
    },
});
