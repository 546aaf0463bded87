import { z } from "zod";

// AWS tagging rules shared by every service the platform tags (EC2, S3, EKS, IAM, KMS, ...): S3 and
// several others refuse characters outside this set, so one set holds for a tag applied everywhere
// through the provider's default tags. Keys starting with `aws:` are reserved for AWS.
export const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const TAG_CHARACTERS_TEXT = "letters, digits, spaces and _ . : / = + - @ only";

export const TAG_KEY_MAX = 128;
export const TAG_VALUE_MAX = 256;

/** Why AWS would refuse this tag key, or undefined when it is valid. */
export function tagKeyProblem(key: string): string | undefined {
    if (key.length < 1 || key.length > TAG_KEY_MAX) {
        return `must be 1-${TAG_KEY_MAX} characters`;
    }
    if (!TAG_CHARACTERS.test(key)) {
        return `must hold ${TAG_CHARACTERS_TEXT}`;
    }
    if (key.toLowerCase().startsWith("aws:")) {
        return "must not start with aws: (reserved for AWS)";
    }
    return undefined;
}

/** Why AWS would refuse this tag value, or undefined when it is valid. */
export function tagValueProblem(value: string): string | undefined {
    if (value.length > TAG_VALUE_MAX) {
        return `must be at most ${TAG_VALUE_MAX} characters`;
    }
    if (!TAG_CHARACTERS.test(value)) {
        return `must hold ${TAG_CHARACTERS_TEXT}`;
    }
    return undefined;
}

/** A map of tags as a setting: keys and values AWS accepts everywhere, no `aws:` keys. */
export function awsTagsSchema() {
    return z.record(
        z
            .string()
            .min(1)
            .max(TAG_KEY_MAX)
            .regex(TAG_CHARACTERS, TAG_CHARACTERS_TEXT)
            .refine((key) => !key.toLowerCase().startsWith("aws:"), "must not start with aws: (reserved for AWS)"),
        z.string().max(TAG_VALUE_MAX).regex(TAG_CHARACTERS, TAG_CHARACTERS_TEXT),
    );
}
