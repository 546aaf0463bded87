import {
    autoname,
    IAM_POLICY_OR_PROFILE,
    IAM_ROLE,
    K8S_LABEL_NAME,
    K8S_LABEL_VALUE,
    K8S_SERVICE_NAME,
    K8S_SUBDOMAIN_NAME,
    LATTICE_SERVICE,
    LATTICE_SERVICE_NETWORK,
    LATTICE_TARGET_GROUP,
    type NameUse,
} from "../../config/names";
import { clusterNameOrigin, type ValidationFacts } from "../capability";
import { virtualRouterName } from "./appmesh";
import { flaggerServiceNames } from "./canary";
import { latticeServiceName, latticeTargetGroupName } from "./lattice";
import { meshNameOf, meshResourceNames } from "./mesh";
import type { MeshSettings } from "./settings";

/**
 * Where each mesh name lands. The mesh name becomes the VPC Lattice service network and the Gateway,
 * or the App Mesh mesh and its namespaces' membership label; every service is a Kubernetes Service
 * (and, on Lattice, a target group); every route an HTTPRoute and a Lattice service, or on App Mesh
 * a Service, a VirtualService and a VirtualRouter; the controllers' roles and the Envoy policy are
 * auto-named from the cluster name.
 */
export function meshNames(mesh: MeshSettings, facts: ValidationFacts): NameUse[] {
    if (mesh.backend === "none") {
        return [];
    }
    const lattice = mesh.backend === "lattice";
    const meshName = meshNameOf(mesh, facts.clusterName);
    const fromName =
        mesh.name !== undefined
            ? { path: "mesh.name", value: mesh.name }
            : { ...clusterNameOrigin(facts), remedy: "set mesh.name (it defaults to the cluster name)" };
    const resources = meshResourceNames(facts.clusterName);
    const uses: NameUse[] = lattice
        ? [
              { ...fromName, name: meshName, rule: LATTICE_SERVICE_NETWORK, composedAs: "the service network" },
              { ...fromName, name: meshName, rule: K8S_SUBDOMAIN_NAME, composedAs: "the Gateway" },
              {
                  ...clusterNameOrigin(facts),
                  name: autoname(resources.latticeController),
                  rule: IAM_ROLE,
                  composedAs: "the Gateway API controller's role, auto-named",
              },
          ]
        : [
              { ...fromName, name: meshName, rule: K8S_SUBDOMAIN_NAME, composedAs: "the Mesh" },
              { ...fromName, name: meshName, rule: K8S_LABEL_VALUE, composedAs: "the mesh label of its namespaces" },
              {
                  ...clusterNameOrigin(facts),
                  name: autoname(resources.appMeshController),
                  rule: IAM_ROLE,
                  composedAs: "the App Mesh controller's role, auto-named",
              },
              { ...clusterNameOrigin(facts), name: autoname(resources.envoyPolicy), rule: IAM_POLICY_OR_PROFILE, composedAs: "the Envoy policy, auto-named" },
          ];
    if (mesh.flagger.enabled) {
        uses.push({ ...clusterNameOrigin(facts), name: autoname(resources.flagger), rule: IAM_ROLE, composedAs: "Flagger's role, auto-named" });
    }
    mesh.services.forEach((service, index) => {
        const at = `mesh.services[${index}]`;
        uses.push(
            { path: `${at}.name`, value: service.name, name: service.name, rule: K8S_SERVICE_NAME },
            { path: `${at}.namespace`, value: service.namespace, name: service.namespace, rule: K8S_LABEL_NAME },
        );
        if (lattice) {
            uses.push({
                path: `${at}.name`,
                value: service.name,
                name: latticeTargetGroupName(service.namespace, service.name),
                rule: LATTICE_TARGET_GROUP,
                composedAs: "its target group, k8s-<namespace>-<name>-<random>",
            });
        }
    });
    mesh.canaries.forEach((canary, index) => {
        const at = `mesh.canaries[${index}].service`;
        // Flagger's Services of the canary; on Lattice its HTTPRoute of the service's name, a Lattice service and two target groups.
        uses.push(
            ...flaggerServiceNames(canary.service).map((name) => ({
                path: at,
                value: canary.service,
                name,
                rule: K8S_SERVICE_NAME,
                composedAs: "a Service Flagger creates",
            })),
        );
        if (lattice) {
            uses.push(
                {
                    path: at,
                    value: canary.service,
                    name: latticeServiceName(canary.service, canary.namespace),
                    rule: LATTICE_SERVICE,
                    composedAs: "the Lattice service of Flagger's HTTPRoute, <service[:20]>-<namespace[:18]>",
                },
                ...flaggerServiceNames(canary.service).map((name) => ({
                    path: at,
                    value: canary.service,
                    name: latticeTargetGroupName(canary.namespace, name),
                    rule: LATTICE_TARGET_GROUP,
                    composedAs: "the target group of a Service Flagger creates, k8s-<namespace>-<service>-<random>",
                })),
            );
        }
    });
    mesh.routes.forEach((route, index) => {
        const at = `mesh.routes[${index}]`;
        uses.push({ path: `${at}.namespace`, value: route.namespace, name: route.namespace, rule: K8S_LABEL_NAME });
        if (lattice) {
            uses.push(
                { path: `${at}.name`, value: route.name, name: route.name, rule: K8S_SUBDOMAIN_NAME, composedAs: "the HTTPRoute" },
                {
                    path: `${at}.name`,
                    value: route.name,
                    name: latticeServiceName(route.name, route.namespace),
                    rule: LATTICE_SERVICE,
                    composedAs: "its Lattice service, <route[:20]>-<namespace[:18]>",
                },
            );
        } else {
            uses.push(
                { path: `${at}.name`, value: route.name, name: route.name, rule: K8S_SERVICE_NAME, composedAs: "the Service callers resolve" },
                { path: `${at}.name`, value: route.name, name: virtualRouterName(route), rule: K8S_SUBDOMAIN_NAME, composedAs: "the VirtualRouter" },
            );
        }
    });
    return uses;
}
