import { resourceGuardrail } from "../../lib/policy";
import { field } from "../../lib/values";

// The AWS Load Balancer Controller places internet-facing load balancers in subnets tagged
// kubernetes.io/role/elb=1; those (and the NAT gateways beside them) are the only place where
// a public IP on launch has a purpose.
const PUBLIC_ELB_TAG = "kubernetes.io/role/elb";

export const subnetNoPublicIpOnLaunch = resourceGuardrail({
    name: "subnet-no-public-ip-on-launch",
    description: "Subnets do not hand out public IPs on launch, except public subnets tagged for internet-facing load balancers.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_130", "AVD-AWS-0164", "CIS EKS 5.4.3"],
    remediation: `Set mapPublicIpOnLaunch: false; only subnets tagged ${PUBLIC_ELB_TAG}=1 for public load balancers may keep it.`,
    resourceTypes: ["aws:ec2/subnet:Subnet"],
    validate: (subnet, _config, report) => {
        if (subnet.props.mapPublicIpOnLaunch !== true) {
            return;
        }
        if (field(subnet.props, "tags", PUBLIC_ELB_TAG) !== "1") {
            report(`mapPublicIpOnLaunch is on in a subnet not tagged ${PUBLIC_ELB_TAG}=1.`);
        }
    },
});
