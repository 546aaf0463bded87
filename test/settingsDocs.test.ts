import { strict as assert } from "assert";
import { parse } from "yaml";
import { z } from "zod";
import { SECTIONS } from "../components/capabilities";
import { stackSchemaOf } from "../config/stack";
import {
    BOOTSTRAP_SETTINGS,
    docsPages,
    PLATFORM_SETTINGS,
    SETTINGS_SOURCES,
    renderSettingsTable,
    sectionsOf,
    settingRows,
    tabledSections,
    tablePages,
    tablesIn,
    undescribedSettings,
    withSettingsTables,
} from "../tools/docs/settings";

/** A capability added to the list as a new add-on would be: a section of its own, every setting described. */
const exampleAddOnSettings = z
    .strictObject({
        replicas: z.int().min(1).max(5).default(2).describe("Replicas of the example add-on."),
        args: z.array(z.string()).default(["--kubelet-insecure-tls"]).describe("Extra container arguments."),
    })
    .prefault({})
    .describe("An example add-on, as a new capability declares it.");
const withExampleAddOn = { ...PLATFORM_SETTINGS, schema: stackSchemaOf([...SECTIONS, { key: "exampleAddOn", settings: exampleAddOnSettings }]) };

/** The cells of a generated table's rows, by the setting's path. */
function rowsOf(table: string): Map<string, string[]> {
    const rows = table
        .split("\n")
        .slice(2)
        .map((line) => line.slice(2, -2).split(" | "));
    return new Map(rows.map((cells) => [cells[0].replace(/`/g, ""), cells.slice(1)]));
}

describe("Settings tables in docs/", () => {
    const pages = docsPages();
    const pageOf = tablePages(pages);

    it("are current, the platform's and the bootstrap project's (run `npm run -s docs:settings` after changing a settings schema)", () => {
        const stale = SETTINGS_SOURCES.flatMap((source) => {
            const pagesOfSource = tablePages(pages, source);
            return [...pages]
                .filter(([name, page]) => withSettingsTables(page, name, pagesOfSource, source) !== page)
                .map(([name]) => `docs/${name} (${source.namespace})`);
        });
        assert.deepEqual(stale, [], `stale settings tables in ${stale.join(", ")}: run \`npm run -s docs:settings\``);
    });

    it("document the bootstrap project's settings on bootstrap.md: every setting described, every section tabled, every key indexed", () => {
        assert.deepEqual(undescribedSettings(BOOTSTRAP_SETTINGS), [], 'add .describe("...") to each of these in bootstrap/settings.ts');
        const bootstrapPages = tablePages(pages, BOOTSTRAP_SETTINGS);
        assert.deepEqual(
            tabledSections(BOOTSTRAP_SETTINGS).map((key) => [key, bootstrapPages.get(key)]),
            ["github", "backend", "environments", "network", "logs", "protection"].map((key) => [key, "bootstrap.md"]),
        );
        const page = pages.get("bootstrap.md") ?? "";
        for (const { key } of sectionsOf(BOOTSTRAP_SETTINGS)) {
            assert.match(page, new RegExp(`^\\| \`eks-platform-bootstrap:${key}\` \\|`, "m"), `${key} is not in the index`);
        }
        // A list section's settings are its elements'; a union's say which option they belong to.
        const environments = rowsOf(renderSettingsTable("environments", BOOTSTRAP_SETTINGS));
        assert.deepEqual(environments.get("[].runner.buildTimeoutMinutes")?.slice(0, 2), ["integer 5–2160", "`120`"]);
        assert.deepEqual(environments.get("[].reviewers.users")?.slice(0, 2), ["list of GitHub user login, at most 6 items", "`[]`"]);
        const network = rowsOf(renderSettingsTable("network", BOOTSTRAP_SETTINGS));
        assert.match(network.get("platformPath.peers[].peeringConnectionId")?.[2] ?? "", /^With `kind: "peering"`: /);
        // A bootstrap marker is not a platform one, and the other way round.
        assert.deepEqual(tablesIn(page), []);
        assert.ok(tablesIn(page, BOOTSTRAP_SETTINGS).includes("github"));
        assert.throws(() => renderSettingsTable("github"), /no section "github" in the eks-platform schema/);
    });

    it("describe every setting and every section in its schema", () => {
        assert.deepEqual(undescribedSettings(), [], 'add .describe("...") to each of these in its settings schema');
    });

    it("give every section with settings a table on some page, and mark no table of a section that does not exist", () => {
        const missing = tabledSections().filter((key) => !pageOf.has(key));
        assert.deepEqual(missing, [], "add <!-- settings:<key>:start --> and <!-- settings:<key>:end --> lines to the section's page");
        const keys = sectionsOf().map((section) => section.key);
        const unknown = [...pages].flatMap(([name, page]) =>
            tablesIn(page)
                .filter((key) => !keys.includes(key))
                .map((key) => `docs/${name}: ${key}`),
        );
        assert.deepEqual(unknown, []);
        const duplicated = [...pageOf.keys()].filter((key) => [...pages.values()].flatMap((page) => tablesIn(page)).filter((k) => k === key).length > 1);
        assert.deepEqual(duplicated, [], "one table per section");
        // Every object section counts, the platform's own protection included; environment and tags live in the index.
        assert.ok(tabledSections().includes("protection") && !tabledSections().includes("tags"));
    });

    it("index every key of the stack file in docs/configuration.md, linking each section's page", () => {
        const index = pages.get("configuration.md") ?? "";
        for (const { key } of sectionsOf()) {
            assert.match(index, new RegExp(`^\\| \`eks-platform:${key}\` \\|`, "m"), `${key} is not in the index`);
        }
        assert.match(index, /^\| `eks-platform:mesh` \| object \| `\{\}` \| .* \[Settings\]\(mesh\.md\)\. \|$/m);
        assert.match(index, /^\| `eks-platform:compute` \| object \| required \|/m);
    });

    it("show each setting's path, type, default as a stack file writes it, and description", () => {
        const compute = rowsOf(renderSettingsTable("compute"));
        assert.deepEqual(compute.get("nodePools")?.slice(0, 2), ["list of object, at least 1 item", "required"]);
        assert.deepEqual(compute.get("nodePools[].metadataHopLimit")?.slice(0, 2), ["1 \\| 2", "`1`"]);
        assert.deepEqual(compute.get("nodePools[].desiredSize")?.slice(0, 2), ["integer ≥ 0", "—"]);
        assert.deepEqual(compute.get("nodePools[].taints[].effect")?.slice(0, 2), ['"NoSchedule" \\| "PreferNoSchedule" \\| "NoExecute"', "required"]);
        // A pattern's "must be ..." message names the format.
        assert.equal(compute.get("nodePools[].instanceTypes")?.[0], "list of EC2 instance type such as m6i.large, at least 1 item");
        const cluster = rowsOf(renderSettingsTable("cluster"));
        // "1.36" unquoted would be a number in YAML.
        assert.match(cluster.get("kubernetesVersion")?.[1] ?? "", /^`"1\.\d+"`$/);
        assert.deepEqual(cluster.get("applicationNamespaces")?.slice(0, 2), ["list of DNS-1123 label", "`[apps]`"]);
        const network = rowsOf(renderSettingsTable("network"));
        assert.deepEqual(network.get("privateSubnetPrefix")?.slice(0, 2), ["integer 16–28", "`20`"]);
        assert.match(network.get("flowLogs.retentionDays")?.[2] ?? "", /one of the periods CloudWatch Logs accepts \(1, 3, 5, .*, 3653\)/);
        const storage = rowsOf(renderSettingsTable("storage"));
        assert.deepEqual(storage.get("efs.directoryPerms")?.slice(0, 2), ['octal permissions such as "700"', '`"700"`']);
        assert.deepEqual(storage.get("fsx.s3DataRepository")?.slice(0, 2), ["object", "—"]);
        assert.deepEqual(storage.get("fsx.s3DataRepository.bucketName")?.[1], "required");
    });

    it("write defaults a stack file could hold: each, read as YAML, is the value the schema applies", () => {
        let checked = 0;
        for (const { key, schema } of SETTINGS_SOURCES.flatMap((source) => sectionsOf(source))) {
            const parsed = (schema as z.ZodType).safeParse(undefined);
            if (!parsed.success) {
                continue; // a section with required settings (compute)
            }
            for (const row of settingRows(schema)) {
                if (!row.default.startsWith("`") || row.type === "object" || /\[\]|<name>/.test(row.path)) {
                    continue;
                }
                const applied: unknown = row.path
                    .split(".")
                    .reduce<unknown>((value, part) => (value as Record<string, unknown> | undefined)?.[part], parsed.data);
                if (applied === undefined) {
                    continue; // inside an optional object the defaults leave out
                }
                assert.deepEqual(parse(row.default.slice(1, -1)), applied, `${key}.${row.path}`);
                checked++;
            }
        }
        assert.ok(checked > 50, `only ${checked} defaults checked`);
    });

    it("pick up a new capability with no change to the generator: its table fills its page's markers and the index links it", () => {
        assert.ok(tabledSections(withExampleAddOn).includes("exampleAddOn"));
        assert.deepEqual(
            undescribedSettings(withExampleAddOn).filter((setting) => setting.startsWith("eks-platform:exampleAddOn")),
            [],
        );
        const page = "# Example add-on\n\n<!-- settings:exampleAddOn:start -->\n<!-- settings:exampleAddOn:end -->\n";
        const filled = withSettingsTables(page, "exampleAddOn.md", new Map(), withExampleAddOn);
        assert.equal(
            filled,
            "# Example add-on\n\n<!-- settings:exampleAddOn:start -->\n" +
                "| Setting | Type | Default | Description |\n| --- | --- | --- | --- |\n" +
                "| `replicas` | integer 1–5 | `2` | Replicas of the example add-on. |\n" +
                "| `args` | list of string | `[--kubelet-insecure-tls]` | Extra container arguments. |\n" +
                "<!-- settings:exampleAddOn:end -->\n",
        );
        const index = withSettingsTables(
            "<!-- settings-index:start -->\n<!-- settings-index:end -->",
            "configuration.md",
            new Map([["exampleAddOn", "exampleAddOn.md"]]),
            withExampleAddOn,
        );
        assert.match(
            index,
            /^\| `eks-platform:exampleAddOn` \| object \| `\{\}` \| An example add-on, as a new capability declares it\. \[Settings\]\(exampleAddOn\.md\)\. \|$/m,
        );
    });

    it("name each undescribed setting and section by its full path", () => {
        const schema = stackSchemaOf([
            ...SECTIONS,
            { key: "bare", settings: z.strictObject({ items: z.array(z.strictObject({ name: z.string() }).describe("not a setting")).describe("Items.") }) },
        ]);
        assert.deepEqual(
            undescribedSettings({ ...PLATFORM_SETTINGS, schema }).filter((setting) => setting.startsWith("eks-platform:bare")),
            ["eks-platform:bare", "eks-platform:bare.items[].name"],
        );
    });

    it("describe unions, discriminated unions, maps of objects, nullables, pipes and string formats", () => {
        const schema = z.strictObject({
            source: z
                .discriminatedUnion("kind", [
                    z.strictObject({
                        kind: z.literal("git").describe("Source kind."),
                        url: z.url().describe("Repository URL."),
                        auth: z
                            .strictObject({ user: z.string().describe("User name.") })
                            .optional()
                            .describe("Credentials."),
                    }),
                    z.strictObject({ kind: z.literal("oci").describe("Source kind."), ref: z.string().min(1).describe("Image reference.") }),
                ])
                .optional()
                .describe("Where charts come from."),
            size: z
                .union([z.int().positive(), z.literal("auto")])
                .default("auto")
                .describe("Size."),
            peers: z
                .record(z.string(), z.strictObject({ cidr: z.cidrv4().describe("Peer CIDR.") }))
                .default({})
                .describe("Peers by name."),
            note: z.string().nullable().default(null).describe("A note."),
            ratio: z.number().positive().max(1).default(0.5).describe("A ratio."),
            port: z.string().regex(/^\d+$/).pipe(z.transform(Number)).optional().describe("Port, as a string."),
        });
        assert.deepEqual(
            settingRows(schema).map((row) => [row.path, row.type, row.default, row.description]),
            [
                ["source", "object, by `kind`", "—", "Where charts come from."],
                ["source.kind", '"git"', "required", 'With `kind: "git"`: Source kind.'],
                ["source.url", "string (URL)", "required", 'With `kind: "git"`: Repository URL.'],
                ["source.auth", "object", "—", 'With `kind: "git"`: Credentials.'],
                ["source.auth.user", "string", "required", 'With `kind: "git"`: User name.'],
                ["source.kind", '"oci"', "required", 'With `kind: "oci"`: Source kind.'],
                ["source.ref", "string (at least 1 character)", "required", 'With `kind: "oci"`: Image reference.'],
                ["size", 'integer > 0 | "auto"', "`auto`", "Size."],
                ["peers", "map of string to object", "`{}`", "Peers by name."],
                ["peers.<name>.cidr", "string (IPv4 CIDR)", "required", "Peer CIDR."],
                ["note", "string or null", "`null`", "A note."],
                ["ratio", "number > 0 and ≤ 1", "`0.5`", "A ratio."],
                ["port", "string", "—", "Port, as a string."],
            ],
        );
        assert.throws(() => settingRows(z.strictObject({ when: z.date().describe("A date.") })), /does not know zod type "date"/);
    });

    it("replace only the marked regions, markers being whole lines", () => {
        const page =
            "# Title\n\nMention `<!-- settings:protection:start -->` in prose.\n" +
            "<!-- settings:protection:start -->\nstale\n<!-- settings:protection:end -->\nafter\n";
        const updated = withSettingsTables(page, "x.md", new Map());
        assert.ok(updated.startsWith("# Title\n\nMention `<!-- settings:protection:start -->` in prose.\n<!-- settings:protection:start -->\n| Setting |"));
        assert.ok(updated.endsWith("|\n<!-- settings:protection:end -->\nafter\n"));
        assert.ok(!updated.includes("stale"));
        assert.deepEqual(tablesIn(page), ["protection"]);
        assert.throws(
            () => withSettingsTables("<!-- settings:protection:start -->\n", "x.md", new Map()),
            /x\.md: .* has no "<!-- settings:protection:end -->" line/,
        );
        assert.throws(() => withSettingsTables("<!-- settings:nope:start -->\n<!-- settings:nope:end -->", "x.md", new Map()), /no section "nope"/);
    });
});
