import {
    autoname,
    AUTOSCALING_GROUP,
    EVENTBRIDGE_RULE,
    IAM_POLICY_OR_PROFILE,
    IAM_ROLE,
    K8S_LABEL_KEY,
    K8S_LABEL_VALUE,
    LAUNCH_TEMPLATE,
    LIFECYCLE_HOOK,
    type NameUse,
    SQS_QUEUE,
    TAG_KEY,
} from "../../config/names";
import { formatPath } from "../../config/schemaTree";
import { clusterNameOrigin, type ValidationFacts } from "../capability";
import { autoscalerRoleName } from "./clusterAutoscaler";
import { computeChildNames } from "./compute";
import { interruptionHandlerNames } from "./interruptionHandler";
import { nodeTemplateTags } from "./labels";
import { nodeRoleName } from "./nodeAccess";
import { autoscalerDiscoveryTagKey, drainHookName, nodeGroupName } from "./nodePool";
import type { ComputeSettings } from "./settings";

/**
 * Every name the compute foundation's resources get, built by the functions its components use:
 * the groups, launch templates and hooks of each pool, the labels and taints (as Kubernetes and as
 * the autoscaler's node-template tags), and the auto-named node role, termination handler queue,
 * rules and role, and autoscaler role (the platform's name is the cluster name).
 */
export function computeNames(compute: ComputeSettings, facts: ValidationFacts): NameUse[] {
    const { clusterName } = facts;
    const fromCluster = clusterNameOrigin(facts);
    const children = computeChildNames(clusterName);
    const handler = interruptionHandlerNames(children.interruptionHandler);
    const uses: NameUse[] = [
        { ...fromCluster, name: autoname(nodeRoleName(children.nodeAccess)), rule: IAM_ROLE, composedAs: "the node role, auto-named" },
        { ...fromCluster, name: autoname(nodeRoleName(children.nodeAccess)), rule: IAM_POLICY_OR_PROFILE, composedAs: "the node instance profile, auto-named" },
        { ...fromCluster, name: autoscalerDiscoveryTagKey(clusterName), rule: TAG_KEY, composedAs: "the autoscaler's discovery tag" },
    ];
    if (compute.interruptionHandler.mode === "queue") {
        uses.push(
            { ...fromCluster, name: autoname(handler.queue), rule: SQS_QUEUE, composedAs: "the interruption queue, auto-named" },
            { ...fromCluster, name: autoname(handler.role), rule: IAM_ROLE, composedAs: "the termination handler's role, auto-named" },
            ...handler.events.map((event) => ({
                ...fromCluster,
                name: autoname(handler.rule(event)),
                rule: EVENTBRIDGE_RULE,
                composedAs: `the ${event} rule of the termination handler, auto-named`,
            })),
        );
    }
    if (compute.clusterAutoscaler.enabled) {
        uses.push({ ...fromCluster, name: autoname(autoscalerRoleName(children.autoscaler)), rule: IAM_ROLE, composedAs: "the autoscaler's role, auto-named" });
    }
    compute.nodePools.forEach((pool, index) => {
        const at = `compute.nodePools[${index}]`;
        const group = nodeGroupName(clusterName, pool.name);
        const fromPool = { path: `${at}.name`, value: pool.name, composedAs: "<cluster>-<pool>", remedy: "shorten the pool name or the cluster name" };
        uses.push(
            { ...fromPool, name: group, rule: AUTOSCALING_GROUP },
            { ...fromPool, name: group, rule: LAUNCH_TEMPLATE },
            { ...fromPool, name: drainHookName(group), rule: LIFECYCLE_HOOK, composedAs: "<cluster>-<pool>-drain" },
        );
        for (const [key, value] of Object.entries(pool.labels)) {
            const path = formatPath(["compute", "nodePools", index, "labels", key]);
            uses.push({ path, value: key, name: key, rule: K8S_LABEL_KEY }, { path, value, name: value, rule: K8S_LABEL_VALUE });
            const [tag] = Object.keys(nodeTemplateTags({ [key]: value }, [], {}));
            uses.push({ path, value, name: tag, rule: TAG_KEY, composedAs: "the autoscaler's node-template tag of the label", remedy: "use a shorter key" });
        }
        pool.taints.forEach((taint, t) => {
            const path = `${at}.taints[${t}]`;
            uses.push(
                { path: `${path}.key`, value: taint.key, name: taint.key, rule: K8S_LABEL_KEY },
                { path: `${path}.value`, value: taint.value, name: taint.value, rule: K8S_LABEL_VALUE },
            );
            const [tag] = Object.keys(nodeTemplateTags({}, [taint], {}));
            uses.push({
                path: `${path}.key`,
                value: taint.key,
                name: tag,
                rule: TAG_KEY,
                composedAs: "the autoscaler's node-template tag of the taint",
                remedy: "use a shorter key",
            });
        });
    });
    return uses;
}
