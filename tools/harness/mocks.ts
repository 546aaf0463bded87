import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { autoNamedInput, identityInputs, type ResolveId } from "../forcenew/table";
import { describeInstanceType, MOCK_ACCOUNT_ID, OfflineFactsError, regionRecord } from "./awsFacts";
import { CLUSTER_INVOKES, CLUSTER_OUTPUTS } from "./mocks/cluster";
import { COMPUTE_OUTPUTS } from "./mocks/compute";
import { DELIVERY_INVOKES, DELIVERY_OUTPUTS } from "./mocks/delivery";
import { MESH_INVOKES, MESH_OUTPUTS } from "./mocks/mesh";
import { STORAGE_OUTPUTS } from "./mocks/storage";
import { type InvokeHandler, type MockContext, type OutputBuilder, type State } from "./mocks/types";

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
    "aws:cloudwatch/logGroup:LogGroup": (_, c) => ({ arn: arn("logs", `log-group:${c.physicalName}`, c) }),
    "aws:iam/role:Role": (_, c) => ({ arn: arn("iam", `role/${c.physicalName}`, c, false) }),
    "aws:iam/policy:Policy": (_, c) => ({ arn: arn("iam", `policy/${c.physicalName}`, c, false) }),
    "aws:ec2/vpc:Vpc": (_, c) => ({ arn: arn("ec2", `vpc/${c.id}`, c) }),
    "aws:ec2/subnet:Subnet": (_, c) => ({ arn: arn("ec2", `subnet/${c.id}`, c) }),
    "aws:ec2/securityGroup:SecurityGroup": (_, c) => ({ arn: arn("ec2", `security-group/${c.id}`, c) }),
    "aws:sqs/queue:Queue": (_, c) => ({
        arn: arn("sqs", c.physicalName, c),
        url: `https://sqs.${c.region}.amazonaws.com/${c.account}/${c.physicalName}`,
    }),
    "aws:s3/bucket:Bucket": (_, c) => ({ arn: `arn:aws:s3:::${c.physicalName}` }),
    "aws:autoscaling/group:Group": (_, c) => ({ arn: arn("autoscaling", `autoScalingGroup:${c.id}:autoScalingGroupName/${c.physicalName}`, c) }),
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
    // The provider's table of the regional Elastic Load Balancing accounts (a lookup, no API call); a stand-in account per region here.
    "aws:elb/getServiceAccount:getServiceAccount": (inputs, region) => {
        const target = typeof inputs.region === "string" ? inputs.region : region;
        const digits = [...target]
            .reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 1e12, 7)
            .toString()
            .padStart(12, "0");
        return { id: digits, arn: `arn:aws:iam::${digits}:root`, region: target };
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

function identityDigest(type: string, name: string, inputs: Record<string, unknown>, resolve: ResolveId): string {
    const identity = JSON.stringify(identityInputs(type, inputs, resolve));
    return createHash("sha256").update(`${type}::${name}::${identity}`).digest("hex");
}

/**
 * A mock ID derived from the resource's type, name and identity: the values of the inputs that
 * force its replacement (tools/forcenew), and what its refused updates guard, read through
 * `resolve` (a cluster's VPC, through its subnets). The same resource gets the same ID in every
 * render, so plan diffs show real changes only; a replacement gets a new ID, as in AWS, and every
 * resource that reads the ID (or an ARN built from it) sees the change.
 */
function mockId(type: string, name: string, inputs: Record<string, unknown>, resolve: ResolveId): string {
    return `${name}-${identityDigest(type, name, inputs, resolve).slice(0, 8)}`;
}

/**
 * The name the provider generates for an auto-named input the program leaves unset:
 * `<logical name>-<7 hex digits>`, as pulumi-aws and pulumi-github do. The engine generates a fresh
 * one for every replacement (it re-runs the provider's Check without the old inputs), so offline
 * the digits come from the identity: stable across renders, new when the resource is replaced.
 */
function mockAutoName(type: string, name: string, inputs: Record<string, unknown>, resolve: ResolveId): string {
    return `${name}-${identityDigest(type, name, inputs, resolve).slice(8, 15)}`;
}

export class PlatformMocks implements pulumi.runtime.Mocks {
    /** Every custom resource of this render by ID, for identities that follow other resources. */
    private readonly registered = new Map<string, { type: string; props: Record<string, unknown> }>();

    constructor(private readonly region: string) {}

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: State } {
        const inputs = args.inputs as Record<string, unknown>;
        const resolve: ResolveId = (id) => this.registered.get(id);
        const id = args.id || mockId(args.type, args.name, inputs, resolve);
        const autoNamed = args.custom ? autoNamedInput(args.type) : undefined;
        // With `namePrefix` the Terraform provider, not the bridge, makes the name: the mocks leave it unset.
        const generated =
            autoNamed && inputs[autoNamed] === undefined && inputs.namePrefix === undefined
                ? { [autoNamed]: mockAutoName(args.type, args.name, inputs, resolve) }
                : {};
        const state: State = { ...inputs, ...generated };
        const named = state[autoNamed ?? "name"];
        const physicalName = typeof named === "string" ? named : args.name;
        const builder = OUTPUTS[args.type];
        const computed = builder ? builder({ name: args.name, inputs }, { region: this.region, account: MOCK_ACCOUNT_ID, id, physicalName }) : {};
        if (args.custom) {
            this.registered.set(id, { type: args.type, props: inputs });
        }
        return { id: args.custom ? id : undefined, state: { ...state, ...computed } };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const handler = INVOKES[args.token];
        if (!handler) {
            throw new UnmockedInvokeError(`invoke ${args.token} has no mock in tools/harness/mocks.ts`);
        }
        return handler(args.inputs as Record<string, unknown>, this.region);
    }
}
