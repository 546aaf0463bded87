import { resourceGuardrail, type ResourceView } from "../../lib/policy";

export const HELM_TYPES = ["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v3:Release"];

/** The chart name of a Helm chart or release, without repository prefix or OCI path. */
export function helmChartName(resource: ResourceView): string | undefined {
    const chart = resource.props.chart;
    return typeof chart === "string" ? chart.split("/").pop() : undefined;
}

export const appMeshDiscontinued = resourceGuardrail({
    name: "app-mesh-discontinued",
    description: "AWS App Mesh was discontinued on 2026-09-30; nothing may deploy or depend on it.",
    enforcementLevel: "mandatory",
    controls: [],
    remediation:
        "Migrate service-to-service networking to Amazon VPC Lattice through the AWS Gateway API Controller " +
        "(GatewayClass amazon-vpc-lattice, Gateway/HTTPRoute), then remove the App Mesh controller, its custom resources and aws.appmesh resources.",
    resourceTypes: ["kubernetes:appmesh.k8s.aws/v1beta2:*", "aws:appmesh/*", ...HELM_TYPES],
    validate: (resource, _config, report) => {
        if (HELM_TYPES.includes(resource.type)) {
            if (helmChartName(resource) === "appmesh-controller") {
                report("The appmesh-controller chart installs a discontinued service.");
            }
            return;
        }
        report(`${resource.type} is an App Mesh resource.`);
    },
});
