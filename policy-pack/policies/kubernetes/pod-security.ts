// The Pod Security Standards "restricted" profile, control by control
// (https://kubernetes.io/docs/concepts/security/pod-security-standards/). Pod Security
// Admission enforces the same profile in the cluster through namespace labels; these rules
// catch violations at preview, before anything reaches the API server.
import { effectiveSecurityContextValue, workloadGuardrail } from "../../lib/pod-security";
import { decideAll, decideEach } from "../../lib/unknown";
import { asArray } from "../../lib/values";
import { describeContainer, forEachContainer, namespaceOf, podTemplateOf } from "../../lib/workloads";

export const pssPrivileged = workloadGuardrail({
    name: "pss-privileged",
    description: "No container runs privileged.",
    controls: ["CKV_K8S_16", "AVD-KSV-0017", "CIS EKS 4.2.1", "PSS: Privileged Containers"],
    remediation: "Remove securityContext.privileged (or set it to false); grant the specific capability instead if one is truly needed.",
    check: (workload, _podSpec, _config, report) => {
        forEachContainer(workload, (container) => {
            if (container.spec.securityContext?.privileged === true) {
                report(`${describeContainer(container)} is privileged.`);
            }
        });
    },
});

export const pssHostNamespaces = workloadGuardrail({
    name: "pss-host-namespaces",
    description: "Pods do not share the node's network, PID or IPC namespace.",
    controls: [
        "CKV_K8S_17",
        "CKV_K8S_18",
        "CKV_K8S_19",
        "AVD-KSV-0008",
        "AVD-KSV-0009",
        "AVD-KSV-0010",
        "CIS EKS 4.2.2",
        "CIS EKS 4.2.3",
        "CIS EKS 4.2.4",
        "PSS: Host Namespaces",
    ],
    remediation: "Remove hostNetwork, hostPID and hostIPC from the pod spec.",
    check: (_workload, podSpec, _config, report) => {
        decideAll(
            ...(["hostNetwork", "hostPID", "hostIPC"] as const).map((field) => () => {
                if (podSpec[field] === true) {
                    report(`${field} is true.`);
                }
            }),
        );
    },
});

export const pssPrivilegeEscalation = workloadGuardrail({
    name: "pss-privilege-escalation",
    description: "Every container sets allowPrivilegeEscalation: false (the restricted profile requires it explicitly).",
    controls: ["CKV_K8S_20", "AVD-KSV-0001", "CIS EKS 4.2.5", "PSS: Privilege Escalation"],
    remediation: "Set securityContext.allowPrivilegeEscalation: false on every container; it defaults to true.",
    check: (workload, _podSpec, _config, report) => {
        forEachContainer(workload, (container) => {
            if (container.spec.securityContext?.allowPrivilegeEscalation !== false) {
                report(`${describeContainer(container)} does not set allowPrivilegeEscalation: false.`);
            }
        });
    },
});

export const pssRunAsNonRoot = workloadGuardrail({
    name: "pss-run-as-non-root",
    description: "Every container must run as non-root: runAsNonRoot is true and runAsUser is not 0.",
    controls: ["CKV_K8S_23", "AVD-KSV-0012", "AVD-KSV-0105", "PSS: Running as Non-root", "PSS: Running as Non-root user"],
    remediation: "Set securityContext.runAsNonRoot: true (pod or container) and a non-zero runAsUser, ideally above 10000.",
    check: (workload, podSpec, _config, report) => {
        forEachContainer(workload, (container) => {
            if (effectiveSecurityContextValue(podSpec, container.spec, "runAsNonRoot") !== true) {
                report(`${describeContainer(container)} is not required to run as non-root.`);
            }
            if (effectiveSecurityContextValue(podSpec, container.spec, "runAsUser") === 0) {
                report(`${describeContainer(container)} runs as UID 0.`);
            }
        });
    },
});

const ADDABLE_CAPABILITIES = ["NET_BIND_SERVICE"];

export const pssCapabilities = workloadGuardrail({
    name: "pss-capabilities",
    description: "Every container drops ALL capabilities and adds back at most NET_BIND_SERVICE.",
    controls: ["CKV_K8S_25", "CKV_K8S_28", "CKV_K8S_37", "CKV_K8S_39", "AVD-KSV-0003", "AVD-KSV-0106", "PSS: Capabilities"],
    remediation: 'Set securityContext.capabilities: { drop: ["ALL"] } and add only NET_BIND_SERVICE when binding ports below 1024.',
    check: (workload, _podSpec, _config, report) => {
        forEachContainer(workload, (container) => {
            const capabilities = container.spec.securityContext?.capabilities;
            if (!asArray(capabilities?.drop).includes("ALL")) {
                report(`${describeContainer(container)} does not drop ALL capabilities.`);
            }
            const added = asArray<string>(capabilities?.add).filter((capability) => !ADDABLE_CAPABILITIES.includes(capability));
            if (added.length > 0) {
                report(`${describeContainer(container)} adds ${added.join(", ")}.`);
            }
        });
    },
});

const ALLOWED_PROFILE_TYPES = ["RuntimeDefault", "Localhost"];

export const pssSeccomp = workloadGuardrail({
    name: "pss-seccomp",
    description: "Every container runs under the RuntimeDefault or a Localhost seccomp profile, set explicitly.",
    controls: ["CKV_K8S_31", "AVD-KSV-0030", "AVD-KSV-0104", "PSS: Seccomp"],
    remediation: 'Set securityContext.seccompProfile: { type: "RuntimeDefault" } at pod level (containers inherit it).',
    check: (workload, podSpec, _config, report) => {
        forEachContainer(workload, (container) => {
            const type = effectiveSecurityContextValue(podSpec, container.spec, "seccompProfile")?.type;
            if (!ALLOWED_PROFILE_TYPES.includes(type)) {
                report(`${describeContainer(container)} has seccomp profile ${type ?? "unset"}.`);
            }
        });
    },
});

// The restricted profile's volume allowlist; hostPath is admitted only by the config's
// exemptions: read-only ones (a log shipper reading /var/log) and, rarer, writable ones (the same
// shipper's read-position database, which must survive pod restarts or logs are lost or repeated).
const ALLOWED_VOLUME_SOURCES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

interface HostPathExemption {
    namespace: string;
    paths: string[];
}

interface VolumeTypesConfig {
    exemptNamespaces: string[];
    readOnlyHostPathExemptions: HostPathExemption[];
    writableHostPathExemptions: HostPathExemption[];
}

export const pssVolumeTypes = workloadGuardrail<VolumeTypesConfig>({
    name: "pss-volume-types",
    description: "Pods use only the restricted profile's volume types; hostPath only where the config exempts a path, and only read-only.",
    controls: ["CKV_K8S_27", "AVD-KSV-0023", "AVD-KSV-0028", "PSS: HostPath Volumes", "PSS: Volume Types"],
    remediation:
        "Use configMap, secret, projected, emptyDir, persistentVolumeClaim, csi, ephemeral or downwardAPI volumes. A system add-on " +
        "that must read host files (Fluent Bit reading /var/log) gets a readOnlyHostPathExemptions entry for its namespace and path, " +
        "and mounts it readOnly: true.",
    extraConfigSchema: {
        readOnlyHostPathExemptions: {
            type: "array",
            items: {
                type: "object",
                properties: { namespace: { type: "string" }, paths: { type: "array", items: { type: "string" } } },
                required: ["namespace", "paths"],
            },
            description: "hostPath volumes allowed read-only, per namespace.",
            default: [],
        },
        writableHostPathExemptions: {
            type: "array",
            items: {
                type: "object",
                properties: { namespace: { type: "string" }, paths: { type: "array", items: { type: "string" } } },
                required: ["namespace", "paths"],
            },
            description: "hostPath volumes allowed writable, per namespace: state a system add-on must keep on the node.",
            default: [],
        },
    },
    check: (workload, podSpec, config, report) => {
        const pathsFor = (exemptions: HostPathExemption[]) =>
            exemptions.filter((exemption) => exemption.namespace === namespaceOf(workload)).flatMap((exemption) => exemption.paths);
        const readOnlyPaths = pathsFor(config.readOnlyHostPathExemptions);
        const writablePaths = pathsFor(config.writableHostPathExemptions);
        decideEach(asArray(podSpec.volumes), (volume: Record<string, any>) => {
            const source = Object.keys(volume).find((key) => key !== "name");
            if (source === "hostPath") {
                const path = volume.hostPath.path;
                if (writablePaths.includes(path)) {
                    return;
                }
                if (!readOnlyPaths.includes(path)) {
                    report(`Volume "${volume.name}" mounts host path ${path}.`);
                    return;
                }
                forEachContainer(workload, (container) => {
                    const writable = asArray(container.spec.volumeMounts).some(
                        (mount: Record<string, any>) => mount.name === volume.name && mount.readOnly !== true,
                    );
                    if (writable) {
                        report(`${describeContainer(container)} mounts exempt host path ${path} writable.`);
                    }
                });
            } else if (source !== undefined && !ALLOWED_VOLUME_SOURCES.includes(source)) {
                report(`Volume "${volume.name}" is of type ${source}.`);
            }
        });
    },
});

export const pssHostPorts = workloadGuardrail({
    name: "pss-host-ports",
    description: "No container binds a host port.",
    controls: ["CKV_K8S_26", "AVD-KSV-0024", "PSS: Host Ports"],
    remediation: "Remove ports[].hostPort and expose the port through a Service.",
    check: (workload, _podSpec, _config, report) => {
        forEachContainer(workload, (container) => {
            decideEach(asArray(container.spec.ports), (port: Record<string, any>) => {
                if (port.hostPort !== undefined && port.hostPort !== 0) {
                    report(`${describeContainer(container)} binds host port ${port.hostPort}.`);
                }
            });
        });
    },
});

export const pssProcMount = workloadGuardrail({
    name: "pss-proc-mount",
    description: "Containers keep the default /proc mask.",
    controls: ["AVD-KSV-0027", "PSS: /proc Mount Type"],
    remediation: 'Remove securityContext.procMount or set it to "Default".',
    check: (workload, _podSpec, _config, report) => {
        forEachContainer(workload, (container) => {
            const procMount = container.spec.securityContext?.procMount;
            if (procMount !== undefined && procMount !== "Default") {
                report(`${describeContainer(container)} sets procMount ${procMount}.`);
            }
        });
    },
});

interface SysctlsConfig {
    exemptNamespaces: string[];
    safeSysctls: string[];
}

export const pssSysctls = workloadGuardrail<SysctlsConfig>({
    name: "pss-sysctls",
    description: "Pods set only the namespaced, isolated sysctls that the Pod Security Standards call safe.",
    controls: ["AVD-KSV-0026", "PSS: Sysctls"],
    remediation: "Remove the sysctl, or tune it on the node (launch template user data) if every pod on the node may share it.",
    extraConfigSchema: {
        safeSysctls: {
            type: "array",
            items: { type: "string" },
            description: "The PSS safe sysctl set of the cluster's Kubernetes version.",
            default: [
                "kernel.shm_rmid_forced",
                "net.ipv4.ip_local_port_range",
                "net.ipv4.ip_unprivileged_port_start",
                "net.ipv4.tcp_syncookies",
                "net.ipv4.ping_group_range",
                "net.ipv4.ip_local_reserved_ports",
                "net.ipv4.tcp_keepalive_time",
                "net.ipv4.tcp_fin_timeout",
                "net.ipv4.tcp_keepalive_intvl",
                "net.ipv4.tcp_keepalive_probes",
            ],
        },
    },
    check: (_workload, podSpec, config, report) => {
        decideEach(asArray(podSpec.securityContext?.sysctls), (sysctl: Record<string, any>) => {
            if (!config.safeSysctls.includes(sysctl.name)) {
                report(`Sysctl ${sysctl.name} is not in the safe set.`);
            }
        });
    },
});

const ALLOWED_SELINUX_TYPES = ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

export const pssSelinux = workloadGuardrail({
    name: "pss-selinux",
    description: "SELinux options keep a container type and set no custom user or role.",
    controls: ["AVD-KSV-0025", "PSS: SELinux"],
    remediation: "Remove seLinuxOptions.user and .role; leave type unset or one of container_t, container_init_t, container_kvm_t, container_engine_t.",
    check: (workload, podSpec, _config, report) => {
        const checkOptions = (where: string, options: Record<string, any> | undefined) => {
            if (!options) {
                return;
            }
            if (options.type !== undefined && !ALLOWED_SELINUX_TYPES.includes(options.type)) {
                report(`${where} sets SELinux type ${options.type}.`);
            }
            if (options.user !== undefined || options.role !== undefined) {
                report(`${where} sets a custom SELinux user or role.`);
            }
        };
        decideAll(
            () => checkOptions("The pod", podSpec.securityContext?.seLinuxOptions),
            () => forEachContainer(workload, (container) => checkOptions(describeContainer(container), container.spec.securityContext?.seLinuxOptions)),
        );
    },
});

const APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

export const pssAppArmor = workloadGuardrail({
    name: "pss-apparmor",
    description: "AppArmor is never switched to unconfined: profiles are RuntimeDefault or Localhost.",
    controls: ["AVD-KSV-0002", "PSS: AppArmor"],
    remediation: 'Remove the override, or set appArmorProfile: { type: "RuntimeDefault" } (legacy annotation value runtime/default).',
    check: (workload, podSpec, _config, report) => {
        const checkProfile = (where: string, profile: Record<string, any> | undefined) => {
            if (profile && !ALLOWED_PROFILE_TYPES.includes(profile.type)) {
                report(`${where} uses AppArmor profile ${profile.type}.`);
            }
        };
        const annotations: Record<string, any> = podTemplateOf(workload).metadata.annotations ?? {};
        decideAll(
            () => checkProfile("The pod", podSpec.securityContext?.appArmorProfile),
            () => forEachContainer(workload, (container) => checkProfile(describeContainer(container), container.spec.securityContext?.appArmorProfile)),
            () =>
                decideEach(
                    Object.keys(annotations).filter((key) => key.startsWith(APPARMOR_ANNOTATION_PREFIX)),
                    (key) => {
                        const value = annotations[key];
                        if (value !== "runtime/default" && !String(value).startsWith("localhost/")) {
                            report(`Annotation ${key} is ${value}.`);
                        }
                    },
                ),
        );
    },
});
