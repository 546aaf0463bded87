import { z } from "zod";

// AWS tagging rules shared by every service the platform tags (EC2, S3, EKS, IAM, KMS, ...): S3 and
// several others refuse characters outside this set, so one set holds for a tag applied everywhere
// through the provider's default tags. Keys starting with `aws:` are reserved for AWS.
export const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const TAG_CHARACTERS_TEXT = "letters, digits, spaces and _ . : / = + - @";

export const TAG_KEY_MAX = 128;
export const TAG_VALUE_MAX = 256;

/** A map of tags as a setting: keys and values AWS accepts everywhere, no `aws:` keys. */
export function awsTagsSchema() {
    return z.record(
        z
            .string()
            .min(1)
            .max(TAG_KEY_MAX)
            .regex(TAG_CHARACTERS, `may hold only ${TAG_CHARACTERS_TEXT}`)
            .refine((key) => !key.toLowerCase().startsWith("aws:"), "must not start with aws: (reserved for AWS)"),
        z.string().max(TAG_VALUE_MAX).regex(TAG_CHARACTERS, `may hold only ${TAG_CHARACTERS_TEXT}`),
    );
}
