import type { ServiceAccountValues } from "../common/irsaChart";
import { ARCHIVE_COMPRESSION, ARCHIVE_RECORD, ARCHIVE_UPLOAD_TIMEOUT_MINUTES, containerInsightsLogGroup, s3KeyFormat } from "./layout";
import type { LoggingSettings } from "./settings";

/** Namespace and service account of the Fluent Bit DaemonSet; the IRSA trust names exactly these. */
export const FLUENT_BIT_NAMESPACE = "logging";
export const FLUENT_BIT_SERVICE_ACCOUNT = "aws-for-fluent-bit";

/**
 * Node-local state: tail offsets and the journald cursor (so a restarted pod neither re-ships nor
 * skips lines) and the s3 output's upload buffer (so a restart does not drop un-uploaded chunks).
 * The only host path the pod writes; /var/log itself is mounted read-only.
 */
const STATE_DIR = "/var/fluent-bit/state";

/** Disk the s3 output may buffer on each node before it starts discarding. */
const S3_BUFFER_LIMIT = "512M";

/** Pods whose logs are data-plane logs (VPC CNI, kube-proxy), kept out of the application group. */
const DATAPLANE_CONTAINER_LOGS = "/var/log/containers/aws-node*, /var/log/containers/kube-proxy*";

export interface FluentBitValuesArgs {
    clusterName: string;
    region: string;
    settings: LoggingSettings;
    /** The chart's service account, annotated with the IRSA role. */
    serviceAccount: ServiceAccountValues;
    /** Set when logs also go to S3. */
    bucketName?: string;
}

/** Joins Fluent Bit classic-mode sections; the chart indents the block into its ConfigMap. */
function sections(...blocks: string[][]): string {
    return blocks.map((lines) => lines.join("\n")).join("\n\n") + "\n";
}

/**
 * Host and data-plane inputs, modelled on the Container Insights Fluent Bit configuration for
 * Amazon Linux 2023: AL2023 has no /var/log/messages or /var/log/secure, so both come from the
 * journal, like kubelet and containerd.
 */
function additionalInputs(): string {
    return sections(
        [
            "[INPUT]",
            "    Name            systemd",
            "    Tag             dataplane.systemd.*",
            "    Systemd_Filter  _SYSTEMD_UNIT=kubelet.service",
            "    Systemd_Filter  _SYSTEMD_UNIT=containerd.service",
            "    Path            /var/log/journal",
            `    DB              ${STATE_DIR}/flb_dataplane_systemd.db`,
        ],
        [
            "[INPUT]",
            "    Name              tail",
            "    Tag               dataplane.tail.*",
            `    Path              ${DATAPLANE_CONTAINER_LOGS}`,
            "    multiline.parser  docker, cri",
            `    DB                ${STATE_DIR}/flb_dataplane_tail.db`,
            "    Mem_Buf_Limit     10MB",
            "    Skip_Long_Lines   On",
            "    Refresh_Interval  10",
        ],
        [
            "[INPUT]",
            "    Name            systemd",
            "    Tag             host.journal",
            // Kernel ring buffer (dmesg) and everything logged through syslog(3): sshd, sudo, PAM.
            "    Systemd_Filter  _TRANSPORT=kernel",
            "    Systemd_Filter  _TRANSPORT=syslog",
            "    Path            /var/log/journal",
            `    DB              ${STATE_DIR}/flb_host_systemd.db`,
        ],
    );
}

function additionalFilters(s3Enabled: boolean): string {
    const trimJournal = [
        "[FILTER]",
        "    Name          modify",
        "    Match_Regex   ^(dataplane\\.systemd\\..*|host\\.journal)$",
        "    Rename        _HOSTNAME      hostname",
        "    Rename        _SYSTEMD_UNIT  systemd_unit",
        "    Rename        MESSAGE        message",
        // Journal entries carry dozens of fields (_CMDLINE, _BOOT_ID, ...); ship the three that matter.
        "    Remove_regex  ^((?!hostname|systemd_unit|message).)*$",
    ];
    const copyToS3 = [
        "[FILTER]",
        "    Name                   rewrite_tag",
        "    Match                  kube.*",
        // Keep the original (true): it continues to CloudWatch; the copy, tagged s3.<namespace>, goes to S3.
        "    Rule                   $kubernetes['namespace_name'] ^([a-z0-9-]+)$ s3.$1 true",
        "    Emitter_Name           s3_copy",
        "    Emitter_Mem_Buf_Limit  10M",
    ];
    return s3Enabled ? sections(trimJournal, copyToS3) : sections(trimJournal);
}

function groupOutput(match: string, logGroupName: string, region: string): string[] {
    return [
        "[OUTPUT]",
        "    Name               cloudwatch_logs",
        `    Match              ${match}`,
        `    region             ${region}`,
        `    log_group_name     ${logGroupName}`,
        "    log_stream_prefix  ${HOST_NAME}.",
        "    auto_create_group  false",
    ];
}

/**
 * Values for the aws-for-fluent-bit chart (keys as in that chart's values.yaml at the pinned
 * version). Container logs go to the application group through the chart's own cloudwatchLogs
 * output; host and data-plane logs through additional outputs; a copy of container logs to S3 when
 * a bucket is given.
 */
export function fluentBitValues(args: FluentBitValuesArgs): Record<string, unknown> {
    const { clusterName, region, settings, serviceAccount, bucketName } = args;
    const { resources } = settings.fluentBit;
    const group = (name: "application" | "host" | "dataplane") => containerInsightsLogGroup(clusterName, name);
    return {
        serviceAccount,
        // Log shipping must outlive the workloads it reports on: never preempted, never evicted first.
        priorityClassName: "system-node-critical",
        // Every node ships its logs, whatever it is tainted with (Spot, GPU, dedicated pools, NoExecute).
        tolerations: [{ operator: "Exists" }],
        resources: {
            requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest },
            limits: { cpu: resources.cpuLimit, memory: resources.memoryLimit },
        },
        // Root (uid 0) only to read root-owned 0640 container logs and journal files as their owner;
        // no capabilities at all, so it cannot override file permissions or escalate.
        containerSecurityContext: {
            runAsUser: 0,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        },
        env: [{ name: "HOST_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
        volumes: [
            { name: "varlog", hostPath: { path: "/var/log" } },
            { name: "state", hostPath: { path: STATE_DIR, type: "DirectoryOrCreate" } },
            // The journal reader matches entries to this machine's id.
            { name: "machine-id", hostPath: { path: "/etc/machine-id", type: "File" } },
        ],
        volumeMounts: [
            { name: "varlog", mountPath: "/var/log", readOnly: true },
            { name: "state", mountPath: STATE_DIR },
            { name: "machine-id", mountPath: "/etc/machine-id", readOnly: true },
        ],
        input: {
            enabled: true,
            tag: "kube.*",
            path: "/var/log/containers/*.log",
            // The chart's default DB lives in /var/log, which is read-only here.
            db: `${STATE_DIR}/flb_kube.db`,
            multilineParser: "docker, cri",
            memBufLimit: "10MB",
            skipLongLines: "On",
            refreshInterval: 10,
            extraInputs: `Exclude_Path      ${DATAPLANE_CONTAINER_LOGS}`,
        },
        filter: { enabled: true, match: "kube.*" },
        additionalInputs: additionalInputs(),
        additionalFilters: additionalFilters(bucketName !== undefined),
        cloudWatchLogs: {
            enabled: true,
            match: "kube.*",
            region,
            logGroupName: group("application"),
            // One stream per container, readable in the console; the prefix is the fallback when metadata is missing.
            logStreamTemplate: "$kubernetes['namespace_name'].$kubernetes['pod_name'].$kubernetes['container_name']",
            logStreamPrefix: "unresolved.",
            // The program creates every group with its retention and KMS key; a group Fluent Bit
            // created itself would have neither. (The chart omits the key when false; the plugin's default is off.)
            autoCreateGroup: false,
        },
        // The deprecated Go plugin: off (the chart's default, stated so a chart bump cannot flip it).
        cloudWatch: { enabled: false },
        additionalOutputs: sections(groupOutput("host.*", group("host"), region), groupOutput("dataplane.*", group("dataplane"), region)),
        s3:
            bucketName === undefined
                ? { enabled: false }
                : {
                      enabled: true,
                      match: "s3.*",
                      bucket: bucketName,
                      region,
                      s3KeyFormat: s3KeyFormat(clusterName),
                      // Stated, not left to the chart's defaults: the Glue tables read exactly these (layout.ts).
                      jsonDateKey: ARCHIVE_RECORD.timeKey,
                      jsonDateFormat: ARCHIVE_RECORD.timeFormat,
                      compression: ARCHIVE_COMPRESSION,
                      totalFileSize: "100M",
                      uploadTimeout: `${ARCHIVE_UPLOAD_TIMEOUT_MINUTES}m`,
                      storeDir: `${STATE_DIR}/s3`,
                      storeDirLimitSize: S3_BUFFER_LIMIT,
                  },
    };
}
