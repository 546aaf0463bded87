/**
 * Every version this program pins: Kubernetes minors, EKS managed add-ons, Helm charts, manifests
 * and images. A version changes only in a reviewed diff of this file, never as a silent "latest" at
 * deploy time. Every entry is a `Pin`: the version, where it was read, and the day it was last
 * checked there. Charts add where they are pulled from; Kubernetes minors add the end of standard
 * support. Managed add-ons and the autoscaler image are pinned per Kubernetes minor: adding a minor
 * to KUBERNETES_MINORS fails the type check until each of them has an entry for it.
 *
 * Refresh an add-on with
 *   aws eks describe-addon-versions --kubernetes-version <minor> --addon-name <add-on> \
 *     --query 'addons[].addonVersions[].addonVersion'
 * and move one add-on minor at a time (the VPC CNI and CoreDNS upgrade guides require it).
 */

/** One pinned version, where it was read, and when. */
export interface Pin {
    /** The version, build or tag, exactly as the installer takes it. */
    readonly version: string;
    /** Where the version was read: a document and the table in it, a release tag, an API answer. */
    readonly source: string;
    /** The day the version was last checked against its source (YYYY-MM-DD). */
    readonly checked: string;
}

/** A Kubernetes minor in EKS standard support. */
export interface KubernetesMinorPin extends Pin {
    /** Last day of EKS standard support; extended support bills extra per cluster hour after it. */
    readonly endOfStandardSupport: string;
}

/** A container image the program sets itself. */
export interface ImagePin extends Pin {
    /** Image repository; absent when the chart that runs the image names it. */
    readonly repository?: string;
}

/** A Helm chart: its pinned version and where it is pulled from. */
export interface ChartPin extends Pin {
    /** Chart name in `repo`, or a full oci:// reference when `repo` is absent. */
    readonly chart: string;
    /** Chart repository (an index URL). */
    readonly repo?: string;
    /**
     * The chart's sources: git repository and the chart's directory in it. Its values.yaml at this
     * version is where the image table (policy-pack/data/chart-images.json) reads the images the
     * chart runs (`npm run -s images:generate`, docs/registry.md).
     */
    readonly chartSource: { readonly repository: string; readonly path: string };
}

const EKS_CALENDAR =
    "Amazon EKS User Guide, Kubernetes version lifecycle, release calendar (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html)";

/** Minors in EKS standard support when this release was cut, newest last: the default is the newest. */
export const KUBERNETES_MINORS = [
    { version: "1.34", endOfStandardSupport: "2026-12-02", source: EKS_CALENDAR, checked: "2026-11-26" },
    { version: "1.35", endOfStandardSupport: "2027-03-27", source: EKS_CALENDAR, checked: "2026-11-26" },
    { version: "1.36", endOfStandardSupport: "2027-08-02", source: EKS_CALENDAR, checked: "2026-11-26" },
] as const satisfies readonly KubernetesMinorPin[];

export type KubernetesVersion = (typeof KUBERNETES_MINORS)[number]["version"];

export const KUBERNETES_VERSIONS = KUBERNETES_MINORS.map((minor) => minor.version) as [KubernetesVersion, ...KubernetesVersion[]];

export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = KUBERNETES_VERSIONS[KUBERNETES_VERSIONS.length - 1];

/** Minor number of "1.35" is 35. */
export function minorOf(version: string): number {
    return Number(version.split(".")[1]);
}

type PerMinor<T> = Readonly<Record<KubernetesVersion, T>>;

/** The same pin for every supported minor (a build EKS offers for all of them). */
function everyMinor(pin: Pin): PerMinor<Pin> {
    return Object.fromEntries(KUBERNETES_VERSIONS.map((version) => [version, pin])) as PerMinor<Pin>;
}

/** The EKS managed add-ons this program installs, by their EKS add-on name. */
export type ManagedAddonName =
    | "vpc-cni"
    | "kube-proxy"
    | "coredns"
    | "eks-pod-identity-agent"
    | "aws-ebs-csi-driver"
    | "aws-efs-csi-driver"
    | "aws-fsx-csi-driver"
    | "amazon-cloudwatch-observability";

const KUBE_PROXY_TABLE =
    'Amazon EKS User Guide, "Manage kube-proxy", table "kube-proxy versions" (docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html)';
const COREDNS_TABLE = 'Amazon EKS User Guide, "Manage CoreDNS", table "CoreDNS versions" (docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html)';
const CSI_RELEASES =
    "the newest upstream driver release in its first EKS build, as EKS 1.35 and 1.36 clusters reported it in Aug-Sep 2026 (aws-ebs-csi-driver v1.64.0, aws-efs-csi-driver v3.4.1, aws-fsx-csi-driver v1.9.0); not confirmed against describe-addon-versions for 1.34";

/**
 * Each add-on's build per minor: the newest the Amazon EKS User Guide lists for that minor where it
 * has a table, otherwise what describe-addon-versions answered, as the source says.
 */
export const MANAGED_ADDONS: Readonly<Record<ManagedAddonName, PerMinor<Pin>>> = {
    "vpc-cni": everyMinor({
        version: "v1.22.4-eksbuild.3",
        source: 'Amazon EKS User Guide, "Assign IPs to Pods with the Amazon VPC CNI", table "Amazon VPC CNI versions" (docs.aws.amazon.com/eks/latest/userguide/managing-vpc-cni.html): v1.22.4-eksbuild.3 for every minor from 1.31 to 1.36 in its August 2026 edition; a 1.36 cluster created in September 2026 resolved to the same build',
        checked: "2026-12-01",
    }),
    "kube-proxy": {
        "1.34": { version: "v1.34.6-eksbuild.13", source: KUBE_PROXY_TABLE, checked: "2026-11-26" },
        "1.35": { version: "v1.35.3-eksbuild.13", source: KUBE_PROXY_TABLE, checked: "2026-11-26" },
        "1.36": { version: "v1.36.0-eksbuild.14", source: KUBE_PROXY_TABLE, checked: "2026-11-26" },
    },
    coredns: {
        "1.34": { version: "v1.13.2-eksbuild.11", source: COREDNS_TABLE, checked: "2026-11-26" },
        "1.35": { version: "v1.14.3-eksbuild.3", source: COREDNS_TABLE, checked: "2026-11-26" },
        "1.36": { version: "v1.14.3-eksbuild.3", source: COREDNS_TABLE, checked: "2026-11-26" },
    },
    "eks-pod-identity-agent": everyMinor({
        version: "v1.3.10-eksbuild.3",
        source: "aws eks describe-addon-versions --addon-name eks-pod-identity-agent, as recorded for 1.33, 1.34 and 1.35 in public upgrade runbooks (August 2026) and as a 1.36 cluster resolved it in September 2026; the User Guide's Pod Identity agent page has no version table",
        checked: "2026-12-01",
    }),
    "aws-ebs-csi-driver": everyMinor({ version: "v1.64.0-eksbuild.1", source: CSI_RELEASES, checked: "2026-11-26" }),
    "aws-efs-csi-driver": everyMinor({ version: "v3.4.1-eksbuild.1", source: CSI_RELEASES, checked: "2026-11-26" }),
    "aws-fsx-csi-driver": everyMinor({ version: "v1.9.0-eksbuild.1", source: CSI_RELEASES, checked: "2026-11-26" }),
    "amazon-cloudwatch-observability": everyMinor({
        version: "v6.4.0-eksbuild.1",
        source: 'aws-observability/helm-charts charts/amazon-cloudwatch-observability 6.4.0 (2026-08-06), which the add-on packages as "v<chart>-eksbuild.N" (the CloudWatch User Guide cites v6.2.0-eksbuild.1); the build number was not confirmed against the EKS API',
        checked: "2026-11-26",
    }),
};

/** The pinned build of `addon` for the cluster's minor; fails loudly for a minor nobody pinned. */
export function managedAddonVersion(addon: ManagedAddonName, kubernetesVersion: string): string {
    const pin = (MANAGED_ADDONS[addon] as Record<string, Pin | undefined>)[kubernetesVersion];
    if (!pin) {
        throw new Error(`no ${addon} build pinned for Kubernetes ${kubernetesVersion} in components/versions.ts; supported: ${KUBERNETES_VERSIONS.join(", ")}`);
    }
    return pin.version;
}

const EKS_CHARTS = "https://aws.github.io/eks-charts";

/** Helm charts, by the name the program knows them by. */
export const HELM_CHARTS = {
    /** Its appVersion lags the Kubernetes minors, so the image is pinned per minor (IMAGES.clusterAutoscaler). */
    clusterAutoscaler: {
        chart: "cluster-autoscaler",
        repo: "https://kubernetes.github.io/autoscaler",
        version: "9.59.0",
        source: "tag cluster-autoscaler-chart-9.59.0 in github.com/kubernetes/autoscaler, the newest chart",
        chartSource: { repository: "https://github.com/kubernetes/autoscaler", path: "cluster-autoscaler/charts/cluster-autoscaler" },
        checked: "2026-11-26",
    },
    /** From the project's own OCI registry: the eks-charts copy is no longer updated. */
    nodeTerminationHandler: {
        chart: "oci://public.ecr.aws/aws-ec2/helm/aws-node-termination-handler",
        version: "0.27.6",
        source: "config/helm/aws-node-termination-handler/Chart.yaml in github.com/aws/aws-node-termination-handler (chart 0.27.6 ships NTH v1.25.6)",
        chartSource: { repository: "https://github.com/aws/aws-node-termination-handler", path: "config/helm/aws-node-termination-handler" },
        checked: "2026-11-26",
    },
    /** Values keys used in logging/fluentBitValues.ts were read from this version's values.yaml and templates/configmap.yaml. */
    fluentBit: {
        chart: "aws-for-fluent-bit",
        repo: EKS_CHARTS,
        version: "0.2.0",
        source: "aws/eks-charts stable/aws-for-fluent-bit/Chart.yaml (chart 0.2.0, image 3.2.1, released 2026-02-03 in aws/eks-charts#1294)",
        chartSource: { repository: "https://github.com/aws/eks-charts", path: "stable/aws-for-fluent-bit" },
        checked: "2026-11-26",
    },
    /** Chart values and CRDs the mesh renders were checked against this version. */
    latticeGatewayController: {
        chart: "oci://public.ecr.aws/aws-application-networking-k8s/aws-gateway-controller-chart",
        version: "v2.1.3",
        source: "docs/guides/deploy.md of github.com/aws/aws-application-networking-k8s v2.1.3; v2.1.4 (October 2026) adds an idle-timeout route annotation and no chart change in its notes: read its chart before moving",
        chartSource: { repository: "https://github.com/aws/aws-application-networking-k8s", path: "helm" },
        checked: "2026-11-26",
    },
    /**
     * The AL2023 NVIDIA AMIs carry the driver and the container toolkit but no device plugin (the EKS
     * User Guide, "Install Kubernetes device plugin for GPUs"). Values set in compute/nvidiaDevicePlugin.ts
     * were read from this version's values.yaml and templates.
     */
    nvidiaDevicePlugin: {
        chart: "nvidia-device-plugin",
        repo: "https://nvidia.github.io/k8s-device-plugin",
        version: "0.20.0",
        source: "deployments/helm/nvidia-device-plugin/Chart.yaml at tag v0.20.0 of github.com/NVIDIA/k8s-device-plugin (2026-08-19; app 0.20.0, image nvcr.io/nvidia/k8s-device-plugin:v0.20.0), the newest release",
        chartSource: { repository: "https://github.com/NVIDIA/k8s-device-plugin", path: "deployments/helm/nvidia-device-plugin" },
        checked: "2026-12-01",
    },
    appMeshController: {
        chart: "appmesh-controller",
        repo: EKS_CHARTS,
        version: "1.13.3",
        source: "https://aws.github.io/eks-charts index (2026-08-03), app version 1.13.3",
        chartSource: { repository: "https://github.com/aws/eks-charts", path: "stable/appmesh-controller" },
        checked: "2026-11-26",
    },
    /**
     * Chart 3.5.0 runs controller v3.5.0 (its default image, public.ecr.aws/eks/aws-load-balancer-controller:v3.5.0);
     * the values keys in loadBalancerController/controller.ts and the IngressClassParams schema were read at this
     * version. The controller's IAM policy is pinned with it (LOAD_BALANCER_CONTROLLER_POLICY).
     */
    loadBalancerController: {
        chart: "aws-load-balancer-controller",
        repo: EKS_CHARTS,
        version: "3.5.0",
        source: "stable/aws-load-balancer-controller/Chart.yaml in github.com/aws/eks-charts (chart 3.5.0, appVersion v3.5.0), the chart of tag v3.5.0 (2026-08-03) of github.com/kubernetes-sigs/aws-load-balancer-controller, its newest release",
        chartSource: { repository: "https://github.com/aws/eks-charts", path: "stable/aws-load-balancer-controller" },
        checked: "2026-12-01",
    },
    /**
     * metrics-server 0.8.1. EKS also offers metrics-server as a community add-on (v0.9.0-eksbuild.*), but
     * its configuration schema is not published, so neither a disruption budget nor zone spread could be
     * set on it with a key known to exist; the chart's values were read from its values.yaml at this version.
     */
    metricsServer: {
        chart: "metrics-server",
        repo: "https://kubernetes-sigs.github.io/metrics-server/",
        version: "3.13.1",
        source: "tag metrics-server-helm-chart-3.13.1 (2026-06-11) in github.com/kubernetes-sigs/metrics-server, the newest chart (appVersion 0.8.1)",
        chartSource: { repository: "https://github.com/kubernetes-sigs/metrics-server", path: "charts/metrics-server" },
        checked: "2026-12-01",
    },
    /**
     * Values keys (controllers' `create`, `serviceAccount`, `policies.create`) and the CRDs shipped
     * in tools/schemas/data/crds were read from this version; it ships Flux v2.8.5.
     */
    flux: {
        chart: "flux2",
        repo: "https://fluxcd-community.github.io/helm-charts",
        version: "2.18.3",
        source: "charts/flux2/Chart.yaml at tag flux2-2.18.3 in github.com/fluxcd-community/helm-charts (appVersion 2.8.5: source-controller v1.8.2, kustomize-controller v1.8.3, helm-controller v1.5.3)",
        chartSource: { repository: "https://github.com/fluxcd-community/helm-charts", path: "charts/flux2" },
        checked: "2026-12-01",
    },
    /**
     * Flagger, progressive delivery on the mesh. Values keys (`meshProvider`, `securityContext`,
     * `serviceAccount`, `leaderElection`, `podDisruptionBudget`), the image
     * (ghcr.io/fluxcd/flagger:1.44.0) and the CRDs in tools/schemas/data/crds were read from this
     * version; its routers (pkg/router/gateway_api.go, appmesh_v1beta2.go) and CloudWatch metrics
     * provider too.
     */
    flagger: {
        chart: "flagger",
        repo: "https://flagger.app",
        version: "1.44.0",
        source: "charts/flagger/Chart.yaml at tag v1.44.0 (2026-07-21) in github.com/fluxcd/flagger, the newest release (appVersion 1.44.0)",
        chartSource: { repository: "https://github.com/fluxcd/flagger", path: "charts/flagger" },
        checked: "2026-12-01",
    },
} as const satisfies Record<string, ChartPin>;

/** Manifests applied from an upstream release. */
export const MANIFESTS = {
    /** Gateway API standard-channel CRDs; the Lattice controller's chart ships only its own CRDs. */
    gatewayApiCrds: {
        version: "v1.5.0",
        source: "the sigs.k8s.io/gateway-api version in the go.mod of the AWS Gateway API Controller v2.1.3",
        checked: "2026-11-26",
    },
} as const satisfies Record<string, Pin>;

/**
 * The AWS Load Balancer Controller's IAM policy as its project publishes it for the pinned controller
 * version, kept byte for byte in components/loadBalancerController/iam-policy/ (a test compares the
 * file's git blob id with the one recorded here).
 */
export const LOAD_BALANCER_CONTROLLER_POLICY = {
    version: "v3.5.0",
    file: "iam-policy/v3.5.0.json",
    gitBlob: "761d0e733c41089c91ea009dd29faf71918085e5",
    source: "docs/install/iam_policy.json at tag v3.5.0 (commit 11eb202c97e4ae2ee45e0658c4cde9a4b59f33d4) of github.com/kubernetes-sigs/aws-load-balancer-controller, unchanged since its commit 2f6ce5cfc of 2025-03-25",
    checked: "2026-12-01",
} as const satisfies Pin & { file: string; gitBlob: string };

/** Versions of AWS-managed engines the program selects, where the API's default would float or is older. */
export const SERVICE_VERSIONS = {
    /**
     * The workgroup of the log archive. Pinned rather than AUTO, so Athena cannot move the saved
     * queries to another SQL dialect unreviewed; version 3 (Trino) is also the only one that reads
     * restored Glacier objects.
     */
    athenaEngine: {
        version: "Athena engine version 3",
        source: 'Amazon Athena User Guide, "Athena engine versioning" (docs.aws.amazon.com/athena/latest/ug/engine-versions.html): version 3 is current; the value is what ListEngineVersions returns',
        checked: "2026-12-01",
    },
    /**
     * Every FSx for Lustre file system: 2.15 is valid for every deployment type, matches the Lustre
     * client built for current AL2023/Bottlerocket kernels, and carries data repository
     * associations; the API default, 2.10, carries none.
     */
    lustre: {
        version: "2.15",
        source: "Amazon FSx API Reference, CreateFileSystem FileSystemTypeVersion (docs.aws.amazon.com/fsx/latest/APIReference/API_CreateFileSystem.html): 2.10, 2.12 or 2.15",
        checked: "2026-12-01",
    },
} as const satisfies Record<string, Pin>;

/** The release manifest of the Gateway API CRDs at the pinned version. */
export const GATEWAY_API_CRDS_URL = `https://github.com/kubernetes-sigs/gateway-api/releases/download/${MANIFESTS.gatewayApiCrds.version}/standard-install.yaml`;

/** Container images the program sets itself (charts otherwise use their own pinned image). */
export const IMAGES = {
    /**
     * The autoscaler's minor must match the control plane's (its scheduler simulation is built from
     * that Kubernetes release): the newest patch of each minor. The repository is the chart's default.
     */
    clusterAutoscaler: {
        "1.34": { version: "v1.34.5", source: "tag cluster-autoscaler-1.34.5 in github.com/kubernetes/autoscaler", checked: "2026-11-26" },
        "1.35": { version: "v1.35.2", source: "tag cluster-autoscaler-1.35.2 in github.com/kubernetes/autoscaler", checked: "2026-11-26" },
        "1.36": { version: "v1.36.1", source: "tag cluster-autoscaler-1.36.1 in github.com/kubernetes/autoscaler", checked: "2026-11-26" },
    } satisfies PerMinor<ImagePin>,
    /**
     * nginx built to run as uid 101 on port 8080, so it passes the restricted Pod Security Standard;
     * NGINX publishes the same image to ECR Public, one of the registries the guardrails admit.
     */
    sampleWorkload: {
        repository: "public.ecr.aws/nginx/nginx-unprivileged",
        version: "1.29.4-alpine",
        source: "ECR Public nginx/nginx-unprivileged, tag 1.29.4-alpine (nginx 1.29.4; the same image as Docker Hub nginxinc/nginx-unprivileged)",
        checked: "2026-12-01",
    } satisfies ImagePin,
} as const;

/** The Cluster Autoscaler image tag for the control plane's minor. */
export function clusterAutoscalerImageTag(kubernetesVersion: string): string {
    const pin = (IMAGES.clusterAutoscaler as Record<string, Pin | undefined>)[kubernetesVersion];
    if (!pin) {
        throw new Error(`no Cluster Autoscaler release pinned for Kubernetes ${kubernetesVersion} in components/versions.ts`);
    }
    return pin.version;
}
