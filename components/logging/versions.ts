/**
 * aws-for-fluent-bit Helm chart from https://aws.github.io/eks-charts. Pinned from
 * aws/eks-charts stable/aws-for-fluent-bit/Chart.yaml (chart 0.2.0, appVersion / image 3.2.1,
 * released 2026-02-03 in aws/eks-charts#1294). The values keys used in fluentBitValues.ts were read
 * from that version's values.yaml and templates/configmap.yaml; re-read them when bumping.
 */
export const FLUENT_BIT_CHART = {
    repo: "https://aws.github.io/eks-charts",
    chart: "aws-for-fluent-bit",
    version: "0.2.0",
} as const;

/**
 * amazon-cloudwatch-observability EKS add-on. The add-on packages the aws-observability/helm-charts
 * chart of the same number (charts/amazon-cloudwatch-observability 6.4.0, released 2026-08-06), and
 * EKS names its builds "v<chart>-eksbuild.N" (the CloudWatch user guide, "Install the CloudWatch agent
 * with the Amazon CloudWatch Observability EKS add-on", cites v6.2.0-eksbuild.1). The build number
 * was not confirmed against the EKS API from here.
 * Confirm the build is offered for the cluster's Kubernetes version before bumping:
 *   aws eks describe-addon-versions --addon-name amazon-cloudwatch-observability --kubernetes-version <1.xx>
 */
export const CONTAINER_INSIGHTS_ADDON_VERSION = "v6.4.0-eksbuild.1";
