import { z } from "zod";

/** A Kubernetes object name that must be a DNS-1123 label: namespaces, Services, most references by name. */
export const dnsLabel = z
    .string()
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label (lowercase letters, digits, '-'; at most 63 characters)");
