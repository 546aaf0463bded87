import type { ConfigProblem } from "../../config/problems";
import type { ValidationFacts } from "../capability";
import { bucketNameProblems } from "../../config/names";
import { defaultAccessLogBucketName } from "./accessLogs";
import type { LoadBalancerControllerSettings } from "./settings";

/**
 * Whether an Elastic Load Balancing security policy negotiates TLS 1.2 or newer only, with no legacy
 * cipher extensions: the FS-1-2, TLS-1-2 and TLS13-1-2/1-3 families (the prefixes Checkov's
 * CKV_AWS_103 accepts), less their "Ext" variants, which add CBC and SHA-1 suites (trivy's AVD-AWS-0047
 * lists the TLS13 Ext ones as outdated). Policy names encode this, so no table of policies is needed.
 */
export function isModernTlsPolicy(name: string): boolean {
    return /^ELBSecurityPolicy-(FS-1-2|TLS-1-2|TLS13-1-[23])-/.test(name) && !/-Ext\d*-/.test(name);
}

/** The partition whose published controller policy the program ships. */
const SHIPPED_POLICY_PARTITION = /^(cn|us-gov|us-iso[a-z]*|eusc)-/;

/**
 * Settings that contradict each other or the environment, each named: an outdated TLS policy, prod
 * without access logs or deletion protection, internet-facing settings while internet-facing load
 * balancers are not allowed, namespaces the cluster does not create, a bucket name S3 refuses, and the
 * sample workload without the controller that exposes it.
 */
export function validateLoadBalancerController(settings: LoadBalancerControllerSettings, facts: ValidationFacts): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const problem = (path: string, value: unknown, message: string) => problems.push({ path: `loadBalancerController.${path}`, value, message });
    if (!settings.enabled) {
        if (facts.compute.sampleWorkload) {
            problem("enabled", false, "must be true while compute.sampleWorkload is on: the sample is exposed through an ALB Ingress and an NLB Service");
        }
        return problems;
    }
    if (SHIPPED_POLICY_PARTITION.test(facts.region)) {
        problem("enabled", true, `the controller's IAM policy is shipped for the aws partition only; region ${facts.region} is in another partition`);
    }
    if (!isModernTlsPolicy(settings.defaultTlsPolicy)) {
        problem(
            "defaultTlsPolicy",
            settings.defaultTlsPolicy,
            "must allow only TLS 1.2 or newer without legacy cipher extensions: an ELBSecurityPolicy-TLS13-1-2-*, -TLS13-1-3-*, -TLS-1-2-* or -FS-1-2-* policy without -Ext",
        );
    }
    if (facts.environment === "prod") {
        if (!settings.accessLogs.enabled) {
            problem("accessLogs.enabled", false, "must be true in prod: load balancer access logs are the record of who called what");
        }
        if (settings.deletionProtection === false) {
            problem(
                "deletionProtection",
                false,
                "must not be false in prod: an Ingress deleted by mistake would take its load balancer, and its DNS name, with it",
            );
        }
    }
    problems.push(...internetFacingProblems(settings.internetFacing, facts.cluster.applicationNamespaces));
    if (settings.internetFacing.shieldAdvanced && facts.network.natGateways === "none") {
        // AWS Shield's API has no VPC endpoint: the controller reaches it only through NAT.
        problem("internetFacing.shieldAdvanced", true, "needs network.natGateways: the Shield API is reached over the internet, and this stack has no NAT");
    }
    if (settings.accessLogs.enabled) {
        const name = settings.accessLogs.bucketName ?? defaultAccessLogBucketName(facts.clusterName, "111122223333");
        for (const message of bucketNameProblems(name)) {
            problem(
                "accessLogs.bucketName",
                settings.accessLogs.bucketName,
                settings.accessLogs.bucketName === undefined
                    ? `the default name "${defaultAccessLogBucketName(facts.clusterName, "<account>")}" ${message}; set loadBalancerController.accessLogs.bucketName`
                    : message,
            );
        }
    }
    return problems;
}

function internetFacingProblems(internetFacing: LoadBalancerControllerSettings["internetFacing"], applicationNamespaces: string[]): ConfigProblem[] {
    const path = (setting: string) => `loadBalancerController.internetFacing.${setting}`;
    if (!internetFacing.allowed) {
        // Each of these only shapes the internet-facing class; set without it, it would be ignored.
        const ignored: [string, unknown, boolean][] = [
            ["namespaces", internetFacing.namespaces, internetFacing.namespaces.length > 0],
            ["webAclArn", internetFacing.webAclArn, internetFacing.webAclArn !== undefined],
            ["shieldAdvanced", internetFacing.shieldAdvanced, internetFacing.shieldAdvanced],
            ["inboundCidrs", internetFacing.inboundCidrs, internetFacing.inboundCidrs.join() !== "0.0.0.0/0"],
        ];
        return ignored
            .filter(([, , set]) => set)
            .map(([setting, value]) => ({
                path: path(setting),
                value,
                message: "applies to internet-facing load balancers only; set internetFacing.allowed: true, or remove it",
            }));
    }
    const problems: ConfigProblem[] = [];
    if (internetFacing.namespaces.length === 0) {
        problems.push({ path: path("namespaces"), value: [], message: "must name the application namespaces allowed internet-facing Ingresses" });
    }
    for (const namespace of internetFacing.namespaces.filter((name) => !applicationNamespaces.includes(name))) {
        problems.push({
            path: path("namespaces"),
            value: namespace,
            message: `is not one of cluster.applicationNamespaces (${applicationNamespaces.join(", ")})`,
        });
    }
    return problems;
}
