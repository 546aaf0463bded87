import { workloadGuardrail } from "../../lib/pod-security";
import { asArray, matchesWildcard } from "../../lib/values";
import { decideEach } from "../../lib/unknown";
import { isPatch, kindOf, leftToLiveObject, namespaceOf } from "../../lib/kubernetes";
import { describeContainer, forEachContainer } from "../../lib/workloads";

export const containerReadOnlyRootFilesystem = workloadGuardrail({
    name: "container-read-only-root-filesystem",
    description: "Containers mount their root filesystem read-only; writable paths are explicit emptyDir volumes.",
    enforcementLevel: "advisory",
    controls: ["CKV_K8S_22", "AVD-KSV-0014"],
    remediation: "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process must write.",
    check: (workload, _podSpec, _config, report) => {
        forEachContainer(workload, (container) => {
            const readOnly = container.spec.securityContext?.readOnlyRootFilesystem;
            if (container.list !== "ephemeralContainers" && readOnly !== true && !leftToLiveObject(workload, readOnly)) {
                report(`${describeContainer(container)} has a writable root filesystem.`);
            }
        });
    },
});

export const containerResourceRequestsLimits = workloadGuardrail({
    name: "container-resource-requests-limits",
    description: "Every container requests and limits CPU and memory, so the scheduler and the Cluster Autoscaler can size nodes.",
    controls: ["CKV_K8S_10", "CKV_K8S_11", "CKV_K8S_12", "CKV_K8S_13", "AVD-KSV-0011", "AVD-KSV-0015", "AVD-KSV-0016", "AVD-KSV-0018"],
    remediation: "Set resources.requests.{cpu,memory} and resources.limits.{cpu,memory} on every container and init container.",
    check: (workload, _podSpec, _config, report) => {
        forEachContainer(workload, (container) => {
            // Ephemeral (debug) containers may not declare resources; a patch keeps the live ones it does not name.
            if (container.list === "ephemeralContainers" || isPatch(workload)) {
                return;
            }
            const resources = container.spec.resources ?? {};
            const missing = (["requests", "limits"] as const).flatMap((kind) =>
                (["cpu", "memory"] as const).filter((resource) => resources[kind]?.[resource] === undefined).map((resource) => `${kind}.${resource}`),
            );
            if (missing.length > 0) {
                report(`${describeContainer(container)} lacks ${missing.join(", ")}.`);
            }
        });
    },
});

interface ImagePinConfig {
    exemptNamespaces: string[];
    requireDigest: boolean;
    tagAllowedNamespaces: string[];
}

/** Splits an image reference into registry host, tag and digest, as the container runtime does. */
function parseImage(image: string): { registry: string; tag?: string; digest?: string } {
    const [withoutDigest, digest] = image.split("@");
    const firstSlash = withoutDigest.indexOf("/");
    const firstComponent = firstSlash === -1 ? "" : withoutDigest.slice(0, firstSlash);
    // The first component is a registry host only if it looks like one; otherwise Docker Hub.
    const hasRegistry = firstComponent.includes(".") || firstComponent.includes(":") || firstComponent === "localhost";
    const registry = hasRegistry ? firstComponent : "docker.io";
    const lastComponent = withoutDigest.slice(withoutDigest.lastIndexOf("/") + 1);
    const tag = lastComponent.includes(":") ? lastComponent.slice(lastComponent.indexOf(":") + 1) : undefined;
    return { registry, tag, digest };
}

export const containerImagePinned = workloadGuardrail<ImagePinConfig>({
    name: "container-image-pinned",
    description: "Images are pinned: a tag other than latest, or a digest (required where requireDigest is set).",
    controls: ["CKV_K8S_14", "CKV_K8S_43", "AVD-KSV-0013"],
    remediation: "Reference images as registry/repo:1.2.3 or, better, registry/repo@sha256:<digest>.",
    extraConfigSchema: {
        requireDigest: {
            type: "boolean",
            description: "Require every image to be referenced by digest.",
            default: false,
        },
        tagAllowedNamespaces: {
            type: "array",
            items: { type: "string" },
            description: "Namespaces where a fixed tag suffices even when requireDigest is set (list the reason in the config README).",
            default: [],
        },
    },
    check: (workload, _podSpec, config, report) => {
        const digestRequired = config.requireDigest && !config.tagAllowedNamespaces.includes(namespaceOf(workload));
        forEachContainer(workload, (container) => {
            const image: string | undefined = container.spec.image;
            if (!image) {
                if (!leftToLiveObject(workload, image)) {
                    report(`${describeContainer(container)} names no image.`);
                }
                return;
            }
            const { tag, digest } = parseImage(image);
            if (digest) {
                return;
            }
            if (digestRequired) {
                report(`${describeContainer(container)} image ${image} is not pinned by digest.`);
            } else if (tag === undefined || tag === "latest") {
                report(`${describeContainer(container)} image ${image} is ${tag === undefined ? "untagged" : "tagged latest"}.`);
            }
        });
    },
});

interface RegistryConfig {
    exemptNamespaces: string[];
    allowedRegistries: string[];
}

export const containerImageRegistryAllowed = workloadGuardrail<RegistryConfig>({
    name: "container-image-registry-allowed",
    description: "Images come only from approved registries.",
    controls: ["CIS EKS 5.1.4", "AVD-KSV-0125"],
    remediation: "Mirror the image into the platform's ECR (pull-through cache) or add the registry, after review, to allowedRegistries.",
    extraConfigSchema: {
        allowedRegistries: {
            type: "array",
            items: { type: "string" },
            description: "Registry hosts; `*` matches any run of characters.",
            default: ["*.dkr.ecr.*.amazonaws.com", "public.ecr.aws", "registry.k8s.io"],
        },
    },
    check: (workload, _podSpec, config, report) => {
        forEachContainer(workload, (container) => {
            const image: string | undefined = container.spec.image;
            if (!image) {
                return;
            }
            const { registry } = parseImage(image);
            if (!config.allowedRegistries.some((pattern) => matchesWildcard(pattern, registry))) {
                report(`${describeContainer(container)} pulls from ${registry}.`);
            }
        });
    },
});

export const containerProbes = workloadGuardrail({
    name: "container-probes",
    description: "Long-running containers declare liveness and readiness probes.",
    enforcementLevel: "advisory",
    controls: ["CKV_K8S_8", "CKV_K8S_9"],
    remediation: "Add livenessProbe and readinessProbe to each long-running container (Jobs and CronJobs run to completion and are exempt).",
    check: (workload, _podSpec, _config, report) => {
        // Run-to-completion kinds need no probes; a patch keeps the probes it does not name.
        if (["Job", "CronJob"].includes(kindOf(workload)) || isPatch(workload)) {
            return;
        }
        forEachContainer(workload, (container) => {
            if (container.list !== "containers") {
                return;
            }
            const missing = (["livenessProbe", "readinessProbe"] as const).filter((probe) => !container.spec[probe]);
            if (missing.length > 0) {
                report(`${describeContainer(container)} lacks ${missing.join(" and ")}.`);
            }
        });
    },
});

export const workloadNotInDefaultNamespace = workloadGuardrail({
    name: "workload-not-in-default-namespace",
    description: "Workloads run in their own namespace, not default (an absent namespace means default).",
    controls: ["CKV_K8S_21", "AVD-KSV-0110", "CIS EKS 4.5.2"],
    remediation: "Set metadata.namespace to the team or add-on namespace, labelled for Pod Security Admission.",
    check: (workload, _podSpec, _config, report) => {
        if (namespaceOf(workload) === "default") {
            report("The workload is in the default namespace.");
        }
    },
});

export const workloadNotInKubeSystem = workloadGuardrail({
    name: "workload-not-in-kube-system",
    description: "Workloads stay out of kube-system, which belongs to EKS and its managed add-ons.",
    controls: ["AVD-KSV-0037"],
    remediation: "Run the workload in its own namespace (the platform's controllers use platform-system); kube-system is EKS's.",
    check: (workload, _podSpec, _config, report) => {
        if (namespaceOf(workload) === "kube-system") {
            report("The workload is in kube-system.");
        }
    },
});

// git-sync runs whatever binary its --git flag or GITSYNC_GIT names: whoever can set either runs code in the pod.
const GIT_SYNC_BINARY_ENV = ["GITSYNC_GIT", "GIT_SYNC_GIT"];

export const containerNoGitSyncBinaryOverride = workloadGuardrail({
    name: "container-no-git-sync-binary-override",
    description: "No container tells git-sync which git binary to run (GITSYNC_GIT or --git), a known code-execution path.",
    controls: ["CKV_K8S_159"],
    remediation: "Remove GITSYNC_GIT / GIT_SYNC_GIT and --git; git-sync's image ships the git it needs.",
    check: (workload, _podSpec, _config, report) => {
        forEachContainer(workload, (container) => {
            decideEach(asArray(container.spec.env), (variable) => {
                if (variable.name !== undefined && GIT_SYNC_BINARY_ENV.includes(variable.name)) {
                    report(`${describeContainer(container)} sets ${variable.name}.`);
                }
            });
            decideEach([...asArray(container.spec.command), ...asArray(container.spec.args)], (argument) => {
                if (argument === "--git" || argument.startsWith("--git=")) {
                    report(`${describeContainer(container)} passes ${argument}.`);
                }
            });
        });
    },
});

export const podNoHostAliases = workloadGuardrail({
    name: "pod-no-host-aliases",
    description: "Pods resolve names through cluster DNS, not through entries written into their /etc/hosts.",
    enforcementLevel: "advisory",
    controls: ["AVD-KSV-0007"],
    remediation: "Remove spec.hostAliases; publish the name in DNS (a Service, an ExternalName or a Route 53 record) instead.",
    check: (_workload, podSpec, _config, report) => {
        if (asArray(podSpec.hostAliases).length > 0) {
            report("The pod writes hostAliases into /etc/hosts.");
        }
    },
});

export const containerUnprivilegedPorts = workloadGuardrail({
    name: "container-unprivileged-ports",
    description: "Containers listen on ports from 1024 up, which need no NET_BIND_SERVICE capability.",
    enforcementLevel: "advisory",
    controls: ["AVD-KSV-0117"],
    remediation: "Listen on 1024 or above (8080, 8443) and map the well-known port in the Service (port: 80, targetPort: 8080).",
    check: (workload, _podSpec, _config, report) => {
        forEachContainer(workload, (container) => {
            decideEach(asArray(container.spec.ports), (port) => {
                if (typeof port.containerPort === "number" && port.containerPort < 1024) {
                    report(`${describeContainer(container)} listens on privileged port ${port.containerPort}.`);
                }
            });
        });
    },
});
