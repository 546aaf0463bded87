import { registerMockOutputs } from "../mocks";

// Computed attributes the compute components read (ARNs AWS assigns on create).
registerMockOutputs("aws:iam/instanceProfile:InstanceProfile", (a, c) => ({
    arn: `arn:aws:iam::${c.account}:instance-profile/${a.inputs.name ?? a.name}`,
    name: a.inputs.name ?? a.name,
    uniqueId: "AIPAEXAMPLEPROFILE01",
}));
registerMockOutputs("aws:cloudwatch/eventRule:EventRule", (a, c) => ({ arn: `arn:aws:events:${c.region}:${c.account}:rule/${a.inputs.name ?? a.name}` }));
registerMockOutputs("aws:eks/accessEntry:AccessEntry", (a, c) => ({
    accessEntryArn: `arn:aws:eks:${c.region}:${c.account}:access-entry/${a.inputs.clusterName}/role/${c.account}/${c.id}`,
}));
