import { defineCapability } from "../capability";
import { storageSettingsSchema } from "./settings";
import { Storage } from "./storage";
import { storageNames, validateStorage } from "./validate";

/** eks-platform:storage: the EBS, EFS and FSx for Lustre CSI drivers and their classes. */
export const storageCapability = defineCapability({
    key: "storage",
    settings: storageSettingsSchema,
    validate: validateStorage,
    names: storageNames,
    awsServices: (settings) => [
        ...(settings.ebs.enabled ? [{ service: "ec2", reason: "EBS CSI driver: creates, attaches and snapshots volumes" }] : []),
        ...(settings.efs.enabled ? [{ service: "elasticfilesystem", reason: "EFS CSI driver: creates and deletes access points" }] : []),
        ...(settings.fsx.enabled ? [{ service: "fsx", reason: "FSx CSI driver: creates and deletes Lustre file systems" }] : []),
    ],
    deploy: (name, context, settings, opts) => new Storage(name, { context, settings }, opts),
});
