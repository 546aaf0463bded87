import { type OutputBuilder, physicalName } from "./types";

/** Computed attributes the compute components read (ARNs AWS assigns on create). */
export const COMPUTE_OUTPUTS: Record<string, OutputBuilder> = {
    "aws:iam/instanceProfile:InstanceProfile": (a, c) => ({
        arn: `arn:aws:iam::${c.account}:instance-profile/${physicalName(a)}`,
        name: physicalName(a),
        uniqueId: "AIPAEXAMPLEPROFILE01",
    }),
    "aws:cloudwatch/eventRule:EventRule": (a, c) => ({ arn: `arn:aws:events:${c.region}:${c.account}:rule/${physicalName(a)}` }),
    "aws:eks/accessEntry:AccessEntry": (a, c) => ({
        accessEntryArn: `arn:aws:eks:${c.region}:${c.account}:access-entry/${String(a.inputs.clusterName)}/role/${c.account}/${c.id}`,
    }),
};
