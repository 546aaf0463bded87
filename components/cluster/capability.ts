import { defineCapability, defineSection } from "../capability";
import { CoreDns } from "./coreDns";
import { clusterNames } from "./declaredNames";
import { clusterSettingsSchema } from "./settings";
import { validateCluster } from "./validate";

/** eks-platform:cluster: the control plane, its access and its networking add-ons (a foundation). */
export const clusterSection = defineSection({ key: "cluster", settings: clusterSettingsSchema, validate: validateCluster, names: clusterNames });

/** CoreDNS: nothing to configure; it needs the nodes, so it is the first add-on rather than part of the cluster. */
export const coreDnsCapability = defineCapability({
    key: "coreDns",
    deploy: (name, context, _settings, opts) => new CoreDns(name, { context }, opts),
});
