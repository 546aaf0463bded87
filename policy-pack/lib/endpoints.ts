// What the nodes and pods of a stack call from inside the VPC, read from what the stack deploys:
// its EKS add-ons and the IAM policies of the roles nodes and pods assume. A stack without NAT
// reaches those APIs only through VPC endpoints.
import { irsaTrustStatements, isAllow, principalsOf, statementsOf } from "./iam";
import type { ResourceView, StackView } from "./policy";
import { resourcesOfType } from "./stack";
import { readKnown } from "./unknown";
import { asArray } from "./values";

/** A service the stack needs an endpoint for (`com.amazonaws.<region>.<service>`), and why. */
export interface RequiredService {
    service: string;
    reasons: string[];
}

/** What each EKS add-on's pods call (its documented IAM policy's services). */
const ADDON_SERVICES: Record<string, string[]> = {
    "vpc-cni": ["ec2"],
    "eks-pod-identity-agent": ["eks-auth"],
    "aws-ebs-csi-driver": ["ec2"],
    "aws-efs-csi-driver": ["elasticfilesystem"],
    "aws-fsx-csi-driver": ["fsx"],
    "amazon-cloudwatch-observability": ["monitoring", "logs"],
};

/** AWS managed policies whose use needs endpoints the rest of the stack does not reveal. */
const MANAGED_POLICY_SERVICES: Record<string, string[]> = {
    AmazonSSMManagedInstanceCore: ["ssm", "ssmmessages", "ec2messages"],
};

/** IAM service prefixes (and single actions) whose endpoint has another name. */
const ACTION_ENDPOINTS: Record<string, string[]> = {
    "appmesh:StreamAggregatedResources": ["appmesh-envoy-management"],
    cloudwatch: ["monitoring"],
    tag: ["tagging"],
    ecr: ["ecr.api", "ecr.dkr"],
};

/**
 * Prefixes that need no endpoint of their own: KMS is called by the service that encrypts on the
 * principal's behalf (EBS, EFS, FSx, S3, ECR), and service-linked roles (iam) are created by the
 * service being called.
 */
const CALLED_BY_ANOTHER_SERVICE = new Set(["kms", "iam"]);

const TRUSTED_SERVICES_IN_VPC = ["Service:ec2.amazonaws.com", "Service:pods.eks.amazonaws.com"];

/** Roles that nodes (EC2) or pods (IRSA, Pod Identity) assume: what they call, they call from the VPC. */
function rolesInVpc(stack: StackView): ResourceView[] {
    return resourcesOfType(stack, "aws:iam/role:Role").filter((role) => {
        const trust: unknown = readKnown((): unknown => role.props.assumeRolePolicy);
        const statements = (statementsOf(trust) ?? []).filter(isAllow);
        return (
            irsaTrustStatements(trust).length > 0 || statements.some((statement) => principalsOf(statement).some((p) => TRUSTED_SERVICES_IN_VPC.includes(p)))
        );
    });
}

/** How other resources refer to a resource: its provider ID, its physical name, its logical name. */
function referencesTo(resource: ResourceView): unknown[] {
    return [resource.id, readKnown(() => resource.props.name as unknown), resource.name].filter((reference) => reference !== undefined);
}

/** The policy documents that apply to a role, each with its label, and the AWS managed policies attached to it. */
function policiesOf(role: ResourceView, stack: StackView): { documents: { label: string; document: unknown }[]; managed: string[] } {
    const refs = referencesTo(role);
    const attachedTo = (resource: ResourceView) => refs.includes(readKnown(() => resource.props.role as unknown));
    const inline = asArray(readKnown(() => role.props.inlinePolicies as { policy?: unknown }[] | undefined)).map((entry) => ({
        label: `role ${role.name} inline policy`,
        document: readKnown(() => entry.policy),
    }));
    const rolePolicies = resourcesOfType(stack, "aws:iam/rolePolicy:RolePolicy")
        .filter(attachedTo)
        .map((policy) => ({ label: `role ${role.name} (${policy.name})`, document: readKnown(() => policy.props.policy as unknown) }));
    const attachedArns = resourcesOfType(stack, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter(attachedTo)
        .map((attachment) => readKnown((): unknown => attachment.props.policyArn))
        .filter((arn): arn is string => typeof arn === "string");
    const customerPolicies = resourcesOfType(stack, "aws:iam/policy:Policy")
        .filter((policy) =>
            attachedArns.some((arn) => arn === policy.id || referencesTo(policy).some((ref) => typeof ref === "string" && arn.endsWith(`:policy/${ref}`))),
        )
        .map((policy) => ({ label: `role ${role.name} (${policy.name})`, document: readKnown(() => policy.props.policy as unknown) }));
    const managed = attachedArns.flatMap((arn) => /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1] ?? []);
    return { documents: [...inline, ...rolePolicies, ...customerPolicies], managed };
}

/** The endpoints an allowed action needs. */
function endpointsOfAction(action: string): string[] {
    if (ACTION_ENDPOINTS[action]) {
        return ACTION_ENDPOINTS[action];
    }
    const prefix = action.split(":")[0].toLowerCase();
    if (prefix === "*" || CALLED_BY_ANOTHER_SERVICE.has(prefix)) {
        return [];
    }
    return ACTION_ENDPOINTS[prefix] ?? [prefix];
}

/**
 * The services a stack's nodes and pods call: `base` (what every node needs to join and pull), each
 * EKS add-on's, and every service an allowed action of a node or pod role names.
 */
export function requiredServices(stack: StackView, base: string[]): RequiredService[] {
    const byService = new Map<string, RequiredService>();
    const need = (service: string, reason: string) => {
        const entry = byService.get(service) ?? { service, reasons: [] };
        if (!entry.reasons.includes(reason)) {
            entry.reasons.push(reason);
        }
        byService.set(service, entry);
    };
    base.forEach((service) => need(service, "nodes join the cluster and pull images"));
    for (const addon of resourcesOfType(stack, "aws:eks/addon:Addon")) {
        const addonName = readKnown((): unknown => addon.props.addonName);
        const name = typeof addonName === "string" ? addonName : "";
        (ADDON_SERVICES[name] ?? []).forEach((service) => need(service, `EKS add-on ${name}`));
    }
    for (const role of rolesInVpc(stack)) {
        const { documents, managed } = policiesOf(role, stack);
        for (const name of managed) {
            (MANAGED_POLICY_SERVICES[name] ?? []).forEach((service) => need(service, `${name} on role ${role.name}`));
        }
        for (const { label, document } of documents) {
            for (const statement of (statementsOf(document) ?? []).filter(isAllow)) {
                for (const action of asArray(statement.Action)) {
                    endpointsOfAction(action).forEach((service) => need(service, `${label}: ${action}`));
                }
            }
        }
    }
    return [...byService.values()];
}

/** The services the stack's VPC endpoints serve (the part of their service names after the region). */
export function endpointServices(stack: StackView): string[] {
    return resourcesOfType(stack, "aws:ec2/vpcEndpoint:VpcEndpoint").flatMap((endpoint) => {
        const name = readKnown(() => endpoint.props.serviceName as unknown);
        const match = typeof name === "string" ? /^com\.amazonaws\.[a-z0-9-]+\.(.+)$/.exec(name) : null;
        return match ? [match[1]] : [];
    });
}

/** The region of the stack's VPC endpoints, as their service names spell it. */
export function endpointRegion(stack: StackView): string | undefined {
    for (const endpoint of resourcesOfType(stack, "aws:ec2/vpcEndpoint:VpcEndpoint")) {
        const name = readKnown(() => endpoint.props.serviceName as unknown);
        const match = typeof name === "string" ? /^com\.amazonaws\.([a-z0-9-]+)\./.exec(name) : null;
        if (match) {
            return match[1];
        }
    }
    return undefined;
}
