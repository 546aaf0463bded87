import { autoname, EKS_CLUSTER, IAM_PATH, IAM_ROLE, IAM_USER, K8S_LABEL_NAME, LOG_GROUP, type NameUse, TAG_KEY } from "../../config/names";
import { clusterNameOrigin, type ValidationFacts } from "../capability";
import { clusterOwnershipTagKey, controlPlaneLogGroupName, vpcCniResourceName } from "./names";
import type { ClusterSettings } from "./settings";

/** The parts of an IAM principal ARN: its kind, path and name (the ARN's format is the schema's). */
function principalParts(arn: string): { kind: string; path: string; name: string } | undefined {
    const match = /^arn:[^:]+:iam::\d{12}:(role|user)(\/.*)$/.exec(arn);
    if (!match) {
        return undefined;
    }
    const slash = match[2].lastIndexOf("/");
    return { kind: match[1], path: match[2].slice(0, slash + 1), name: match[2].slice(slash + 1) };
}

/**
 * The cluster's names: the EKS cluster itself, its control-plane log group, its ownership tag and
 * the VPC CNI's auto-named role (all from the cluster name), the principals' role and user names
 * and paths, and the application namespaces.
 */
export function clusterNames(cluster: ClusterSettings, facts: ValidationFacts): NameUse[] {
    const { clusterName } = facts;
    const fromCluster = clusterNameOrigin(facts);
    const uses: NameUse[] = [
        { ...fromCluster, name: clusterName, rule: EKS_CLUSTER },
        { ...fromCluster, name: controlPlaneLogGroupName(clusterName), rule: LOG_GROUP, composedAs: "the control-plane log group" },
        { ...fromCluster, name: clusterOwnershipTagKey(clusterName), rule: TAG_KEY, composedAs: "the cluster's ownership tag" },
        { ...fromCluster, name: autoname(vpcCniResourceName(clusterName)), rule: IAM_ROLE, composedAs: "the VPC CNI's role, auto-named" },
    ];
    for (const list of ["adminPrincipals", "viewerPrincipals"] as const) {
        cluster[list].forEach((arn, index) => {
            const parts = principalParts(arn);
            if (parts) {
                const path = `cluster.${list}[${index}]`;
                uses.push(
                    { path, value: arn, name: parts.name, rule: parts.kind === "role" ? IAM_ROLE : IAM_USER, composedAs: `its ${parts.kind} name` },
                    { path, value: arn, name: parts.path, rule: IAM_PATH, composedAs: "its path" },
                );
            }
        });
    }
    cluster.applicationNamespaces.forEach((namespace, index) => {
        uses.push({ path: `cluster.applicationNamespaces[${index}]`, value: namespace, name: namespace, rule: K8S_LABEL_NAME });
    });
    return uses;
}
