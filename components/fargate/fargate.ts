import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "../capability";
import { denyByDefault, podSecurityLabels } from "../cluster/namespaces";
import type { PolicyDocument } from "../iam/policyDocument";
import { fluentBitPolicy } from "../logging/fluentBitPolicy";
import { containerInsightsLogGroup } from "../logging/layout";
import { FARGATE_LOGGING, fargateLogRouterConfig } from "./logRouter";
import type { FargateSettings } from "./settings";

/**
 * Trust of the pod execution role: Fargate, on behalf of this cluster's profiles only (the confused-
 * deputy condition the EKS User Guide gives for the role).
 */
export function podExecutionTrustPolicy(scope: Pick<PlatformContext["scope"], "region" | "accountId" | "partition">, clusterName: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "eks-fargate-pods.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { ArnLike: { "aws:SourceArn": `arn:${scope.partition}:eks:${scope.region}:${scope.accountId}:fargateprofile/${clusterName}/*` } },
            },
        ],
    };
}

/**
 * Fargate for the pods the profiles select: one pod execution role (image pulls, and writing the
 * pods' logs to the application log group), the profiles in the private subnets, the built-in log
 * router's configuration, and the security-group rules between Fargate pods, which carry the
 * cluster's security group, and pods on nodes, which carry the node security group.
 */
export class Fargate extends pulumi.ComponentResource {
    readonly executionRole: aws.iam.Role;
    readonly profiles: aws.eks.FargateProfile[];

    constructor(name: string, args: { context: PlatformContext; settings: FargateSettings }, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:fargate:Fargate", name, {}, opts);
        const { context, settings } = args;
        const { cluster, network, scope, clusterName } = context;

        this.executionRole = new aws.iam.Role(
            `${name}-pod-execution`,
            {
                description: `Fargate pod execution role of ${clusterName}: image pulls and container logs of pods on Fargate`,
                assumeRolePolicy: JSON.stringify(podExecutionTrustPolicy(scope, clusterName)),
                permissionsBoundary: scope.permissionsBoundaryArn,
            },
            { parent: this },
        );
        const dependencies: pulumi.Resource[] = [
            new aws.iam.RolePolicyAttachment(
                `${name}-pod-execution`,
                { role: this.executionRole.name, policyArn: `arn:${scope.partition}:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy` },
                { parent: this },
            ),
        ];
        if (settings.logging.enabled) {
            const applicationGroupArn = `arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:${containerInsightsLogGroup(clusterName, "application")}`;
            dependencies.push(
                new aws.iam.RolePolicy(
                    `${name}-pod-execution-logs`,
                    { role: this.executionRole.id, policy: JSON.stringify(fluentBitPolicy({ logGroupArns: [applicationGroupArn] })) },
                    { parent: this },
                ),
            );
            const k8sOpts = { parent: this, provider: cluster.kubeProvider };
            // It holds one ConfigMap and no pods: as locked down as any application namespace.
            const namespace = new k8s.core.v1.Namespace(
                `${name}-observability`,
                {
                    metadata: {
                        name: FARGATE_LOGGING.namespace,
                        labels: { ...FARGATE_LOGGING.namespaceLabel, ...podSecurityLabels("restricted", cluster.kubernetesVersion) },
                    },
                },
                k8sOpts,
            );
            denyByDefault(`${name}-observability`, { name: FARGATE_LOGGING.namespace, resource: namespace }, k8sOpts);
            // Fargate reads the configuration when a pod starts: it must exist before the first pod.
            dependencies.push(
                new k8s.core.v1.ConfigMap(
                    `${name}-logging`,
                    {
                        metadata: { name: FARGATE_LOGGING.configMap, namespace: FARGATE_LOGGING.namespace },
                        data: fargateLogRouterConfig(clusterName, scope.region),
                    },
                    { ...k8sOpts, dependsOn: [namespace] },
                ),
            );
        }

        // Fargate pods carry the cluster security group: they must reach CoreDNS and the pods on nodes,
        // and those pods must reach them, as any two pods of the cluster may (NetworkPolicies aside).
        const rule = (ruleName: string, ruleArgs: aws.vpc.SecurityGroupIngressRuleArgs) =>
            new aws.vpc.SecurityGroupIngressRule(`${name}-${ruleName}`, ruleArgs, { parent: this });
        for (const protocol of ["udp", "tcp"]) {
            rule(`dns-${protocol}-from-fargate`, {
                securityGroupId: cluster.nodeSecurityGroupId,
                referencedSecurityGroupId: cluster.clusterSecurityGroupId,
                ipProtocol: protocol,
                fromPort: 53,
                toPort: 53,
                description: `Pods on Fargate to CoreDNS (${protocol.toUpperCase()} 53)`,
            });
        }
        rule("fargate-from-nodes", {
            securityGroupId: cluster.clusterSecurityGroupId,
            referencedSecurityGroupId: cluster.nodeSecurityGroupId,
            ipProtocol: "tcp",
            fromPort: 1025,
            toPort: 65535,
            description: "Pods on nodes to pods on Fargate on unprivileged ports",
        });

        // Fargate pods take addresses in the private subnets: it supports neither custom networking nor public subnets.
        const subnetIds = network.availabilityZones.map((zone) => network.privateSubnetIds[zone]);
        // EKS creates (and deletes) one profile of a cluster at a time, so each waits for the one before.
        this.profiles = [];
        for (const profile of settings.profiles) {
            const previous = this.profiles[this.profiles.length - 1];
            this.profiles.push(
                new aws.eks.FargateProfile(
                    `${name}-${profile.name}`,
                    {
                        clusterName: cluster.name,
                        fargateProfileName: profile.name,
                        podExecutionRoleArn: this.executionRole.arn,
                        subnetIds,
                        selectors: profile.selectors.map((selector) => ({
                            namespace: selector.namespace,
                            ...(Object.keys(selector.labels).length > 0 ? { labels: selector.labels } : {}),
                        })),
                    },
                    // Fargate registers each pod as a node of the cluster: like every node, after the data plane is ready.
                    { parent: this, dependsOn: [...cluster.dataPlaneReady, ...dependencies, ...(previous ? [previous] : [])] },
                ),
            );
        }
        this.registerOutputs({ executionRoleArn: this.executionRole.arn, profiles: settings.profiles.map((profile) => profile.name) });
    }
}
