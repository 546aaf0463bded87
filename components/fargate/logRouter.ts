import { containerInsightsLogGroup } from "../logging/layout";

/** The namespace and ConfigMap Fargate's built-in log router reads (names and label fixed by EKS). */
export const FARGATE_LOGGING = { namespace: "aws-observability", configMap: "aws-logging", namespaceLabel: { "aws-observability": "enabled" } } as const;

/** Fargate refuses an aws-logging ConfigMap longer than this (characters). */
export const FARGATE_LOGGING_MAX_CHARACTERS = 5300;

/** Joins Fluent Bit classic-mode sections, each indented as Fargate's validation wants it. */
function sections(...blocks: string[][]): string {
    return blocks.map((lines) => lines.join("\n")).join("\n") + "\n";
}

/**
 * The aws-logging ConfigMap's data: container logs of Fargate pods into the application log group of
 * the node pods, one stream per container named as the node pods' streams are
 * (<namespace>.<pod>.<container>), so a team finds its logs in one place wherever its pods run.
 * Fargate supplies the input (tail of /var/log/containers, tag kube.*) and accepts only filters,
 * outputs and parsers; containerd's log lines are parsed first, then enriched with pod metadata.
 * The group is the logging capability's, with its retention and KMS key, so nothing is auto-created.
 */
export function fargateLogRouterConfig(clusterName: string, region: string): Record<string, string> {
    return {
        // Fluent Bit's own logs stay out of the application group.
        flb_log_cw: "false",
        "parsers.conf": sections([
            "[PARSER]",
            "    Name        containerd",
            "    Format      regex",
            "    Regex       ^(?<time>[^ ]+) (?<stream>stdout|stderr) (?<logtag>P|F) (?<log>.*)$",
            "    Time_Key    time",
            "    Time_Format %Y-%m-%dT%H:%M:%S.%L%z",
        ]),
        "filters.conf": sections(
            ["[FILTER]", "    Name      parser", "    Match     kube.*", "    Key_name  log", "    Parser    containerd"],
            [
                "[FILTER]",
                "    Name                 kubernetes",
                "    Match                kube.*",
                "    Merge_Log            On",
                "    Keep_Log             Off",
                "    Buffer_Size          0",
                "    Kube_Meta_Cache_TTL  300s",
            ],
        ),
        "output.conf": sections([
            "[OUTPUT]",
            "    Name                 cloudwatch_logs",
            "    Match                kube.*",
            `    region               ${region}`,
            `    log_group_name       ${containerInsightsLogGroup(clusterName, "application")}`,
            "    log_stream_template  $kubernetes['namespace_name'].$kubernetes['pod_name'].$kubernetes['container_name']",
            "    log_stream_prefix    unresolved.",
            "    auto_create_group    false",
        ]),
    };
}
