// The Pod Security Standards "restricted" profile, control by control
// (https://kubernetes.io/docs/concepts/security/pod-security-standards/). Pod Security
// Admission enforces the same profile in the cluster through namespace labels; these rules
// catch violations at preview, before anything reaches the API server.
import { effectiveSecurityContextValue, workloadGuardrail } from "../../lib/pod-security";
import { decideAll, decideEach } from "../../lib/unknown";
import { asArray } from "../../lib/values";
import { leftToLiveObject, namespaceOf, type Handler, type SecurityContext } from "../../lib/kubernetes";
import { describeContainer, forEachContainer, podTemplateOf } from "../../lib/workloads";

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
    // A container without any securityContext (CKV_K8S_30) necessarily lacks the setting.
    controls: ["CKV_K8S_20", "CKV_K8S_30", "AVD-KSV-0001", "CIS EKS 4.2.5", "PSS: Privilege Escalation"],
    remediation: "Set securityContext.allowPrivilegeEscalation: false on every container; it defaults to true.",
    check: (workload, _podSpec, _config, report) => {
        forEachContainer(workload, (container) => {
            const allowed = container.spec.securityContext?.allowPrivilegeEscalation;
            if (allowed !== false && !leftToLiveObject(workload, allowed)) {
                report(
                    container.spec.securityContext
                        ? `${describeContainer(container)} does not set allowPrivilegeEscalation: false.`
                        : `${describeContainer(container)} has no securityContext, so privilege escalation is allowed.`,
                );
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
            const nonRoot = effectiveSecurityContextValue(podSpec, container.spec, "runAsNonRoot");
            if (nonRoot !== true && !leftToLiveObject(workload, nonRoot)) {
                report(`${describeContainer(container)} is not required to run as non-root.`);
            }
            if (effectiveSecurityContextValue(podSpec, container.spec, "runAsUser") === 0) {
                report(`${describeContainer(container)} runs as UID 0.`);
            }
        });
    },
});

interface CapabilitiesConfig {
    exemptNamespaces: string[];
    addableCapabilities: string[];
}

export const pssCapabilities = workloadGuardrail<CapabilitiesConfig>({
    name: "pss-capabilities",
    description: "Every container drops ALL capabilities and adds back at most NET_BIND_SERVICE (the restricted profile's one exception).",
    // CKV_K8S_25 and AVD-KSV-0022 flag any added capability; addableCapabilities: [] makes this rule do the same.
    controls: [
        "CKV_K8S_25",
        "CKV_K8S_28",
        "CKV_K8S_37",
        "CKV_K8S_39",
        "AVD-KSV-0003",
        "AVD-KSV-0004",
        "AVD-KSV-0005",
        "AVD-KSV-0022",
        "AVD-KSV-0106",
        "AVD-KSV-0119",
        "AVD-KSV-0120",
        "PSS: Capabilities",
    ],
    remediation: 'Set securityContext.capabilities: { drop: ["ALL"] } and add only NET_BIND_SERVICE when binding ports below 1024.',
    extraConfigSchema: {
        addableCapabilities: {
            type: "array",
            items: { type: "string" },
            description: "Capabilities a container may add back after dropping ALL.",
            default: ["NET_BIND_SERVICE"],
        },
    },
    check: (workload, _podSpec, config, report) => {
        forEachContainer(workload, (container) => {
            const capabilities = container.spec.securityContext?.capabilities;
            if (!asArray(capabilities?.drop).includes("ALL") && !leftToLiveObject(workload, capabilities?.drop)) {
                report(`${describeContainer(container)} does not drop ALL capabilities.`);
            }
            const added = asArray<string>(capabilities?.add).filter((capability) => !config.addableCapabilities.includes(capability));
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
            const profile = effectiveSecurityContextValue(podSpec, container.spec, "seccompProfile");
            const type = profile?.type;
            if (!ALLOWED_PROFILE_TYPES.includes(type ?? "") && !leftToLiveObject(workload, profile)) {
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
    // Every hostPath outside the exemptions fails, the Docker socket (CKV_K8S_27, AVD-KSV-0006) and
    // the host's system directories (AVD-KSV-0121) included.
    controls: ["CKV_K8S_27", "AVD-KSV-0006", "AVD-KSV-0023", "AVD-KSV-0028", "AVD-KSV-0121", "PSS: HostPath Volumes", "PSS: Volume Types"],
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
        decideEach(asArray(podSpec.volumes), (volume) => {
            const source = Object.keys(volume).find((key) => key !== "name");
            if (source === "hostPath") {
                const path = String(volume.hostPath?.path);
                if (writablePaths.includes(path)) {
                    return;
                }
                if (!readOnlyPaths.includes(path)) {
                    report(`Volume "${volume.name ?? "<unnamed>"}" mounts host path ${path}.`);
                    return;
                }
                forEachContainer(workload, (container) => {
                    const writable = asArray(container.spec.volumeMounts).some((mount) => mount.name === volume.name && mount.readOnly !== true);
                    if (writable) {
                        report(`${describeContainer(container)} mounts exempt host path ${path} writable.`);
                    }
                });
            } else if (source !== undefined && !ALLOWED_VOLUME_SOURCES.includes(source)) {
                report(`Volume "${volume.name ?? "<unnamed>"}" is of type ${source}.`);
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
            decideEach(asArray(container.spec.ports), (port) => {
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
            // The set Pod Security Admission allows from Kubernetes 1.32 (k8s.io/pod-security-admission,
            // policy/check_sysctls.go), the oldest minor the platform's clusters run being 1.34.
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
                "net.ipv4.tcp_rmem",
                "net.ipv4.tcp_wmem",
            ],
        },
    },
    check: (_workload, podSpec, config, report) => {
        decideEach(asArray(podSpec.securityContext?.sysctls), (sysctl) => {
            if (!config.safeSysctls.includes(sysctl.name ?? "")) {
                report(`Sysctl ${sysctl.name ?? "<unnamed>"} is not in the safe set.`);
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
        const checkOptions = (where: string, options: SecurityContext["seLinuxOptions"]) => {
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
        const checkProfile = (where: string, profile: SecurityContext["appArmorProfile"]) => {
            if (profile && !ALLOWED_PROFILE_TYPES.includes(profile.type ?? "")) {
                report(`${where} uses AppArmor profile ${profile.type ?? "with no type"}.`);
            }
        };
        const annotations: Record<string, string> = podTemplateOf(workload).metadata.annotations ?? {};
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

export const pssHostProcess = workloadGuardrail({
    name: "pss-host-process",
    description: "No pod or container runs as a Windows HostProcess container (full access to the Windows node).",
    controls: ["AVD-KSV-0103", "PSS: HostProcess"],
    remediation: "Remove securityContext.windowsOptions.hostProcess (or set it to false) on the pod and every container.",
    check: (workload, podSpec, _config, report) => {
        decideAll(
            () => {
                if (podSpec.securityContext?.windowsOptions?.hostProcess === true) {
                    report("The pod sets windowsOptions.hostProcess: true.");
                }
            },
            () =>
                forEachContainer(workload, (container) => {
                    if (container.spec.securityContext?.windowsOptions?.hostProcess === true) {
                        report(`${describeContainer(container)} sets windowsOptions.hostProcess: true.`);
                    }
                }),
        );
    },
});

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"] as const;
const LIFECYCLE_HANDLERS = ["postStart", "preStop"] as const;

export const pssProbeHost = workloadGuardrail({
    name: "pss-probe-host",
    description: "Probes and lifecycle hooks target the pod itself: none sets an httpGet or tcpSocket host.",
    controls: ["PSS: Host Probes / Lifecycle Hooks"],
    remediation:
        "Remove httpGet.host and tcpSocket.host from probes and lifecycle hooks; the kubelet then connects to the pod's own IP. " +
        "A check of another service belongs in the application, not in a probe the kubelet runs from the node.",
    check: (workload, _podSpec, _config, report) => {
        forEachContainer(workload, (container) => {
            const handlers: { where: string; handler?: Handler }[] = [
                ...PROBES.map((probe) => ({ where: probe, handler: container.spec[probe] })),
                ...LIFECYCLE_HANDLERS.map((hook) => ({ where: `lifecycle.${hook}`, handler: container.spec.lifecycle?.[hook] })),
            ];
            decideEach(handlers, ({ where, handler }) => {
                for (const action of ["httpGet", "tcpSocket"] as const) {
                    const host = handler?.[action]?.host;
                    if (host !== undefined && host !== "") {
                        report(`${describeContainer(container)} ${where}.${action} targets host ${host}.`);
                    }
                }
            });
        });
    },
});
