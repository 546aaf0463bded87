import { z } from "zod";

const dnsLabel = z
    .string()
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label (lowercase letters, digits, '-'; at most 63 characters)");
const labelKey = z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, "must be a Kubernetes label key");
const labelValue = z
    .string()
    .regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, "must be a Kubernetes label value (63 characters, alphanumeric at both ends)");

const selectorSchema = z
    .strictObject({
        namespace: dnsLabel.describe("Application namespace whose pods the selector matches (one of cluster.applicationNamespaces)."),
        labels: z.record(labelKey, labelValue).default({}).describe("Labels a pod must carry, all of them, to run on Fargate. Required unless wholeNamespace."),
        wholeNamespace: z
            .boolean()
            .default(false)
            .describe(
                "Send every pod of the namespace to Fargate (a selector without labels). Must be said explicitly: it takes the namespace away from the node pools.",
            ),
    })
    .describe("Which pods of a namespace run on Fargate.");

const profileSchema = z
    .strictObject({
        name: z
            .string()
            .regex(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, "must start with a letter or digit and hold only letters, digits, '-' and '_' (at most 100 characters)")
            .describe("Fargate profile name, unique in the cluster. Profiles cannot be changed: any change to a profile replaces it."),
        selectors: z
            .array(selectorSchema)
            .min(1)
            .max(5, "a Fargate profile takes at most 5 selectors")
            .describe("Pods the profile runs on Fargate (at most 5 selectors)."),
    })
    .describe("One Fargate profile: its pods run on Fargate in the private subnets, with the platform's pod execution role.");

export const fargateSettingsSchema = z
    .strictObject({
        profiles: z.array(profileSchema).default([]).describe("Fargate profiles; none means no Fargate."),
        logging: z
            .strictObject({
                enabled: z
                    .boolean()
                    .default(true)
                    .describe(
                        "Ship Fargate pods' container logs through Fargate's built-in Fluent Bit into the application log group node pods write to. Needs logging.fluentBit or logging.containerInsights on.",
                    ),
            })
            .prefault({})
            .describe("Logs of pods on Fargate."),
    })
    .prefault({})
    .describe("AWS Fargate profiles: pods that run without nodes.");

export type FargateSettings = z.output<typeof fargateSettingsSchema>;
export type FargateSelector = FargateSettings["profiles"][number]["selectors"][number];
