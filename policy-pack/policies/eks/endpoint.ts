import { resourceGuardrail } from "../../lib/policy";
import { CLUSTER_TYPES, privateEndpointEnabled, publicAccessCidrs, publicEndpointEnabled } from "../../lib/clusters";
import { worldOpenFamilies } from "../../lib/cidr";
import { knownItems } from "../../lib/unknown";

export const eksPublicEndpointRestricted = resourceGuardrail({
    name: "eks-public-endpoint-restricted",
    description:
        "The EKS API server endpoint is either private only or reachable from listed CIDRs, never from the whole internet (0.0.0.0/0, or ranges that add up to it).",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_38", "AVD-AWS-0041", "CIS EKS 5.4.1"],
    remediation:
        "Set endpointPublicAccess: false, or keep it on and set publicAccessCidrs to the office/VPN ranges. " +
        "EKS opens a public endpoint to 0.0.0.0/0 when no CIDRs are given.",
    resourceTypes: CLUSTER_TYPES,
    validate: (cluster, _config, report) => {
        if (!publicEndpointEnabled(cluster)) {
            return;
        }
        const { known, unknownRead } = knownItems(publicAccessCidrs(cluster));
        const cidrs = known.filter((cidr): cidr is string => typeof cidr === "string");
        const families = worldOpenFamilies(cidrs);
        if (families.length > 0) {
            report(`The public API endpoint is open to every ${families.join(" and ")} address (${cidrs.join(", ")}).`);
        } else if (unknownRead) {
            throw unknownRead;
        }
    },
});

export const eksPrivateEndpointEnabled = resourceGuardrail({
    name: "eks-private-endpoint-enabled",
    description: "The EKS private API server endpoint is on, so nodes and in-VPC clients reach the API without leaving the VPC.",
    enforcementLevel: "mandatory",
    controls: ["CIS EKS 5.4.2"],
    remediation: "Set endpointPrivateAccess: true (default false in both the eks.Cluster component and aws.eks.Cluster).",
    resourceTypes: CLUSTER_TYPES,
    validate: (cluster, _config, report) => {
        if (!privateEndpointEnabled(cluster)) {
            report("The private API endpoint is off (the default).");
        }
    },
});
