import { ATHENA_WORKGROUP, workgroupConfiguration } from "../../lib/athena";
import { resourceGuardrail } from "../../lib/policy";

/** Athena's own floor for the cutoff: 10 MB. */
const MINIMUM_CUTOFF_BYTES = 10 * 1024 * 1024;

interface ScanLimitConfig {
    maximumBytesPerQuery: number;
}

export const athenaScanLimited = resourceGuardrail<ScanLimitConfig>({
    name: "athena-scan-limited",
    description: "Athena workgroups cancel any query that scans more than a set amount of data (Athena bills per byte scanned).",
    enforcementLevel: "advisory",
    controls: [],
    platformSpecific:
        "Checkov and trivy check Athena workgroups for encryption and enforcement only; the cutoff keeps one unfiltered query from billing a scan of a whole log archive",
    remediation:
        "Set configuration.bytesScannedCutoffPerQuery (bytes, at least 10485760) to at most maximumBytesPerQuery, and keep the configuration enforced.",
    configSchema: {
        maximumBytesPerQuery: {
            type: "integer",
            minimum: MINIMUM_CUTOFF_BYTES,
            description: "Largest acceptable cutoff, in bytes; the default is 1 TiB.",
            default: 1024 ** 4,
        },
    },
    resourceTypes: [ATHENA_WORKGROUP],
    validate: (workgroup, config, report) => {
        const cutoff = workgroupConfiguration(workgroup.props)?.bytesScannedCutoffPerQuery;
        if (typeof cutoff !== "number") {
            report("No bytesScannedCutoffPerQuery: a single query may scan, and bill, everything its tables cover.");
        } else if (cutoff > config.maximumBytesPerQuery) {
            report(`bytesScannedCutoffPerQuery is ${cutoff} bytes, above the ${config.maximumBytesPerQuery} this environment allows.`);
        }
    },
});
