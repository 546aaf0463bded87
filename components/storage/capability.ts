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
    deploy: (name, context, settings, opts) => new Storage(name, { context, settings }, opts),
});
