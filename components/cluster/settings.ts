import { z } from "zod";
import { retentionDays } from "../logging/retention";
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_MINORS, KUBERNETES_VERSIONS } from "../versions";

const supportedVersions = KUBERNETES_MINORS.map((v) => `${v.version} (standard support until ${v.endOfStandardSupport})`).join(", ");

const iamPrincipalArn = z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, "must be an IAM role or user ARN (arn:aws:iam::<account>:role/<name>)");

export const clusterSettingsSchema = z
    .strictObject({
        /** Cluster name; 1-100 characters. Default "<project>-<environment>". */
        name: z
            .string()
            .regex(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, "must start with a letter or digit and hold only letters, digits, - and _ (at most 100)")
            .optional(),
        /** Kubernetes minor version in EKS standard support. Default: the newest supported. */
        kubernetesVersion: z
            .enum(KUBERNETES_VERSIONS, {
                error: `must be a Kubernetes version in EKS standard support with add-on versions pinned in components/versions.ts: ${supportedVersions}`,
            })
            .default(DEFAULT_KUBERNETES_VERSION),
        /**
         * API endpoint exposure: "private" (only from the VPC), "publicAndPrivate" (nodes use the
         * private endpoint, people the CIDR-restricted public one) or "public". Default private.
         */
        endpointAccess: z.enum(["private", "publicAndPrivate", "public"]).default("private"),
        /** CIDRs allowed to reach a public endpoint; required when the endpoint is public. Default none. */
        publicAccessCidrs: z.array(z.string()).default([]),
        /**
         * CIDRs that reach the private API endpoint on 443 through the cluster security group: the
         * network of the runner that executes `pulumi up` and any VPN. Required with endpointAccess
         * "private" (nothing outside the nodes could reach the API otherwise). Default none.
         */
        privateAccessCidrs: z.array(z.string()).default([]),
        /** Service (ClusterIP) CIDR; must not overlap the VPC or pod CIDRs. Default 172.20.0.0/16. */
        serviceCidr: z.string().default("172.20.0.0/16"),
        /** Days the control-plane log group keeps logs; a CloudWatch-accepted value. Default 365. */
        logRetentionDays: retentionDays(365),
        /**
         * Let EKS give the identity that creates the cluster an access entry with cluster-admin that
         * this program does not manage. Default false: that identity must then be in adminPrincipals,
         * where its access is visible and reviewed (the program itself needs cluster-admin to manage
         * namespaces and ENIConfigs). Only takes effect when the cluster is created.
         */
        bootstrapCreatorAdmin: z.boolean().default(false),
        /** IAM principals mapped to AmazonEKSClusterAdminPolicy through access entries. Default none. */
        adminPrincipals: z.array(iamPrincipalArn).default([]),
        /** IAM principals mapped to AmazonEKSViewPolicy through access entries. Default none. */
        viewerPrincipals: z.array(iamPrincipalArn).default([]),
        /**
         * VPC CNI prefix delegation: each ENI slot holds a /28 prefix instead of one address, so a node runs
         * 110 pods below 30 vCPUs and 250 from 30 up (docs/compute.md, "Pod density"). Needs Nitro or
         * bare-metal instance types. Default true.
         */
        prefixDelegation: z.boolean().default(true),
        /** Namespaces created for applications, labelled with Pod Security Admission "restricted". Default ["apps"]. */
        applicationNamespaces: z.array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label")).default(["apps"]),
    })
    .prefault({});

export type ClusterSettings = z.output<typeof clusterSettingsSchema>;
