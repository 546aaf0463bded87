import type { AwsScope } from "../capability";
import type { PolicyDocument } from "../iam/policyDocument";

/**
 * The AWS Gateway API Controller's permissions, from its recommended-inline-policy.json (v2.1.3),
 * cut to what this component uses. Kept: vpc-lattice (the controller creates and names services,
 * target groups, listeners and rules at run time, and list calls take no resource ARN, so the
 * service cannot be narrowed by ARN; the region can), the EC2 lookups of the cluster VPC, the
 * Resource Groups Tagging API it finds its resources with, and the Lattice service-linked role.
 * Resource ARNs, not only the region condition, keep the writes inside this account and region.
 * Left out: CloudWatch Logs, Firehose and S3 bucket-policy actions (only AccessLogPolicy uses them,
 * and nothing here renders one), acm:ListCertificates (HTTPS listeners and custom domains only),
 * and the log-delivery service-linked role.
 */
export function latticeControllerPolicy({ partition, region, accountId }: AwsScope): PolicyDocument {
    const inRegion = { StringEquals: { "aws:RequestedRegion": region } };
    return {
        Version: "2012-10-17",
        Statement: [
            // Every vpc-lattice write action authorises against a resource type whose ARN is
            // arn:<partition>:vpc-lattice:<region>:<account>:<type>/<id> (Service Authorization
            // Reference, Amazon VPC Lattice), so the grant names this account and region rather than
            // "*"; the List calls have no resource-level permissions and keep "*".
            { Sid: "ManageLattice", Effect: "Allow", Action: "vpc-lattice:*", Resource: `arn:${partition}:vpc-lattice:${region}:${accountId}:*` },
            { Sid: "ListLattice", Effect: "Allow", Action: "vpc-lattice:List*", Resource: "*", Condition: inRegion },
            {
                Sid: "ReadClusterNetwork",
                Effect: "Allow",
                Action: ["ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeTags", "ec2:DescribeSecurityGroups"],
                Resource: "*",
                Condition: inRegion,
            },
            {
                Sid: "FindOwnResources",
                Effect: "Allow",
                Action: ["tag:GetResources", "tag:TagResources", "tag:UntagResources"],
                Resource: "*",
                Condition: inRegion,
            },
            {
                Sid: "LatticeServiceLinkedRole",
                Effect: "Allow",
                Action: "iam:CreateServiceLinkedRole",
                Resource: `arn:${partition}:iam::${accountId}:role/aws-service-role/vpc-lattice.amazonaws.com/AWSServiceRoleForVpcLattice`,
                Condition: { StringLike: { "iam:AWSServiceName": "vpc-lattice.amazonaws.com" } },
            },
        ],
    };
}

function appMeshArn({ partition, region, accountId }: AwsScope, meshName: string): string {
    return `arn:${partition}:appmesh:${region}:${accountId}:mesh/${meshName}`;
}

/**
 * The App Mesh controller's permissions, from controller-iam-policy.json
 * (aws-app-mesh-controller-for-k8s v1.13.3), scoped to the one mesh and the resource kinds this
 * component renders. ListMeshes takes no resource ARN. Left out: Cloud Map and Route 53 health-check
 * actions (virtual nodes here use DNS discovery; the controller calls Cloud Map only for nodes with
 * awsCloudMap), ACM and ACM PCA (no TLS listeners), and virtual gateway / gateway route actions
 * (none rendered).
 */
export function appMeshControllerPolicy(scope: AwsScope, meshName: string): PolicyDocument {
    const mesh = appMeshArn(scope, meshName);
    const kinds = ["Mesh", "VirtualNode", "VirtualRouter", "VirtualService", "Route"];
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ListMeshes", Effect: "Allow", Action: "appmesh:ListMeshes", Resource: "*" },
            {
                Sid: "ManageThisMesh",
                Effect: "Allow",
                Action: [
                    ...["ListVirtualNodes", "ListVirtualRouters", "ListVirtualServices", "ListRoutes"].map((a) => `appmesh:${a}`),
                    ...["Describe", "Create", "Update", "Delete"].flatMap((verb) => kinds.map((kind) => `appmesh:${verb}${kind}`)),
                ],
                Resource: [mesh, `${mesh}/*`],
            },
            {
                Sid: "AppMeshServiceLinkedRole",
                Effect: "Allow",
                Action: "iam:CreateServiceLinkedRole",
                Resource: `arn:${scope.partition}:iam::${scope.accountId}:role/aws-service-role/appmesh.amazonaws.com/AWSServiceRoleForAppMesh`,
                Condition: { StringLike: { "iam:AWSServiceName": "appmesh.amazonaws.com" } },
            },
        ],
    };
}

/**
 * What an injected Envoy needs (envoy-iam-policy.json): its configuration stream, for the virtual
 * nodes of this mesh only. The TLS actions of that file are left out (no TLS listeners).
 */
export function envoyPolicy(scope: AwsScope, meshName: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "StreamMeshConfig", Effect: "Allow", Action: "appmesh:StreamAggregatedResources", Resource: `${appMeshArn(scope, meshName)}/virtualNode/*` },
        ],
    };
}

/**
 * Flagger's permissions: its CloudWatch metrics provider (pkg/metrics/providers/cloudwatch.go,
 * v1.44.0) calls GetMetricData only, for its checks and for its online probe. GetMetricData has no
 * resource-level permissions (Service Authorization Reference, Amazon CloudWatch), so the grant is
 * on "*", held to the stack's region.
 */
export function flaggerMetricsPolicy({ region }: AwsScope): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadCanaryMetrics",
                Effect: "Allow",
                Action: "cloudwatch:GetMetricData",
                Resource: "*",
                Condition: { StringEquals: { "aws:RequestedRegion": region } },
            },
        ],
    };
}
