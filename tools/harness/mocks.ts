import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { identityInputs } from "../forcenew/table";
import { describeInstanceType, MOCK_ACCOUNT_ID, OfflineFactsError, regionRecord } from "./awsFacts";
import { CLUSTER_INVOKES, CLUSTER_OUTPUTS } from "./mocks/cluster";
import { COMPUTE_OUTPUTS } from "./mocks/compute";
import { DELIVERY_INVOKES, DELIVERY_OUTPUTS } from "./mocks/delivery";
import { MESH_INVOKES, MESH_OUTPUTS } from "./mocks/mesh";
import { STORAGE_OUTPUTS } from "./mocks/storage";
import { type InvokeHandler, type MockContext, type OutputBuilder, physicalName, type State } from "./mocks/types";

/** Thrown for an invoke the mocks do not know: a new invoke must get a realistic answer here first. */
class UnmockedInvokeError extends Error {}

const arn = (service: string, resource: string, { region, account }: MockContext, regional = true) =>
    `arn:aws:${service}:${regional ? region : ""}:${account}:${resource}`;

/**
 * Outputs AWS computes and the program reads, per resource type. Inputs are echoed back as state,
 * as the engine does for a create; these add the computed attributes on top. The area tables add
 * what their components read.
 */
const OUTPUTS: Record<string, OutputBuilder> = {
    ...CLUSTER_OUTPUTS,
    ...COMPUTE_OUTPUTS,
    ...STORAGE_OUTPUTS,
    ...MESH_OUTPUTS,
    ...DELIVERY_OUTPUTS,
    "aws:kms/key:Key": (_, c) => ({ arn: arn("kms", `key/${c.id}`, c), keyId: c.id }),
    "aws:cloudwatch/logGroup:LogGroup": (a, c) => ({ arn: arn("logs", `log-group:${physicalName(a)}`, c) }),
    "aws:iam/role:Role": (a, c) => ({ arn: arn("iam", `role/${physicalName(a)}`, c, false), name: physicalName(a) }),
    "aws:iam/policy:Policy": (a, c) => ({ arn: arn("iam", `policy/${physicalName(a)}`, c, false) }),
    "aws:ec2/vpc:Vpc": (_, c) => ({ arn: arn("ec2", `vpc/${c.id}`, c) }),
    "aws:ec2/subnet:Subnet": (_, c) => ({ arn: arn("ec2", `subnet/${c.id}`, c) }),
    "aws:ec2/securityGroup:SecurityGroup": (_, c) => ({ arn: arn("ec2", `security-group/${c.id}`, c) }),
    "aws:sqs/queue:Queue": (a, c) => ({
        arn: arn("sqs", physicalName(a), c),
        url: `https://sqs.${c.region}.amazonaws.com/${c.account}/${physicalName(a)}`,
    }),
    "aws:s3/bucket:Bucket": (a) => ({ arn: `arn:aws:s3:::${physicalName(a, "bucket")}`, bucket: physicalName(a, "bucket") }),
    "aws:autoscaling/group:Group": (a, c) => ({
        arn: arn("autoscaling", `autoScalingGroup:${c.id}:autoScalingGroupName/${physicalName(a)}`, c),
        name: physicalName(a),
    }),
    "aws:ec2/launchTemplate:LaunchTemplate": (_, c) => ({ arn: arn("ec2", `launch-template/${c.id}`, c), latestVersion: 1 }),
    "aws:efs/fileSystem:FileSystem": (_, c) => ({ arn: arn("elasticfilesystem", `file-system/${c.id}`, c), dnsName: `${c.id}.efs.${c.region}.amazonaws.com` }),
    "aws:fsx/lustreFileSystem:LustreFileSystem": (_, c) => ({
        arn: arn("fsx", `file-system/${c.id}`, c),
        dnsName: `${c.id}.fsx.${c.region}.amazonaws.com`,
        mountName: "abcdefgh",
    }),
};

const INVOKES: Record<string, InvokeHandler> = {
    ...CLUSTER_INVOKES,
    ...MESH_INVOKES,
    // getCallerIdentity answers as the stack's deploy role (mocks/delivery.ts).
    ...DELIVERY_INVOKES,
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_, region) => {
        // The render refuses a region missing from the table before the program runs (requireKnownRegion).
        const known = regionRecord(region);
        if (!known) {
            throw new OfflineFactsError(`the offline plan has no zone data for region ${region}`);
        }
        return { names: known.availabilityZones, zoneIds: known.zoneIds, id: region, region };
    },
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" }),
    "aws:index/getRegion:getRegion": (_, region) => ({ region, name: region, endpoint: `ec2.${region}.amazonaws.com`, id: region }),
    "aws:ec2/getInstanceType:getInstanceType": (inputs) => {
        const type = String(inputs.instanceType);
        const description = describeInstanceType(type);
        if (!description) {
            // Never EC2's InvalidInstanceType: the table not knowing a type says nothing about AWS. The
            // render refuses such types by setting before the program runs (requireKnownInstanceTypes).
            throw new OfflineFactsError(`the offline plan has no data for instance type ${type}`);
        }
        return { ...description, id: type };
    },
    "aws:ssm/getParameter:getParameter": (inputs) => {
        const name = String(inputs.name);
        // Public EKS AMI parameters resolve to an AMI id; the id encodes the path so tests can tell them apart.
        const digest = [...name]
            .reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7)
            .toString(16)
            .padStart(8, "0");
        return { name, value: `ami-0${digest}${digest.slice(0, 8)}`, type: "String", id: name, version: 1, arn: `arn:aws:ssm:::parameter${name}` };
    },
};

/**
 * A mock ID derived from the resource's type, name and identity: the values of the inputs that
 * force its replacement (tools/forcenew). The same resource gets the same ID in every render, so
 * plan diffs show real changes only; a replacement gets a new ID, as in AWS, and every resource
 * that reads the ID (or an ARN built from it) sees the change.
 */
function mockId(type: string, name: string, inputs: Record<string, unknown>): string {
    const identity = JSON.stringify(identityInputs(type, inputs));
    return `${name}-${createHash("sha256").update(`${type}::${name}::${identity}`).digest("hex").slice(0, 8)}`;
}

export class PlatformMocks implements pulumi.runtime.Mocks {
    constructor(private readonly region: string) {}

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: State } {
        const id = args.id || mockId(args.type, args.name, args.inputs as Record<string, unknown>);
        const builder = OUTPUTS[args.type];
        const computed = builder ? builder(args, { region: this.region, account: MOCK_ACCOUNT_ID, id }) : {};
        return { id: args.custom ? id : undefined, state: { ...(args.inputs as State), ...computed } };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const handler = INVOKES[args.token];
        if (!handler) {
            throw new UnmockedInvokeError(`invoke ${args.token} has no mock in tools/harness/mocks.ts`);
        }
        return handler(args.inputs as Record<string, unknown>, this.region);
    }
}
