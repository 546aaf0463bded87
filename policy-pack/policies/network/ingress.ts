import { resourceGuardrail, type ReportResourceViolation } from "../../lib/policy";
import { worldOpenFamilies } from "../../lib/cidr";
import { UnknownValueError, decideEach, knownItems } from "../../lib/unknown";
import { asArray, field, listAt } from "../../lib/values";

export const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
export const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

interface WorldIngressConfig {
    allowedPublicPorts: number[];
}

/** One direction's entry of a security group, whichever resource spells it. */
export interface TrafficEntry {
    where: string;
    /** Protocol and ports: entries with equal keys add up to one set of sources. */
    key: string;
    fromPort?: number;
    toPort?: number;
    /** Lists of CIDRs, read item by item so that an unknown one does not hide a known one. */
    cidrLists: Array<() => unknown>;
}

/** The ingress or egress entries of a security group, a SecurityGroupRule or a vpc.SecurityGroup*Rule. */
export function trafficEntries(type: string, props: Record<string, unknown>, direction: "ingress" | "egress"): TrafficEntry[] {
    const entry = (where: string, rule: unknown, cidrLists: Array<() => unknown>): TrafficEntry => {
        const fromPort = field(rule, "fromPort");
        const toPort = field(rule, "toPort");
        return {
            where,
            key: JSON.stringify([field(rule, "protocol") ?? field(rule, "ipProtocol"), fromPort, toPort]),
            fromPort: typeof fromPort === "number" ? fromPort : undefined,
            toPort: typeof toPort === "number" ? toPort : undefined,
            cidrLists,
        };
    };
    if (type === SECURITY_GROUP) {
        return listAt(props, direction).map((rule, index) =>
            entry(`${direction}[${index}]`, rule, [() => field(rule, "cidrBlocks"), () => field(rule, "ipv6CidrBlocks")]),
        );
    }
    if (type === SECURITY_GROUP_RULE) {
        return props.type === direction ? [entry("The rule", props, [() => props.cidrBlocks, () => props.ipv6CidrBlocks])] : [];
    }
    if ((type === INGRESS_RULE && direction === "ingress") || (type === EGRESS_RULE && direction === "egress")) {
        return [entry("The rule", props, [() => props.cidrIpv4, () => props.cidrIpv6])];
    }
    return [];
}

/** A list's known items, and the first unknown read, whether the list itself or an item is unknown. */
function readList(read: () => unknown): { known: unknown[]; unknownRead?: UnknownValueError } {
    try {
        return knownItems(asArray(read() as unknown[]));
    } catch (error) {
        if (error instanceof UnknownValueError) {
            return { known: [], unknownRead: error };
        }
        throw error;
    }
}

/**
 * Entries, grouped by protocol and ports, whose sources together cover every IPv4 or IPv6 address,
 * however they are spelled (0.0.0.0/1 with 128.0.0.0/1 is the whole internet). Decides each group
 * from its known CIDRs; a group that is not open by its known CIDRs but has unknown ones is undecided.
 */
export function worldOpenEntries(entries: TrafficEntry[], visit: (group: TrafficEntry[], families: string[], cidrs: string[]) => void): void {
    const groups = new Map<string, TrafficEntry[]>();
    entries.forEach((entry) => groups.set(entry.key, [...(groups.get(entry.key) ?? []), entry]));
    decideEach([...groups.values()], (group) => {
        const lists = group.flatMap((entry) => entry.cidrLists.map(readList));
        const cidrs = lists.flatMap((list) => list.known).filter((cidr): cidr is string => typeof cidr === "string");
        const families = worldOpenFamilies(cidrs);
        if (families.length === 0) {
            const unknownRead = lists.find((list) => list.unknownRead)?.unknownRead;
            if (unknownRead) {
                throw unknownRead;
            }
            return;
        }
        visit(group, families, cidrs);
    });
}

export function describeOpen(group: TrafficEntry[], families: string[], cidrs: string[], verb: string): string {
    const where = group.map((entry) => entry.where).join(" and ");
    const whole = cidrs.filter((cidr) => worldOpenFamilies([cidr]).length > 0);
    return whole.length > 0 && group.length === 1
        ? `${where} ${verb} ${whole.join(", ")}.`
        : `${where} together ${verb} every ${families.join(" and ")} address (${cidrs.join(", ")}).`;
}

export const securityGroupNoWorldIngress = resourceGuardrail<WorldIngressConfig>({
    name: "security-group-no-world-ingress",
    description:
        "No security group admits traffic from the whole internet (0.0.0.0/0, ::/0, or ranges that add up to it), except on ports explicitly allowed for public load balancers.",
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
    validate: (resource, config, report: ReportResourceViolation) => {
        worldOpenEntries(trafficEntries(resource.type, resource.props, "ingress"), (group, families, cidrs) => {
            const [{ fromPort, toPort }] = group;
            // Only a single allowed port is acceptable; protocol -1 and port ranges never are.
            const allowedPort = config.allowedPublicPorts.length > 0 && fromPort === toPort && config.allowedPublicPorts.includes(fromPort as number);
            if (!allowedPort) {
                report(describeOpen(group, families, cidrs, "admits"));
            }
        });
    },
});
