import { resourceGuardrail } from "../../lib/policy";
import { isWorldOpen } from "../../lib/cidr";
import { decideEach, knownItems } from "../../lib/unknown";
import { asArray } from "../../lib/values";

const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

interface WorldIngressConfig {
    allowedPublicPorts: number[];
}

/** Inline `ingress` entries and aws.ec2.SecurityGroupRule share field names. */
interface CidrRule {
    fromPort?: number;
    toPort?: number;
}

export const securityGroupNoWorldIngress = resourceGuardrail<WorldIngressConfig>({
    name: "security-group-no-world-ingress",
    description: "No security group admits traffic from 0.0.0.0/0 or ::/0, except on ports explicitly allowed for public load balancers.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277", "AVD-AWS-0107"],
    remediation:
        "Narrow the source to a VPC CIDR, prefix list or security group. Public listeners belong on a load balancer " +
        "whose single port is listed in allowedPublicPorts.",
    configSchema: {
        allowedPublicPorts: {
            type: "array",
            items: { type: "integer", minimum: 0, maximum: 65535 },
            description: "Single ports that may be open to the internet (e.g. 443 on an internet-facing load balancer).",
            default: [],
        },
    },
    resourceTypes: [SECURITY_GROUP, SECURITY_GROUP_RULE, INGRESS_RULE],
    validate: (resource, config, report) => {
        const check = (where: string, cidrLists: unknown[], rule: CidrRule) => {
            const lists = cidrLists.map((list) => knownItems(asArray(list as string[] | undefined)));
            const open = lists.flatMap((list) => list.known).filter((cidr) => typeof cidr === "string" && isWorldOpen(cidr));
            if (open.length === 0) {
                const unknownRead = lists.find((list) => list.unknownRead)?.unknownRead;
                if (unknownRead) {
                    throw unknownRead;
                }
                return;
            }
            // Only a single allowed port is acceptable; protocol -1 and port ranges never are.
            const allowedPort =
                config.allowedPublicPorts.length > 0 && rule.fromPort === rule.toPort && config.allowedPublicPorts.includes(rule.fromPort as number);
            if (!allowedPort) {
                report(`${where} admits ${open.join(", ")}.`);
            }
        };
        const props = resource.props;
        if (resource.type === SECURITY_GROUP) {
            decideEach(asArray(props.ingress), (rule: Record<string, any>, index) => check(`ingress[${index}]`, [rule.cidrBlocks, rule.ipv6CidrBlocks], rule));
        } else if (resource.type === SECURITY_GROUP_RULE) {
            if (props.type === "ingress") {
                check("The rule", [props.cidrBlocks, props.ipv6CidrBlocks], props);
            }
        } else {
            check("The rule", [[props.cidrIpv4, props.cidrIpv6].filter((cidr) => cidr !== undefined)], props);
        }
    },
});
