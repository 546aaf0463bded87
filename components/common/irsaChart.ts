import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "../capability";
import type { ClusterHandle } from "../cluster/handle";
import { type IrsaRole, ROLE_ARN_ANNOTATION, type ServiceAccountRole, serviceAccountRole } from "../iam/irsa";
import type { ChartPin } from "../versions";
import { withChartImages } from "./chartImages";

/** The service-account block charts take: the chart creates the account, annotated with its role when it has one. */
export interface ServiceAccountValues {
    create: true;
    name: string;
    annotations?: Record<string, pulumi.Output<string>>;
}

export interface IrsaChartArgs {
    /** The chart as pinned in components/versions.ts. */
    chart: ChartPin;
    /** Helm release name. Default: the resource name. */
    releaseName?: string;
    /** Where the release and its service account live, and the resource creating that namespace (none for kube-system). */
    namespace: { name: string; resource?: pulumi.Resource };
    /** The service account the chart creates. */
    serviceAccount: string;
    /** The account's IRSA role. Default none: the chart's pods call no AWS API. */
    role?: ServiceAccountRole;
    /** The chart's values, given the service-account block to put where the chart reads it. */
    values: (serviceAccount: ServiceAccountValues) => pulumi.Input<Record<string, unknown>>;
    /**
     * Whether the release is ready only once its pods run (a Deployment: Helm v4 charts wait for
     * readiness), so it must wait for nodes. A DaemonSet is ready with no node at all.
     */
    waitForNodes: boolean;
    /** Anything else that must exist first (CRDs from elsewhere, log groups). Default none. */
    dependsOn?: pulumi.Resource[];
}

/** Where a chart goes: the cluster (its provider, OIDC provider and role boundary), the nodes its pods need, and where they pull images from. */
export interface ChartTarget extends Pick<PlatformContext, "nodesReady" | "images"> {
    cluster: Pick<ClusterHandle, "kubeProvider" | "oidcProviderArn" | "oidcIssuer" | "permissionsBoundaryArn">;
}

export interface IrsaChart {
    chart: k8s.helm.v4.Chart;
    role?: IrsaRole;
}

/**
 * A Helm chart at its pinned version on the cluster's provider, whose service account assumes an
 * IRSA role trusted by that account alone; the release waits for the role's policies, its namespace
 * and, when its pods need them, the nodes.
 */
export function irsaChart(name: string, target: ChartTarget, args: IrsaChartArgs, parent: pulumi.Resource): IrsaChart {
    const role = args.role && serviceAccountRole(name, target.cluster, { namespace: args.namespace.name, name: args.serviceAccount }, args.role, parent);
    const serviceAccount: ServiceAccountValues = {
        create: true,
        name: args.serviceAccount,
        ...(role ? { annotations: { [ROLE_ARN_ANNOTATION]: role.arn } } : {}),
    };
    const chart = new k8s.helm.v4.Chart(
        name,
        {
            ...(args.releaseName ? { name: args.releaseName } : {}),
            chart: args.chart.chart,
            version: args.chart.version,
            ...(args.chart.repo ? { repositoryOpts: { repo: args.chart.repo } } : {}),
            namespace: args.namespace.name,
            values: chartValues(args.chart, args.values(serviceAccount), target),
        },
        {
            parent,
            provider: target.cluster.kubeProvider,
            dependsOn: [
                ...(role ? [role] : []),
                ...(args.namespace.resource ? [args.namespace.resource] : []),
                ...(args.dependsOn ?? []),
                // Its pods pull their images as soon as they are scheduled: through the cache, that needs the rules first.
                ...target.images.ready,
                ...(args.waitForNodes ? target.nodesReady : []),
            ],
        },
    );
    return { chart, role };
}

/** The chart's values with its images pulled from where the target says (its pull-through cache, without NAT). */
function chartValues(chart: ChartPin, values: pulumi.Input<Record<string, unknown>>, target: ChartTarget): pulumi.Input<Record<string, unknown>> {
    const isPlain = !pulumi.Output.isInstance(values) && !(values instanceof Promise);
    return isPlain ? withChartImages(chart, values, target.images) : pulumi.output(values).apply((resolved) => withChartImages(chart, resolved, target.images));
}
