import type { OutputBuilder } from "./types";

/** A 16-digit hex suffix from a mock ID, as AWS ids carry. */
const hexSuffix = (id: string) =>
    id
        .replace(/[^0-9a-f]/g, "")
        .padEnd(16, "0")
        .slice(0, 16);

/** Computed attributes of the storage resources, in the shapes EFS and FSx return them. */
export const STORAGE_OUTPUTS: Record<string, OutputBuilder> = {
    "aws:efs/mountTarget:MountTarget": (args, context) => ({
        dnsName: `${String(args.inputs.fileSystemId)}.efs.${context.region}.amazonaws.com`,
        networkInterfaceId: `eni-0${hexSuffix(context.id)}`,
        ownerId: context.account,
    }),
    "aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation": (_, context) => {
        const associationId = `dra-0${hexSuffix(context.id)}`;
        return { associationId, arn: `arn:aws:fsx:${context.region}:${context.account}:association/${associationId}` };
    },
};
