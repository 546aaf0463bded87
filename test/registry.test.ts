import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { HELM_CHARTS } from "../components/versions";
import { chartImagesOf } from "../policy-pack/lib/images";
import { CHART_EXCERPT_DIR } from "../tools/images/generate";
import { chartRecord, splitExcerpt } from "../tools/images/transform";
import { ROOT, type PlannedResource } from "../tools/harness/render";
import { configErrorOf, ofType, oneOfType, renderNamedStack, renderPlatformStackFile, renderStackWith } from "./support";

const PRIVATE_NO_NAT = path.join(ROOT, "examples", "Pulumi.private-no-nat.yaml");
const REPOSITORY = "aws:ecr/repository:Repository";
const TEMPLATE = "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate";
const CACHE_RULE = "aws:ecr/pullThroughCacheRule:PullThroughCacheRule";

const json = (resource: PlannedResource, key: string) => JSON.parse(String(resource.props[key])) as Record<string, unknown>;
const platformKey = (resources: PlannedResource[]) => oneOfType(resources, "aws:kms/key:Key");

describe("Registry: the stack's part of the account's ECR", () => {
    it("declared repositories keep tags immutable, scan on push, use the platform key, expire old images and let only listed roles push", async () => {
        const { resources } = await renderPlatformStackFile(PRIVATE_NO_NAT);
        const repository = oneOfType(resources, REPOSITORY);
        assert.equal(repository.props.name, "shop/catalog");
        assert.equal(repository.props.imageTagMutability, "IMMUTABLE");
        assert.deepEqual(repository.props.imageScanningConfiguration, { scanOnPush: true });
        const [encryption] = repository.props.encryptionConfigurations as { encryptionType: string; kmsKey: string }[];
        assert.equal(encryption.encryptionType, "KMS");
        assert.ok(encryption.kmsKey.includes(platformKey(resources).id));
        assert.equal(repository.options.protect, true, "prod protects the only copy of pushed images");

        const lifecycle = json(oneOfType(resources, "aws:ecr/lifecyclePolicy:LifecyclePolicy"), "policy") as { rules: { selection: { tagStatus: string } }[] };
        assert.deepEqual(
            lifecycle.rules.map((rule) => rule.selection.tagStatus),
            ["untagged", "any"],
        );
        const policy = json(oneOfType(resources, "aws:ecr/repositoryPolicy:RepositoryPolicy"), "policy") as {
            Statement: { Sid: string; Principal: { AWS: string | string[] }; Action: string[] }[];
        };
        const pull = policy.Statement.find((s) => s.Sid === "PullWithinThisAccount")!;
        assert.equal(pull.Principal.AWS, "arn:aws:iam::111122223333:root");
        assert.ok(!pull.Action.includes("ecr:PutImage"));
        const push = policy.Statement.find((s) => s.Sid === "PushFromListedRoles")!;
        assert.deepEqual(push.Principal.AWS, ["arn:aws:iam::111122223333:role/shop-ci"]);
        assert.ok(push.Action.includes("ecr:PutImage"));
    });

    it("caches each upstream under the namespace, through a creation template with the platform key and immutable tags", async () => {
        const { resources } = await renderPlatformStackFile(PRIVATE_NO_NAT);
        const rules = ofType(resources, CACHE_RULE);
        const templates = ofType(resources, TEMPLATE);
        assert.deepEqual(rules.map((r) => r.props.ecrRepositoryPrefix).sort(), templates.map((t) => t.props.prefix).sort());
        for (const template of templates) {
            assert.deepEqual(template.props.appliedFors, ["PULL_THROUGH_CACHE"]);
            assert.equal(template.props.imageTagMutability, "IMMUTABLE");
            assert.ok(String((template.props.encryptionConfigurations as { kmsKey: string }[])[0].kmsKey).includes(platformKey(resources).id));
        }
        // The nodes' grant to populate the cache covers the namespace only.
        const pullPolicy = ofType(resources, "aws:iam/policy:Policy").find((p) => p.name.endsWith("-cache-pull"))!;
        const [statement] = (json(pullPolicy, "policy") as { Statement: { Action: string[]; Resource: string }[] }).Statement;
        assert.deepEqual(statement.Action, ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"]);
        assert.equal(statement.Resource, "arn:aws:ecr:eu-west-1:111122223333:repository/private/*");
        const attachments = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
        assert.ok(
            attachments.some((a) => String(a.props.policyArn).includes(pullPolicy.name)),
            "the node role carries the cache grant",
        );
    });

    it("creates no cache in a stack with NAT unless asked, and one when pullThroughCache is on", async () => {
        const dev = await renderNamedStack("dev");
        assert.equal(ofType(dev.resources, CACHE_RULE).length, 0);
        const cached = await renderStackWith("dev", { "eks-platform:registry": { pullThroughCache: "on" } });
        assert.ok(ofType(cached.resources, CACHE_RULE).length > 0);
        assert.ok(ofType(cached.resources, CACHE_RULE).every((r) => String(r.props.ecrRepositoryPrefix).startsWith("dev/")));
    });

    it("turns on enhanced scanning of its namespace and repositories, and replication of its repositories, when asked", async () => {
        const { resources } = await renderStackWith("dev", {
            "eks-platform:registry": {
                scanning: "enhanced",
                pullThroughCache: "on",
                repositories: [{ name: "team/app" }],
                replicationRegions: ["eu-central-1"],
            },
        });
        const scanning = oneOfType(resources, "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration");
        assert.equal(scanning.props.scanType, "ENHANCED");
        const [rule] = scanning.props.rules as { repositoryFilters: { filter: string }[] }[];
        assert.deepEqual(
            rule.repositoryFilters.map((f) => f.filter),
            ["dev/*", "team/app"],
        );
        const replication = oneOfType(resources, "aws:ecr/replicationConfiguration:ReplicationConfiguration");
        const [replicated] = (replication.props.replicationConfiguration as { rules: { destinations: { region: string }[] }[] }).rules;
        assert.deepEqual(
            replicated.destinations.map((d) => d.region),
            ["eu-central-1"],
        );
    });

    describe("refuses, before anything is registered", () => {
        const cases: [string, Record<string, unknown>, RegExp][] = [
            [
                "a repository inside the cache's namespace",
                { repositories: [{ name: "dev/app" }] },
                /registry\.repositories\[0\]\.name = "dev\/app": lies in dev\//,
            ],
            ["a repository listed twice", { repositories: [{ name: "app" }, { name: "app" }] }, /registry\.repositories\[1\]\.name = "app": is listed twice/],
            [
                "a pusher of another account",
                { repositories: [{ name: "app", pushPrincipals: ["arn:aws:iam::999999999999:role/ci"] }] },
                /pushPrincipals\[0\] = "arn:aws:iam::999999999999:role\/ci": is a role of account 999999999999/,
            ],
            [
                "replication to its own region",
                { repositories: [{ name: "app" }], replicationRegions: ["eu-west-1"] },
                /replicationRegions\[0\] = "eu-west-1": is the stack's own region/,
            ],
            [
                "replication with nothing to replicate",
                { replicationRegions: ["eu-central-1"] },
                /registry\.replicationRegions = \["eu-central-1"\]: has nothing to replicate/,
            ],
            [
                "a namespace too long for ECR's prefix limit",
                { namespace: "a-very-long-namespace-name" },
                /registry\.namespace = "a-very-long-namespace-name": is longer than/,
            ],
            [
                "credentials for a registry that takes none",
                { upstreamCredentials: { "public.ecr.aws": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecr-pullthroughcache/x" } },
                /upstreamCredentials\["public\.ecr\.aws"\] = .*: names a registry that needs no credentials/,
            ],
            [
                "a credential secret ECR will not read",
                { upstreamCredentials: { "docker.io": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:dockerhub" } },
                /upstreamCredentials\["docker\.io"\] = .*: must be the ARN of a Secrets Manager secret whose name starts with ecr-pullthroughcache\//,
            ],
        ];
        for (const [title, registry, message] of cases) {
            it(title, async () => assert.match(await configErrorOf("dev", { "eks-platform:registry": registry }), message));
        }
    });

    it("reproduces every row of the chart image table from the committed excerpts of the pinned charts", () => {
        const keys = Object.keys(HELM_CHARTS) as (keyof typeof HELM_CHARTS)[];
        assert.deepEqual(fs.readdirSync(CHART_EXCERPT_DIR).sort(), keys.map((key) => `${key}.excerpt.yaml`).sort());
        for (const key of keys) {
            const pin = HELM_CHARTS[key];
            const { chartYaml, valuesYaml } = splitExcerpt(fs.readFileSync(path.join(CHART_EXCERPT_DIR, `${key}.excerpt.yaml`), "utf8"));
            const committed = chartImagesOf(pin.chart, pin.version);
            assert.ok(committed, `${key}: the table has ${pin.chart}@${pin.version}`);
            const source = { repository: "r", path: "p", commit: "c", date: "d", facts: "f" };
            assert.deepEqual(chartRecord(pin.chart, pin.version, chartYaml, valuesYaml, source).images, committed, key);
            assert.throws(() => chartRecord(pin.chart, "0.0.0-not-pinned", chartYaml, valuesYaml, source), /not the pinned 0\.0\.0-not-pinned/);
        }
    });
});
