import { resourceGuardrail } from "../../lib/policy";
import { CLUSTER_TYPES, privateEndpointEnabled, publicAccessCidrs, publicEndpointEnabled } from "../../lib/clusters";
import { isWorldOpen } from "../../lib/cidr";
import { knownItems } from "../../lib/unknown";

export const eksPublicEndpointRestricted = resourceGuardrail({
    name: "eks-public-endpoint-restricted",
    description: "The EKS API server endpoint is either private only or reachable from listed CIDRs, never from 0.0.0.0/0 or ::/0.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_38", "CKV_AWS_39", "AVD-AWS-0040", "AVD-AWS-0041", "CIS EKS 5.4.1"],
    remediation:
        "Set endpointPublicAccess: false, or keep it on and set publicAccessCidrs to the office/VPN ranges. " +
        "EKS opens a public endpoint to 0.0.0.0/0 when no CIDRs are given.",
    resourceTypes: CLUSTER_TYPES,
    validate: (cluster, _config, report) => {
        if (!publicEndpointEnabled(cluster)) {
            return;
        }
        const { known, unknownRead } = knownItems(publicAccessCidrs(cluster));
        const open = known.filter(isWorldOpen);
        if (open.length > 0) {
            report(`The public API endpoint is open to ${open.join(", ")}.`);
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
