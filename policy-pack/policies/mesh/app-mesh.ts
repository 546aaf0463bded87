import { resourceGuardrail, type ResourceView } from "../../lib/policy";

export const HELM_TYPES = ["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v3:Release"];

/** The chart name of a Helm chart or release, without repository prefix or OCI path. */
export function helmChartName(resource: ResourceView): string | undefined {
    const chart: unknown = resource.props.chart;
    return typeof chart === "string" ? chart.split("/").pop() : undefined;
}

const FLAGGER_CANARY = "kubernetes:flagger.app/v1beta1:Canary";

// Advisory by default because the platform lets teams select the App Mesh backend (it renders the
// configuration they asked for, and eases migration); prod's config makes it mandatory, since a
// discontinued service cannot carry production traffic.
export const appMeshDiscontinued = resourceGuardrail({
    name: "app-mesh-discontinued",
    description:
        "AWS App Mesh was discontinued on 2026-09-30: its API no longer serves requests, so App Mesh resources are flagged everywhere and refused in prod.",
    enforcementLevel: "advisory",
    controls: [],
    platformSpecific: "AWS discontinued App Mesh on 2026-09-30; a lifecycle rule of this platform, not a benchmark control",
    remediation:
        "Migrate service-to-service networking to Amazon VPC Lattice through the AWS Gateway API Controller " +
        "(GatewayClass amazon-vpc-lattice, Gateway/HTTPRoute), then remove the App Mesh controller, its custom resources and aws.appmesh resources.",
    resourceTypes: ["kubernetes:appmesh.k8s.aws/v1beta2:*", "aws:appmesh/*", FLAGGER_CANARY, ...HELM_TYPES],
    validate: (resource, _config, report) => {
        if (resource.type === FLAGGER_CANARY) {
            // A Canary on Flagger's App Mesh provider makes Flagger create virtual nodes, routers and services at run time.
            const provider = (resource.props.spec as { provider?: unknown } | undefined)?.provider;
            if (typeof provider === "string" && provider.startsWith("appmesh")) {
                report(
                    `The Flagger Canary uses provider ${provider}: Flagger creates App Mesh resources for it; AWS App Mesh was discontinued on 2026-09-30 (use the lattice mesh backend, provider gatewayapi:v1).`,
                );
            }
            return;
        }
        if (HELM_TYPES.includes(resource.type)) {
            if (helmChartName(resource) === "appmesh-controller") {
                report("The appmesh-controller chart installs AWS App Mesh, discontinued on 2026-09-30; use the lattice mesh backend.");
            }
            return;
        }
        report(`${resource.type} is an App Mesh resource; AWS App Mesh was discontinued on 2026-09-30 (use the lattice mesh backend).`);
    },
});
