import { strict as assert } from "assert";
import { CONTROL_PLANE_LOG_TYPES, creatorAdminTransform, endpointSettings } from "../components/cluster/cluster";
import { accessEntries } from "../components/cluster/names";
import { PLATFORM_NAMESPACES, podSecurityLabels } from "../components/cluster/namespaces";
import { vpcCniConfiguration } from "../components/cluster/vpcCniConfig";
import { configErrorOf, ofType, oneOfType, physicalName, renderNamedStack, renderStackWith, STACKS } from "./support";

const CLUSTER = "eks:index:Cluster";
const ADDON = "aws:eks/addon:Addon";
const ENI_CONFIG = "kubernetes:crd.k8s.amazonaws.com/v1alpha1:ENIConfig";

type Props = Record<string, unknown>;

describe("Cluster component, per environment", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            it("exposes the API endpoint as the environment configures it", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const cluster = oneOfType(resources, CLUSTER).props;
                const { endpointAccess, publicAccessCidrs } = program.config.cluster;
                assert.equal(cluster.endpointPrivateAccess, endpointAccess !== "public");
                assert.equal(cluster.endpointPublicAccess, endpointAccess !== "private");
                if (endpointAccess === "private") {
                    assert.equal(cluster.publicAccessCidrs, undefined);
                } else {
                    assert.deepEqual(cluster.publicAccessCidrs, publicAccessCidrs);
                    // Equal to the configured list (above), which must not open the endpoint to the internet.
                    assert.ok(!publicAccessCidrs.includes("0.0.0.0/0"));
                }
            });

            it("encrypts secrets with the platform key and sends all five log types to a pre-created, encrypted group", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const cluster = oneOfType(resources, CLUSTER);
                const key = oneOfType(resources, "aws:kms/key:Key");
                assert.equal(key.props.enableKeyRotation, true);
                assert.match(String(cluster.props.encryptionConfigKeyArn), /^arn:aws:kms:eu-west-1:111122223333:key\//);
                assert.ok(String(cluster.props.encryptionConfigKeyArn).includes(key.name), "secrets key is not the platform key");
                assert.deepEqual(cluster.props.enabledClusterLogTypes, [...CONTROL_PLANE_LOG_TYPES]);

                const group = ofType(resources, "aws:cloudwatch/logGroup:LogGroup").find(
                    (g) => g.props.name === `/aws/eks/${program.config.clusterName}/cluster`,
                );
                assert.ok(group, "control-plane log group missing");
                assert.equal(group.props.retentionInDays, program.config.cluster.logRetentionDays);
                assert.equal(group.props.kmsKeyId, cluster.props.encryptionConfigKeyArn);
                assert.ok(cluster.dependsOn.includes(group.urn), "the cluster must wait for its log group");
                const protect = program.config.protection.protectStatefulResources;
                assert.equal(group.options.protect, protect);
                assert.equal(cluster.props.deletionProtection, protect);
            });

            it("uses access entries only: admins and viewers mapped to the EKS access policies, in place before any Kubernetes call", async () => {
                const { resources, program } = await renderNamedStack(stack);
                assert.equal(oneOfType(resources, CLUSTER).props.authenticationMode, "API");
                // The cluster's own entries; the node role's EC2_LINUX entry belongs to compute (test/compute.test.ts).
                const entries = ofType(resources, "aws:eks/accessEntry:AccessEntry").filter((e) => e.urn.includes("eksplatform:cluster:Cluster$"));
                const associations = ofType(resources, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
                const grantsOf = (arn: string) =>
                    associations.filter((a) => a.props.principalArn === arn).map((a) => [a.props.policyArn, (a.props.accessScope as Props).type]);
                const { adminPrincipals, viewerPrincipals } = program.config.cluster;
                for (const arn of adminPrincipals) {
                    assert.deepEqual(grantsOf(arn), [["arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", "cluster"]], arn);
                }
                for (const arn of viewerPrincipals) {
                    assert.deepEqual(grantsOf(arn), [["arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "cluster"]], arn);
                }
                assert.deepEqual(entries.map((e) => e.props.principalArn).sort(), [...adminPrincipals, ...viewerPrincipals].sort());
                entries.forEach((e) => assert.equal(e.props.type, "STANDARD"));
                associations.forEach((a) => {
                    const entry = entries.find((e) => e.props.principalArn === a.props.principalArn);
                    assert.ok(entry && a.dependsOn.includes(entry.urn), `${a.name} may be created before its access entry`);
                });
                const provider = oneOfType(resources, "pulumi:providers:kubernetes");
                associations.forEach((a) => assert.ok(provider.dependsOn.includes(a.urn), `Kubernetes provider does not wait for ${a.name}`));
            });

            it("creates the OIDC provider and gives the VPC CNI its own IRSA role scoped to kube-system/aws-node", async () => {
                const { resources, program } = await renderNamedStack(stack);
                assert.equal(oneOfType(resources, CLUSTER).props.createOidcProvider, true);
                const handle = program.platform.cluster;
                const [providerArn, issuer] = await Promise.all([valueOf(handle.oidcProviderArn), valueOf(handle.oidcIssuer)]);
                assert.match(providerArn, /^arn:aws:iam::111122223333:oidc-provider\/oidc\.eks\.eu-west-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
                assert.ok(providerArn.endsWith(issuer));

                const cni = ofType(resources, ADDON).find((a) => a.props.addonName === "vpc-cni");
                assert.ok(cni);
                const role = ofType(resources, "aws:iam/role:Role").find(
                    (r) => r.props.arn === cni.props.serviceAccountRoleArn || String(cni.props.serviceAccountRoleArn).endsWith(`/${physicalName(r)}`),
                );
                assert.ok(role, "CNI role not found");
                const trust = JSON.parse(String(role.props.assumeRolePolicy));
                assert.deepEqual(trust.Statement[0].Principal, { Federated: providerArn });
                assert.deepEqual(trust.Statement[0].Condition.StringEquals, {
                    [`${issuer}:sub`]: "system:serviceaccount:kube-system:aws-node",
                    [`${issuer}:aud`]: "sts.amazonaws.com",
                });
                const attachments = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.parent === role.parent);
                assert.deepEqual(
                    attachments.map((a) => a.props.policyArn),
                    ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"],
                );
            });

            it("configures the VPC CNI add-on for custom networking, network policy and prefix delegation (on by default) with one warm prefix", async () => {
                const { resources } = await renderNamedStack(stack);
                const cluster = oneOfType(resources, CLUSTER).props;
                assert.equal(cluster.bootstrapSelfManagedAddons, false, "a self-managed aws-node would be a second CNI");
                const cni = ofType(resources, ADDON).find((a) => a.props.addonName === "vpc-cni");
                assert.ok(cni);
                const values = JSON.parse(String(cni.props.configurationValues));
                assert.equal(values.env.AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG, "true");
                assert.equal(values.env.ENI_CONFIG_LABEL_DEF, "topology.kubernetes.io/zone");
                assert.equal(values.env.ENABLE_PREFIX_DELEGATION, "true");
                assert.equal(values.env.WARM_PREFIX_TARGET, "1");
                // Either would override the warm prefix with per-address EC2 calls.
                assert.equal(values.env.WARM_IP_TARGET, undefined);
                assert.equal(values.env.MINIMUM_IP_TARGET, undefined);
                assert.equal(values.enableNetworkPolicy, "true");
            });

            it("creates one ENIConfig per AZ, named after it, with that AZ's pod subnet and the node security group", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const eniConfigs = ofType(resources, ENI_CONFIG);
                const zones = program.config.availabilityZones;
                assert.equal(eniConfigs.length, zones.length);
                const podSubnets = ofType(resources, "aws:ec2/subnet:Subnet").filter((s) => (s.props.tags as Record<string, string>).tier === "pods");
                const nodeGroup = ofType(resources, "aws:ec2/securityGroup:SecurityGroup").find((g) => g.name.endsWith("-nodes"));
                assert.ok(nodeGroup);
                const handleGroupId = await valueOf(program.platform.cluster.nodeSecurityGroupId);
                for (const zone of zones) {
                    const eniConfig = eniConfigs.find((e) => (e.props.metadata as Props).name === zone);
                    assert.ok(eniConfig, `no ENIConfig for ${zone}`);
                    const spec = eniConfig.props.spec as { subnet: string; securityGroups: string[] };
                    const subnet = podSubnets.find((s) => s.props.availabilityZone === zone);
                    assert.ok(subnet && spec.subnet.startsWith(subnet.name), `${zone}: subnet ${spec.subnet} is not the zone's pod subnet`);
                    assert.deepEqual(spec.securityGroups, [handleGroupId]);
                    assert.ok(handleGroupId.startsWith(nodeGroup.name));
                }
            });

            it("puts the CNI add-on and every ENIConfig in the data-plane handle, and every Kubernetes resource on the cluster's provider", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const handle = program.platform.cluster;
                const readyUrns = await Promise.all(handle.dataPlaneReady.map((r) => valueOf(r.urn)));
                const cni = ofType(resources, ADDON).find((a) => a.props.addonName === "vpc-cni");
                assert.ok(cni && readyUrns.includes(cni.urn));
                ofType(resources, ENI_CONFIG).forEach((e) => assert.ok(readyUrns.includes(e.urn), `${e.name} not in dataPlaneReady`));
                ofType(resources, ENI_CONFIG).forEach((e) => assert.ok(e.dependsOn.includes(cni.urn), `${e.name} created before its CRD`));

                const kubeProviderUrn = await valueOf(handle.kubeProvider.urn);
                const kubernetesResources = resources.filter((r) => r.type.startsWith("kubernetes:") && r.custom);
                assert.ok(kubernetesResources.length > 0);
                kubernetesResources.forEach((r) => assert.ok(r.provider?.startsWith(kubeProviderUrn), `${r.name} uses ${r.provider}`));
            });

            it("launches no node before the data plane is ready and no CoreDNS before the nodes", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const readyUrns = await Promise.all(program.platform.cluster.dataPlaneReady.map((r) => valueOf(r.urn)));
                const nodeLaunchers = resources.filter((r) => NODE_LAUNCHING_TYPES.includes(r.type));
                for (const launcher of nodeLaunchers) {
                    const missing = readyUrns.filter((urn) => !dependsTransitively(resources, launcher.urn, urn));
                    assert.deepEqual(missing, [], `${launcher.name} may start before ${missing.join(", ")}`);
                }
                const coreDns = ofType(resources, ADDON).find((a) => a.props.addonName === "coredns");
                assert.ok(coreDns, "CoreDNS add-on missing");
                const coreDnsComponent = oneOfType(resources, "eksplatform:cluster:CoreDns");
                // CoreDNS runs on the node pools: Fargate profiles select application namespaces only (validateFargate).
                for (const launcher of nodeLaunchers.filter((r) => r.type !== FARGATE_PROFILE)) {
                    assert.ok(
                        coreDnsComponent.dependsOn.includes(launcher.urn) || dependsTransitively(resources, coreDns.urn, launcher.urn),
                        `CoreDNS does not wait for ${launcher.name}`,
                    );
                }
                assert.ok(
                    !ofType(resources, ADDON).some((a) => a.props.addonName === "coredns" && a.parent?.includes("eksplatform:cluster:Cluster")),
                    "CoreDNS must not be created with the control plane",
                );
            });

            it("installs the networking add-ons and pins every managed add-on of the stack to an EKS build, kube-proxy of the cluster's minor", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const cluster = ofType(resources, ADDON).filter((a) => a.parent?.split("::")[2].split("$").pop()?.startsWith("eksplatform:cluster:"));
                assert.deepEqual(cluster.map((a) => a.props.addonName).sort(), ["coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
                // Storage's CSI drivers and logging's Container Insights too: nothing is left to EKS's default of the day.
                for (const addon of ofType(resources, ADDON)) {
                    assert.match(String(addon.props.addonVersion), /^v\d+\.\d+\.\d+-eksbuild\.\d+$/, `${String(addon.props.addonName)} is not pinned`);
                }
                const kubeProxy = cluster.find((a) => a.props.addonName === "kube-proxy")!;
                assert.ok(
                    String(kubeProxy.props.addonVersion).startsWith(`v${program.config.cluster.kubernetesVersion}.`),
                    "kube-proxy must match the control-plane minor",
                );
            });

            it("labels application namespaces restricted and explains every looser platform namespace", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const namespaces = ofType(resources, "kubernetes:core/v1:Namespace");
                const labelsOf = (name: string) =>
                    (namespaces.find((n) => (n.props.metadata as Props).name === name)?.props.metadata as Props | undefined)?.labels as
                        Record<string, string> | undefined;
                for (const name of program.config.cluster.applicationNamespaces) {
                    const labels = labelsOf(name);
                    assert.ok(labels, `namespace ${name} missing`);
                    for (const mode of ["enforce", "audit", "warn"]) {
                        assert.equal(labels[`pod-security.kubernetes.io/${mode}`], "restricted");
                        assert.equal(labels[`pod-security.kubernetes.io/${mode}-version`], `v${program.config.cluster.kubernetesVersion}`);
                    }
                }
                for (const spec of PLATFORM_NAMESPACES) {
                    assert.equal(labelsOf(spec.name)?.["pod-security.kubernetes.io/enforce"], spec.level);
                    if (spec.level !== "restricted") {
                        assert.ok(spec.reason && spec.reason.length > 20, `${spec.name} is ${spec.level} without a reason`);
                    }
                }
            });

            it("isolates every application namespace by default: all traffic denied both ways except DNS to CoreDNS and the platform's allows", async () => {
                const { resources, program } = await renderNamedStack(stack);
                const policies = ofType(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
                for (const namespace of program.config.cluster.applicationNamespaces) {
                    const inNamespace = policies.filter((p) => (p.props.metadata as Props).namespace === namespace);
                    const byName = Object.fromEntries(inNamespace.map((p) => [(p.props.metadata as Props).name, p.props.spec as any]));
                    // The platform's allows (scraping, load balancer targets) are test/isolation.test.ts's subject.
                    assert.deepEqual(
                        Object.keys(byName).sort(),
                        ["allow-dns", "allow-load-balancer-targets", "allow-metrics-scraping", "default-deny"],
                        namespace,
                    );
                    assert.deepEqual(byName["default-deny"], { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
                    const dns = byName["allow-dns"];
                    assert.deepEqual(dns.policyTypes, ["Egress"]);
                    assert.deepEqual(dns.egress[0].to, [
                        {
                            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                        },
                    ]);
                    assert.deepEqual(dns.egress[0].ports.map((p: any) => `${p.protocol}/${p.port}`).sort(), ["TCP/53", "UDP/53"]);
                    for (const policy of inNamespace) {
                        assert.ok(
                            policy.dependsOn?.some((urn) => urn.endsWith(`-ns-${namespace}`)),
                            "created after its namespace",
                        );
                    }
                }
                // Platform add-on namespaces run controllers that reach the API server and AWS; their policies come with each add-on.
                for (const spec of PLATFORM_NAMESPACES) {
                    assert.equal(policies.filter((p) => (p.props.metadata as Props).namespace === spec.name).length, 0, spec.name);
                }
            });
        });
    }

    it("opens the node security group only to itself and the control plane", async () => {
        const { resources, program } = await renderNamedStack("prod");
        const nodeGroupId = await valueOf(program.platform.cluster.nodeSecurityGroupId);
        const clusterGroupId = await valueOf(program.platform.cluster.clusterSecurityGroupId);
        const fsxGroupId = await valueOf(program.platform.addOns.storage.fsx!.securityGroup.id);
        // The mesh admits VPC Lattice's managed prefix lists on service ports; test/mesh.test.ts checks those.
        const allRules = ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
            (r) => r.props.securityGroupId === nodeGroupId && r.props.prefixListId === undefined,
        );
        // Lustre file servers call clients back on the LNet ports; storage owns those rules (test/storage.test.ts).
        const lustre = allRules.filter((r) => r.props.referencedSecurityGroupId === fsxGroupId);
        assert.deepEqual(lustre.map((r) => `${String(r.props.fromPort)}-${String(r.props.toPort)}`).sort(), ["1018-1023", "988-988"]);
        // Load balancers reach pods through their backend group, and pods on Fargate (the cluster group) reach
        // CoreDNS: the load balancer controller and Fargate own those rules (test/loadBalancerController.test.ts, test/fargate.test.ts).
        const addOnRules = allRules.filter((r) => /LoadBalancerController|fargate:Fargate/.test(r.urn));
        assert.ok(addOnRules.length > 0);
        const rules = allRules.filter((r) => !lustre.includes(r) && !addOnRules.includes(r));
        assert.ok(rules.length > 0);
        for (const rule of rules) {
            assert.equal(rule.props.cidrIpv4, undefined, `${rule.name} is CIDR-based`);
            assert.ok([nodeGroupId, clusterGroupId].includes(String(rule.props.referencedSecurityGroupId)), rule.name);
        }
        const apiRules = ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
            (r) => r.props.securityGroupId === clusterGroupId && !/fargate:Fargate/.test(r.urn),
        );
        assert.deepEqual(
            apiRules.map((r) => [r.props.referencedSecurityGroupId ?? r.props.cidrIpv4, r.props.ipProtocol, r.props.fromPort, r.props.toPort]).sort(),
            [nodeGroupId, ...program.config.cluster.privateAccessCidrs].map((source) => [source, "tcp", 443, 443]).sort(),
        );
    });

    it("records the creator-admin setting on the Cluster component, where guardrails can read it", async () => {
        for (const bootstrapCreatorAdmin of [false, true]) {
            const adminPrincipals = bootstrapCreatorAdmin ? ["arn:aws:iam::111122223333:role/platform-admins"] : undefined;
            const { resources } = await renderStackWith("dev", {
                "eks-platform:cluster": { bootstrapCreatorAdmin, ...(adminPrincipals ? { adminPrincipals } : {}) },
            });
            const component = oneOfType(resources, "eksplatform:cluster:Cluster");
            assert.equal(component.props.bootstrapCreatorAdmin, bootstrapCreatorAdmin);
            assert.ok(oneOfType(resources, CLUSTER).parent === component.urn);
        }
    });

    it("lets EKS's creator bootstrap follow the setting, on the aws.eks.Cluster inside the eks component", () => {
        const transformed = (enabled: boolean) =>
            creatorAdminTransform(enabled)({
                type: "aws:eks/cluster:Cluster",
                name: "c-eksCluster",
                custom: true,
                props: { name: "c", accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true } },
                opts: {},
            }) as { props: Props };
        assert.deepEqual(transformed(false).props.accessConfig, { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false });
        assert.deepEqual(transformed(true).props.accessConfig, { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true });
        assert.equal(creatorAdminTransform(false)({ type: "aws:iam/role:Role", name: "r", custom: true, props: {}, opts: {} }), undefined);
    });

    it("turns prefix delegation off on the CNI add-on and in the handle when configured", async () => {
        const { resources, program } = await renderStackWith("dev", { "eks-platform:cluster": { prefixDelegation: false } });
        const cni = ofType(resources, ADDON).find((a) => a.props.addonName === "vpc-cni");
        assert.ok(cni);
        assert.deepEqual(JSON.parse(String(cni.props.configurationValues)).env, vpcCniConfiguration({ prefixDelegation: false }).env);
        assert.equal(JSON.parse(String(cni.props.configurationValues)).env.ENABLE_PREFIX_DELEGATION, "false");
        assert.equal(program.platform.cluster.prefixDelegation, false);
    });

    it("renders a public-only endpoint with its CIDRs and no private endpoint", async () => {
        const { resources } = await renderStackWith("dev", { "eks-platform:cluster": { endpointAccess: "public", publicAccessCidrs: ["198.51.100.0/24"] } });
        const cluster = oneOfType(resources, CLUSTER).props;
        assert.deepEqual([cluster.endpointPublicAccess, cluster.endpointPrivateAccess, cluster.publicAccessCidrs], [true, false, ["198.51.100.0/24"]]);
    });

    it("allows a world-open public endpoint in dev only", async () => {
        const { resources } = await renderStackWith("dev", { "eks-platform:cluster": { publicAccessCidrs: ["0.0.0.0/0"] } });
        assert.deepEqual(oneOfType(resources, CLUSTER).props.publicAccessCidrs, ["0.0.0.0/0"]);
        const message = await configErrorOf("staging", { "eks-platform:cluster": { endpointAccess: "public", publicAccessCidrs: ["0.0.0.0/0"] } });
        assert.match(
            message,
            /cluster\.publicAccessCidrs\[0\] = "0\.0\.0\.0\/0": opens the API endpoint to the whole internet, allowed only in dev \(environment is staging\)/,
        );
    });

    describe("rejects bad cluster configuration before anything is created", () => {
        it("neither NAT gateways nor VPC endpoints, whatever the endpoint", async () => {
            for (const stack of ["prod", "dev"]) {
                const message = await configErrorOf(stack, { "eks-platform:network": { natGateways: "none", vpcEndpoints: { enabled: false } } });
                assert.match(message, /network\.vpcEndpoints\.enabled = false: cannot be false with network\.natGateways "none"/, stack);
            }
        });

        it("publicAccessCidrs containing 0.0.0.0/0 in prod", async () => {
            const message = await configErrorOf("prod", {
                "eks-platform:cluster": { endpointAccess: "publicAndPrivate", publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0"] },
            });
            assert.match(
                message,
                /cluster\.publicAccessCidrs\[1\] = "0\.0\.0\.0\/0": opens the API endpoint to the whole internet, allowed only in dev \(environment is prod\)/,
            );
        });

        it("an unsupported Kubernetes version", async () => {
            const message = await configErrorOf("dev", { "eks-platform:cluster": { kubernetesVersion: "1.29" } });
            assert.match(message, /cluster\.kubernetesVersion = "1\.29": .*1\.34.*1\.35.*1\.36/);
        });

        it("a public endpoint without publicAccessCidrs", async () => {
            const message = await configErrorOf("staging", { "eks-platform:cluster": { endpointAccess: "public" } });
            assert.match(message, /cluster\.publicAccessCidrs = \[\]: is required with endpointAccess "public"/);
        });

        it("publicAccessCidrs on a private-only endpoint", async () => {
            const message = await configErrorOf("prod", { "eks-platform:cluster": { publicAccessCidrs: ["203.0.113.0/24"] } });
            assert.match(message, /cluster\.publicAccessCidrs = \["203\.0\.113\.0\/24"\]: has no effect with endpointAccess "private"/);
        });

        it("a private-only endpoint that nothing outside the nodes could reach", async () => {
            const message = await configErrorOf("prod", { "eks-platform:cluster": { privateAccessCidrs: [] } });
            assert.match(message, /cluster\.privateAccessCidrs = \[\]: is required with endpointAccess "private"/);
        });

        it("privateAccessCidrs open to the world", async () => {
            const message = await configErrorOf("staging", { "eks-platform:cluster": { privateAccessCidrs: ["0.0.0.0/0"] } });
            assert.match(message, /cluster\.privateAccessCidrs\[0\] = "0\.0\.0\.0\/0": would open the private endpoint/);
        });

        it("a deployer that would lock itself out of the cluster it manages", async () => {
            const message = await configErrorOf("dev", { "eks-platform:cluster": { adminPrincipals: ["arn:aws:iam::111122223333:role/platform-admins"] } });
            assert.match(
                message,
                /cluster\.adminPrincipals = .*: does not include arn:aws:iam::111122223333:role\/eks-platform-deploy-dev, the identity running this program/,
            );
        });

        it("a deployer made admin twice (creator bootstrap and an access entry)", async () => {
            const message = await configErrorOf("dev", { "eks-platform:cluster": { bootstrapCreatorAdmin: true } });
            assert.match(
                message,
                /cluster\.adminPrincipals = .*: includes arn:aws:iam::111122223333:role\/eks-platform-deploy-dev, which bootstrapCreatorAdmin already makes cluster-admin/,
            );
        });

        it("application namespaces that are reserved or repeated", async () => {
            const message = await configErrorOf("dev", { "eks-platform:cluster": { applicationNamespaces: ["apps", "kube-system", "logging", "apps"] } });
            assert.match(message, /cluster\.applicationNamespaces\[1\] = "kube-system": is reserved/);
            assert.match(message, /cluster\.applicationNamespaces\[2\] = "logging": is reserved/);
            assert.match(message, /cluster\.applicationNamespaces\[3\] = "apps": is listed twice \(also at cluster\.applicationNamespaces\[0\]\)/);
        });

        it("a service CIDR overlapping the VPC", async () => {
            const message = await configErrorOf("dev", { "eks-platform:cluster": { serviceCidr: "10.10.128.0/20" } });
            assert.match(message, /cluster\.serviceCidr = "10\.10\.128\.0\/20": overlaps network\.vpcCidr 10\.10\.0\.0\/16/);
        });
    });
});

describe("Cluster building blocks", () => {
    it("maps the three endpoint modes to the EKS endpoint flags", () => {
        const cidrs = ["203.0.113.0/24"];
        assert.deepEqual(endpointSettings({ endpointAccess: "private", publicAccessCidrs: [] }), { endpointPrivateAccess: true, endpointPublicAccess: false });
        assert.deepEqual(endpointSettings({ endpointAccess: "publicAndPrivate", publicAccessCidrs: cidrs }), {
            endpointPrivateAccess: true,
            endpointPublicAccess: true,
            publicAccessCidrs: cidrs,
        });
        assert.deepEqual(endpointSettings({ endpointAccess: "public", publicAccessCidrs: cidrs }), {
            endpointPrivateAccess: false,
            endpointPublicAccess: true,
            publicAccessCidrs: cidrs,
        });
    });

    it("keeps a spare prefix only when prefix delegation is on", () => {
        assert.deepEqual(vpcCniConfiguration({ prefixDelegation: false }).env, {
            AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true",
            ENI_CONFIG_LABEL_DEF: "topology.kubernetes.io/zone",
            ENABLE_PREFIX_DELEGATION: "false",
        });
        assert.equal(vpcCniConfiguration({ prefixDelegation: true }).env.WARM_PREFIX_TARGET, "1");
    });

    it("labels a namespace for enforce, audit and warn at one level, pinned to the cluster minor", () => {
        assert.deepEqual(podSecurityLabels("privileged", "1.35"), {
            "pod-security.kubernetes.io/enforce": "privileged",
            "pod-security.kubernetes.io/enforce-version": "v1.35",
            "pod-security.kubernetes.io/audit": "privileged",
            "pod-security.kubernetes.io/audit-version": "v1.35",
            "pod-security.kubernetes.io/warn": "privileged",
            "pod-security.kubernetes.io/warn-version": "v1.35",
        });
    });

    it("names access-entry resources after the principal and uses the partition's policy ARNs", () => {
        const grants = accessEntries(
            { adminPrincipals: ["arn:aws-us-gov:iam::111122223333:role/ops/admins"], viewerPrincipals: ["arn:aws-us-gov:iam::111122223333:user/auditor"] },
            "aws-us-gov",
        );
        assert.deepEqual(grants, [
            {
                key: "admin-admins",
                principalArn: "arn:aws-us-gov:iam::111122223333:role/ops/admins",
                policyArn: "arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
            },
            {
                key: "viewer-auditor",
                principalArn: "arn:aws-us-gov:iam::111122223333:user/auditor",
                policyArn: "arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
            },
        ]);
    });

    it("follows dependsOn through parents when checking node launch order", () => {
        const graph = [
            { urn: "asg", dependsOn: [], parent: "pool" },
            { urn: "pool", dependsOn: ["cni", "eni-a"], parent: null },
            { urn: "stray-asg", dependsOn: ["cni"], parent: null },
        ];
        assert.ok(dependsTransitively(graph, "asg", "eni-a"));
        assert.ok(!dependsTransitively(graph, "stray-asg", "eni-a"));
    });
});

const FARGATE_PROFILE = "aws:eks/fargateProfile:FargateProfile";

/** Resource types that start nodes joining the cluster: EC2 instances, or Fargate's one node per pod. */
const NODE_LAUNCHING_TYPES = [
    "aws:autoscaling/group:Group",
    "aws:eks/nodeGroup:NodeGroup",
    "eks:index:ManagedNodeGroup",
    "eks:index:NodeGroupV2",
    "eks:index:NodeGroup",
    FARGATE_PROFILE,
];

function dependsTransitively(resources: { urn: string; dependsOn: string[]; parent: string | null }[], from: string, to: string): boolean {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
        const urn = stack.pop()!;
        if (urn === to) {
            return true;
        }
        if (seen.has(urn)) {
            continue;
        }
        seen.add(urn);
        const resource = byUrn.get(urn);
        if (resource) {
            // A child waits for what its ancestors wait for.
            stack.push(...resource.dependsOn, ...(resource.parent ? [resource.parent] : []));
        }
    }
    return false;
}

function valueOf<T>(output: import("@pulumi/pulumi").Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((value) => resolve(value)));
}
