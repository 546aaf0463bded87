import { strict as assert } from "assert";
import { ENVIRONMENT_TAG } from "../../lib/environments";
import type { StackIdentity } from "./analyzer";
import { assertSameOutcomes, configureFromFile, engineVisible, offlineOutcomes, ORG_WIDE_CONFIG, previewOverProtocol } from "./drive";
import { acquirePackProcess } from "./session";
import { protocolSources, renderedElsewhere, renderProtocolSource, type ProtocolSource } from "./sources";
import type { Outcomes } from "./wire";

// One pack process, enabled once with no config, gives each stack the verdicts of the environment
// its ConfigureStack names: the dev stack's resources, previewed in turn as a stack tagged
// eks-platform:environment staging, prod and an environment the pack does not know, get staging's,
// prod's, and prod's plus stack-environment-known, each reported under the engine policy that
// serves its rule there (the `-advisory` twin where the environment makes the rule advisory).

const DEV = "stacks/Pulumi.dev.yaml";
const TAGS = ["staging", "prod", "qa"] as const;
type Tag = (typeof TAGS)[number];

interface Previewed {
    overProtocol: Outcomes;
    offline: Outcomes;
}

function tagged(source: ProtocolSource, environment: string): StackIdentity {
    return { ...source.identity, tags: { ...source.identity.tags, [ENVIRONMENT_TAG]: environment } };
}

/** The previews, one after another on one process; each opens with its own ConfigureStack and Configure. */
async function previewTagged(source: ProtocolSource): Promise<{ untagged: Outcomes; byTag: Map<Tag, Previewed> }> {
    const resources = (await renderProtocolSource(source)).resources.map(engineVisible);
    const byTag = new Map<Tag, Previewed>();
    const { pack, release } = await acquirePackProcess(tagged(source, TAGS[0]));
    try {
        for (const tag of TAGS) {
            const identity = tagged(source, tag);
            if (tag !== TAGS[0]) {
                await pack.configureStack(identity);
            }
            await configureFromFile(pack, ORG_WIDE_CONFIG);
            byTag.set(tag, { overProtocol: await previewOverProtocol(pack, resources), offline: (await offlineOutcomes(resources, identity)).asServed });
        }
    } finally {
        release();
    }
    return { untagged: (await offlineOutcomes(resources, source.identity)).asServed, byTag };
}

const lines = (outcomes: Outcomes) => [...outcomes.violations].sort();

describe("policy pack over the analyzer protocol: one pack process, each stack its environment's verdicts", function () {
    this.timeout(300_000);
    const source = protocolSources().find((candidate) => candidate.title === DEV)!;
    let previews: Promise<Awaited<ReturnType<typeof previewTagged>>> | undefined;
    const start = () => {
        previews ??= previewTagged(source);
        previews.catch(() => undefined);
        return previews;
    };
    // As soon as another test has rendered the dev stack, beside the rest of the test run.
    renderedElsewhere(source).then(start, () => undefined);

    it(`previews ${DEV} as its own stack name, dev, without a tag (the case the stacks suite compares)`, () => {
        assert.equal(source.identity.stack, "dev");
        assert.equal(source.identity.tags[ENVIRONMENT_TAG], undefined);
    });

    for (const tag of TAGS) {
        it(`tagged ${tag}: the offline evaluator's verdicts for a stack tagged ${tag}`, async () => {
            const { overProtocol, offline } = (await start()).byTag.get(tag)!;
            assertSameOutcomes(overProtocol, offline, `${DEV} tagged ${ENVIRONMENT_TAG}=${tag}`);
        });
    }

    it("tagged staging and tagged prod: verdicts that differ from each other and from dev's", async () => {
        const { untagged, byTag } = await start();
        const staging = lines(byTag.get("staging")!.overProtocol);
        const prod = lines(byTag.get("prod")!.overProtocol);
        assert.notDeepEqual(staging, lines(untagged), "the staging tag changes the verdicts");
        assert.notDeepEqual(prod, staging, "the prod tag changes the verdicts");
    });

    it("tagged staging: a rule advisory there and mandatory in prod reports as its -advisory twin, and in prod under its own name", async () => {
        const { byTag } = await start();
        const twinLine = /^(\S+)-advisory \[advisory\] (\S+): /;
        const twins = byTag
            .get("staging")!
            .overProtocol.violations.map((line) => twinLine.exec(line))
            .filter((match) => match !== null);
        assert.ok(twins.length > 0, "some rule is advisory in staging and mandatory in prod");
        const prod = byTag.get("prod")!.overProtocol.violations;
        for (const [, rule, urn] of twins) {
            assert.ok(
                prod.some((line) => line.startsWith(`${rule} [mandatory] ${urn}: `)),
                `${rule} on ${urn}: reported as ${rule}-advisory in staging, but not as ${rule} (mandatory) in prod`,
            );
        }
        assert.ok(!prod.some((line) => /^\S+-advisory /.test(line)), "no twin reports in prod");
    });

    it("tagged with an unknown environment: prod's verdicts and a mandatory stack-environment-known", async () => {
        const { byTag } = await start();
        const unknown = byTag.get("qa")!.overProtocol.violations;
        const known = unknown.filter((line) => !line.startsWith("stack-environment-known "));
        assert.equal(unknown.length - known.length, 1, unknown.join("\n"));
        assert.match(
            unknown.find((line) => !known.includes(line))!,
            /^stack-environment-known \[mandatory\] \(stack\): .*qa/,
        );
        assert.deepEqual(known.sort(), lines(byTag.get("prod")!.overProtocol));
    });
});
