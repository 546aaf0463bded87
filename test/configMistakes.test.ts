import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify as toYaml } from "yaml";
import { z } from "zod";
import { deployRoleName } from "../bootstrap/delivery";
import { ConfigError } from "../config";
import type { ConfigProblem } from "../config/problems";
import { switchOf, uniqueByOf, visitSettings } from "../config/schemaRules";
import { formatPath, objectShape, unwrap, valueAt } from "../config/schemaTree";
import { UNPHRASED } from "../config/wording";
import { parseStackConfig, stackSettingsSchema, type PlatformConfig } from "../config/stack";
import { projectName, readStack } from "../tools/harness/render";
import { identityOf, mockRegionFacts, parseStackWith, planInProcess, STACK_TRACE_LINE, STACKS, stackSettingsOf, withOverrides } from "./support";

/**
 * Every class of configuration mistake a new user makes in a copy of a shipped stack file, each
 * refused by the setting's path with what to do, and its correct counterpart accepted. The rules
 * under test are generic (they read the schema), so most cases here are derived from the schema and
 * the stack files rather than listed.
 */

type Settings = Record<string, unknown>;
type Path = (string | number)[];

function problemsOf(run: () => unknown): ConfigProblem[] {
    try {
        run();
    } catch (error) {
        assert.ok(error instanceof ConfigError, `not a ConfigError: ${(error as Error)?.stack ?? String(error)}`);
        return error.problems;
    }
    return [];
}

const show = (problems: ConfigProblem[]) => problems.map((p) => `${p.path} = ${JSON.stringify(p.value)}: ${p.message}`).join("\n");

const stackFiles = new Map<string, Settings>();
/** A stack file's settings, read once. */
function settingsOf(stack: string): Settings {
    if (!stackFiles.has(stack)) {
        stackFiles.set(stack, stackSettingsOf(stack).settings);
    }
    return stackFiles.get(stack)!;
}

/** Parses a stack's settings after `change` edits a copy of them. */
function parseChanged(stack: string, change: (settings: Settings) => void, stackName = stack): PlatformConfig {
    const copy = structuredClone(settingsOf(stack));
    change(copy);
    return parseStackConfig(copy, mockRegionFacts(copy, "eu-west-1", stack), identityOf(stackName), { source: "test" });
}

/** Sets `value` at `path` of a raw settings object, creating the objects on the way. */
function setAt(settings: Settings, path: Path, value: unknown): void {
    let current = settings as Record<string | number, unknown>;
    path.slice(0, -1).forEach((key, index) => {
        if (typeof current[key] !== "object" || current[key] === null) {
            current[key] = typeof path[index + 1] === "number" ? [] : {};
        }
        current = current[key] as Record<string | number, unknown>;
    });
    current[path[path.length - 1]] = value;
}

function assertRefused(problems: ConfigProblem[], path: string, message: RegExp): void {
    assert.ok(
        problems.some((p) => p.path === path && message.test(p.message)),
        `expected a problem at ${path} matching ${message}, got:\n${show(problems)}`,
    );
}

describe("Configuration mistakes: every key of every namespace is read or refused", () => {
    it("takes every shipped stack file as it is", () => {
        for (const stack of STACKS) {
            assert.deepEqual(show(problemsOf(() => parseStackWith(stack))), "", stack);
        }
    });

    it("refuses a misspelt namespace, naming the key it meant", () => {
        const problems = problemsOf(() => parseStackWith("dev", { "eks-platfrom:logging": { s3: { enabled: true } }, "eks-plattform:storag": {} }));
        assertRefused(
            problems,
            "eks-platfrom:logging",
            /is in namespace "eks-platfrom", which the platform does not read; did you mean "eks-platform:logging"\?/,
        );
        assertRefused(problems, "eks-plattform:storag", /did you mean "eks-platform:storage"\?/);
    });

    it("refuses AWS provider keys the platform's own provider never reads, and suggests the one it reads", () => {
        const problems = problemsOf(() => parseStackWith("dev", { "aws:regoin": "eu-west-1", "aws:profile": "dev", "aws:defaultTags": { tags: {} } }));
        assertRefused(problems, "aws:regoin", /is not a setting of the AWS provider; did you mean "aws:region"\?/);
        assertRefused(problems, "aws:profile", /deploys through its own provider, built from aws:region alone .* would reach only the lookups/);
        assertRefused(problems, "aws:defaultTags", /tags from eks-platform:tags/);
    });

    it("refuses namespaces nothing reads, keeps the engine's, and refuses keys not of the form <namespace>:<name>", () => {
        const problems = problemsOf(() =>
            parseStackWith("dev", {
                "kubernetes:context": "admin",
                "acme:owner": "team-a",
                "eks-platform:cluster:name": "x",
                "pulumi:disable-default-providers": ["aws"],
            }),
        );
        assertRefused(problems, "kubernetes:context", /the platform's Kubernetes provider is built from the cluster's own kubeconfig/);
        assertRefused(problems, "acme:owner", /is in namespace "acme": the platform does not read it.*remove it/);
        assertRefused(problems, "eks-platform:cluster:name", /is not a stack setting of the form <namespace>:<name>.*did you mean "eks-platform:cluster"/);
        assert.ok(!problems.some((p) => p.path.startsWith("pulumi:")), show(problems));
    });
});

describe("Configuration mistakes: unknown keys at any depth name the closest valid one", () => {
    const cases: [string, Path, string][] = [
        ["dev", ["compute", "nodePools", 0, "lables"], "labels"],
        ["prod", ["storage", "fsx", "s3DataRepository", "bucket"], "bucketName"],
        ["dev", ["mesh", "routes", 0, "rules", 0, "match", "header"], "headers"],
        ["dev", ["network", "flowLogs", "retention"], "retentionDays"],
        ["prod", ["cost", "budget", "monthly"], "monthlyUsd"],
        ["dev", ["protection", "protectStatefulResource"], "protectStatefulResources"],
        ["dev", ["loging"], "logging"],
    ];
    for (const [stack, path, meant] of cases) {
        it(`${formatPath(path)} in ${stack}: did you mean "${meant}"?`, () => {
            const problems = problemsOf(() =>
                parseChanged(stack, (settings) => setAt(settings, path, valueAt(settingsOf(stack), [...path.slice(0, -1), meant]) ?? 1)),
            );
            assertRefused(problems, formatPath(path), new RegExp(`is not a known setting; did you mean "${meant}"\\? allowed here: .*\\b${meant}\\b`));
        });
    }
});

/** Every object with a feature switch the stacks reach, found through the schema (not a list). */
function switchedObjects(): { path: Path; key: string; off: unknown; sibling: string; value: unknown; stack: string }[] {
    const found = new Map<string, { path: Path; key: string; off: unknown; sibling: string; value: unknown; stack: string }>();
    for (const stack of STACKS) {
        const parsed = parseStackWith(stack);
        visitSettings(stackSettingsSchema, parsed, parsed, [], (node, value, _parsed, path) => {
            const toggle = objectShape(node) && typeof value === "object" && value !== null && !Array.isArray(value) ? switchOf(node) : undefined;
            if (toggle && !found.has(formatPath(path))) {
                const settings = value as Settings;
                // A sibling the switch governs alone (not also read while it is off), with a value to write.
                const sibling = Object.keys(objectShape(node) ?? {}).find(
                    (key) => key !== toggle.key && settings[key] !== undefined && !(objectShape(node)?.[key]?.meta()?.alsoReadWhile ?? false),
                );
                if (sibling) {
                    found.set(formatPath(path), { path, key: toggle.key, off: toggle.off, sibling, value: settings[sibling], stack });
                }
            }
            return true;
        });
    }
    return [...found.values()];
}

describe("Configuration mistakes: a setting under a switched-off feature", () => {
    const switched = switchedObjects();

    it("finds the switches from the schema: every enabled flag and declared switch the stacks reach", () => {
        const paths = switched.map((s) => formatPath(s.path));
        for (const expected of [
            "network.vpcEndpoints",
            "compute.clusterAutoscaler",
            "storage.ebs",
            "storage.efs",
            "storage.fsx",
            "logging.s3",
            "logging.fluentBit",
            "mesh",
        ]) {
            assert.ok(paths.includes(expected), `${expected} not among ${paths.join(", ")}`);
        }
    });

    for (const { path, key, off, sibling, value, stack } of switched) {
        const at = formatPath(path);
        it(`${at}: ${sibling} beside ${key}: ${JSON.stringify(off)} is refused; the switch alone is taken`, () => {
            const refused = problemsOf(() => parseChanged(stack, (settings) => setAt(settings, path, { [key]: off, [sibling]: value })));
            assertRefused(
                refused,
                formatPath([...path, sibling]),
                new RegExp(
                    `is set, but ${formatPath([...path, key]).replace(/[.[\]]/g, "\\$&")} is ${JSON.stringify(off)}, so the feature is off and this setting would be ignored`,
                ),
            );
            const taken = problemsOf(() => parseChanged(stack, (settings) => setAt(settings, path, { [key]: off })));
            // The switch alone is never refused as ignored (another rule may still need the feature on).
            assert.ok(!taken.some((p) => p.path.startsWith(`${at}.`) && /so the feature is off/.test(p.message)), show(taken));
        });
    }

    it("refuses a fully configured FSx block without enabled: true, key by key, saying how to turn it on", () => {
        const fsx = structuredClone(settingsOf("prod").storage as Settings).fsx as Settings;
        delete fsx.enabled;
        const problems = problemsOf(() => parseChanged("staging", (settings) => setAt(settings, ["storage", "fsx"], fsx)));
        for (const key of Object.keys(fsx)) {
            assertRefused(
                problems,
                `storage.fsx.${key}`,
                /storage\.fsx\.enabled is false \(its default\).*set storage\.fsx\.enabled: true, or remove the setting/,
            );
        }
    });

    it("refuses EFS throughput settings with EFS off", () => {
        const problems = problemsOf(() =>
            parseChanged("dev", (settings) =>
                setAt(settings, ["storage", "efs"], { enabled: false, throughputMode: "provisioned", provisionedThroughputMibps: 64 }),
            ),
        );
        assertRefused(problems, "storage.efs.throughputMode", /storage\.efs\.enabled is false, so the feature is off/);
        assertRefused(problems, "storage.efs.provisionedThroughputMibps", /storage\.efs\.enabled is false/);
    });

    it("takes a setting another switch still reads: the log retention with Fluent Bit off while Container Insights writes the groups", () => {
        const logging = (insights: boolean) => (settings: Settings) =>
            setAt(settings, ["logging"], { fluentBit: { enabled: false, retentionDays: 30 }, containerInsights: { enabled: insights } });
        assert.equal(show(problemsOf(() => parseChanged("dev", logging(true)))), "");
        assertRefused(
            problemsOf(() => parseChanged("dev", logging(false))),
            "logging.fluentBit.retentionDays",
            /logging\.fluentBit\.enabled is false/,
        );
    });
});

describe("Configuration mistakes: no configuration registers two resources of one name", () => {
    /** Every list the stacks fill, through the schema: plain-value lists, and lists whose items declare an identity. */
    function lists(): { stack: string; path: Path; items: unknown[]; identity?: string[] }[] {
        const found = new Map<string, { stack: string; path: Path; items: unknown[]; identity?: string[] }>();
        for (const stack of STACKS) {
            const parsed = parseStackWith(stack);
            visitSettings(stackSettingsSchema, parsed, parsed, [], (node, value, _parsed, path) => {
                const toggle = objectShape(node) ? switchOf(node) : undefined;
                if (toggle && (value as Settings)[toggle.key] === toggle.off) {
                    return false;
                }
                const inner = unwrap(node);
                if (inner instanceof z.ZodArray && Array.isArray(value) && value.length > 0) {
                    const identity = uniqueByOf(node)?.fields;
                    const scalar = value.every((item) => typeof item !== "object");
                    const key = `${path.map((part) => (typeof part === "number" ? 0 : part)).join(".")}`;
                    if ((scalar || identity) && !found.has(key)) {
                        found.set(key, { stack, path, items: value, identity });
                    }
                }
                return true;
            });
        }
        return [...found.values()];
    }
    const found = lists();

    it("finds the lists from the schema", () => {
        const paths = found.map((list) => formatPath(list.path));
        for (const expected of [
            "cluster.adminPrincipals",
            "cluster.applicationNamespaces",
            "compute.nodePools",
            "compute.nodePools[0].instanceTypes",
            "network.runnerAccess.cidrs",
            "mesh.services",
            "mesh.routes",
            "mesh.routes[0].rules[0].targets",
        ]) {
            assert.ok(paths.includes(expected), `${expected} not among ${paths.join(", ")}`);
        }
    });

    for (const { stack, path, items, identity } of found) {
        it(`${formatPath(path)} (${stack}): a repeated ${identity ? `item (same ${identity.join(" and ")})` : "value"} is refused where it stands`, () => {
            const problems = problemsOf(() => parseChanged(stack, (settings) => setAt(settings, path, [...items, items[0]])));
            const repeat = [...path, items.length];
            if (identity) {
                assertRefused(
                    problems,
                    formatPath(identity.length === 1 ? [...repeat, identity[0]] : repeat),
                    new RegExp(`repeats ${formatPath([...path, 0]).replace(/[.[\]]/g, "\\$&")} \\(`),
                );
            } else {
                assertRefused(problems, formatPath(repeat), new RegExp(`is listed twice \\(also at ${formatPath([...path, 0]).replace(/[.[\]]/g, "\\$&")}\\)`));
            }
        });
    }

    it("refuses a principal that is both admin and viewer, and two principals whose access entries would share a name", () => {
        const admin = "arn:aws:iam::111122223333:role/eks-platform-deploy-dev";
        const problems = problemsOf(() =>
            parseChanged("dev", (settings) =>
                setAt(settings, ["cluster"], {
                    ...(settings.cluster as Settings),
                    adminPrincipals: [admin, "arn:aws:iam::111122223333:role/teams/ops"],
                    viewerPrincipals: [admin, "arn:aws:iam::111122223333:user/ops", "arn:aws:iam::444455556666:role/ops"],
                }),
            ),
        );
        assertRefused(problems, "cluster.viewerPrincipals[0]", /is also in cluster\.adminPrincipals\[0\]; EKS gives a principal one access entry/);
        // The access entry names "viewer-ops" of a user and of another account's role collide.
        assertRefused(problems, "cluster.viewerPrincipals[2]", /ends in the same name as cluster\.viewerPrincipals\[1\].*\("viewer-ops"\)/);
        assert.ok(!problems.some((p) => p.path === "cluster.adminPrincipals[1]"), "admin-ops and viewer-ops are different names");
    });
});

describe("Configuration mistakes: kubelet labels and taints per pool", () => {
    const withPool =
        (labels: Record<string, string>, taints: unknown[] = []) =>
        (settings: Settings) => {
            const pools = (settings.compute as { nodePools: Settings[] }).nodePools;
            pools[0] = { ...pools[0], labels, taints };
        };

    it("takes labels the kubelet may set on itself and labels of other namespaces", () => {
        const labels = {
            "node.kubernetes.io/lifecycle": "spot",
            "team.node.kubernetes.io/owner": "a",
            "kubelet.kubernetes.io/managed": "yes",
            "topology.kubernetes.io/zone": "eu-west-1a",
            "example.com/team": "payments",
            workload: "batch",
        };
        assert.equal(
            show(problemsOf(() => parseChanged("dev", withPool(labels, [{ key: "example.com/dedicated", value: "gpu", effect: "PreferNoSchedule" }])))),
            "",
        );
    });

    const refused: [string, string, RegExp][] = [
        ["node-role.kubernetes.io/worker", "", /which the kubelet may not set on its own node: .*refuses to start and no node of the pool joins/],
        ["kubernetes.io/team", "a", /kubernetes\.io namespace, which the kubelet may not set/],
        ["sub.k8s.io/x", "a", /sub\.k8s\.io namespace, which the kubelet may not set/],
        ["node-restriction.kubernetes.io/pinned", "a", /node-restriction\.kubernetes\.io namespace/],
        ["Example.com/team", "a", /as a Kubernetes label key, it has the prefix "Example\.com", which must be a DNS-1123 subdomain/],
        [`example.com/${"n".repeat(64)}`, "a", /must be 1 to 63 letters/],
        ["example.com/team", "v".repeat(64), /as a Kubernetes label value, it is 64 characters long; at most 63/],
        ["example.com/team", "a b", /as a Kubernetes label value, it may hold only letters, digits/],
        [
            `${"sub".repeat(26)}.example.com/team`,
            "a",
            /becomes an AWS tag key "k8s\.io\/cluster-autoscaler\/node-template\/label\/.*which is 141 characters long; at most 128/,
        ],
        ["lifecycle", "OnDemand", /is a label the platform sets on every node itself/],
        ["eks-platform/node-pool", "x", /is a label the platform sets/],
    ];
    for (const [key, value, message] of refused) {
        it(`refuses the label ${key.length > 40 ? `${key.slice(0, 37)}...` : key}=${value.length > 10 ? `${value.slice(0, 7)}...` : value}`, () => {
            assertRefused(
                problemsOf(() => parseChanged("dev", withPool({ [key]: value }))),
                formatPath(["compute", "nodePools", 0, "labels", key]),
                message,
            );
        });
    }

    it("refuses a bad taint effect, a repeated key and effect, bad syntax, and the platform's own Spot taint", () => {
        const problems = problemsOf(() =>
            parseChanged(
                "dev",
                withPool({}, [
                    { key: "dedicated", value: "gpu", effect: "NoSchedule" },
                    { key: "dedicated", value: "other", effect: "NoSchedule" },
                    { key: "spotInstance", value: "true", effect: "NoSchedule" },
                    { key: "bad key", effect: "NoExecute" },
                ]),
            ),
        );
        assertRefused(
            problems,
            "compute.nodePools[0].taints[1]",
            /repeats compute\.nodePools\[0\]\.taints\[0\] .*the kubelet refuses a node with two taints of one key and effect/,
        );
        assertRefused(problems, "compute.nodePools[0].taints[2].key", /is the taint the platform sets on pools with Spot capacity/);
        assertRefused(problems, "compute.nodePools[0].taints[3].key", /as a Kubernetes label key, it has the name "bad key"/);
        const effect = problemsOf(() => parseChanged("dev", withPool({}, [{ key: "dedicated", effect: "NoRun" }])));
        assertRefused(effect, "compute.nodePools[0].taints[0].effect", /must be one of "NoSchedule", "PreferNoSchedule", "NoExecute"/);
    });
});

describe("Configuration mistakes: every name checked against every place it lands", () => {
    const setting =
        (path: Path, value: unknown) =>
        (settings: Settings): void =>
            setAt(settings, path, value);
    const route = (name: string) => (settings: Settings) => {
        const routes = (settings.mesh as { routes: Settings[] }).routes;
        routes[0] = { ...routes[0], name };
        (settings.mesh as { services: Settings[] }).services.forEach((service) => (service.calls = []));
    };
    const service = (name: string) => (settings: Settings) => {
        const mesh = settings.mesh as { services: Settings[]; routes: { rules: { targets: { service: string }[] }[] }[] };
        mesh.services[0].name = name;
        mesh.routes[0].rules.forEach((rule) => rule.targets.forEach((target) => (target.service = target.service === "catalog-v1" ? name : target.service)));
    };
    const cases: [string, string, (settings: Settings) => void, string, RegExp][] = [
        [
            "a cluster name too long for the auto-named EventBridge rules",
            "dev",
            setting(["cluster", "name"], "payments-staging-eu-central-1-green"),
            "cluster.name",
            /becomes an EventBridge rule name "payments-staging-eu-central-1-green-nth-spot-interruption-xxxxxxx" .*65 characters long; at most 64/,
        ],
        [
            "a cluster name VPC Lattice refuses as the default service network name",
            "dev",
            setting(["cluster", "name"], "Team_Prod"),
            "cluster.name",
            /becomes a VPC Lattice service network name "Team_Prod" \(the service network\), which may hold only lowercase letters.*set mesh\.name/,
        ],
        [
            "a mesh name with a double hyphen",
            "dev",
            setting(["mesh", "name"], "shop--mesh"),
            "mesh.name",
            /VPC Lattice service network name .*must not contain "--"/,
        ],
        [
            "a route whose Lattice service would start with svc-",
            "dev",
            route("svc-catalog"),
            "mesh.routes[0].name",
            /VPC Lattice service name "svc-catalog-shop" .*must not start with "svc-"/,
        ],
        [
            "a route whose Lattice service would hold a double hyphen",
            "dev",
            route("catalog--v2"),
            "mesh.routes[0].name",
            /VPC Lattice service name "catalog--v2-shop" .*must not contain "--"/,
        ],
        [
            "a service name Kubernetes refuses for a Service",
            "dev",
            service("2catalog"),
            "mesh.services[0].name",
            /as a Kubernetes Service name \(DNS-1035 label\), it may hold only lowercase letters.*starting with a letter/,
        ],
        [
            "a service whose Lattice target group would hold a double hyphen",
            "dev",
            service("catalog--v1"),
            "mesh.services[0].name",
            /VPC Lattice target group name "k8s-shop-catalog--v1-x+" .*must not contain "--"/,
        ],
        [
            "a log bucket with a dot",
            "staging",
            setting(["logging", "s3", "bucketName"], "logs.example.com"),
            "logging.s3.bucketName",
            /must not contain dots: HTTPS to <bucket>/,
        ],
        [
            "a principal whose role name IAM cannot hold",
            "dev",
            (settings) => (settings.cluster as { viewerPrincipals: string[] }).viewerPrincipals.push(`arn:aws:iam::111122223333:role/${"r".repeat(65)}`),
            "cluster.viewerPrincipals[2]",
            /becomes an IAM role name "r{65}" \(its role name\), which is 65 characters long; at most 64/,
        ],
        ["a stack tag AWS reserves", "dev", setting(["tags", "aws:team"], "x"), 'tags["aws:team"]', /must not start with "?aws:"? \(reserved/],
        [
            "a Lustre class named like the EBS driver's StorageClass",
            "dev",
            setting(["storage", "fsx", "classes", 0, "name"], "gp3"),
            "storage.fsx.classes[0].name",
            /is the name of storage\.ebs's StorageClass \("gp3"\); two StorageClasses cannot share a name/,
        ],
        [
            "an application namespace of 64 characters",
            "dev",
            setting(["cluster", "applicationNamespaces"], ["a".repeat(64)]),
            "cluster.applicationNamespaces[0]",
            /64 characters long; at most 63/,
        ],
    ];
    for (const [title, stack, change, path, message] of cases) {
        it(`refuses ${title}`, () => {
            assertRefused(
                problemsOf(() => parseChanged(stack, change)),
                path,
                message,
            );
        });
    }

    it("refuses an App Mesh route name Kubernetes refuses as the route's Service", () => {
        const problems = problemsOf(() =>
            parseChanged("dev", (settings) => {
                route("2fa")(settings);
                (settings.mesh as Settings).backend = "appmesh";
            }),
        );
        assertRefused(problems, "mesh.routes[0].name", /becomes a Kubernetes Service name \(DNS-1035 label\) "2fa" \(the Service callers resolve\)/);
    });

    it("derives the default cluster name from the stack, and refuses a stack name that makes it invalid, saying to set cluster.name", () => {
        assert.equal(parseStackWith("dev").clusterName, "eks-platform-dev");
        assert.equal(parseChanged("dev", () => undefined, "dev-blue").clusterName, "eks-platform-dev-blue");
        const problems = problemsOf(() => parseChanged("dev", () => undefined, "Dev.Blue"));
        assertRefused(problems, "cluster.name", /as an EKS cluster name|becomes an EKS cluster name/);
        assertRefused(problems, "cluster.name", /the cluster name defaults to <project>-<stack> \("eks-platform-Dev\.Blue"\); set cluster\.name/);
    });
});

describe("Configuration mistakes: refusals are sentences, never library wording or a crash", () => {
    const LIBRARY_WORDING = /Too small|Too big|Invalid input|Invalid option|Invalid string|Invalid key|Unrecognized key|expected .* to (be|have)|received/;

    it("explains a version written as a number, with the fix", () => {
        const problems = problemsOf(() =>
            parseChanged("dev", (settings) => {
                setAt(settings, ["cluster", "kubernetesVersion"], 1.3);
                setAt(settings, ["compute", "nodePools", 0, "kubernetesVersion"], 1.35);
            }),
        );
        assertRefused(
            problems,
            "cluster.kubernetesVersion",
            /is the number 1\.3, not text: YAML reads unquoted digits as a number and drops trailing zeros \(1\.30 becomes 1\.3\); write the value in quotes/,
        );
        assertRefused(
            problems,
            "compute.nodePools[0].kubernetesVersion",
            /is the number 1\.35, not text: .*write the value in quotes as you mean it \("1\.35"/,
        );
        assertRefused(
            problemsOf(() => parseChanged("dev", (settings) => setAt(settings, ["cluster", "kubernetesVersion"], 1.35))),
            "cluster.kubernetesVersion",
            /is the number 1\.35.*The setting must be a Kubernetes version in EKS standard support/,
        );
    });

    it("says what a missing section is and where it goes", () => {
        const problems = problemsOf(() =>
            parseChanged("dev", (settings) => {
                delete settings.compute;
                delete settings.environment;
            }),
        );
        assertRefused(problems, "compute", /^is required: add eks-platform:compute to the stack file \(Node pools/);
        assertRefused(problems, "environment", /^is required: add eks-platform:environment to the stack file \(Environment tier/);
    });

    it("gives a range with its unit and meaning instead of a bare bound", () => {
        const problems = problemsOf(() => parseChanged("dev", (settings) => setAt(settings, ["protection", "kmsDeletionWindowDays"], 3)));
        assertRefused(problems, "protection.kmsDeletionWindowDays", /^must be a whole number from 7 to 30 \(this setting: Days a deleted KMS key waits/);
    });

    it("refuses any wrong value at any setting of the stack files with a ConfigError in sentences", () => {
        const wrong: unknown[] = [null, -1, 2.5, "", "Not_Valid value", []];
        let refusals = 0;
        // Each setting once, in the first stack file that writes it.
        const seen = new Set<string>();
        for (const stack of STACKS) {
            const leaves: Path[] = [];
            visitSettings(stackSettingsSchema, settingsOf(stack), undefined, [], (_node, raw, _parsed, path) => {
                const setting = path.map((part) => (typeof part === "number" ? 0 : part)).join(".");
                if ((typeof raw !== "object" || raw === null) && !seen.has(setting)) {
                    seen.add(setting);
                    leaves.push(path);
                }
                return true;
            });
            for (const path of leaves) {
                for (const value of wrong) {
                    const problems = problemsOf(() => parseChanged(stack, (settings) => setAt(settings, path, value)));
                    refusals += problems.length > 0 ? 1 : 0;
                    for (const problem of problems) {
                        assert.ok(
                            !LIBRARY_WORDING.test(problem.message) && !problem.message.includes(UNPHRASED),
                            `${stack} ${formatPath(path)} = ${JSON.stringify(value)}: ${problem.message}`,
                        );
                        assert.ok(problem.path.length > 0 && problem.message.length > 10, JSON.stringify(problem));
                    }
                }
            }
        }
        assert.ok(refusals > 100, `only ${refusals} refusals`);
    });
});

describe("Configuration mistakes through the plan command: exit 2, the setting named, no stack trace", () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "config-mistakes-"));
    const base = STACKS[0];
    /** The first stack file with `overrides`, written as a stack of its own named `name` (its deploy role among the admins, as the recipe says). */
    function stackFile(name: string, overrides: Record<string, unknown>): string {
        const source = withOverrides(readStack(base), overrides);
        const text = toYaml({ config: source.config }).replaceAll(
            `role/${deployRoleName(projectName(), base)}\n`,
            `role/${deployRoleName(projectName(), name)}\n`,
        );
        const file = path.join(directory, `Pulumi.${name}.yaml`);
        fs.writeFileSync(file, text);
        return file;
    }
    const pools = () => (readStack(base).config["eks-platform:compute"] as { nodePools: Settings[] }).nodePools;
    const viewers = () => (readStack(base).config["eks-platform:cluster"] as { viewerPrincipals: string[] }).viewerPrincipals;
    const admins = () => (readStack(base).config["eks-platform:cluster"] as { adminPrincipals: string[] }).adminPrincipals;
    const cases: [string, Record<string, unknown>, RegExp][] = [
        ["namespace", { "eks-platfrom:logging": { s3: { enabled: false } } }, /eks-platfrom:logging = .*did you mean "eks-platform:logging"\?/],
        [
            "unknown-key",
            { "eks-platform:network": { natGateway: "single" } },
            /network\.natGateway = "single": is not a known setting; did you mean "natGateways"\?/,
        ],
        [
            "switched-off",
            { "eks-platform:storage": { efs: { enabled: false, throughputMode: "provisioned" } } },
            /storage\.efs\.throughputMode = "provisioned": is set, but storage\.efs\.enabled is false/,
        ],
        ["name", { "eks-platform:cluster": { name: "Team_Prod" } }, /cluster\.name = "Team_Prod": becomes a VPC Lattice service network name/],
        [
            "duplicate-principal",
            { "eks-platform:cluster": { viewerPrincipals: [...viewers(), admins()[0]] } },
            /cluster\.viewerPrincipals\[\d\] = ".*": is also in cluster\.adminPrincipals\[0\]/,
        ],
        [
            "kubelet-label",
            { "eks-platform:compute": { nodePools: [{ ...pools()[0], labels: { "node-role.kubernetes.io/worker": "" } }] } },
            /compute\.nodePools\[0\]\.labels\["node-role\.kubernetes\.io\/worker"\] = "": is in the node-role\.kubernetes\.io namespace/,
        ],
        ["version-number", { "eks-platform:cluster": { kubernetesVersion: 1.3 } }, /cluster\.kubernetesVersion = 1\.3: is the number 1\.3, not text/],
    ];
    for (const [name, overrides, message] of cases) {
        it(`${name}: refused by the plan with exit 2`, async () => {
            const result = await planInProcess("--config", stackFile(name, overrides));
            assert.equal(result.status, 2, result.stderr);
            assert.match(result.stderr, message);
            assert.doesNotMatch(result.stderr, STACK_TRACE_LINE);
        });
    }

    it("a file with the correct counterpart of each class plans: allowed kubelet labels, a switched-off feature alone, another stack name", async () => {
        const file = stackFile("config-counterparts", {
            "eks-platform:storage": { efs: { enabled: false, backups: undefined, reclaimPolicy: undefined } },
            "eks-platform:compute": { nodePools: [{ ...pools()[0], labels: { "node.kubernetes.io/role": "general", "example.com/team": "platform" } }] },
            "eks-platform:cluster": { viewerPrincipals: viewers().filter((arn) => !admins().includes(arn)) },
        });
        const result = await planInProcess("--config", file);
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /^config-counterparts: \d+ resources .*eks-platform-config-counterparts in /m);
    });
});
