import { resourceGuardrail } from "../../lib/policy";
import { ipv4CidrWithin } from "../../lib/cidr";

interface SecondaryCidrConfig {
    allowedRanges: string[];
}

export const vpcSecondaryCidrAllowed = resourceGuardrail<SecondaryCidrConfig>({
    name: "vpc-secondary-cidr-allowed",
    description: "Secondary VPC CIDRs for pod networking come from the ranges reserved for it (100.64.0.0/10, 198.19.0.0/16).",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific: "the platform's address plan (pod ranges outside the corporate network), not a benchmark control",
    remediation: "Associate a secondary CIDR inside allowedRanges; these ranges are not routed on the corporate network, so pod IPs never collide with it.",
    configSchema: {
        allowedRanges: {
            type: "array",
            items: { type: "string" },
            description: "IPv4 ranges secondary CIDR blocks must lie in.",
            default: ["100.64.0.0/10", "198.19.0.0/16"],
        },
    },
    resourceTypes: ["aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation"],
    validate: (association, config, report) => {
        const cidr: unknown = association.props.cidrBlock;
        if (typeof cidr !== "string") {
            report("No cidrBlock is given (an IPAM allocation cannot be checked against the allowed ranges).");
        } else if (!config.allowedRanges.some((range) => ipv4CidrWithin(cidr, range))) {
            report(`Secondary CIDR ${cidr} is outside ${config.allowedRanges.join(", ")}.`);
        }
    },
});
