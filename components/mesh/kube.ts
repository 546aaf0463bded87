/** A Kubernetes object as a plain value: what the renderers produce and the Mesh component creates. */
export interface KubeObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    spec: Record<string, unknown>;
}

/** A namespace the mesh declaration uses, with the labels its backend needs. */
interface MeshNamespace {
    name: string;
    labels: Record<string, string>;
}

/** What a backend renders a mesh declaration to: namespaces first, then objects in dependency order. */
export interface RenderedMesh {
    namespaces: MeshNamespace[];
    objects: KubeObject[];
}

/** Label that marks a namespace as a member of one mesh (Gateway route selector, App Mesh namespaceSelector). */
export const MESH_MEMBER_LABEL = "eks-platform/mesh";

/** Namespaces named by services and routes, in declaration order, without repeats. */
export function declaredNamespaces(services: { namespace: string }[], routes: { namespace: string }[]): string[] {
    return [...new Set([...services.map((s) => s.namespace), ...routes.map((r) => r.namespace)])];
}

/** Cluster-local DNS name of a Service. */
export function serviceHostname(name: string, namespace: string): string {
    return `${name}.${namespace}.svc.cluster.local`;
}
