import { stackGuardrail } from "../../lib/policy";
import { CLUSTER_TYPES, privateEndpointEnabled, publicEndpointEnabled } from "../../lib/clusters";
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
const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

interface PrivateEndpointsConfig {
    requiredServices: string[];
}

export const privateClusterVpcEndpoints = stackGuardrail<PrivateEndpointsConfig>({
    name: "private-cluster-vpc-endpoints",
    description: "A cluster without a public endpoint in a stack without NAT has the VPC endpoints its nodes need to join and pull images.",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific: "makes a private cluster work at all (nodes reach ECR, STS, EC2 without NAT); no benchmark asks for it",
    remediation:
        "Create interface endpoints (private DNS on) for each of requiredServices and an S3 gateway endpoint, or add a NAT gateway. " +
        "See the EKS user guide, 'Deploy private clusters with limited internet access'.",
    configSchema: {
        requiredServices: {
            type: "array",
            items: { type: "string" },
            description:
                "Service name suffixes (com.amazonaws.<region>.<suffix>) that must have endpoints. Add elasticloadbalancing, " +
                "autoscaling or ssm when the cluster runs the controllers that call them.",
            default: ["ec2", "ecr.api", "ecr.dkr", "s3", "sts", "logs"],
        },
    },
    validate: (stack, config, report) => {
        if (resourcesOfType(stack, NAT_GATEWAY).length > 0) {
            return;
        }
        const privateClusters = resourcesOfType(stack, ...CLUSTER_TYPES).filter((cluster) => !publicEndpointEnabled(cluster));
        if (privateClusters.length === 0) {
            return;
        }
        const serviceNames = resourcesOfType(stack, VPC_ENDPOINT).map((endpoint) => String(endpoint.props.serviceName));
        const missing = config.requiredServices.filter((service) => !serviceNames.some((name) => name.endsWith(`.${service}`)));
        for (const cluster of privateClusters) {
            if (!privateEndpointEnabled(cluster)) {
                report("The cluster has neither a public nor a private endpoint: nodes cannot register.", cluster.urn);
            }
            if (missing.length > 0) {
                report(`No NAT gateway and no VPC endpoint for: ${missing.join(", ")}.`, cluster.urn);
            }
        }
    },
});
