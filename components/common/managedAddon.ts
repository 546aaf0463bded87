import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "../capability";
import type { ClusterHandle } from "../cluster/handle";
import { type IrsaRole, type ServiceAccountRole, serviceAccountRole } from "../iam/irsa";
import { type ManagedAddonName, managedAddonVersion } from "../versions";

/** Where a managed add-on goes: the cluster, and the nodes its pods need (none for the cluster's own networking add-ons). */
export interface AddonTarget extends Pick<PlatformContext, "nodesReady"> {
    cluster: Pick<ClusterHandle, "name" | "kubernetesVersion" | "oidcProviderArn" | "oidcIssuer" | "permissionsBoundaryArn">;
}

export interface ManagedAddonArgs {
    /** The EKS add-on name; its build comes from components/versions.ts for the cluster's minor. */
    addon: ManagedAddonName;
    /** A configured build that overrides the pin. Default: the pin. */
    version?: string;
    /** The IRSA role of the add-on's service account, which EKS annotates. Default none. */
    role?: ServiceAccountRole & { namespace: string; serviceAccount: string };
    /** The add-on's configuration values (the JSON schema `aws eks describe-addon-configuration` prints). Default none. */
    configurationValues?: object;
    /**
     * Whether EKS can report the add-on ACTIVE only once its pods run, so it must wait for nodes. The
     * resource waits for ACTIVE; created before any node exists, it fails the deployment.
     */
    waitForNodes: boolean;
    /** Anything else that must exist first. Default none. */
    dependsOn?: pulumi.Resource[];
}

export interface ManagedAddon {
    addon: aws.eks.Addon;
    role?: IrsaRole;
}

/**
 * An EKS managed add-on at the build pinned for the cluster's minor, with its own IRSA role when its
 * service account calls AWS (the role's policies are attached before the add-on starts, or its
 * first calls fail), created after the nodes when its pods need them.
 */
export function managedAddon(name: string, target: AddonTarget, args: ManagedAddonArgs, parent: pulumi.Resource): ManagedAddon {
    const role = args.role && serviceAccountRole(name, target.cluster, { namespace: args.role.namespace, name: args.role.serviceAccount }, args.role, parent);
    const addon = new aws.eks.Addon(
        name,
        {
            clusterName: target.cluster.name,
            addonName: args.addon,
            addonVersion: args.version ?? managedAddonVersion(args.addon, target.cluster.kubernetesVersion),
            ...(role ? { serviceAccountRoleArn: role.arn } : {}),
            ...(args.configurationValues ? { configurationValues: JSON.stringify(args.configurationValues) } : {}),
            // The program is the source of truth: on create, adopt any stray objects of the add-on; on
            // update, put back whatever drifted instead of keeping hand edits the next upgrade would meet.
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
        },
        { parent, dependsOn: [...(role ? [role] : []), ...(args.dependsOn ?? []), ...(args.waitForNodes ? target.nodesReady : [])] },
    );
    return { addon, role };
}
