import { strict as assert } from "assert";
import { deployRoleName } from "../bootstrap/delivery";
import { readStack, renderStack, type PlannedResource, type RenderedStack } from "../tools/harness/render";
import { renderNamedStack, STACKS } from "./support";

/**
 * New environments cannot collide: every name AWS holds unique in an account (and region) derives
 * from the stack name, so two stacks deployed side by side into one account and region, whichever
 * region each stack file names, share none. The stacks are read from stacks/, never listed here.
 */

/** The EKS component registers as one remote resource; its `name` is the cluster's. */
const EKS_CLUSTER = "eks:index:Cluster";

/** Types whose name is unique only inside another resource, and the property that names it. */
const SCOPED_BY: Record<string, string> = {
    "aws:glue/catalogTable:CatalogTable": "databaseName",
    "aws:athena/namedQuery:NamedQuery": "workgroup",
    "aws:autoscaling/lifecycleHook:LifecycleHook": "autoscalingGroupName",
};

/**
 * Names that AWS keeps unique per account and region (per account for IAM, globally for S3): the
 * `name` (or a bucket's `bucket`) each AWS resource is given. An auto-named resource gets a random
 * suffix from the provider and cannot collide; under the mocks its name is its Pulumi name, which
 * derives from the cluster name like everything else, so counting it only makes the check stricter.
 */
function accountNames(resources: PlannedResource[]): Map<string, string> {
    const names = new Map<string, string>();
    for (const resource of resources) {
        if (!(resource.custom && resource.type.startsWith("aws:")) && resource.type !== EKS_CLUSTER) {
            continue;
        }
        const name = resource.type === "aws:s3/bucket:Bucket" ? resource.props.bucket : resource.props.name;
        const scope = SCOPED_BY[resource.type] ? resource.props[SCOPED_BY[resource.type]] : "";
        if (typeof name === "string") {
            names.set(`${resource.type} ${String(scope)}${scope ? "/" : ""}${name}`, resource.urn);
        }
    }
    return names;
}

function shared(a: RenderedStack, b: RenderedStack): string[] {
    const theirs = accountNames(b.resources);
    return [...accountNames(a.resources).keys()].filter((key) => theirs.has(key));
}

describe("Stack names: no two stacks share a name in one account and region", () => {
    it("collects the names that must be unique: the cluster, its groups, log groups, the key's alias, the service network", async () => {
        const { resources } = await renderNamedStack(STACKS[0]);
        const types = new Set([...accountNames(resources).keys()].map((key) => key.split(" ")[0]));
        for (const type of [
            EKS_CLUSTER,
            "aws:autoscaling/group:Group",
            "aws:ec2/launchTemplate:LaunchTemplate",
            "aws:cloudwatch/logGroup:LogGroup",
            "aws:kms/alias:Alias",
            "aws:vpclattice/serviceNetwork:ServiceNetwork",
        ]) {
            assert.ok(types.has(type), `no ${type} name collected from ${STACKS[0]}: ${[...types].join(", ")}`);
        }
    });

    it("every pair of stack files", async () => {
        assert.ok(STACKS.length >= 2, `stacks/ holds ${STACKS.length} stack file(s)`);
        // One at a time: the mock runtime is one per process.
        const rendered: RenderedStack[] = [];
        for (const stack of STACKS) {
            rendered.push(await renderNamedStack(stack));
        }
        rendered.forEach((a, i) =>
            rendered.slice(i + 1).forEach((b) => assert.deepEqual(shared(a, b), [], `${a.stack} and ${b.stack} would collide in one account and region`)),
        );
    });

    it("a stack file copied under a new stack name, only its deploy role changed (a second environment of one tier)", async () => {
        const original = await renderNamedStack(STACKS[0]);
        const source = readStack(STACKS[0]);
        const stack = `${source.stack}-blue`;
        // The recipe in docs/configuration.md: the new stack's deploy role (bootstrap/) replaces the original's among the admins.
        const config = JSON.parse(
            JSON.stringify(source.config).replaceAll(
                `role/${deployRoleName(original.project, source.stack)}"`,
                `role/${deployRoleName(original.project, stack)}"`,
            ),
        ) as Record<string, unknown>;
        assert.notDeepEqual(config, source.config, `${source.origin} names no deploy role to replace`);
        const copy = await renderStack({ ...source, stack, config, origin: `${source.origin} as stack ${stack}` });
        const cluster = (stack: RenderedStack) => stack.resources.find((resource) => resource.type === EKS_CLUSTER)?.props.name;
        assert.equal(cluster(copy), `${original.project}-${source.stack}-blue`);
        assert.deepEqual(shared(original, copy), [], `${original.stack} and its copy would collide in one account and region`);
    });
});
