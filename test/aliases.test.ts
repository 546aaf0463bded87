import { strict as assert } from "assert";
import { resolveAliases } from "../tools/harness/aliases";
import type { PlannedResource } from "../tools/harness/render";
import { costOfPlan, costWithBase } from "../tools/cost";
import { AliasConflictError, baseAsContinued, diffResources } from "../tools/plan/diff";
import { withDiff, type PlanDocument } from "../tools/plan/document";
import { withImplicitChildren } from "../tools/plan/implicitChildren";
import { renderMarkdown } from "../tools/plan/markdown";
import { renderNamedStack } from "./support";

const PREFIX = "urn:pulumi:dev::eks-platform::";
const STORAGE = `${PREFIX}eksplatform:storage:Storage$eksplatform:storage:FsxLustreStorage::app-fsx`;
const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";

/** A registration as the plan records it, with what a test sets. */
function planned(urn: string, props: Record<string, unknown>, extra: Partial<PlannedResource> = {}): PlannedResource {
    const [qualifiedType, name] = urn.slice(PREFIX.length).split("::");
    const type = qualifiedType.split("$").pop()!;
    return {
        urn,
        type,
        name,
        id: `${name}-id`,
        custom: !type.startsWith("eksplatform:"),
        parent: null,
        dependsOn: [],
        provider: null,
        options: { protect: false, retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false, replaceOnChanges: [] },
        props,
        ...extra,
    };
}

const document = (resources: PlannedResource[]): PlanDocument => ({ stack: "dev", project: "eks-platform", resources, violations: [], schemaFindings: [] });

describe("aliases as the engine resolves them", () => {
    const resource = {
        urn: `${PREFIX}eksplatform:storage:FsxLustreStorage$${STORAGE_CLASS}::app-fsx-lustre`,
        type: STORAGE_CLASS,
        name: "app-fsx-lustre",
        parent: STORAGE,
    };
    const spec = (fields: Partial<{ name: string; type: string; stack: string; project: string; parentUrn: string; noParent: boolean }>) => ({
        name: "",
        type: "",
        stack: "",
        project: "",
        parentUrn: "",
        noParent: false,
        ...fields,
    });

    it("completes a spec from the resource (type, parent, stack, project) and keeps a URN as given", () => {
        const none = () => [];
        // The SDK fills in the resource's parent when the alias names none.
        assert.deepEqual(resolveAliases(resource, [spec({ name: "app-fsx", parentUrn: STORAGE })], none), [
            `${PREFIX}eksplatform:storage:FsxLustreStorage$${STORAGE_CLASS}::app-fsx`,
        ]);
        assert.deepEqual(resolveAliases(resource, [spec({ type: "kubernetes:storage.k8s.io/v1beta1:StorageClass", parentUrn: STORAGE })], none), [
            `${PREFIX}eksplatform:storage:FsxLustreStorage$kubernetes:storage.k8s.io/v1beta1:StorageClass::app-fsx-lustre`,
        ]);
        assert.deepEqual(resolveAliases(resource, [spec({ noParent: true, stack: "prod" })], none), [
            `urn:pulumi:prod::eks-platform::${STORAGE_CLASS}::app-fsx-lustre`,
        ]);
        assert.deepEqual(resolveAliases(resource, [{ urn: "urn:pulumi:dev::other::x:y:Z::n" }, { urn: resource.urn }], none), [
            "urn:pulumi:dev::other::x:y:Z::n",
        ]);
    });

    it("gives a child the aliases of its parent, its name prefix following the parent's earlier name", () => {
        const parentAlias = `${PREFIX}eksplatform:storage:Storage$eksplatform:storage:LustreStorage::app-lustre`;
        const aliases = resolveAliases(resource, [spec({ name: "app-fsx", parentUrn: STORAGE })], (urn) => (urn === STORAGE ? [parentAlias] : []));
        assert.deepEqual(aliases, [
            `${PREFIX}eksplatform:storage:FsxLustreStorage$${STORAGE_CLASS}::app-fsx`,
            // Its own alias under the parent's earlier URN,
            `${PREFIX}eksplatform:storage:LustreStorage$${STORAGE_CLASS}::app-fsx`,
            // its own name under it ("app-fsx" → "app-lustre"),
            `${PREFIX}eksplatform:storage:LustreStorage$${STORAGE_CLASS}::app-lustre-lustre`,
            // and its alias's name under it.
            `${PREFIX}eksplatform:storage:LustreStorage$${STORAGE_CLASS}::app-lustre`,
        ]);
    });
});

describe("plan diff with aliases", () => {
    const oldUrn = `${PREFIX}eksplatform:storage:FsxLustreStorage$${STORAGE_CLASS}::app-fsx`;
    const newUrn = `${PREFIX}eksplatform:storage:FsxLustreStorage$${STORAGE_CLASS}::app-fsx-lustre`;
    const props = { metadata: { name: "fsx-lustre" }, parameters: { deploymentType: "PERSISTENT_2" }, reclaimPolicy: "Retain" };
    const old = planned(oldUrn, props);
    const renamed = (changed: Record<string, unknown> = {}, aliases = [oldUrn]) =>
        planned(newUrn, { ...props, ...changed }, { options: { ...old.options, aliases } });

    it("continues the resource an alias names: nothing to do when its inputs are the same, never a delete and a create", () => {
        assert.deepEqual(diffResources([old], [renamed()]), []);
        // Without the alias the same edit is a delete and a create.
        assert.deepEqual(
            diffResources([old], [renamed({}, [])]).map((c) => c.kind),
            ["create", "delete"],
        );
    });

    it("judges the continued resource as any other: an update, or a replacement by the force-new table", () => {
        const [replace] = diffResources([old], [renamed({ parameters: { deploymentType: "SCRATCH_2" } })]);
        assert.deepEqual(
            { kind: replace.kind, urn: replace.urn, previousUrn: replace.previousUrn, forcedBy: replace.forcedBy },
            { kind: "replace", urn: newUrn, previousUrn: oldUrn, forcedBy: ["parameters"] },
        );
        const [update] = diffResources([old], [renamed({ metadata: { name: "fsx-lustre", labels: { team: "a" } } })]);
        assert.deepEqual(
            { kind: update.kind, previousUrn: update.previousUrn, properties: update.properties },
            { kind: "update", previousUrn: oldUrn, properties: ["metadata"] },
        );
    });

    it("creates a resource whose alias matches nothing, and prefers its own URN to an alias", () => {
        const stray = renamed({}, [`${PREFIX}${STORAGE_CLASS}::gone`]);
        assert.deepEqual(
            diffResources([old], [stray]).map((c) => [c.kind, c.urn]),
            [
                ["create", newUrn],
                ["delete", oldUrn],
            ],
        );
        // Both URNs in the base: the resource keeps its own, the aliased one is deleted.
        const own = planned(newUrn, props);
        assert.deepEqual(
            diffResources([old, own], [renamed()]).map((c) => [c.kind, c.urn]),
            [["delete", oldUrn]],
        );
    });

    it("refuses two resources continuing one, as the engine does (Duplicate resource alias)", () => {
        const twin = planned(`${PREFIX}eksplatform:storage:FsxLustreStorage$${STORAGE_CLASS}::app-fsx-scratch`, props, {
            options: { ...old.options, aliases: [oldUrn] },
        });
        assert.throws(
            () => diffResources([old], [renamed(), twin]),
            (error: Error) => {
                assert.ok(error instanceof AliasConflictError);
                assert.match(error.message, /Duplicate resource alias/);
                assert.ok(error.message.includes(oldUrn) && error.message.includes(newUrn) && error.message.includes("app-fsx-scratch"), error.message);
                return true;
            },
        );
        // An alias naming a resource the program still registers under that URN.
        assert.throws(() => diffResources([old], [renamed(), planned(oldUrn, props)]), /registered under that URN/);
    });

    it("follows references to a continued resource (dependsOn, provider, inputs) to its new URN", () => {
        const provider = planned(`${PREFIX}pulumi:providers:kubernetes::k8s`, { kubeconfig: "{}" });
        const movedProvider = planned(
            `${PREFIX}pulumi:providers:kubernetes::cluster-k8s`,
            { kubeconfig: "{}" },
            { options: { ...old.options, aliases: [provider.urn] } },
        );
        const user = (p: PlannedResource, dependsOn: string) =>
            planned(
                `${PREFIX}kubernetes:core/v1:Namespace::apps`,
                { metadata: { name: "apps" }, owner: dependsOn },
                { provider: p.urn, dependsOn: [dependsOn] },
            );
        assert.deepEqual(diffResources([provider, old, user(provider, oldUrn)], [movedProvider, renamed(), user(movedProvider, newUrn)]), []);
    });

    it("reports a replaced stateful resource found by alias under its new URN, naming the earlier one", () => {
        const bucketOld = planned(`${PREFIX}aws:s3/bucketV2:BucketV2::logs`, { bucket: "logs-a" }, { options: { ...old.options, protect: true } });
        const bucket = planned(
            `${PREFIX}aws:s3/bucket:Bucket::logs`,
            { bucket: "logs-b" },
            { options: { ...old.options, protect: true, aliases: [bucketOld.urn] } },
        );
        const plan = withDiff(document([bucket]), document([bucketOld]));
        assert.deepEqual(plan.changes, [
            { urn: bucket.urn, type: "aws:s3/bucket:Bucket", kind: "replace", previousUrn: bucketOld.urn, properties: ["bucket"], forcedBy: ["bucket"] },
        ]);
        assert.equal(plan.violations[0]?.policy, "protected-resource-replaced");
        assert.match(plan.violations[0].message, /aws:s3\/bucketV2:BucketV2 logs \(protected, stateful\) is replaced, forced by bucket/);
        assert.ok(renderMarkdown([plan], [document([bucketOld])], []).includes("(was `aws:s3/bucketV2:BucketV2::logs`)"));
    });
});

describe("plan diff with aliases over a rendered stack", () => {
    it("prices a resource found by alias as the base one: dev's access-log bucket, once a BucketV2, is changed, not removed and added", async () => {
        const current = (await renderNamedStack("dev")).resources;
        const bucket = current.find((r) => r.type === "aws:s3/bucket:Bucket" && r.options.aliases?.some((a) => a.includes("aws:s3/bucketV2:BucketV2")))!;
        const earlierUrn = bucket.options.aliases!.find((a) => a.includes("aws:s3/bucketV2:BucketV2"))!;
        const base = current.map((r) =>
            r === bucket ? { ...r, urn: earlierUrn, type: "aws:s3/bucketV2:BucketV2", options: { ...r.options, aliases: undefined } } : r,
        );
        assert.deepEqual(diffResources(base, current), []);
        const cost = costOfPlan(current, "eu-west-1");
        assert.deepEqual(costWithBase(cost, baseAsContinued(base, current)).deltaByResource, []);
        // Keyed by URN alone, the one bucket would be removed and added.
        assert.deepEqual(
            costWithBase(cost, base)
                .deltaByResource.map((c) => c.change)
                .sort(),
            ["added", "removed"],
        );
    });

    it("carries dev's fsx-lustre class over from the earlier program's one class (`<storage>-fsx`) through its alias", async () => {
        const current = (await renderNamedStack("dev")).resources;
        const lustre = current.find((r) => r.type === STORAGE_CLASS && (r.props.metadata as { name: string }).name === "fsx-lustre")!;
        const storage = current.find((r) => r.urn === lustre.parent)!;
        const earlierUrn = `${PREFIX}${storage.type}$${STORAGE_CLASS}::${storage.name}-fsx`;
        assert.ok(lustre.options.aliases?.includes(earlierUrn), JSON.stringify(lustre.options.aliases));
        const scratch = current.find((r) => r.type === STORAGE_CLASS && (r.props.metadata as { name: string }).name === "fsx-scratch")!;
        assert.ok(!scratch.options.aliases?.some((a) => a.endsWith(`::${storage.name}-fsx`)), "only the default class continues the earlier one");

        // The base as the earlier program registered the class: its URN and name; its object the same.
        const base = current.map((r) =>
            r === lustre ? { ...r, urn: earlierUrn, name: `${storage.name}-fsx`, options: { ...r.options, aliases: undefined } } : r,
        );
        assert.deepEqual(diffResources(base, current), []);
        const withoutAliases = current.map((r) => (r === lustre ? { ...r, options: { ...r.options, aliases: undefined } } : r));
        assert.deepEqual(
            diffResources(base, withoutAliases).map((c) => c.kind),
            ["create", "delete"],
        );
    });
});

describe("the cluster's service role continues the one eks.Cluster made", () => {
    const CLUSTER_SERVICE_ROLE = "eksplatform:cluster:ClusterServiceRole";
    let current: PlannedResource[];
    /** prod as the program registered it before it made the cluster's role: eks.Cluster without `serviceRole`, made its own. */
    let earlier: PlannedResource[];

    before(async () => {
        current = (await renderNamedStack("prod")).resources;
        const ours = new Set(current.filter((r) => r.urn.includes(CLUSTER_SERVICE_ROLE)).map((r) => r.urn));
        assert.equal(ours.size, 3, "the component, its role and its attachment");
        earlier = current
            .filter((r) => !ours.has(r.urn))
            .map((r) => {
                const props = { ...r.props };
                if (r.type === "eks:index:Cluster") {
                    delete props.serviceRole;
                }
                return { ...r, dependsOn: r.dependsOn.filter((d) => !ours.has(d)), props, options: { ...r.options, aliases: undefined } };
            });
    });

    it("writes in the role eks.Cluster makes without a serviceRole, named as pulumi-eks names it", () => {
        const cluster = earlier.find((r) => r.type === "eks:index:Cluster")!;
        const { resources, implicit } = withImplicitChildren(earlier);
        const [serviceRole, role, attachment] = [...implicit].map((urn) => resources.find((r) => r.urn === urn)!);
        assert.equal(serviceRole.urn, `urn:pulumi:prod::eks-platform::eks:index:Cluster$eks:index:ServiceRole::${cluster.name}-eksRole`);
        assert.equal(role.urn, `urn:pulumi:prod::eks-platform::eks:index:ServiceRole$aws:iam/role:Role::${cluster.name}-eksRole-role`);
        // sha1("arn:aws:iam::aws:policy/AmazonEKSClusterPolicy") starts 4b490823.
        assert.equal(attachment.name, `${cluster.name}-eksRole-4b490823`);
        assert.deepEqual(attachment.props, { policyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy", role: role.props.name });
        assert.ok(
            [serviceRole, role, attachment].every((r) => r.options.protect),
            "prod's cluster is protected, and its children with it",
        );
        assert.equal(resources.find((r) => r.urn === cluster.urn)!.props.serviceRole, role.urn);
        assert.equal(withImplicitChildren(current).implicit.size, 0, "a cluster given its role makes none");
    });

    it("keeps prod's cluster: the role is updated in place under its old name, nothing is replaced, created or deleted, nothing blocks", () => {
        const plan = withDiff(document(current), document(earlier));
        const changes = plan.changes!;
        assert.deepEqual(
            changes.filter((c) => c.kind !== "update"),
            [],
        );
        const role = changes.find((c) => c.type === "aws:iam/role:Role")!;
        assert.match(role.previousUrn!, /eks:index:ServiceRole\$aws:iam\/role:Role::eks-platform-prod-eksRole-role$/);
        assert.deepEqual(role.properties, ["assumeRolePolicy", "description", "permissionsBoundary"], "the name, and so the ARN, stays");
        const cluster = changes.find((c) => c.type === "eks:index:Cluster");
        assert.ok(!cluster || (cluster.kind === "update" && cluster.properties.length === 0), JSON.stringify(cluster));
        assert.deepEqual(
            plan.violations.filter((v) => v.policy === "protected-resource-replaced"),
            [],
        );
    });

    it("without the aliases, replaces the cluster and deletes the old role: the plan blocks", () => {
        const unaliased = current.map((r) => (r.urn.includes(CLUSTER_SERVICE_ROLE) ? { ...r, options: { ...r.options, aliases: undefined } } : r));
        const plan = withDiff(document(unaliased), document(earlier));
        const cluster = plan.changes!.find((c) => c.type === "eks:index:Cluster")!;
        assert.equal(cluster.kind, "replace");
        assert.ok(
            cluster.forcedBy.some((f) => f.startsWith("serviceRole")),
            cluster.forcedBy.join(", "),
        );
        const deleted = plan.changes!.filter((c) => c.kind === "delete").map((c) => c.type);
        assert.deepEqual(deleted.sort(), ["aws:iam/role:Role", "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "eks:index:ServiceRole"]);
        assert.ok(plan.violations.some((v) => v.policy === "protected-resource-replaced" && v.urn === cluster.urn));
    });

    it("leaves the role auto-named under the default path: a name or path would replace it and the cluster", () => {
        const role = current.find((r) => r.type === "aws:iam/role:Role" && r.urn.includes(CLUSTER_SERVICE_ROLE))!;
        assert.match(String(role.props.name), new RegExp(`^${role.name}-[0-9a-f]{7}$`), "the name is the provider's, so the old one is kept");
        assert.equal(role.props.path, undefined);
        assert.equal(role.props.namePrefix, undefined);
    });
});
