import { z } from "zod";

/** A customer managed policy of one account: AWS managed policies (`iam::aws:`) are no boundary the deploy roles accept. */
const IAM_POLICY_ARN = /^arn:aws[a-z-]*:iam::\d{12}:policy\/([\w+=,.@-]+\/)*[\w+=,.@-]+$/;

export const iamSettingsSchema = z
    .strictObject({
        permissionsBoundaryArn: z
            .string()
            .regex(IAM_POLICY_ARN, "must be the ARN of a customer managed IAM policy (arn:aws:iam::<account>:policy/<name>)")
            .optional()
            .describe(
                "ARN of the managed policy that is the permissions boundary of every IAM role the platform creates (the cluster's service role, " +
                    "the node role, every IRSA role, the flow-log role): the `workloadBoundaryArn` output of the bootstrap stack of the account. " +
                    "Required in staging and prod, whose deploy roles may create a role only with that boundary; unset, roles have no boundary. " +
                    "Setting, changing or removing it updates the roles in place (a role's boundary is no replacement property).",
            ),
    })
    .prefault({})
    .describe("Rules for the IAM roles the platform creates.");

export type IamSettings = z.output<typeof iamSettingsSchema>;
