// Pods a Fargate profile selects run without a node of their own, and so without what the platform
// builds into its nodes: DaemonSets (log shippers, agents) never run beside them, host networking,
// host ports, host paths and privileged containers are refused, and they take their addresses from
// the profile's subnets, never from custom networking's pod subnets, which Fargate does not support.
import { ipv4CidrWithin } from "../../lib/cidr";
import { kindOf, namespaceOf } from "../../lib/kubernetes";
import { stackGuardrail, type ResourceView, type StackView } from "../../lib/policy";
import { resourcesOfType } from "../../lib/stack";
import { decideEach, readKnown } from "../../lib/unknown";
import { matchesWildcard } from "../../lib/values";
import { forEachContainer, podTemplateOf, WORKLOAD_TYPES } from "../../lib/workloads";

const FARGATE_PROFILE = "aws:eks/fargateProfile:FargateProfile";
const SUBNET = "aws:ec2/subnet:Subnet";
const SECONDARY_CIDR = "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation";

interface Selector {
    namespace: string;
    labels: Record<string, string>;
}

/** Fargate's selector wildcards: `*` any run of characters, `?` exactly one. */
function matches(pattern: string, value: string): boolean {
    return pattern.includes("?")
        ? new RegExp(
              `^${pattern
                  .replace(/[.+^${}()|[\]\\]/g, "\\$&")
                  .replace(/\*/g, ".*")
                  .replace(/\?/g, ".")}$`,
          ).test(value)
        : matchesWildcard(pattern, value);
}

function selects(selector: Selector, namespace: string, labels: Record<string, string>): boolean {
    return (
        matches(selector.namespace, namespace) &&
        Object.entries(selector.labels).every(([key, value]) => Object.entries(labels).some(([k, v]) => matches(key, k) && matches(value, v)))
    );
}

/** What Fargate refuses in a pod it is given, one phrase each. */
function unsupportedInPod(workload: ResourceView): string[] {
    const spec = podTemplateOf(workload).spec;
    const found: string[] = [];
    if (spec.hostNetwork === true) {
        found.push("host networking (hostNetwork)");
    }
    if (spec.hostPID === true || spec.hostIPC === true) {
        found.push("the host's PID or IPC namespace");
    }
    if ((spec.volumes ?? []).some((volume) => volume.hostPath !== undefined)) {
        found.push("hostPath volumes");
    }
    forEachContainer(workload, ({ name, spec: container }) => {
        if ((container.ports ?? []).some((port) => port.hostPort !== undefined)) {
            found.push(`a host port (container ${name})`);
        }
        if (container.securityContext?.privileged === true) {
            found.push(`a privileged container (${name})`);
        }
    });
    return found;
}

function subnetProblems(profile: ResourceView, stack: StackView): string[] {
    // Every ID read up front: a profile whose subnets are not created yet is undecided, on the engine as offline,
    // whether or not the subnets' own IDs are known to the view.
    const ids = [...((profile.props.subnetIds ?? []) as string[])];
    const secondary = resourcesOfType(stack, SECONDARY_CIDR).flatMap((association) => readKnown(() => association.props.cidrBlock as string) ?? []);
    return resourcesOfType(stack, SUBNET)
        .filter((subnet) => subnet.id !== undefined && ids.includes(subnet.id))
        .flatMap((subnet) => {
            const tags = (subnet.props.tags ?? {}) as Record<string, string>;
            const problems: string[] = [];
            if (subnet.props.mapPublicIpOnLaunch === true || tags["kubernetes.io/role/elb"] === "1") {
                problems.push(`subnet ${subnet.name} is public: Fargate runs pods in private subnets only`);
            }
            const cidr = subnet.props.cidrBlock as string | undefined;
            if (cidr && secondary.some((range) => ipv4CidrWithin(cidr, range))) {
                problems.push(
                    `subnet ${subnet.name} is a pod subnet of the secondary CIDR: Fargate does not support custom networking, so its pods cannot use it`,
                );
            }
            return problems;
        });
}

export const fargateUnsupportedFeatures = stackGuardrail({
    name: "fargate-unsupported-features",
    description:
        "Pods a Fargate profile selects use nothing Fargate lacks that the platform relies on: no DaemonSet targets them, none uses host " +
        "networking, host ports, host paths or privileged containers, and the profile's subnets are private and not custom networking's pod subnets.",
    enforcementLevel: "advisory",
    controls: [],
    platformSpecific:
        "What Fargate supports is AWS's product definition, not a public benchmark control; the rule ties it to what this platform builds on nodes (DaemonSets, custom networking).",
    remediation:
        "Keep node-only workloads (DaemonSets, host access) out of namespaces and labels a profile selects, or narrow the profile's selectors " +
        "with labels (fargate.profiles[].selectors[].labels); give profiles the private node subnets only.",
    validate: (stack, _config, report) => {
        const profiles = resourcesOfType(stack, FARGATE_PROFILE);
        if (profiles.length === 0) {
            return;
        }
        decideEach(profiles, (profile) => {
            for (const problem of subnetProblems(profile, stack)) {
                report(`Fargate profile ${profile.name}: ${problem}.`, profile.urn);
            }
        });
        decideEach(resourcesOfType(stack, ...WORKLOAD_TYPES), (workload) => {
            const namespace = namespaceOf(workload);
            const labels = podTemplateOf(workload).metadata.labels ?? {};
            const profile = profiles.find((candidate) =>
                ((candidate.props.selectors ?? []) as Selector[]).some((selector) =>
                    selects({ ...selector, labels: selector.labels ?? {} }, namespace, labels),
                ),
            );
            if (!profile) {
                return;
            }
            const where = `${kindOf(workload)} ${namespace}/${workload.name}, whose pods Fargate profile ${profile.name} selects`;
            if (kindOf(workload) === "DaemonSet") {
                report(`${where}: Fargate runs no DaemonSet pods, so its pods on Fargate go without it.`, workload.urn);
                return;
            }
            const unsupported = unsupportedInPod(workload);
            if (unsupported.length > 0) {
                report(`${where}, uses what Fargate refuses: ${unsupported.join(", ")}.`, workload.urn);
            }
        });
    },
});
