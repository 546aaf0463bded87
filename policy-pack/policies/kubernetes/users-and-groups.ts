// The user and group IDs containers run with. Non-root alone (pss-run-as-non-root) still lets a
// container share a UID or GID with a host account or another tenant's files on a shared volume.
import { effectiveSecurityContextValue, workloadGuardrail } from "../../lib/pod-security";
import { leftToLiveObject } from "../../lib/kubernetes";
import { decideAll } from "../../lib/unknown";
import { asArray } from "../../lib/values";
import { describeContainer, forEachContainer } from "../../lib/workloads";

interface HighIdConfig {
    exemptNamespaces: string[];
    minimumId: number;
}

export const containerHighUidGid = workloadGuardrail<HighIdConfig>({
    name: "container-high-uid-gid",
    description: "Containers run with a UID and a primary GID above 10000, outside the range of host accounts.",
    enforcementLevel: "advisory",
    controls: ["CKV_K8S_40", "AVD-KSV-0020", "AVD-KSV-0021"],
    remediation:
        "Set runAsUser and runAsGroup above 10000 (pod or container securityContext), e.g. 10001; give files the image must " +
        "write to that group. A pod in its own user namespace (hostUsers: false) maps IDs away from the host's and is exempt.",
    extraConfigSchema: {
        minimumId: {
            type: "integer",
            description: "IDs must be greater than this.",
            default: 10000,
        },
    },
    check: (workload, podSpec, config, report) => {
        // With a user namespace the IDs inside are not the host's (CKV_K8S_40 lets such pods pass).
        if (podSpec.hostUsers === false) {
            return;
        }
        forEachContainer(workload, (container) => {
            for (const [field, what] of [
                ["runAsUser", "UID"],
                ["runAsGroup", "GID"],
            ] as const) {
                const id: unknown = effectiveSecurityContextValue(podSpec, container.spec, field);
                if (leftToLiveObject(workload, id)) {
                    continue;
                }
                if (typeof id !== "number") {
                    report(`${describeContainer(container)} sets no ${field}, so it runs with the image's ${what}.`);
                } else if (id <= config.minimumId) {
                    report(`${describeContainer(container)} runs with ${what} ${id}, not above ${config.minimumId}.`);
                }
            }
        });
    },
});

export const podNoRootGroup = workloadGuardrail({
    name: "pod-no-root-group",
    description: "No container runs with GID 0 as its primary group, and the pod adds no GID 0 through fsGroup or supplementalGroups.",
    controls: ["AVD-KSV-0116"],
    remediation: "Use a non-zero runAsGroup, fsGroup and supplementalGroups; group 0 reads and writes every root-group file in the image and on volumes.",
    check: (workload, podSpec, _config, report) => {
        decideAll(
            () => {
                if (podSpec.securityContext?.fsGroup === 0) {
                    report("The pod sets fsGroup 0.");
                }
            },
            () => {
                if (asArray(podSpec.securityContext?.supplementalGroups).includes(0)) {
                    report("The pod adds supplemental group 0.");
                }
            },
            () =>
                forEachContainer(workload, (container) => {
                    if (effectiveSecurityContextValue(podSpec, container.spec, "runAsGroup") === 0) {
                        report(`${describeContainer(container)} runs with primary group 0.`);
                    }
                }),
        );
    },
});
