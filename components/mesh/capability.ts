import { defineCapability } from "../capability";
import { chartImageUses } from "../common/chartImages";
import { meshNames } from "./declaredNames";
import { Mesh } from "./mesh";
import { type MeshSettings, meshSettingsSchema } from "./settings";
import { validateMesh } from "./validate";

/** eks-platform:mesh: VPC Lattice or App Mesh from one declaration; nothing with backend "none". */
export const meshCapability = defineCapability({
    key: "mesh",
    settings: meshSettingsSchema,
    validate: (mesh, facts) => validateMesh(mesh, facts.cluster.applicationNamespaces, facts.logging?.containerInsights.enabled ?? false),
    names: meshNames,
    awsServices: (settings) => [...backendServices(settings), ...(settings.backend !== "none" && settings.flagger.enabled ? FLAGGER_SERVICES : [])],
    images: (settings) => [
        ...backendImages(settings),
        ...(settings.backend !== "none" && settings.flagger.enabled
            ? // The chart also names a Prometheus image, run only with prometheus.install, which stays off.
              chartImageUses("flagger", "Flagger, the canaries' controller").filter((image) => image.chart?.valuesPath === "image.repository")
            : []),
    ],
    deploy: (name, context, settings, opts) => (settings.backend === "none" ? undefined : new Mesh(name, { context, settings }, opts)),
});

const FLAGGER_SERVICES = [
    { service: "monitoring", reason: "Flagger: GetMetricData, the canaries' Container Insights metrics" },
    { service: "sts", reason: "Flagger: its IRSA role's credentials" },
];

function backendServices(settings: MeshSettings) {
    return settings.backend === "lattice"
        ? [
              { service: "vpc-lattice", reason: "AWS Gateway API Controller: services, target groups and listeners" },
              { service: "ec2", reason: "AWS Gateway API Controller: the VPC, subnets and security groups" },
              { service: "tagging", reason: "AWS Gateway API Controller: finds the Lattice resources it owns by tag" },
          ]
        : settings.backend === "appmesh"
          ? [
                { service: "appmesh", reason: "App Mesh controller: meshes, virtual nodes and routes" },
                { service: "appmesh-envoy-management", reason: "Envoy sidecars: stream their configuration" },
            ]
          : [];
}

function backendImages(settings: MeshSettings) {
    return settings.backend === "lattice"
        ? chartImageUses("latticeGatewayController", "AWS Gateway API Controller")
        : settings.backend === "appmesh"
          ? chartImageUses("appMeshController", "App Mesh controller and the Envoy sidecars it injects")
          : [];
}
