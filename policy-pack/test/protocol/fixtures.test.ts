import { fixtures } from "../fixtures";
import type { Fixture } from "../fixtures/types";
import type { PolicyPackProcess } from "./analyzer";
import { assertNoPlanOnlyFindingsBut, assertSameOutcomes, configureFromFile, engineVisible, offlineOutcomes, previewOverProtocol } from "./drive";
import { FIXTURES_IDENTITY, withPackProcess } from "./session";
import type { Outcomes, WireResource } from "./wire";

// Every policy fixture, passing and failing, previewed through the published pack: each one a
// stack of its resources, configured with the fixture's policy config as an engine config, must get
// the offline evaluator's verdicts for every policy (not only the fixture's own). The fixtures'
// stack names no environment, so the pack applies prod's settings, overlaid with the engine config.
// One preview serves them all; Configure replaces the whole engine config, so each fixture runs
// under its own.

interface FixtureCase {
    title: string;
    resources: WireResource[];
    /** The fixture's policy config, as a `--policy-pack-config` file. */
    config: string;
}

/** Fixtures carry no URNs; give each resource the URN the engine would, unique within its fixture. */
function withUrns(resources: Fixture["resources"]): WireResource[] {
    const seen = new Map<string, number>();
    return resources.map((resource) => {
        const base = `urn:pulumi:${FIXTURES_IDENTITY.stack}::${FIXTURES_IDENTITY.project}::${resource.type}::${resource.name}`;
        const count = (seen.get(base) ?? 0) + 1;
        seen.set(base, count);
        return { ...resource, urn: count === 1 ? base : `${base}-${count}` };
    });
}

const cases: FixtureCase[] = Object.entries(fixtures).flatMap(([policy, set]) =>
    (["pass", "fail"] as const).flatMap((kind) =>
        set[kind].map((fixture) => ({
            title: `${policy} ${kind === "pass" ? "passes" : "fails"}: ${fixture.title}`,
            resources: withUrns(fixture.resources),
            config: JSON.stringify(fixture.config ? { [policy]: fixture.config } : {}),
        })),
    ),
);

interface CaseResults {
    overProtocol: Outcomes;
    offline: Outcomes;
    /** The offline verdicts under the rules' names, from the facts the protocol carries. */
    engineVisible: Outcomes;
    plan: Outcomes;
}

/** In-flight fixtures under one configuration; each is its own small preview. */
const CONCURRENCY = 8;

async function run(pack: PolicyPackProcess, fixture: FixtureCase): Promise<CaseResults> {
    const visible = fixture.resources.map(engineVisible);
    const offline = await offlineOutcomes(visible, FIXTURES_IDENTITY, fixture.config);
    return {
        overProtocol: await previewOverProtocol(pack, fixture.resources),
        offline: offline.asServed,
        engineVisible: offline.byRule,
        plan: (await offlineOutcomes(fixture.resources, FIXTURES_IDENTITY, fixture.config)).byRule,
    };
}

/**
 * Every fixture's results. Fixtures need no rendering, so their previews start as mocha loads the
 * suite and run in a pack process beside the other tests.
 */
function previewFixtures(): Map<FixtureCase, Promise<CaseResults>> {
    const results = new Map<FixtureCase, Promise<CaseResults>>();
    // Configure is process-wide: fixtures that share a config run together, one config after another.
    const byConfig = new Map<string, FixtureCase[]>();
    for (const fixture of cases) {
        byConfig.set(fixture.config, [...(byConfig.get(fixture.config) ?? []), fixture]);
    }
    const preview = withPackProcess(FIXTURES_IDENTITY, async (pack) => {
        const groups = new Map<string, Map<FixtureCase, Promise<CaseResults>>>();
        for (const [content, group] of byConfig) {
            await configureFromFile(pack, content);
            const done = new Map<FixtureCase, Promise<CaseResults>>();
            let next = 0;
            const worker = async () => {
                while (next < group.length) {
                    const fixture = group[next++];
                    done.set(fixture, run(pack, fixture));
                    await done.get(fixture)!.catch(() => undefined);
                }
            };
            await Promise.all(Array.from({ length: CONCURRENCY }, worker));
            groups.set(content, done);
        }
        return groups;
    });
    preview.catch(() => undefined);
    for (const fixture of cases) {
        const result = preview.then((groups) => groups.get(fixture.config)!.get(fixture)!);
        result.catch(() => undefined);
        results.set(fixture, result);
    }
    return results;
}

describe("policy pack over the analyzer protocol: policy fixtures", function () {
    this.timeout(300_000);
    const results = previewFixtures();

    for (const fixture of cases) {
        it(fixture.title, async () => {
            const { overProtocol, offline, engineVisible, plan } = await results.get(fixture)!;
            assertSameOutcomes(overProtocol, offline, fixture.title);
            assertNoPlanOnlyFindingsBut(plan.violations, engineVisible, fixture.resources, fixture.title);
        });
    }
});
