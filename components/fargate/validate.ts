import type { ConfigProblem } from "../../config/problems";
import type { ValidationFacts } from "../capability";
import type { FargateSelector, FargateSettings } from "./settings";

/**
 * Whether one pod can match both selectors: same namespace, and no label both name with different
 * values (a pod carrying the union of their labels matches both).
 */
export function selectorsOverlap(a: Pick<FargateSelector, "namespace" | "labels">, b: Pick<FargateSelector, "namespace" | "labels">): boolean {
    return a.namespace === b.namespace && Object.entries(a.labels).every(([key, value]) => b.labels[key] === undefined || b.labels[key] === value);
}

const describe = (selector: FargateSelector) =>
    Object.keys(selector.labels).length === 0
        ? `every pod of ${selector.namespace}`
        : `pods of ${selector.namespace} labelled ${Object.entries(selector.labels)
              .map(([key, value]) => `${key}=${value}`)
              .join(", ")}`;

/**
 * Profiles that take pods the node pools were meant to run, or that say the same thing twice:
 * selectors outside the application namespaces (the platform's own namespaces hold DaemonSets and
 * controllers that must stay on nodes), a selector without labels that does not say it takes the
 * whole namespace, selectors of two profiles that can match one pod (Fargate would pick the profile
 * whose name sorts first), and Fargate logging without the log group it writes to.
 */
export function validateFargate(settings: FargateSettings, facts: Pick<ValidationFacts, "cluster" | "network" | "logging">): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const { applicationNamespaces } = facts.cluster;
    const seen = new Set<string>();
    settings.profiles.forEach((profile, p) => {
        if (seen.has(profile.name)) {
            problems.push({
                path: `fargate.profiles[${p}].name`,
                value: profile.name,
                message: "is used by another profile; profile names are unique in a cluster",
            });
        }
        seen.add(profile.name);
        profile.selectors.forEach((selector, s) => {
            const path = `fargate.profiles[${p}].selectors[${s}]`;
            if (!applicationNamespaces.includes(selector.namespace)) {
                problems.push({
                    path: `${path}.namespace`,
                    value: selector.namespace,
                    message: `is not one of cluster.applicationNamespaces (${applicationNamespaces.join(", ")}): the platform's own namespaces run on nodes`,
                });
            }
            const labelled = Object.keys(selector.labels).length > 0;
            if (!labelled && !selector.wholeNamespace) {
                problems.push({
                    path: `${path}.labels`,
                    value: selector.labels,
                    message: `is empty, so the profile would take every pod of ${selector.namespace} from the node pools; name the labels of the pods meant for Fargate, or set wholeNamespace: true`,
                });
            }
            if (labelled && selector.wholeNamespace) {
                problems.push({
                    path: `${path}.wholeNamespace`,
                    value: true,
                    message: "contradicts labels: a selector with labels takes only the pods carrying them",
                });
            }
        });
    });
    // Selectors of different profiles that one pod can match.
    const all = settings.profiles.flatMap((profile, p) => profile.selectors.map((selector, s) => ({ profile: profile.name, p, s, selector })));
    all.forEach((a, i) => {
        for (const b of all.slice(i + 1).filter((other) => other.p !== a.p && selectorsOverlap(a.selector, other.selector))) {
            problems.push({
                path: `fargate.profiles[${b.p}].selectors[${b.s}]`,
                value: b.selector.labels,
                message: `can match the same pods as profile ${a.profile} (${describe(a.selector)}); Fargate would pick whichever name sorts first, so keep one selector per set of pods`,
            });
        }
    });
    if (settings.profiles.length > 0) {
        const { natGateways, vpcEndpoints } = facts.network;
        if (natGateways === "none" && !vpcEndpoints.enabled) {
            problems.push({
                path: "fargate.profiles",
                value: settings.profiles.map((profile) => profile.name),
                message:
                    "Fargate pods pull images and register with the cluster through the private subnets' egress: set network.natGateways or network.vpcEndpoints.enabled",
            });
        }
        const groupExists = facts.logging !== undefined && (facts.logging.fluentBit.enabled || facts.logging.containerInsights.enabled);
        if (settings.logging.enabled && !groupExists) {
            problems.push({
                path: "fargate.logging.enabled",
                value: true,
                message:
                    "needs the application log group node pods write to (logging.fluentBit.enabled or logging.containerInsights.enabled); turn one on, or set fargate.logging.enabled: false",
            });
        }
    }
    return problems;
}
