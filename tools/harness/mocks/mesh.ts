import type { InvokeHandler, OutputBuilder } from "./types";

/** A stable hex suffix, as AWS ids carry, derived from a seed so renders are reproducible. */
function hexId(seed: string, length: number): string {
    const digest = [...seed].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0, 2166136261).toString(16);
    return digest
        .padStart(length, "0")
        .repeat(Math.ceil(length / 8))
        .slice(0, length);
}

/**
 * The VPC Lattice managed prefix lists, as DescribeManagedPrefixLists reports them: AWS-owned,
 * one per region and address family, holding the link-local ranges Lattice sends traffic from.
 */
const LATTICE_PREFIX_LISTS: Record<string, { addressFamily: string; cidr: string }> = {
    "vpc-lattice": { addressFamily: "IPv4", cidr: "169.254.171.0/24" },
    "ipv6.vpc-lattice": { addressFamily: "IPv6", cidr: "fd00:ec2:80::/64" },
};

const getManagedPrefixList: InvokeHandler = (inputs, region) => {
    const name = String(inputs.name);
    const service = name.startsWith(`com.amazonaws.${region}.`) ? name.slice(`com.amazonaws.${region}.`.length) : undefined;
    const list = service === undefined ? undefined : LATTICE_PREFIX_LISTS[service];
    if (!list) {
        // What EC2 answers when no list matches the filter.
        throw new Error(`no matching prefix list found for name ${name} in ${region}`);
    }
    const id = `pl-0${hexId(name, 16)}`;
    return {
        id,
        name,
        addressFamily: list.addressFamily,
        arn: `arn:aws:ec2:${region}:aws:prefix-list/${id}`,
        entries: [{ cidr: list.cidr, description: "" }],
        maxEntries: 1,
        ownerId: "AWS",
        region,
        tags: {},
        version: 1,
    };
};

export const MESH_INVOKES: Record<string, InvokeHandler> = { "aws:ec2/getManagedPrefixList:getManagedPrefixList": getManagedPrefixList };

export const MESH_OUTPUTS: Record<string, OutputBuilder> = {
    "aws:vpclattice/serviceNetwork:ServiceNetwork": (args, c) => {
        const id = `sn-0${hexId(c.id, 16)}`;
        return { arn: `arn:aws:vpc-lattice:${c.region}:${c.account}:servicenetwork/${id}`, authType: args.inputs.authType ?? "NONE" };
    },
    "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation": (_, c) => {
        const id = `snva-0${hexId(c.id, 16)}`;
        return { arn: `arn:aws:vpc-lattice:${c.region}:${c.account}:servicenetworkvpcassociation/${id}`, status: "ACTIVE", createdBy: c.account };
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (_, c) => {
        const id = `sgr-0${hexId(c.id, 16)}`;
        return { arn: `arn:aws:ec2:${c.region}:${c.account}:security-group-rule/${id}`, securityGroupRuleId: id };
    },
};
