import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "../capability";
import { managedAddon } from "../common/managedAddon";

export interface CoreDnsArgs {
    /** The platform: the cluster to install CoreDNS into, and the nodes its pods need. */
    context: Pick<PlatformContext, "cluster" | "nodesReady">;
}

/**
 * The CoreDNS managed add-on. EKS creates it only as far as DEGRADED until its pods run, and the
 * add-on resource waits for ACTIVE, so creating it before any node exists fails the deployment.
 * The Cluster therefore does not create it: the platform creates this after the node pools, and
 * the add-on depends on every node-launching resource.
 */
export class CoreDns extends pulumi.ComponentResource {
    readonly addon: aws.eks.Addon;

    constructor(name: string, args: CoreDnsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:cluster:CoreDns", name, {}, opts);
        this.addon = managedAddon(`${name}-coredns`, args.context, { addon: "coredns", waitForNodes: true }, this).addon;
        this.registerOutputs({ addonArn: this.addon.arn });
    }
}
