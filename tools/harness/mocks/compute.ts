import type { OutputBuilder } from "./types";

/** Computed attributes the compute components read (ARNs AWS assigns on create). */
export const COMPUTE_OUTPUTS: Record<string, OutputBuilder> = {
    "aws:iam/instanceProfile:InstanceProfile": (_, c) => ({
        arn: `arn:aws:iam::${c.account}:instance-profile/${c.physicalName}`,
        uniqueId: "AIPAEXAMPLEPROFILE01",
    }),
    "aws:cloudwatch/eventRule:EventRule": (_, c) => ({ arn: `arn:aws:events:${c.region}:${c.account}:rule/${c.physicalName}` }),
    "aws:eks/accessEntry:AccessEntry": (a, c) => ({
        accessEntryArn: `arn:aws:eks:${c.region}:${c.account}:access-entry/${String(a.inputs.clusterName)}/role/${c.account}/${c.id}`,
    }),
};
