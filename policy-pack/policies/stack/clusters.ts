import { stackGuardrail } from "../../lib/policy";
import { CLUSTER_TYPES, privateEndpointEnabled, publicEndpointEnabled } from "../../lib/clusters";
import { endpointServices, requiredServices } from "../../lib/endpoints";
import { availabilityZonesOf, resourcesOfType, subnetsOfCluster } from "../../lib/stack";
import { decideEach } from "../../lib/unknown";

interface MultiAzConfig {
    minimumAvailabilityZones: number;
}

export const clusterSpansAvailabilityZones = stackGuardrail<MultiAzConfig>({
    name: "cluster-spans-availability-zones",
    description: "Every EKS cluster is placed in subnets of at least two Availability Zones.",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific: "an availability requirement of the platform, not a security benchmark control",
    remediation:
        "Give the cluster subnets in at least minimumAvailabilityZones AZs (EKS itself requires two for the control-plane ENIs); " +
        "tag them kubernetes.io/cluster/<name> so the rule can find them before their IDs exist.",
    configSchema: {
        minimumAvailabilityZones: {
            type: "integer",
            minimum: 2,
            description: "Fewest distinct AZs a cluster's subnets must cover.",
            default: 2,
        },
    },
    validate: (stack, config, report) => {
        decideEach(resourcesOfType(stack, ...CLUSTER_TYPES), (cluster) => {
            const zones = availabilityZonesOf(subnetsOfCluster(cluster, stack));
            if (zones.size < config.minimumAvailabilityZones) {
                report(`The cluster's subnets cover ${zones.size} AZ(s) (${[...zones].join(", ") || "none stated"}).`, cluster.urn);
            }
        });
    },
});

export const clusterNoPublicEndpoint = stackGuardrail({
    name: "cluster-no-public-endpoint",
    description: "No cluster in the stack has a public API endpoint at all (mandatory in prod; CIDR-restricted endpoints are tolerated elsewhere).",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_39", "AVD-AWS-0040", "CIS EKS 5.4.2"],
    remediation:
        "Set endpointPublicAccess: false and endpointPrivateAccess: true. `pulumi up` must then run from inside the VPC " +
        "(a self-hosted runner or VPN), since the Kubernetes provider talks to the private endpoint.",
    validate: (stack, _config, report) => {
        decideEach(resourcesOfType(stack, ...CLUSTER_TYPES), (cluster) => {
            if (publicEndpointEnabled(cluster)) {
                report("The cluster has a public API endpoint.", cluster.urn);
            }
        });
    },
});

const NAT_GATEWAY = "aws:ec2/natGateway:NatGateway";

interface PrivateEndpointsConfig {
    requiredServices: string[];
}

export const privateClusterVpcEndpoints = stackGuardrail<PrivateEndpointsConfig>({
    name: "private-cluster-vpc-endpoints",
    description:
        "A cluster in a stack without NAT has a VPC endpoint for every AWS API its nodes and pods call: what nodes need to join and pull, " +
        "what its EKS add-ons call, and every service the IAM policies of its node and pod roles allow.",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific: "makes a NAT-less cluster work at all (its nodes and pods reach every AWS API they call); no benchmark asks for it",
    remediation:
        "Create an interface endpoint (private DNS on) for each service named, and the S3 gateway endpoint, or add a NAT gateway. " +
        "The platform creates them from its capabilities' declarations (docs/network.md); see the EKS user guide, 'Deploy private clusters with limited internet access'.",
    configSchema: {
        requiredServices: {
            type: "array",
            items: { type: "string" },
            description:
                "Service names (com.amazonaws.<region>.<service>) every cluster without NAT needs whatever it runs; the rest is read from its add-ons and roles.",
            default: ["ec2", "ecr.api", "ecr.dkr", "s3", "sts"],
        },
    },
    validate: (stack, config, report) => {
        if (resourcesOfType(stack, NAT_GATEWAY).length > 0) {
            return;
        }
        const clusters = resourcesOfType(stack, ...CLUSTER_TYPES);
        if (clusters.length === 0) {
            return;
        }
        const present = endpointServices(stack);
        const missing = requiredServices(stack, config.requiredServices).filter((required) => !present.includes(required.service));
        for (const cluster of clusters) {
            if (!publicEndpointEnabled(cluster) && !privateEndpointEnabled(cluster)) {
                report("The cluster has neither a public nor a private endpoint: nodes cannot register.", cluster.urn);
            }
            if (missing.length > 0) {
                report(`No NAT gateway and no VPC endpoint for: ${missing.map((m) => `${m.service} (${m.reasons.join("; ")})`).join(", ")}.`, cluster.urn);
            }
        }
    },
});
