import * as pulumi from "@pulumi/pulumi";
import type { NamedNetworkPolicy } from "../cluster/namespaces";
import { MESH_MEMBER_LABEL } from "./kube";
import type { MeshSettings } from "./settings";

/** The port VPC Lattice services listen on for callers (the Gateway's one HTTP listener, lattice.ts). */
const LATTICE_LISTENER_PORT = 80;

function tcp(ports: number[]): { protocol: string; port: number }[] {
    return [...new Set(ports)].sort((a, b) => a - b).map((port) => ({ protocol: "TCP", port }));
}

function servicesIn(settings: MeshSettings, namespace: string): MeshSettings["services"] {
    return settings.services.filter((service) => service.namespace === namespace);
}

/**
 * The mesh data plane of a Lattice namespace: VPC Lattice delivers requests and health checks from
 * its managed prefix lists to the services' ports, and any pod of the namespace may call Lattice
 * services at those addresses on the listener port. `latticeCidrs` are the lists' entries, read from EC2 at deploy time.
 */
export function latticeDataPlaneAllows(settings: MeshSettings, namespace: string, latticeCidrs: pulumi.Input<string[]>): NamedNetworkPolicy[] {
    const services = servicesIn(settings, namespace);
    const peers = pulumi.output(latticeCidrs).apply((cidrs) => cidrs.map((cidr) => ({ ipBlock: { cidr } })));
    const allows: NamedNetworkPolicy[] = [];
    if (services.length > 0) {
        allows.push({
            name: "allow-vpc-lattice-ingress",
            spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: peers, ports: tcp(services.map((service) => service.port)) }] },
        });
    }
    // Every member of the service network may call every route (narrowed by iamAuth), so every pod may reach the listener.
    allows.push({
        name: "allow-vpc-lattice-egress",
        spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: peers, ports: tcp([LATTICE_LISTENER_PORT]) }] },
    });
    return allows;
}

/**
 * The mesh data plane of an App Mesh namespace: Envoy sidecars of the mesh's namespaces connect to
 * each other on the services' ports, and every Envoy streams its configuration from the App Mesh
 * management endpoint (and its credentials from STS) over TCP 443.
 */
export function appMeshDataPlaneAllows(settings: MeshSettings, namespace: string, meshName: string): NamedNetworkPolicy[] {
    const members = [{ namespaceSelector: { matchLabels: { [MESH_MEMBER_LABEL]: meshName } } }];
    const services = servicesIn(settings, namespace);
    const allows: NamedNetworkPolicy[] = [
        {
            name: "allow-app-mesh-envoy",
            spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: tcp([443]) }] },
        },
    ];
    if (services.length > 0) {
        allows.push({
            name: "allow-app-mesh-ingress",
            spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: members, ports: tcp(services.map((service) => service.port)) }] },
        });
    }
    if (services.some((service) => service.calls.length > 0)) {
        allows.push({
            name: "allow-app-mesh-egress",
            spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: members, ports: tcp(settings.services.map((service) => service.port)) }] },
        });
    }
    return allows;
}
