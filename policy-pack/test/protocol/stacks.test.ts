import { strict as assert } from "assert";
import { ENVIRONMENT_TAG } from "../../lib/environments";
import { evaluatePlan } from "../../../tools/plan/guardrails";
import {
    allSecret,
    assertNoPlanOnlyFindingsBut,
    assertSameOutcomes,
    configureFromFile,
    engineVisible,
    firstPreview,
    offlineOutcomes,
    ORG_WIDE_CONFIG,
    previewOverProtocol,
} from "./drive";
import { withPackProcess } from "./session";
import { policyConfigFileFor, protocolSources, renderedElsewhere, renderProtocolSource, type ProtocolSource } from "./sources";
import { violationLine, type Outcomes, type WireResource } from "./wire";

// Every stack file of every project, previewed through the published pack over the analyzer
// protocol under the org-wide setup the docs publish (the pack enabled with no config; the stack's
// environment named by its name or its eks-platform:environment tag in ConfigureStack), gets
// exactly the verdicts of the offline plan, each under the engine policy that reports its rule in
// that environment (the rule, or its `-advisory` twin). Each stack is one preview on a pack
// process of its own while it runs; previews run in the pack processes while the next stack
// renders here.

interface Comparison {
    overProtocol: Outcomes;
    offline: Outcomes;
}

interface SourceResults {
    /** The plan's violations, as lines. */
    plan: string[];
    /** The same evaluation restricted to what the analyzer protocol carries. */
    engineVisible: Outcomes;
    resources: WireResource[];
    asRendered: Comparison;
    firstPreviewOfSecrets: Comparison;
}

async function compare(source: ProtocolSource, resources: WireResource[]): Promise<Omit<SourceResults, "plan" | "resources">> {
    const visible = resources.map(engineVisible);
    // Both at once: every provider ID unknown (a first preview) and every input secret.
    const previewed = allSecret(firstPreview(visible));
    const offline = {
        engineVisible: await offlineOutcomes(visible, source.identity),
        firstPreviewOfSecrets: await offlineOutcomes(previewed, source.identity),
    };
    return withPackProcess(source.identity, async (pack) => {
        await configureFromFile(pack, ORG_WIDE_CONFIG);
        return {
            engineVisible: offline.engineVisible.byRule,
            asRendered: { overProtocol: await previewOverProtocol(pack, resources, { remediate: true }), offline: offline.engineVisible.asServed },
            firstPreviewOfSecrets: { overProtocol: await previewOverProtocol(pack, previewed), offline: offline.firstPreviewOfSecrets.asServed },
        };
    });
}

/** Plans and previews one rendered stack; the previews run in the pack processes. */
function comparison(source: ProtocolSource, rendered: Awaited<ReturnType<typeof renderProtocolSource>>): Promise<SourceResults> {
    const comparing = (async () => {
        // The plan's own guardrail step: the settings file of the environment the stack's program names (prod for another project).
        const plan = (await evaluatePlan(rendered.resources, rendered.stack, policyConfigFileFor(rendered))).map(violationLine);
        const compared = await compare(source, rendered.resources);
        return { ...compared, plan, resources: rendered.resources };
    })();
    comparing.catch(() => undefined);
    return comparing;
}

describe("policy pack over the analyzer protocol: stacks and examples", function () {
    // Waits for the published pack and its processes, which start while the rest of the suite runs.
    this.timeout(300_000);
    const results = new Map<string, Promise<SourceResults>>();
    const sources = protocolSources();
    const start = (source: ProtocolSource, rendered: Awaited<ReturnType<typeof renderProtocolSource>>) => {
        if (!results.has(source.title)) {
            results.set(source.title, comparison(source, rendered));
        }
    };

    // A stack other tests render is previewed as soon as they have, beside the rest of the test run.
    for (const source of sources) {
        renderedElsewhere(source).then(
            (rendered) => start(source, rendered),
            () => undefined,
        );
    }

    before(async () => {
        for (const source of sources) {
            if (!results.has(source.title)) {
                const rendered = await renderProtocolSource(source);
                start(source, rendered);
            }
        }
    });

    for (const source of sources) {
        describe(source.title, () => {
            const environment = source.identity.tags[ENVIRONMENT_TAG] ? `tagged ${source.identity.tags[ENVIRONMENT_TAG]}` : `stack ${source.identity.stack}`;
            it(`${environment}: gets the plan's verdicts from Remediate, Analyze and AnalyzeStack (policy, level, resource, message, controls)`, async () => {
                const { asRendered } = await results.get(source.title)!;
                assertSameOutcomes(asRendered.overProtocol, asRendered.offline, source.title);
            });

            it("differs from the plan only by findings the protocol cannot carry (retainOnDelete)", async () => {
                const { plan, engineVisible, resources } = await results.get(source.title)!;
                assertNoPlanOnlyFindingsBut(plan, engineVisible, resources, source.title);
            });

            // The plan's exit status under this setup: 1 (a mandatory violation) for the insecure example, which exists to be stopped, and 0 for every other stack.
            const stopped = source.identity.project === "insecure-example";
            it(stopped ? "is stopped by the plan: mandatory violations" : "passes the plan: no mandatory violation", async () => {
                const mandatory = (await results.get(source.title)!).plan.filter((line) => line.includes(" [mandatory] "));
                if (stopped) {
                    assert.ok(mandatory.length > 0, `${source.title} must fail its plan`);
                } else {
                    assert.deepEqual(mandatory, [], `${source.title} has mandatory violations`);
                }
            });

            it("decides alike at a first preview, where every provider ID is unknown, with every input a secret", async () => {
                const { firstPreviewOfSecrets } = await results.get(source.title)!;
                assertSameOutcomes(firstPreviewOfSecrets.overProtocol, firstPreviewOfSecrets.offline, `${source.title}, first preview, secret inputs`);
            });
        });
    }
});
