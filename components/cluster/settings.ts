import { z } from "zod";
import { retentionDays } from "../logging/retention";
import { dnsLabel } from "../common/kubernetesNames";
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_MINORS, KUBERNETES_VERSIONS } from "../versions";

const supportedVersions = KUBERNETES_MINORS.map((v) => `${v.version} (standard support until ${v.endOfStandardSupport})`).join(", ");

const iamPrincipalArn = z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, "must be an IAM role or user ARN (arn:aws:iam::<account>:role/<name>)");

const networkPolicyPeerSchema = z
    .strictObject({
        namespace: dnsLabel.optional().describe("Pods of this namespace (with `podLabels`, only those pods)."),
        podLabels: z
            .record(z.string().min(1), z.string())
            .optional()
            .describe("Pods carrying these labels: in `namespace` when it is set, else in the allow's own namespace."),
        cidr: z
            .string()
            .optional()
            .describe(
                "An IPv4 CIDR in network form outside the cluster (a database subnet, `0.0.0.0/0` for the internet); not with `namespace` or `podLabels`.",
            ),
    })
    .describe("One peer of an allowed flow: pods (by namespace and labels) or an address range.");

const networkPolicyPortSchema = z.strictObject({
    port: z.int().min(1).max(65535).describe("Port number on the receiving side."),
    protocol: z.enum(["TCP", "UDP"]).default("TCP").describe("Transport protocol."),
});

const namespaceAllowSchema = z.strictObject({
    namespace: dnsLabel.describe("The application namespace the NetworkPolicy is created in: one of `applicationNamespaces`."),
    name: dnsLabel.describe("The NetworkPolicy's name, unique in its namespace and not one the platform uses there."),
    direction: z.enum(["ingress", "egress"]).describe("`ingress`: the peers may connect to the namespace's pods; `egress`: its pods may connect to the peers."),
    podLabels: z
        .record(z.string().min(1), z.string())
        .optional()
        .describe("The namespace's pods the flow is opened for, by label. When unset, every pod of the namespace."),
    peers: z.array(networkPolicyPeerSchema).min(1).describe("Who is on the other side of the flow; at least one."),
    ports: z.array(networkPolicyPortSchema).default([]).describe("Ports of the flow (the receiving side's). Empty: every port."),
});

const namespaceIsolationSchema = z
    .strictObject({
        metricsScrapers: z
            .array(dnsLabel)
            .default(["amazon-cloudwatch"])
            .describe(
                "Namespaces whose pods may connect to application pods to scrape metrics, on `metricsPorts`. Default: the CloudWatch agent's " +
                    "(Container Insights). Empty: none.",
            ),
        metricsPorts: z
            .array(z.int().min(1).max(65535))
            .default([])
            .describe(
                "TCP ports the scrapers may reach. Empty: every port, since scrapers follow the port each workload annotates (`prometheus.io/port`); " +
                    "list the ports when every workload serves metrics on known ones.",
            ),
        loadBalancerTargets: z
            .boolean()
            .default(true)
            .describe(
                "Admit connections from the VPC's primary CIDR (`network.vpcCidr`), where load balancers take their addresses, so pods can be " +
                    "IP targets of an ALB or NLB. Pods take their addresses from `network.podCidr`, so no other pod is admitted by it.",
            ),
        allows: z
            .array(namespaceAllowSchema)
            .default([])
            .describe("Further flows an application namespace needs, each a NetworkPolicy in that namespace (ingress or egress)."),
    })
    .prefault({})
    .describe(
        "Every application namespace denies all ingress and egress by default (enforced by the VPC CNI's network policy agent) and allows " +
            "DNS to CoreDNS, metrics scraping, load balancer targets and the flows declared in `allows`.",
    );

export const clusterSettingsSchema = z
    .strictObject({
        name: z
            .string()
            .regex(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, "must start with a letter or digit and hold only letters, digits, - and _ (at most 100)")
            .optional()
            .describe(
                "EKS cluster name: 1-100 letters, digits, `-` and `_`, starting with a letter or digit. " +
                    "Resource names, tags and log groups derive from it, and every name it becomes is checked where it lands (the shorter limits are the " +
                    "auto-named IAM roles' 64 characters and EventBridge rules' 64); changing it replaces the cluster. When unset, `<project>-<stack>`: " +
                    "from the stack name, not the environment tier, so two stacks of one tier never share a name in an account.",
            ),
        kubernetesVersion: z
            .enum(KUBERNETES_VERSIONS, {
                error: `must be a Kubernetes version in EKS standard support with add-on versions pinned in components/versions.ts: ${supportedVersions}`,
            })
            .default(DEFAULT_KUBERNETES_VERSION)
            .describe(
                "Kubernetes minor of the control plane: one in EKS standard support whose add-on versions components/versions.ts pins; the default is the newest. " +
                    "Node pools run it unless they set their own.",
            ),
        endpointAccess: z
            .enum(["private", "publicAndPrivate", "public"])
            .default("private")
            .describe(
                "Exposure of the API endpoint: `private` (reachable only from the VPC and `privateAccessCidrs`), " +
                    "`publicAndPrivate` (nodes use the private endpoint, people the public one limited to `publicAccessCidrs`) or `public`.",
            ),
        publicAccessCidrs: z
            .array(z.string())
            .default([])
            .describe(
                "IPv4 CIDRs allowed to reach the public endpoint. Required with `publicAndPrivate` or `public`, rejected with `private`; " +
                    "`0.0.0.0/0` only in dev.",
            ),
        privateAccessCidrs: z
            .array(z.string())
            .default([])
            .describe(
                "IPv4 CIDRs admitted to the private endpoint on 443 through the cluster security group: the network of the runner that " +
                    "executes `pulumi up`, and any VPN. Required with `private` (nothing outside the nodes could reach the API otherwise); never `0.0.0.0/0`.",
            ),
        serviceCidr: z
            .string()
            .default("172.20.0.0/16")
            .describe(
                "IPv4 CIDR that Service (ClusterIP) addresses come from; must not overlap `network.vpcCidr` or `network.podCidr`. Changing it replaces the cluster.",
            ),
        logRetentionDays: retentionDays(365, "How long the control-plane log group keeps the API, audit, authenticator, controller-manager and scheduler logs"),
        bootstrapCreatorAdmin: z
            .boolean()
            .default(false)
            .describe(
                "Let EKS give the identity that creates the cluster a cluster-admin access entry this program does not manage. " +
                    "When false, that identity must be in `adminPrincipals`, where its access is visible and reviewed (the program needs " +
                    "cluster-admin to manage namespaces and ENIConfigs); when true, it must not be there too. Takes effect only when the cluster is created.",
            ),
        adminPrincipals: z
            .array(iamPrincipalArn)
            .default([])
            .describe("IAM roles and users given `AmazonEKSClusterAdminPolicy`, cluster-wide, through access entries."),
        viewerPrincipals: z
            .array(iamPrincipalArn)
            .default([])
            .describe("IAM roles and users given `AmazonEKSViewPolicy`, cluster-wide, through access entries."),
        prefixDelegation: z
            .boolean()
            .default(true)
            .describe(
                "VPC CNI prefix delegation: each ENI slot takes a /28 prefix instead of one address (`ENABLE_PREFIX_DELEGATION`, " +
                    '`WARM_PREFIX_TARGET=1`), so a node runs 110 pods below 30 vCPUs and 250 from 30 up (docs/compute.md, "Pod density"); ' +
                    "pod subnets are then sized in whole /28 blocks. Needs Nitro or bare-metal instance types.",
            ),
        applicationNamespaces: z
            .array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label"))
            .default(["apps"])
            .describe(
                "Namespaces created for applications, with Pod Security Admission `restricted` enforced, audited and warned. " +
                    "Not `default`, `kube-*` or a platform namespace; each listed once.",
            ),
        namespaceIsolation: namespaceIsolationSchema,
    })
    .prefault({})
    .describe(
        "The EKS control plane: version, API endpoint exposure, access entries, control-plane logs, VPC CNI mode, application namespaces and their isolation.",
    );

export type ClusterSettings = z.output<typeof clusterSettingsSchema>;
