import type { StackSettings } from "../../config";
import type { ConfigProblem } from "../../config/problems";
import { CidrPlan, cidrsOverlap, parseCidr } from "../network/cidrPlan";

const WORLD_CIDRS = ["0.0.0.0/0", "::/0"];

/** Endpoint exposure, service CIDR and reachability of a private control plane. */
export function validateCluster(settings: StackSettings, cidrPlan: CidrPlan | undefined): ConfigProblem[] {
    const { cluster, network, environment } = settings;
    const problems: ConfigProblem[] = [];
    const cidrs = cluster.publicAccessCidrs;

    if (cluster.endpointAccess === "private") {
        if (cidrs.length > 0) {
            problems.push({
                path: "cluster.publicAccessCidrs",
                value: cidrs,
                message: 'has no effect with endpointAccess "private"; remove it or choose "publicAndPrivate"',
            });
        }
        const hasNat = network.natGateways !== "none";
        if (!hasNat && !network.vpcEndpoints.enabled) {
            problems.push({
                path: "network.natGateways",
                value: network.natGateways,
                message: 'a private-only cluster needs NAT gateways or network.vpcEndpoints.enabled: nodes could reach neither ECR nor the EKS API; set natGateways to "single"/"perAz" or enable the endpoints',
            });
        }
    } else {
        if (cidrs.length === 0) {
            problems.push({
                path: "cluster.publicAccessCidrs",
                value: cidrs,
                message: `is required with endpointAccess "${cluster.endpointAccess}": list the CIDRs allowed to reach the public endpoint`,
            });
        }
        cidrs.forEach((cidr, index) => {
            const path = `cluster.publicAccessCidrs[${index}]`;
            if (WORLD_CIDRS.includes(cidr)) {
                if (environment !== "dev") {
                    problems.push({ path, value: cidr, message: `opens the API endpoint to the whole internet, allowed only in dev (environment is ${environment})` });
                }
            } else if (!parseCidr(cidr)) {
                problems.push({ path, value: cidr, message: "is not an IPv4 CIDR in network form (e.g. 203.0.113.0/24)" });
            }
        });
    }

    if (!parseCidr(cluster.serviceCidr)) {
        problems.push({ path: "cluster.serviceCidr", value: cluster.serviceCidr, message: "is not an IPv4 CIDR in network form (e.g. 172.20.0.0/16)" });
    } else if (cidrPlan) {
        for (const [name, cidr] of [["network.vpcCidr", network.vpcCidr], ["network.podCidr", network.podCidr]] as const) {
            if (cidrsOverlap(cluster.serviceCidr, cidr)) {
                problems.push({ path: "cluster.serviceCidr", value: cluster.serviceCidr, message: `overlaps ${name} ${cidr}; Services and pods/nodes must not share addresses` });
            }
        }
    }
    return problems;
}
