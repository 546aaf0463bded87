import type { AwsScope } from "../capability";
import type { PolicyDocument, PolicyStatement } from "../iam/policyDocument";
import published from "./iam-policy/v3.5.0.json";
import type { LoadBalancerControllerSettings } from "./settings";

/** The controller's IAM policy exactly as its project publishes it for the pinned version (LOAD_BALANCER_CONTROLLER_POLICY). */
export const PUBLISHED_CONTROLLER_POLICY = published as unknown as PolicyDocument;

/** Where the controller works: its account and region, and the one VPC it creates security groups in. */
export interface ControllerPolicyScope extends Pick<AwsScope, "region" | "accountId" | "partition"> {
    vpcId: string;
}

/** Features of the controller whose grants the policy keeps only when they are on. */
export interface ControllerFeatures {
    /** loadBalancerController.internetFacing.shieldAdvanced: the controller calls Shield (enableShield) only then. */
    shieldAdvanced: boolean;
    /** loadBalancerController.internetFacing.webAclArn is set: the controller calls AWS WAF (enableWafv2) only then. */
    webAcl: boolean;
}

/** What the settings turn on: the chart's enableShield and enableWafv2, the policy's grants and the endpoints follow it. */
export function controllerFeatures(settings: Pick<LoadBalancerControllerSettings, "internetFacing">): ControllerFeatures {
    return { shieldAdvanced: settings.internetFacing.shieldAdvanced, webAcl: settings.internetFacing.webAclArn !== undefined };
}

/**
 * The grants of APIs the controller calls only with a feature on, by the feature; an API the
 * controller never calls here has none. A grant the controller never uses is one more thing a stolen
 * token could do, and makes a NAT-less stack demand an endpoint (the pack's
 * private-cluster-vpc-endpoints) that costs money or, for Shield, cannot exist.
 */
const FEATURE_ACTIONS: { pattern: RegExp; usedWith: (features: ControllerFeatures) => boolean }[] = [
    { pattern: /^shield:/, usedWith: (features) => features.shieldAdvanced },
    { pattern: /^wafv2:/, usedWith: (features) => features.webAcl },
    // AWS WAF Classic: the controller runs with enableWaf: false (controller.ts), so it never calls it.
    { pattern: /^waf-regional:/, usedWith: () => false },
];

type ResourcesOf = (scope: ControllerPolicyScope) => string[];

const elb = (s: ControllerPolicyScope, resource: string) => `arn:${s.partition}:elasticloadbalancing:${s.region}:${s.accountId}:${resource}`;
const loadBalancers = (s: ControllerPolicyScope) => [elb(s, "loadbalancer/app/*/*"), elb(s, "loadbalancer/net/*/*")];
const listeners = (s: ControllerPolicyScope) => [elb(s, "listener/app/*/*/*"), elb(s, "listener/net/*/*/*")];
const listenerRules = (s: ControllerPolicyScope) => [elb(s, "listener-rule/app/*/*/*"), elb(s, "listener-rule/net/*/*/*")];
const targetGroups = (s: ControllerPolicyScope) => [elb(s, "targetgroup/*/*")];
const securityGroups = (s: ControllerPolicyScope) => [`arn:${s.partition}:ec2:${s.region}:${s.accountId}:security-group/*`];

/**
 * What the published policy grants on "*" and this program narrows, by action: the ARNs of the
 * resource types each action authorizes against (the Service Authorization Reference's "Resource
 * types" column), in this account and region. Everything else the published policy grants on "*" is
 * a read or an action without resource-level permissions, which only "*" can grant. The controller
 * never acts outside its own account, region and VPC, so these grant it everything it does.
 */
const SCOPED_RESOURCES: Record<string, ResourcesOf> = {
    // The one service-linked role the statement's iam:AWSServiceName condition already names.
    "iam:CreateServiceLinkedRole": (s) => [
        `arn:${s.partition}:iam::${s.accountId}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`,
    ],
    "ec2:CreateSecurityGroup": (s) => [...securityGroups(s), `arn:${s.partition}:ec2:${s.region}:${s.accountId}:vpc/${s.vpcId}`],
    "ec2:AuthorizeSecurityGroupIngress": securityGroups,
    "ec2:RevokeSecurityGroupIngress": securityGroups,
    "ec2:DeleteSecurityGroup": securityGroups,
    "elasticloadbalancing:CreateLoadBalancer": loadBalancers,
    "elasticloadbalancing:CreateTargetGroup": targetGroups,
    "elasticloadbalancing:CreateListener": loadBalancers,
    "elasticloadbalancing:DeleteListener": listeners,
    "elasticloadbalancing:CreateRule": listeners,
    "elasticloadbalancing:DeleteRule": listenerRules,
    "elasticloadbalancing:ModifyLoadBalancerAttributes": loadBalancers,
    "elasticloadbalancing:SetIpAddressType": loadBalancers,
    "elasticloadbalancing:SetSecurityGroups": loadBalancers,
    "elasticloadbalancing:SetSubnets": loadBalancers,
    "elasticloadbalancing:DeleteLoadBalancer": loadBalancers,
    "elasticloadbalancing:ModifyTargetGroup": targetGroups,
    "elasticloadbalancing:ModifyTargetGroupAttributes": targetGroups,
    "elasticloadbalancing:DeleteTargetGroup": targetGroups,
    "elasticloadbalancing:ModifyListenerAttributes": listeners,
    "elasticloadbalancing:ModifyCapacityReservation": loadBalancers,
    "elasticloadbalancing:ModifyIpPools": loadBalancers,
    "elasticloadbalancing:ModifyListener": listeners,
    "elasticloadbalancing:AddListenerCertificates": listeners,
    "elasticloadbalancing:RemoveListenerCertificates": listeners,
    "elasticloadbalancing:ModifyRule": listenerRules,
    "elasticloadbalancing:SetRulePriorities": listenerRules,
    "wafv2:AssociateWebACL": (s) => [`arn:${s.partition}:wafv2:${s.region}:${s.accountId}:regional/webacl/*/*`, elb(s, "loadbalancer/app/*/*")],
    "wafv2:DisassociateWebACL": (s) => [elb(s, "loadbalancer/app/*/*")],
    "waf-regional:AssociateWebACL": (s) => [`arn:${s.partition}:waf-regional:${s.region}:${s.accountId}:webacl/*`, elb(s, "loadbalancer/app/*/*")],
    "waf-regional:DisassociateWebACL": (s) => [elb(s, "loadbalancer/app/*/*")],
    "shield:DeleteProtection": (s) => [`arn:${s.partition}:shield::${s.accountId}:protection/*`],
};

/** `arn:aws:<service>:*:*:<resource>` as published: any region and account, narrowed to the stack's. */
function inScope(arn: string, scope: ControllerPolicyScope): string {
    return arn.replace(/^arn:aws:([a-z0-9-]+):\*:\*:/, `arn:${scope.partition}:$1:${scope.region}:${scope.accountId}:`);
}

function asList(value: string | string[] | undefined): string[] {
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * The published policy narrowed to the stack: statements keep their effect, actions and conditions,
 * and only their resources change. ARNs published for any region and account name this one; an
 * action granted on "*" that supports resource-level permissions moves to a statement of its own
 * (same condition) on its resource types here (SCOPED_RESOURCES); reads and actions without
 * resource-level permissions stay on "*". The published policy grants writes on "*" (security groups,
 * load balancers, WAF associations), which the IAM rules refuse (CKV_AWS_111, CKV_AWS_356). The
 * actions of a feature that is off go (FEATURE_ACTIONS).
 */
export function controllerPolicy(
    scope: ControllerPolicyScope,
    features: ControllerFeatures,
    source: PolicyDocument = PUBLISHED_CONTROLLER_POLICY,
): PolicyDocument {
    const unused = FEATURE_ACTIONS.filter((feature) => !feature.usedWith(features)).map((feature) => feature.pattern);
    const used = source.Statement.flatMap((statement) => withoutActions(statement, unused));
    const statements = used.flatMap((statement): PolicyStatement[] => {
        const resources = asList(statement.Resource);
        if (!resources.includes("*")) {
            return [{ ...statement, Resource: resources.map((arn) => inScope(arn, scope)) }];
        }
        const onEverything = asList(statement.Action).filter((action) => !SCOPED_RESOURCES[action]);
        const scoped = new Map<string, string[]>();
        for (const action of asList(statement.Action).filter((candidate) => SCOPED_RESOURCES[candidate])) {
            const arns = SCOPED_RESOURCES[action](scope);
            const key = JSON.stringify(arns);
            scoped.set(key, [...(scoped.get(key) ?? []), action]);
        }
        return [
            ...(onEverything.length > 0 ? [{ ...statement, Action: onEverything, Resource: "*" }] : []),
            ...[...scoped].map(([arns, actions]) => ({ ...statement, Action: actions, Resource: JSON.parse(arns) as string[] })),
        ];
    });
    return { Version: "2012-10-17", Statement: statements };
}

/** The statement without the actions any of `patterns` matches; nothing when none is left. */
function withoutActions(statement: PolicyStatement, patterns: RegExp[]): PolicyStatement[] {
    const actions = asList(statement.Action);
    const kept = actions.filter((action) => !patterns.some((pattern) => pattern.test(action)));
    if (kept.length === actions.length) {
        return [statement];
    }
    return kept.length > 0 ? [{ ...statement, Action: kept }] : [];
}
