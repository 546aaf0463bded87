import { strict as assert } from "assert";
import { cidrContains, cidrsOverlap } from "../components/network/cidrPlan";
import { configErrorOf, ofType, oneOfType, renderNamedStack, renderStackWith, STACKS } from "./support";

describe("Network component, per environment", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            it("puts one pod subnet per AZ inside the secondary CIDR, attached before the subnets", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const association = oneOfType(resources, "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation");
                const podCidr = association.props.cidrBlock as string;
                assert.equal(podCidr, program.config.network.podCidr);
                const podSubnets = ofType(resources, "aws:ec2/subnet:Subnet").filter((s) => (s.props.tags as Record<string, string>).tier === "pods");
                assert.deepEqual(podSubnets.map((s) => s.props.availabilityZone).sort(), [...program.config.availabilityZones].sort());
                for (const subnet of podSubnets) {
                    assert.ok(cidrContains(podCidr, subnet.props.cidrBlock as string), `${String(subnet.props.cidrBlock)} outside ${podCidr}`);
                    assert.ok(subnet.dependsOn.includes(association.urn), `${subnet.name} does not depend on the CIDR association`);
                }
            });

            it("tags public subnets for internet-facing and private ones for internal load balancers, with no auto-assigned public IPs", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const subnets = ofType(resources, "aws:ec2/subnet:Subnet");
                const tier = (t: string) => subnets.filter((s) => (s.props.tags as Record<string, string>).tier === t);
                assert.equal(tier("public").length, program.config.availabilityZones.length);
                assert.equal(tier("private").length, program.config.availabilityZones.length);
                tier("public").forEach((s) => assert.equal((s.props.tags as Record<string, string>)["kubernetes.io/role/elb"], "1"));
                tier("private").forEach((s) => assert.equal((s.props.tags as Record<string, string>)["kubernetes.io/role/internal-elb"], "1"));
                subnets.forEach((s) => assert.equal(s.props.mapPublicIpOnLaunch, false, s.name));
                const cidrs = subnets.map((s) => s.props.cidrBlock as string);
                cidrs.forEach((a, i) => cidrs.slice(i + 1).forEach((b) => assert.ok(!cidrsOverlap(a, b), `${a} overlaps ${b}`)));
            });

            it("logs every flow to a KMS-encrypted group with the configured retention", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const flowLog = oneOfType(resources, "aws:ec2/flowLog:FlowLog");
                assert.equal(flowLog.props.trafficType, "ALL");
                const group = ofType(resources, "aws:cloudwatch/logGroup:LogGroup").find((g) => String(g.props.name).endsWith("/flow-logs"));
                assert.ok(group);
                assert.equal(group.props.retentionInDays, program.config.network.flowLogs.retentionDays);
                assert.match(String(group.props.kmsKeyId), /^arn:aws:kms:/);
                assert.equal(flowLog.props.logDestination, `arn:aws:logs:${program.config.region}:111122223333:log-group:${String(group.props.name)}`);
            });
        });
    }

    it("shares one NAT gateway in dev and gives each AZ its own in prod", async () => {
        const dev = await renderNamedStack("dev");
        const prod = await renderNamedStack("prod");
        assert.equal(ofType(dev.resources, "aws:ec2/natGateway:NatGateway").length, 1);
        assert.equal(ofType(prod.resources, "aws:ec2/natGateway:NatGateway").length, prod.program.config.availabilityZones.length);
        // Every private route table in prod points at the NAT of its own zone.
        const nats = new Map(ofType(prod.resources, "aws:ec2/natGateway:NatGateway").map((n) => [n.name, n]));
        const routes = ofType(prod.resources, "aws:ec2/route:Route").filter((r) => r.name.includes("private-default"));
        assert.equal(routes.length, nats.size);
        for (const route of routes) {
            const zone = route.name.split("private-default-")[1];
            assert.ok(String(route.props.natGatewayId).includes(`nat-${zone}`), `${route.name} → ${String(route.props.natGatewayId)}`);
        }
    });

    it("creates the S3 gateway endpoint and each configured interface endpoint, reachable on 443 from nodes and pods", async () => {
        const { resources, program } = await renderNamedStack("prod");
        const endpoints = ofType(resources, "aws:ec2/vpcEndpoint:VpcEndpoint");
        const services = endpoints.map((e) => String(e.props.serviceName).replace(`com.amazonaws.${program.config.region}.`, "")).sort();
        assert.deepEqual(services, ["s3", ...program.config.network.vpcEndpoints.interfaceServices].sort());
        assert.equal(endpoints.find((e) => String(e.props.serviceName).endsWith(".s3"))?.props.vpcEndpointType, "Gateway");
        const rules = ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.name.includes("endpoints-https"));
        assert.deepEqual(rules.map((r) => r.props.cidrIpv4).sort(), [program.config.network.podCidr, program.config.network.vpcCidr].sort());
        rules.forEach((r) => assert.equal(r.props.fromPort, 443));
    });

    it("omits the endpoints when they are disabled", async () => {
        const { resources } = await renderStackWith("dev", { "eks-platform:network": { vpcEndpoints: { enabled: false } } });
        assert.equal(ofType(resources, "aws:ec2/vpcEndpoint:VpcEndpoint").length, 0);
    });

    it("rejects more AZs than the region has, naming the zones it does have", async () => {
        const message = await configErrorOf("dev", { "aws:region": "us-west-1" });
        assert.match(message, /network\.azCount = 3: exceeds the 2 Availability Zones this region has \(us-west-1a, us-west-1b\)/);
    });
});
