import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AwsScope, PlatformContext } from "../capability";
import { denyByDefault, type NamedNetworkPolicy, podSecurityLabels } from "../cluster/namespaces";
import type { PolicyDocument } from "../iam/policyDocument";
import type { ServiceAccountRole } from "../iam/irsa";
import { irsaChart } from "../common/irsaChart";
import { HELM_CHARTS } from "../versions";
import { fluxSyncObjects, tenantServiceAccountName } from "./fluxObjects";
import type { GitopsSettings } from "./settings";
import { ecrRepositoryOf, FLUX_NAMESPACE } from "./validate";

const WRITE = ["get", "list", "watch", "create", "update", "patch", "delete"];
const READ = ["get", "list", "watch"];

/**
 * What a team's manifests may create in its namespace: workloads and what they need to run and
 * scale. Not Secrets (workloads read theirs from AWS with IRSA), not RBAC (which would let a
 * team grant itself more), and not NetworkPolicies: the namespace's isolation is the platform's,
 * and its extra allows are declared in cluster.namespaceIsolation.
 */
export const TENANT_RULES: k8s.types.input.rbac.v1.PolicyRule[] = [
    { apiGroups: [""], resources: ["configmaps", "services", "serviceaccounts", "persistentvolumeclaims"], verbs: WRITE },
    { apiGroups: [""], resources: ["pods", "events"], verbs: READ },
    { apiGroups: ["apps"], resources: ["deployments", "statefulsets"], verbs: WRITE },
    { apiGroups: ["apps"], resources: ["replicasets"], verbs: READ },
    { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: WRITE },
    { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: WRITE },
    { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: WRITE },
];

/** The Role a tenant's reconciler holds in its namespace. */
const TENANT_ROLE = "flux-tenant";

/** The chart's values key and image name of each controller this platform runs, and of the pre-install check job's CLI. */
export const FLUX_IMAGES = {
    sourceController: "source-controller",
    kustomizeController: "kustomize-controller",
    helmController: "helm-controller",
    notificationController: "notification-controller",
    cli: "flux-cli",
} as const;

/**
 * Requests as the chart sets them, and limits (the ones its values.yaml suggests) so every
 * container is bounded, as the pack's `container-resource-requests-limits` requires.
 */
const FLUX_RESOURCES = { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "1000m", memory: "1Gi" } };

/** Image and resources of every container the chart runs, from `imageRepository`. */
function fluxImageValues(imageRepository: string): Record<string, { image: string; resources: typeof FLUX_RESOURCES }> {
    return Object.fromEntries(Object.entries(FLUX_IMAGES).map(([key, image]) => [key, { image: `${imageRepository}/${image}`, resources: FLUX_RESOURCES }]));
}

/** The service account the chart gives the source-controller, the only Flux controller that fetches sources. */
const SOURCE_CONTROLLER_SERVICE_ACCOUNT = "source-controller";

/**
 * What the Flux controllers may reach, on top of DNS: each other (the source-controller serves
 * artifacts to the others, which send it events), and TCP 443 anywhere (the API server, HTTPS Git
 * hosts, ECR and STS), plus 22 for an SSH Git source. Nothing may connect to them from outside.
 * These replace the chart's own policies, which admit all egress.
 */
function fluxNetworkPolicies(settings: GitopsSettings): NamedNetworkPolicy[] {
    const sshGit = settings.source.kind === "git" && settings.source.url.startsWith("ssh://");
    return [
        {
            name: "allow-flux-controllers",
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] },
        },
        {
            name: "allow-flux-sources",
            spec: {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [
                    { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }, ...(sshGit ? [{ protocol: "TCP", port: 22 }] : [])] },
                ],
            },
        },
    ];
}

/**
 * The source-controller's grants for an ECR OCI source: a registry token (which exists only on
 * "*"), and reading that one repository's images, nothing else.
 */
function ecrSourcePolicy(url: string, scope: AwsScope): PolicyDocument | undefined {
    const repository = ecrRepositoryOf(url);
    if (!repository) {
        return undefined;
    }
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "RegistryToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            {
                Sid: "PullSourceArtifact",
                Effect: "Allow",
                Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                Resource: `arn:${scope.partition}:ecr:${repository.region}:${repository.accountId}:repository/${repository.repository}`,
            },
        ],
    };
}

export interface FluxArgs {
    /** The platform: cluster, nodes, scope and environment. */
    context: PlatformContext;
    /** Validated GitOps settings (defaults in ./settings.ts), with `enabled` true. */
    settings: GitopsSettings;
}

/**
 * Flux from its pinned chart in its own restricted, default-deny namespace, and the bootstrap
 * objects the platform owns: the source, the platform's Kustomization, and per tenant a service
 * account holding TENANT_RULES in the tenant's namespace alone, which its Kustomization applies as.
 */
export class Flux extends pulumi.ComponentResource {
    readonly namespace: string = FLUX_NAMESPACE;
    readonly sourceControllerRoleArn?: pulumi.Output<string>;

    constructor(name: string, args: FluxArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eksplatform:gitops:Flux", name, {}, opts);
        const { context, settings } = args;
        const { cluster } = context;
        const k8sOpts = { parent: this, provider: cluster.kubeProvider };

        // Every Flux controller's pod and container security context meets the restricted profile.
        const namespace = new k8s.core.v1.Namespace(
            `${name}-ns`,
            { metadata: { name: FLUX_NAMESPACE, labels: podSecurityLabels("restricted", cluster.kubernetesVersion) } },
            k8sOpts,
        );
        denyByDefault(`${name}-ns`, { name: FLUX_NAMESPACE, resource: namespace }, k8sOpts, fluxNetworkPolicies(settings));

        const ecrPolicy = settings.source.kind === "oci" ? ecrSourcePolicy(settings.source.url, context.scope) : undefined;
        const role: ServiceAccountRole | undefined = ecrPolicy && {
            description: `Flux source-controller of ${context.clusterName}: pulls the GitOps artifact from ECR`,
            policy: ecrPolicy,
        };
        const images = fluxImageValues(settings.imageRepository);
        const { chart, role: sourceRole } = irsaChart(
            `${name}-flux`,
            context,
            {
                chart: HELM_CHARTS.flux,
                releaseName: "flux",
                namespace: { name: FLUX_NAMESPACE, resource: namespace },
                serviceAccount: SOURCE_CONTROLLER_SERVICE_ACCOUNT,
                role,
                values: (serviceAccount) => ({
                    ...images,
                    // The chart names the account "source-controller" itself (the block's `name` says the same and is not read).
                    sourceController: { ...images.sourceController, serviceAccount: { ...serviceAccount, automount: true } },
                    // Image automation writes to Git, which needs write credentials the platform does not hold.
                    imageAutomationController: { create: false },
                    imageReflectionController: { create: false },
                    // The namespace's policies above replace the chart's, which admit all egress.
                    policies: { create: false },
                    // No flux-view/flux-edit roles aggregated into view/edit/admin: people read Flux objects through access entries.
                    rbac: { createAggregation: false },
                }),
                // Deployments: Helm waits for them to become ready on a node.
                waitForNodes: true,
            },
            this,
        );
        this.sourceControllerRoleArn = sourceRole?.arn;

        const tenantAccounts = settings.tenants.map((tenant) => this.tenantAccess(name, tenant.namespace, namespace, context, k8sOpts));
        // The CRDs come with the chart.
        for (const object of fluxSyncObjects(settings, context.environment)) {
            new k8s.apiextensions.CustomResource(
                `${name}-${object.kind.toLowerCase()}-${object.metadata.name}`,
                { apiVersion: object.apiVersion, kind: object.kind, metadata: object.metadata, spec: object.spec },
                { ...k8sOpts, dependsOn: [chart, ...tenantAccounts] },
            );
        }
        this.registerOutputs({ sourceControllerRoleArn: this.sourceControllerRoleArn });
    }

    /** A tenant's reconciler identity: a service account in the Flux namespace holding TENANT_RULES in the tenant's namespace only. */
    private tenantAccess(
        name: string,
        tenantNamespace: string,
        fluxNamespace: k8s.core.v1.Namespace,
        context: PlatformContext,
        k8sOpts: { parent: pulumi.Resource; provider: k8s.Provider },
    ): pulumi.Resource {
        const accountName = tenantServiceAccountName(tenantNamespace);
        const target = context.cluster.namespaces[tenantNamespace];
        const account = new k8s.core.v1.ServiceAccount(
            `${name}-${accountName}`,
            // Impersonated by the kustomize-controller, never mounted by a pod.
            { metadata: { name: accountName, namespace: FLUX_NAMESPACE }, automountServiceAccountToken: false },
            { ...k8sOpts, dependsOn: [fluxNamespace] },
        );
        const role = new k8s.rbac.v1.Role(
            `${name}-${accountName}-role`,
            { metadata: { name: TENANT_ROLE, namespace: tenantNamespace }, rules: TENANT_RULES },
            { ...k8sOpts, dependsOn: target ? [target] : [] },
        );
        return new k8s.rbac.v1.RoleBinding(
            `${name}-${accountName}-binding`,
            {
                metadata: { name: TENANT_ROLE, namespace: tenantNamespace },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: TENANT_ROLE },
                subjects: [{ kind: "ServiceAccount", name: accountName, namespace: FLUX_NAMESPACE }],
            },
            { ...k8sOpts, dependsOn: [account, role] },
        );
    }
}
