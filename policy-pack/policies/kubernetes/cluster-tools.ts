// Cluster tools with a history of handing out cluster-admin: Helm 2's Tiller (an unauthenticated
// in-cluster API that installs anything) and the Kubernetes Dashboard (often deployed with a
// privileged service account and exposed).
import { kindOf, objectOf, SERVICE_TYPES } from "../../lib/kubernetes";
import { resourceGuardrail } from "../../lib/policy";
import { forEachContainer, podTemplateOf, WORKLOAD_TYPES } from "../../lib/workloads";

function isTillerOrDashboardImage(image: string | undefined): string | undefined {
    const text = image ?? "";
    if (text.includes("tiller")) {
        return "Tiller";
    }
    if (text.includes("kubernetes-dashboard") || text.includes("kubernetesui/")) {
        return "the Kubernetes Dashboard";
    }
    return undefined;
}

function toolByLabels(labels: Record<string, string> | undefined): string | undefined {
    if (labels?.app === "helm" || labels?.name === "tiller") {
        return "Tiller";
    }
    if (labels?.app === "kubernetes-dashboard" || labels?.["k8s-app"] === "kubernetes-dashboard") {
        return "the Kubernetes Dashboard";
    }
    return undefined;
}

export const clusterNoTillerOrDashboard = resourceGuardrail({
    name: "cluster-no-tiller-or-dashboard",
    description: "Neither Helm 2's Tiller nor the Kubernetes Dashboard is deployed or exposed by a Service.",
    enforcementLevel: "mandatory",
    controls: ["CKV_K8S_33", "CKV_K8S_34", "CKV_K8S_44", "CKV_K8S_45", "AVD-KSV-0102"],
    remediation:
        "Deploy with Helm 3 or Pulumi (no in-cluster server), and look at the cluster through the EKS console or read-only " +
        "tooling under an access entry instead of a Dashboard.",
    resourceTypes: [...WORKLOAD_TYPES, ...SERVICE_TYPES],
    validate: (resource, _config, report) => {
        const object = objectOf<{ spec?: { selector?: Record<string, string> } }>(resource);
        const metadata = object.metadata ?? {};
        if (kindOf(resource) === "Service") {
            const values = [metadata.name ?? "", ...Object.values(metadata.labels ?? {}), ...Object.values(object.spec?.selector ?? {})];
            if (values.some((value) => value.toLowerCase().includes("tiller"))) {
                report("The Service exposes Tiller.");
            }
            return;
        }
        const tool = (metadata.name?.includes("tiller") ? "Tiller" : undefined) ?? toolByLabels(podTemplateOf(resource).metadata.labels);
        if (tool) {
            report(`The workload runs ${tool}.`);
            return;
        }
        forEachContainer(resource, (container) => {
            const imageTool = isTillerOrDashboardImage(container.spec.image);
            if (imageTool) {
                report(`Container "${container.name}" runs ${imageTool} (${container.spec.image ?? ""}).`);
            }
        });
    },
});
