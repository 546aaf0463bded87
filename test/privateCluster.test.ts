import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import * as pulumi from "@pulumi/pulumi";
import { endpointPlanOf } from "../components/network/endpointServices";
import { stackOutputs } from "../components/program";
import { evaluate } from "../policy-pack/evaluate";
import { chartImagesOf } from "../policy-pack/lib/images";
import { field } from "../policy-pack/lib/values";
import { readStack, ROOT, type PlannedResource } from "../tools/harness/render";
import { planCommand } from "../tools/plan";
import { policyConfigFile } from "../tools/plan/guardrails";
import { configErrorOf, ofType, oneOfType, physicalName, renderNamedStack, renderPlatformStackFile, renderStackWith } from "./support";

const PRIVATE_NO_NAT = path.join(ROOT, "examples", "Pulumi.private-no-nat.yaml");
const ROUTE = "aws:ec2/route:Route";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment";
const PEERING = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const CACHE_RULE = "aws:ecr/pullThroughCacheRule:PullThroughCacheRule";

const policyConfig = (environment: string) => JSON.parse(fs.readFileSync(policyConfigFile(environment), "utf8")) as Record<string, unknown>;
const privateRouteTables = (resources: PlannedResource[]) => ofType(resources, "aws:ec2/routeTable:RouteTable").filter((t) => t.name.includes("private"));
const runnerRoutes = (resources: PlannedResource[]) => ofType(resources, ROUTE).filter((r) => (r.parent ?? "").includes("RunnerAccess"));
const kubernetesProvider = (resources: PlannedResource[]) => oneOfType(resources, "pulumi:providers:kubernetes");

/** A value the mocks resolve, read synchronously after the render has settled. */
function settled<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((value) => resolve(value)));
}

describe("Private clusters: the runner's path to the private endpoint", () => {
    for (const stack of ["staging", "prod"]) {
        describe(stack, () => {
            it("attaches the private subnets to the runners' Transit Gateway and routes every runner CIDR from every private route table", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const access = program.config.network.runnerAccess;
                assert.ok(access && access.kind === "transitGateway", `${stack} declares a Transit Gateway path`);
                const attachment = oneOfType(resources, ATTACHMENT);
                assert.equal(attachment.props.transitGatewayId, access.transitGatewayId);
                const privateSubnets = ofType(resources, "aws:ec2/subnet:Subnet").filter((s) => s.name.includes("private"));
                assert.deepEqual([...(attachment.props.subnetIds as string[])].sort(), privateSubnets.map((s) => s.id).sort());
                // The owner of the gateway routes it; the default tables would let platform VPCs reach each other.
                assert.equal(attachment.props.transitGatewayDefaultRouteTableAssociation, false);
                assert.equal(attachment.props.transitGatewayDefaultRouteTablePropagation, false);

                const tables = privateRouteTables(resources);
                assert.equal(tables.length, program.config.network.azCount);
                const routes = runnerRoutes(resources);
                const pairs = routes.map((r) => `${String(r.props.routeTableId)} ${String(r.props.destinationCidrBlock)}`).sort();
                assert.deepEqual(pairs, tables.flatMap((t) => access.cidrs.map((cidr) => `${t.id} ${cidr}`)).sort());
                routes.forEach((r) => assert.equal(r.props.transitGatewayId, access.transitGatewayId));
                routes.forEach((r) => assert.ok(r.dependsOn.includes(attachment.urn), "a route to a Transit Gateway waits for the attachment"));
            });

            it("admits 443 from every runner CIDR on the cluster security group", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const fromRunners = ofType(resources, INGRESS).filter((r) => r.name.includes("control-plane-from-private"));
                for (const cidr of program.config.network.runnerAccess!.cidrs) {
                    const rule = fromRunners.find((r) => r.props.cidrIpv4 === cidr);
                    assert.ok(rule, `443 from ${cidr}`);
                    assert.equal(rule.props.fromPort, 443);
                    assert.equal(rule.props.toPort, 443);
                }
            });

            it("makes the Kubernetes provider wait for the attachment, every runner route and every 443 rule", async () => {
                const { resources } = await renderNamedStack(stack);
                const dependsOn = kubernetesProvider(resources).dependsOn;
                const path = [
                    oneOfType(resources, ATTACHMENT),
                    ...runnerRoutes(resources),
                    ...ofType(resources, INGRESS).filter((r) => r.name.includes("control-plane-from-private")),
                ];
                assert.ok(path.length > 2);
                path.forEach((resource) => assert.ok(dependsOn.includes(resource.urn), `provider depends on ${resource.name}`));
            });
        });
    }

    it("peers with the tooling VPC, accepting through a second provider when an accepter role is given", async () => {
        const { resources } = await renderStackWith("staging", {
            "eks-platform:network": {
                runnerAccess: {
                    transitGatewayId: undefined,
                    kind: "peering",
                    peerVpcId: "vpc-0123456789abcdef0",
                    peerAccountId: "444455556666",
                    cidrs: ["10.255.0.0/24"],
                    accepter: { roleArn: "arn:aws:iam::444455556666:role/peering-accepter", routeTableIds: ["rtb-0123456789abcdef0"] },
                },
            },
        });
        assert.equal(ofType(resources, ATTACHMENT).length, 0);
        const connection = oneOfType(resources, PEERING);
        assert.equal(connection.props.peerVpcId, "vpc-0123456789abcdef0");
        assert.equal(connection.props.peerOwnerId, "444455556666");
        assert.equal(connection.props.autoAccept, false, "another account's connection is accepted on its side");
        const accepter = oneOfType(resources, "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter");
        const provider = resources.find((r) => r.type === "pulumi:providers:aws" && r.name.includes("runner-accepter"));
        assert.ok(provider && accepter.provider?.startsWith(provider.urn), "the accepter runs through the second provider");
        const back = ofType(resources, ROUTE).filter((r) => r.name.includes("runner-return"));
        assert.deepEqual(
            back.map((r) => [r.props.routeTableId, r.props.destinationCidrBlock]),
            [["rtb-0123456789abcdef0", "10.20.0.0/16"]],
        );
        const toRunners = runnerRoutes(resources).filter((r) => !r.name.includes("runner-return"));
        assert.equal(toRunners.length, privateRouteTables(resources).length);
        toRunners.forEach((r) => assert.equal(r.props.vpcPeeringConnectionId, connection.id));
        assert.ok(kubernetesProvider(resources).dependsOn.includes(accepter.urn));
    });

    it("creates nothing for a path managed elsewhere, and still admits its CIDRs on 443", async () => {
        const { resources } = await renderStackWith("prod", {
            "eks-platform:network": { runnerAccess: { kind: "existing", transitGatewayId: undefined, cidrs: ["10.255.0.0/24"] } },
        });
        assert.equal(ofType(resources, ATTACHMENT).length + ofType(resources, PEERING).length + runnerRoutes(resources).length, 0);
        assert.ok(ofType(resources, INGRESS).some((r) => r.props.cidrIpv4 === "10.255.0.0/24" && r.props.fromPort === 443));
    });

    describe("refuses, before anything is registered", () => {
        it("a private endpoint without a path, naming the setting and the three kinds", async () => {
            const message = await configErrorOf("prod", { "eks-platform:network": { runnerAccess: undefined } });
            assert.match(message, /network\.runnerAccess = \(not set\): is required with cluster\.endpointAccess "private"/);
            assert.match(message, /kind "transitGateway" .* "peering" .* or "existing"/);
        });

        it("the offline plan of a private stack without a path exits 2, naming the setting, with no stack trace", async () => {
            const config = { ...readStack("prod").config };
            const network = { ...(config["eks-platform:network"] as Record<string, unknown>) };
            delete network.runnerAccess;
            config["eks-platform:network"] = network;
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "private-")), "Pulumi.no-path.yaml");
            fs.writeFileSync(file, stringify({ config }));
            let stderr = "";
            const status = await planCommand(["--config", file, "--json", path.join(path.dirname(file), "plan.json")], {
                stdout: { write: () => true },
                stderr: { write: (text: string) => ((stderr += text), true), isTTY: false },
            });
            assert.equal(status, 2, stderr);
            assert.match(stderr, /network\.runnerAccess = \(not set\): is required with cluster\.endpointAccess "private"/);
            assert.doesNotMatch(stderr, /^\s+at /m);
        });

        it("an unknown kind, listing the allowed ones", async () => {
            const message = await configErrorOf("prod", { "eks-platform:network": { runnerAccess: { kind: "vpn", cidrs: ["10.255.0.0/24"] } } });
            assert.match(message, /network\.runnerAccess\.kind = "vpn": must set kind to "transitGateway", "peering" or "existing"/);
        });

        it("a runner CIDR the cluster security group does not admit on 443", async () => {
            const message = await configErrorOf("prod", {
                "eks-platform:network": { runnerAccess: { kind: "existing", transitGatewayId: undefined, cidrs: ["10.200.0.0/24"] } },
            });
            assert.match(message, /network\.runnerAccess\.cidrs\[0\] = "10\.200\.0\.0\/24": is not inside any cluster\.privateAccessCidrs entry/);
        });

        it("a runner CIDR that overlaps the VPC", async () => {
            const message = await configErrorOf("prod", {
                "eks-platform:network": { runnerAccess: { kind: "existing", transitGatewayId: undefined, cidrs: ["10.30.4.0/24"] } },
                "eks-platform:cluster": { privateAccessCidrs: ["10.30.4.0/24"] },
            });
            assert.match(message, /network\.runnerAccess\.cidrs\[0\] = "10\.30\.4\.0\/24": overlaps network\.vpcCidr 10\.30\.0\.0\/16/);
        });
    });
});

describe("Private clusters: fully private (no NAT)", () => {
    it("creates an endpoint for every AWS API the stack's sections declare, plus the user's additions, and nothing else", async () => {
        const { resources, program } = await renderPlatformStackFile(PRIVATE_NO_NAT);
        const { region } = program.config;
        const declared = endpointPlanOf(program.config.awsServices, program.config.network.vpcEndpoints.additionalServices, region);
        assert.deepEqual(declared.unavailable, []);
        const created = ofType(resources, ENDPOINT).map((e) => String(e.props.serviceName));
        const expected = [declared.gateway!, ...declared.interfaces].map((e) => `com.amazonaws.${region}.${e.service}`);
        assert.deepEqual([...created].sort(), [...expected].sort());
        for (const service of [
            "sts",
            "ec2",
            "ecr.api",
            "ecr.dkr",
            "s3",
            "logs",
            "eks-auth",
            "autoscaling",
            "sqs",
            "elasticfilesystem",
            "vpc-lattice",
            "monitoring",
        ]) {
            assert.ok(created.includes(`com.amazonaws.${region}.${service}`), service);
        }
        // Session Manager is on in the example: its three endpoints; the two additions, short and full.
        for (const service of ["ssm", "ssmmessages", "ec2messages", "secretsmanager", "xray"]) {
            assert.ok(created.includes(`com.amazonaws.${region}.${service}`), service);
        }
        assert.ok(!created.some((name) => name.includes(`com.amazonaws.${region}.com.amazonaws`)), "a full name is never prefixed twice");
        assert.equal(ofType(resources, "aws:ec2/natGateway:NatGateway").length, 0);
    });

    it("has a cache rule for every registry its charts pull from, and sets every chart image to this account's cache", async () => {
        const { resources, program } = await renderPlatformStackFile(PRIVATE_NO_NAT);
        const rules = ofType(resources, CACHE_RULE);
        const upstreams = rules.map((r) => String(r.props.upstreamRegistryUrl)).sort();
        assert.deepEqual(upstreams, ["public.ecr.aws", "registry.k8s.io"]);
        rules.forEach((r) => assert.match(String(r.props.ecrRepositoryPrefix), /^private\//));
        const ecr = `111122223333.dkr.ecr.${program.config.region}.amazonaws.com/private/`;
        const charts = ofType(resources, "kubernetes:helm.sh/v4:Chart");
        assert.ok(charts.length >= 4);
        for (const chart of charts) {
            const images = chartImagesOf(String(chart.props.chart), String(chart.props.version));
            assert.ok(images && images.length > 0, `${String(chart.props.chart)} is in the chart image table`);
            for (const { valuesPath } of images) {
                const value = field(chart.props.values, ...valuesPath.split("."));
                assert.ok(typeof value === "string" && value.startsWith(ecr), `${chart.name} ${valuesPath} = ${String(value)}`);
            }
        }
    });

    it("plans with no mandatory violation; removing one endpoint or adding an image from an uncached registry fails, naming what is missing", async () => {
        const { resources } = await renderPlatformStackFile(PRIVATE_NO_NAT);
        const config = policyConfig("prod");
        const mandatory = async (planned: PlannedResource[]) =>
            (await evaluate(planned, { stack: "private-no-nat", config })).filter((v) => v.enforcementLevel === "mandatory");
        assert.deepEqual(await mandatory(resources), []);

        const withoutSqs = resources.filter((r) => !(r.type === ENDPOINT && String(r.props.serviceName).endsWith(".sqs")));
        const [missing] = await mandatory(withoutSqs);
        assert.equal(missing?.policy, "private-cluster-vpc-endpoints");
        assert.match(missing.message, /sqs/);

        const namespace = oneOfType(resources, "kubernetes:core/v1:Namespace", "shop");
        const quay: PlannedResource = {
            ...namespace,
            type: "kubernetes:apps/v1:Deployment",
            name: "exporter",
            urn: namespace.urn.replace(/kubernetes:core\/v1:Namespace::[^:]+$/, "kubernetes:apps/v1:Deployment::exporter"),
            props: {
                metadata: { name: "exporter", namespace: "shop" },
                spec: { template: { spec: { containers: [{ name: "app", image: "quay.io/prometheus/node-exporter:v1.9.1" }] } } },
            },
        };
        // The pod hardening rules fail this bare Deployment too; the one that concerns reachability:
        const violations = (await mandatory([...resources, quay])).filter((v) => v.policy === "images-reachable-without-nat");
        assert.equal(violations.length, 1);
        assert.match(violations[0].message, /quay\.io\/prometheus\/node-exporter:v1\.9\.1 from quay\.io/);
    });

    it("refuses a NAT-less network without endpoints, and endpoint additions that name another region or no service", async () => {
        const noEndpoints = await configErrorOf("dev", { "eks-platform:network": { natGateways: "none", vpcEndpoints: { enabled: false } } });
        assert.match(noEndpoints, /network\.vpcEndpoints\.enabled = false: cannot be false with network\.natGateways "none"/);
        const additions = await configErrorOf("dev", {
            "eks-platform:network": { vpcEndpoints: { additionalServices: ["com.amazonaws.us-east-1.secretsmanager", "Not A Service", "braket"] } },
        });
        assert.match(additions, /additionalServices\[2\] = "braket": has no endpoint in eu-west-1; AWS offers braket in /);
        assert.match(additions, /additionalServices\[0\] = "com\.amazonaws\.us-east-1\.secretsmanager": names region us-east-1; .* eu-west-1/);
        assert.match(additions, /additionalServices\[1\] = "Not A Service": is not an endpoint service name/);
    });

    it("refuses a GPU pool without NAT: the NVIDIA device plugin's registry is one the cache cannot fetch from", async () => {
        const message = await configErrorOf("dev", {
            "eks-platform:network": { natGateways: "none" },
            "eks-platform:compute": {
                nodePools: [
                    {
                        name: "base",
                        instanceTypes: ["m6i.large", "m6a.large"],
                        minSize: 2,
                        maxSize: 4,
                        onDemandBaseCapacity: 2,
                        onDemandPercentageAboveBaseCapacity: 100,
                    },
                    { name: "gpu", instanceTypes: ["g5.xlarge"], minSize: 0, maxSize: 2, accelerator: "nvidia", onDemandPercentageAboveBaseCapacity: 100 },
                ],
            },
        });
        assert.match(
            message,
            /leaves image nvcr\.io\/nvidia\/k8s-device-plugin \(NVIDIA device plugin \(a GPU pool\)\) unreachable: nvcr\.io is not a registry ECR's pull-through cache can fetch from/,
        );
    });

    it("refuses an image that cannot be reached without NAT when the cache is off", async () => {
        const message = await configErrorOf("dev", {
            "eks-platform:network": { natGateways: "none" },
            "eks-platform:registry": { pullThroughCache: "off" },
        });
        assert.match(message, /network\.natGateways = "none": leaves image registry\.k8s\.io\/[^ ]+ \(.+\) unreachable/);
    });
});

describe("Private clusters: the traffic add-ons, Fargate and GitOps without NAT", () => {
    const NO_NAT = { "eks-platform:network": { natGateways: "none" } };
    const GITOPS = {
        "eks-platform:gitops": {
            enabled: true,
            source: { kind: "oci", url: "oci://111122223333.dkr.ecr.eu-west-1.amazonaws.com/platform/gitops", tag: "dev" },
        },
    };
    const GHCR_SECRET = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecr-pullthroughcache/ghcr-AbCdEf";
    const render = () => renderStackWith("dev", { ...NO_NAT, ...GITOPS, "eks-platform:registry": { upstreamCredentials: { "ghcr.io": GHCR_SECRET } } });

    it("refuses Flux's ghcr.io images without NAT unless the registry has ghcr.io credentials, naming the setting", async () => {
        const message = await configErrorOf("dev", { ...NO_NAT, ...GITOPS });
        assert.match(
            message,
            /leaves image ghcr\.io\/fluxcd\/source-controller \(Flux \(gitops\.imageRepository\)\) unreachable: ghcr\.io needs credentials: set registry\.upstreamCredentials\["ghcr\.io"\]/,
        );
    });

    it("refuses Shield Advanced without NAT: Shield has no VPC endpoint", async () => {
        const message = await configErrorOf("dev", {
            ...NO_NAT,
            "eks-platform:loadBalancerController": { internetFacing: { allowed: true, namespaces: ["apps"], shieldAdvanced: true } },
        });
        assert.match(
            message,
            /loadBalancerController\.internetFacing\.shieldAdvanced = true: needs network\.natGateways: the Shield API is reached over the internet/,
        );
    });

    it("gives the load balancer controller its endpoints, pulls every chart (Flux's too) through the cache, and lets Fargate pull through it", async () => {
        const { resources, program } = await render();
        const { region } = program.config;
        const created = ofType(resources, ENDPOINT).map((e) => String(e.props.serviceName).replace(`com.amazonaws.${region}.`, ""));
        for (const service of ["elasticloadbalancing", "ec2", "acm", "cognito-idp", "sts", "ecr.api", "ecr.dkr", "s3", "logs"]) {
            assert.ok(created.includes(service), service);
        }
        // No web ACL, no Shield Advanced: the controller calls neither WAF nor Shield, so it has no grant and no endpoint for them.
        for (const service of ["shield", "wafv2", "waf-regional"]) {
            assert.ok(!created.includes(service), service);
        }
        const controllerPolicy = ofType(resources, "aws:iam/rolePolicy:RolePolicy").find((p) => String(p.props.role).includes("lb-controller"));
        assert.ok(controllerPolicy);
        assert.doesNotMatch(String(controllerPolicy.props.policy), /"(shield|wafv2|waf-regional):/, "no Shield or WAF grant without their settings");

        const rules = ofType(resources, CACHE_RULE);
        const ghcr = rules.find((r) => r.props.upstreamRegistryUrl === "ghcr.io");
        assert.equal(ghcr?.props.credentialArn, GHCR_SECRET);
        const ecr = `111122223333.dkr.ecr.${region}.amazonaws.com/`;
        const charts = ofType(resources, "kubernetes:helm.sh/v4:Chart");
        for (const chart of ["aws-load-balancer-controller", "metrics-server", "flux2"]) {
            assert.ok(
                charts.some((c) => c.props.chart === chart),
                chart,
            );
        }
        for (const chart of charts) {
            for (const { valuesPath } of chartImagesOf(String(chart.props.chart), String(chart.props.version)) ?? []) {
                const value = field(chart.props.values, ...valuesPath.split("."));
                // Flux's image automation controllers are off (create: false); every image that runs comes from the cache.
                if (value !== undefined || !/^image(Automation|Reflection)Controller\./.test(valuesPath)) {
                    assert.ok(typeof value === "string" && value.startsWith(ecr), `${chart.name} ${valuesPath} = ${String(value)}`);
                }
            }
        }

        const podExecution = oneOfType(resources, "aws:iam/role:Role", "-pod-execution");
        const cachePull = oneOfType(resources, "aws:iam/policy:Policy", "-cache-pull");
        const attached = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
            .filter((a) => a.props.role === physicalName(podExecution))
            .map((a) => String(a.props.policyArn));
        assert.ok(attached.includes(`arn:aws:iam::111122223333:policy/${physicalName(cachePull)}`), attached.join(", "));
    });
});

describe("Private clusters: a web ACL without NAT", () => {
    it("grants AWS WAF, turns it on in the chart and reaches it through its endpoint, which the guardrail then finds", async () => {
        const webAclArn = "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/edge/a1b2c3d4-5678-90ab-cdef-0123456789ab";
        const { resources, program } = await renderStackWith("dev", {
            "eks-platform:network": { natGateways: "none" },
            "eks-platform:loadBalancerController": { internetFacing: { allowed: true, namespaces: ["apps"], webAclArn } },
        });
        const endpoints = ofType(resources, "aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => String(e.props.serviceName));
        assert.ok(endpoints.includes(`com.amazonaws.${program.config.region}.wafv2`), endpoints.join(", "));
        assert.ok(!endpoints.includes(`com.amazonaws.${program.config.region}.waf-regional`));
        const chart = oneOfType(resources, "kubernetes:helm.sh/v4:Chart", "-lb-controller");
        assert.equal((chart.props.values as Record<string, unknown>).enableWafv2, true);
        const policy = ofType(resources, "aws:iam/rolePolicy:RolePolicy").find((p) => String(p.props.role).includes("lb-controller"));
        assert.match(String(policy?.props.policy), /"wafv2:AssociateWebACL"/);
        const config = JSON.parse(fs.readFileSync(policyConfigFile("dev"), "utf8")) as object;
        const endpointFindings = async (planned: PlannedResource[]) =>
            (await evaluate(planned, { stack: "dev", config })).filter((v) => v.policy === "private-cluster-vpc-endpoints").map((v) => v.message);
        assert.deepEqual(await endpointFindings(resources), []);
        // The grant is what makes the guardrail ask for the endpoint.
        const withoutWafEndpoint = resources.filter((r) => !String(r.props.serviceName).endsWith(".wafv2"));
        assert.match((await endpointFindings(withoutWafEndpoint)).join("\n"), /wafv2/);
    });
});

describe("Private clusters: what operators get to reach the cluster", () => {
    it("outputs the endpoint, OIDC issuer, node role, an update-kubeconfig command per admin role and the kubeconfig as a secret", async () => {
        const rendered = await renderNamedStack("staging");
        const outputs = stackOutputs(rendered.program);
        const { clusterName, region, cluster } = rendered.program.config;
        const adminRoles = cluster.adminPrincipals.filter((arn) => arn.includes(":role/"));
        assert.ok(adminRoles.length > 0);
        assert.deepEqual(
            outputs.kubeconfigCommands,
            Object.fromEntries(adminRoles.map((arn) => [arn, `aws eks update-kubeconfig --name ${clusterName} --region ${region} --role-arn ${arn}`])),
        );
        assert.match(await settled(outputs.oidcIssuerUrl), /^https:\/\/oidc\.eks\.eu-west-1\.amazonaws\.com\/id\//);
        assert.equal(await pulumi.isSecret(outputs.kubeconfig), true);
        const nodeRole = oneOfType(rendered.resources, "aws:iam/role:Role", "node");
        assert.deepEqual(await settled(pulumi.all(outputs.nodeRoleArns)), [`arn:aws:iam::111122223333:role/${physicalName(nodeRole)}`]);
        assert.equal(await settled(outputs.runnerTransitGatewayAttachmentId!), oneOfType(rendered.resources, ATTACHMENT).id);
    });
});
