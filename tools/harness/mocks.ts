import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { identityInputs } from "../forcenew/table";
import { describeInstanceType, MOCK_ACCOUNT_ID, OfflineFactsError, regionRecord } from "./awsFacts";

type State = Record<string, unknown>;
type OutputBuilder = (args: pulumi.runtime.MockResourceArgs, context: MockContext) => State;

export interface MockContext {
    region: string;
    account: string;
    id: string;
}

/** Thrown for an invoke the mocks do not know: a new invoke must get a realistic answer here first. */
export class UnmockedInvokeError extends Error {}

const arn = (service: string, resource: string, { region, account }: MockContext, regional = true) =>
    `arn:aws:${service}:${regional ? region : ""}:${account}:${resource}`;

/**
 * Outputs AWS computes and the program reads, per resource type. Inputs are echoed back as state,
 * as the engine does for a create; these add the computed attributes on top.
 */
const OUTPUTS: Record<string, OutputBuilder> = {
    "aws:kms/key:Key": (_, c) => ({ arn: arn("kms", `key/${c.id}`, c), keyId: c.id }),
    "aws:cloudwatch/logGroup:LogGroup": (a, c) => ({ arn: arn("logs", `log-group:${a.inputs.name ?? a.name}`, c) }),
    "aws:iam/role:Role": (a, c) => ({ arn: arn("iam", `role/${a.inputs.name ?? a.name}`, c, false), name: a.inputs.name ?? a.name }),
    "aws:iam/policy:Policy": (a, c) => ({ arn: arn("iam", `policy/${a.inputs.name ?? a.name}`, c, false) }),
    "aws:ec2/vpc:Vpc": (_, c) => ({ arn: arn("ec2", `vpc/${c.id}`, c) }),
    "aws:ec2/subnet:Subnet": (_, c) => ({ arn: arn("ec2", `subnet/${c.id}`, c) }),
    "aws:ec2/securityGroup:SecurityGroup": (_, c) => ({ arn: arn("ec2", `security-group/${c.id}`, c) }),
    "aws:sqs/queue:Queue": (a, c) => ({
        arn: arn("sqs", String(a.inputs.name ?? a.name), c),
        url: `https://sqs.${c.region}.amazonaws.com/${c.account}/${a.inputs.name ?? a.name}`,
    }),
    "aws:s3/bucket:Bucket": (a) => ({ arn: `arn:aws:s3:::${a.inputs.bucket ?? a.name}`, bucket: a.inputs.bucket ?? a.name }),
    "aws:autoscaling/group:Group": (a, c) => ({
        arn: arn("autoscaling", `autoScalingGroup:${c.id}:autoScalingGroupName/${a.inputs.name ?? a.name}`, c),
        name: a.inputs.name ?? a.name,
    }),
    "aws:ec2/launchTemplate:LaunchTemplate": (_, c) => ({ arn: arn("ec2", `launch-template/${c.id}`, c), latestVersion: 1 }),
    "aws:efs/fileSystem:FileSystem": (_, c) => ({ arn: arn("elasticfilesystem", `file-system/${c.id}`, c), dnsName: `${c.id}.efs.${c.region}.amazonaws.com` }),
    "aws:fsx/lustreFileSystem:LustreFileSystem": (_, c) => ({
        arn: arn("fsx", `file-system/${c.id}`, c),
        dnsName: `${c.id}.fsx.${c.region}.amazonaws.com`,
        mountName: "abcdefgh",
    }),
};

/** Registers extra output builders (components that add resource types call this from their tests/harness). */
export function registerMockOutputs(type: string, builder: OutputBuilder): void {
    OUTPUTS[type] = builder;
}

type InvokeHandler = (inputs: Record<string, unknown>, region: string) => Record<string, unknown>;

const INVOKES: Record<string, InvokeHandler> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_, region) => {
        // The render refuses a region missing from the table before the program runs (requireKnownRegion).
        const known = regionRecord(region);
        if (!known) {
            throw new OfflineFactsError(`the offline plan has no zone data for region ${region}`);
        }
        return { names: known.availabilityZones, zoneIds: known.zoneIds, id: region, region };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        accountId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:sts::${MOCK_ACCOUNT_ID}:assumed-role/platform-deployer/session`,
        userId: "AROAEXAMPLE:session",
        id: MOCK_ACCOUNT_ID,
    }),
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

export function registerMockInvoke(token: string, handler: InvokeHandler): void {
    INVOKES[token] = handler;
}

/**
 * A mock ID derived from the resource's type, name and identity: the values of the inputs that
 * force its replacement (tools/forcenew). The same resource gets the same ID in every render, so
 * plan diffs show real changes only; a replacement gets a new ID, as in AWS, and every resource
 * that reads the ID (or an ARN built from it) sees the change.
 */
export function mockId(type: string, name: string, inputs: Record<string, unknown> = {}): string {
    const identity = JSON.stringify(identityInputs(type, inputs));
    return `${name}-${createHash("sha256").update(`${type}::${name}::${identity}`).digest("hex").slice(0, 8)}`;
}

export class PlatformMocks implements pulumi.runtime.Mocks {
    constructor(private readonly region: string) {}

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: State } {
        const id = args.id || mockId(args.type, args.name, args.inputs as Record<string, unknown>);
        const builder = OUTPUTS[args.type];
        const computed = builder ? builder(args, { region: this.region, account: MOCK_ACCOUNT_ID, id }) : {};
        return { id: args.custom ? id : undefined, state: { ...args.inputs, ...computed } };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const handler = INVOKES[args.token];
        if (!handler) {
            throw new UnmockedInvokeError(`invoke ${args.token} has no mock in tools/harness/mocks.ts`);
        }
        return handler(args.inputs, this.region);
    }
}

// Each area's mock outputs register into OUTPUTS/INVOKES, so they load after those exist: a
// require here, because an import would be hoisted above them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require("./mocks/compute");
