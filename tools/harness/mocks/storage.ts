import { registerMockOutputs } from "../mocks";

/** Computed attributes of the storage resources, in the shapes EFS and FSx return them. */
registerMockOutputs("aws:efs/mountTarget:MountTarget", (args, context) => ({
    dnsName: `${String(args.inputs.fileSystemId)}.efs.${context.region}.amazonaws.com`,
    networkInterfaceId: `eni-0${context.id
        .replace(/[^0-9a-f]/g, "")
        .padEnd(16, "0")
        .slice(0, 16)}`,
    ownerId: context.account,
}));

registerMockOutputs("aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation", (_, context) => {
    const associationId = `dra-0${context.id
        .replace(/[^0-9a-f]/g, "")
        .padEnd(16, "0")
        .slice(0, 16)}`;
    return { associationId, arn: `arn:aws:fsx:${context.region}:${context.account}:association/${associationId}` };
});
