import { z } from "zod";
import { retentionDays } from "../logging/retention";
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_MINORS, KUBERNETES_VERSIONS } from "../versions";

const supportedVersions = KUBERNETES_MINORS.map((v) => `${v.version} (standard support until ${v.endOfStandardSupport})`).join(", ");

const iamPrincipalArn = z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, "must be an IAM role or user ARN (arn:aws:iam::<account>:role/<name>)");

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
    })
    .prefault({})
    .describe("The EKS control plane: version, API endpoint exposure, access entries, control-plane logs, VPC CNI mode and application namespaces.");

export type ClusterSettings = z.output<typeof clusterSettingsSchema>;
