// The kubelet settings a node's user data may override. EKS-optimized AMIs start the kubelet with
// the CIS values; a launch template's user data (a nodeadm NodeConfig, or bootstrap.sh's
// --kubelet-extra-args on older AMIs) can change them, and this is where a program can get them wrong.
import { parseAllDocuments } from "yaml";
import { LAUNCH_TEMPLATE } from "../../lib/autoscaling";
import { resourceGuardrail } from "../../lib/policy";
import { field, recordAt, stringsAt } from "../../lib/values";

interface KubeletSettings {
    /** KubeletConfiguration fields the user data sets. */
    config: Record<string, unknown>;
    /** Command-line flags it passes, by name without dashes. */
    flags: Map<string, string>;
}

function parseFlags(texts: string[]): Map<string, string> {
    const flags = new Map<string, string>();
    for (const text of texts) {
        for (const match of text.matchAll(/--([a-z][a-z0-9-]*)(?:[= ]([^\s'"]*))?/gi)) {
            flags.set(match[1].toLowerCase(), match[2] ?? "true");
        }
    }
    return flags;
}

/** The kubelet configuration and flags in user data: every NodeConfig document, and bootstrap.sh's extra args. */
function kubeletSettingsOf(userData: string): KubeletSettings {
    const text = /^[A-Za-z0-9+/=\s]+$/.test(userData) ? Buffer.from(userData, "base64").toString("utf8") : userData;
    const config: Record<string, unknown> = {};
    const flagTexts: string[] = [];
    // A NodeConfig is YAML, alone or in a part of a MIME multi-part document (headers, a blank line, the body).
    const boundary = /boundary="?([^";\s]+)"?/i.exec(text)?.[1];
    const parts = boundary ? text.split(`--${boundary}`).map((part) => part.replace(/^[\s\S]*?\r?\n\r?\n/, "")) : [text];
    for (const body of parts) {
        if (!/kind:\s*NodeConfig/.test(body)) {
            continue;
        }
        for (const document of parseAllDocuments(body)) {
            const node: unknown = document.toJS();
            if (field(node, "kind") === "NodeConfig") {
                Object.assign(config, recordAt(node, "spec", "kubelet", "config") ?? {});
                flagTexts.push(...stringsAt(node, "spec", "kubelet", "flags"));
            }
        }
    }
    for (const match of text.matchAll(/--kubelet-extra-args\s+(['"])(.*?)\1/g)) {
        flagTexts.push(match[2]);
    }
    return { config, flags: parseFlags(flagTexts) };
}

const isOff = (value: unknown) => value === false || value === "false";
const isOn = (value: unknown) => value === true || value === "true";
const zeroDuration = (value: unknown) => typeof value === "string" && /^0+(\.0+)?(ns|us|ms|s|m|h)?$/.test(value);

/** Each CIS EKS 3.2 recommendation, and how user data breaks it. */
const CHECKS: ReadonlyArray<{ control: string; breaks: (settings: KubeletSettings) => string | undefined }> = [
    {
        control: "CIS EKS 3.2.1",
        breaks: ({ config, flags }) =>
            isOn(field(config, "authentication", "anonymous", "enabled")) || isOn(flags.get("anonymous-auth")) ? "enables anonymous authentication" : undefined,
    },
    {
        control: "CIS EKS 3.2.2",
        breaks: ({ config, flags }) =>
            field(config, "authorization", "mode") === "AlwaysAllow" || (flags.get("authorization-mode") ?? "").split(",").includes("AlwaysAllow")
                ? "sets the authorization mode to AlwaysAllow"
                : undefined,
    },
    {
        control: "CIS EKS 3.2.3",
        breaks: ({ config, flags }) =>
            field(config, "authentication", "x509", "clientCAFile") === "" || flags.get("client-ca-file") === "" ? "clears the client CA file" : undefined,
    },
    {
        control: "CIS EKS 3.2.4",
        breaks: ({ config, flags }) => {
            const port = config.readOnlyPort ?? flags.get("read-only-port");
            return port !== undefined && Number(port) !== 0 ? `opens the read-only port ${JSON.stringify(port)}` : undefined;
        },
    },
    {
        control: "CIS EKS 3.2.5",
        breaks: ({ config, flags }) =>
            zeroDuration(config.streamingConnectionIdleTimeout) || zeroDuration(flags.get("streaming-connection-idle-timeout"))
                ? "disables the streaming connection idle timeout (0)"
                : undefined,
    },
    {
        control: "CIS EKS 3.2.6",
        breaks: ({ config, flags }) =>
            isOff(config.makeIPTablesUtilChains) || isOff(flags.get("make-iptables-util-chains"))
                ? "stops the kubelet managing its iptables chains"
                : undefined,
    },
    {
        control: "CIS EKS 3.2.7",
        breaks: ({ config, flags }) => {
            const qps = config.eventRecordQPS ?? flags.get("event-qps");
            return qps !== undefined && !(Number(qps) >= 0) ? `sets eventRecordQPS to ${JSON.stringify(qps)}` : undefined;
        },
    },
    {
        control: "CIS EKS 3.2.8",
        breaks: ({ config, flags }) =>
            isOff(config.rotateCertificates) || isOff(flags.get("rotate-certificates")) ? "turns off client certificate rotation" : undefined,
    },
    {
        control: "CIS EKS 3.2.9",
        breaks: ({ config, flags }) =>
            isOff(field(config, "featureGates", "RotateKubeletServerCertificate")) ||
            isOff(flags.get("rotate-kubelet-server-certificate")) ||
            /RotateKubeletServerCertificate=false/.test(flags.get("feature-gates") ?? "")
                ? "turns off serving certificate rotation (RotateKubeletServerCertificate)"
                : undefined,
    },
];

export const launchTemplateKubeletHardened = resourceGuardrail({
    name: "launch-template-kubelet-hardened",
    description:
        "Node user data keeps the kubelet's CIS settings: no anonymous auth, no AlwaysAllow, a client CA, read-only port off, a streaming idle timeout, iptables chains, event capture, certificate rotation.",
    enforcementLevel: "mandatory",
    controls: CHECKS.map((check) => check.control),
    remediation:
        "Remove the override from the NodeConfig's spec.kubelet.config / spec.kubelet.flags (or --kubelet-extra-args): the EKS-optimized " +
        "AMI's kubelet configuration already has the CIS values.",
    resourceTypes: [LAUNCH_TEMPLATE],
    validate: (template, _config, report) => {
        const userData = template.props.userData as unknown;
        if (typeof userData !== "string" || userData.length === 0) {
            return;
        }
        const settings = kubeletSettingsOf(userData);
        for (const check of CHECKS) {
            const broken = check.breaks(settings);
            if (broken) {
                report(`The user data ${broken} (${check.control}).`);
            }
        }
    },
});
