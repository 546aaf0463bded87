import { defineCapability } from "../capability";
import { meshNames } from "./declaredNames";
import { Mesh } from "./mesh";
import { meshSettingsSchema } from "./settings";
import { validateMesh } from "./validate";

/** eks-platform:mesh: VPC Lattice or App Mesh from one declaration; nothing with backend "none". */
export const meshCapability = defineCapability({
    key: "mesh",
    settings: meshSettingsSchema,
    validate: (mesh, facts) => validateMesh(mesh, facts.cluster.applicationNamespaces),
    names: meshNames,
    deploy: (name, context, settings, opts) => (settings.backend === "none" ? undefined : new Mesh(name, { context, settings }, opts)),
});
