import { resourceGuardrail, stackGuardrail } from "../../lib/policy";
import { resourcesOfType } from "../../lib/stack";
import { UnknownValueError, decideEach, readKnown } from "../../lib/unknown";
import { asArray, field, isFalse } from "../../lib/values";
import { EGRESS_RULE, INGRESS_RULE, SECURITY_GROUP, SECURITY_GROUP_RULE, describeOpen, trafficEntries, worldOpenEntries } from "./ingress";

/** The tag that states why a security group or rule sends traffic to the whole internet. */
export const WORLD_EGRESS_REASON_TAG = "eks-platform:world-egress-reason";

export const securityGroupEgressJustified = resourceGuardrail({
    name: "security-group-egress-justified",
    description: `Egress to the whole internet (0.0.0.0/0, ::/0, or ranges that add up to it) is stated and justified with the tag ${WORLD_EGRESS_REASON_TAG}.`,
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_382", "AVD-AWS-0104"],
    remediation:
        "Limit egress to the destinations the workload needs (VPC CIDR, prefix lists, VPC endpoint security groups), or, where " +
        `nodes must reach the internet (images, AWS APIs without endpoints), tag the rule ${WORLD_EGRESS_REASON_TAG}: <why>.`,
    resourceTypes: [SECURITY_GROUP, SECURITY_GROUP_RULE, EGRESS_RULE],
    validate: (resource, _config, report) => {
        const reason = field(resource.props, "tags", WORLD_EGRESS_REASON_TAG);
        if (typeof reason === "string" && reason.trim().length > 0) {
            return;
        }
        worldOpenEntries(trafficEntries(resource.type, resource.props, "egress"), (group, families, cidrs) =>
            report(`${describeOpen(group, families, cidrs, "sends to")} No ${WORLD_EGRESS_REASON_TAG} tag says why.`),
        );
    },
});

/** The description the AWS provider gives a security group that sets none. */
const PROVIDER_DEFAULT_DESCRIPTIONS = ["Managed by Pulumi", "Managed by Terraform"];

function described(value: unknown): boolean {
    return typeof value === "string" && value.trim().length > 0 && !PROVIDER_DEFAULT_DESCRIPTIONS.includes(value.trim());
}

export const securityGroupDescriptions = resourceGuardrail({
    name: "security-group-descriptions",
    description: "Every security group and every rule says what it is for in its description (the provider's default does not count).",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_23", "AVD-AWS-0099", "AVD-AWS-0124"],
    remediation:
        "Set description on the security group (it cannot change later without replacing the group) and on each rule, naming the " +
        "traffic it admits and why, e.g. 'Nodes and pods to the Kubernetes API'.",
    resourceTypes: [SECURITY_GROUP, SECURITY_GROUP_RULE, INGRESS_RULE, EGRESS_RULE],
    validate: (resource, _config, report) => {
        const props = resource.props;
        if (!described(props.description)) {
            report(resource.type === SECURITY_GROUP ? "The security group has no description of its own." : "The rule has no description.");
        }
        if (resource.type === SECURITY_GROUP) {
            for (const direction of ["ingress", "egress"] as const) {
                decideEach(asArray(props[direction] as Array<Record<string, unknown>>), (rule, index) => {
                    if (!described(rule.description)) {
                        report(`${direction}[${index}] has no description.`);
                    }
                });
            }
        }
    },
});

const DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const VPC = "aws:ec2/vpc:Vpc";

export const defaultSecurityGroupClosed = stackGuardrail({
    name: "default-security-group-closed",
    description:
        "Every VPC the stack creates takes over its default security group with no rules, so nothing that lands in it by default can talk to anything.",
    enforcementLevel: "mandatory",
    controls: ["CKV2_AWS_12", "AVD-AWS-0173"],
    remediation:
        "Declare aws.ec2.DefaultSecurityGroup with vpcId set to the VPC and no ingress or egress: Pulumi then removes the default " +
        "group's rules (it allows all traffic among its members and all egress) and keeps them removed.",
    validate: (stack, _config, report) => {
        const defaults = resourcesOfType(stack, DEFAULT_SECURITY_GROUP);
        decideEach(defaults, (group) => {
            const props = group.props;
            const open = (["ingress", "egress"] as const).filter((direction) => asArray(props[direction] as unknown[]).length > 0);
            if (open.length > 0) {
                report(`The default security group keeps ${open.join(" and ")} rules.`, group.urn);
            }
        });
        const vpcIds = defaults.map((group) => readKnown(() => group.props.vpcId as unknown));
        const governed = new Set(vpcIds.filter((id) => typeof id === "string"));
        decideEach(resourcesOfType(stack, VPC), (vpc) => {
            if (vpc.id !== undefined && governed.has(vpc.id)) {
                return;
            }
            // At preview a new VPC's ID, and the vpcId of its default group, are unknown: undecided, not open.
            if (vpcIds.some((id) => id === undefined) || (vpc.id === undefined && defaults.length > 0)) {
                throw new UnknownValueError(`default security group of ${vpc.urn}`);
            }
            report(`VPC "${vpc.name}" leaves its default security group open: no aws.ec2.DefaultSecurityGroup takes it over.`, vpc.urn);
        });
    },
});

const EBS_ENCRYPTION_BY_DEFAULT = "aws:ebs/encryptionByDefault:EncryptionByDefault";

export const ebsEncryptionByDefault = resourceGuardrail({
    name: "ebs-encryption-by-default",
    description: "A stack that manages the region's EBS encryption-by-default setting keeps it on.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_106"],
    remediation: "Set enabled: true on aws.ebs.EncryptionByDefault (its default), or leave the account setting to the account's baseline stack.",
    resourceTypes: [EBS_ENCRYPTION_BY_DEFAULT],
    validate: (resource, _config, report) => {
        if (isFalse(resource.props.enabled)) {
            report("EBS encryption by default is turned off for the region.");
        }
    },
});
