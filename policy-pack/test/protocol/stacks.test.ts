import * as fs from "fs";
import { evaluatePlan } from "../../../tools/plan/guardrails";
import {
    allSecret,
    assertNoPlanOnlyFindingsBut,
    assertSameOutcomes,
    configureFromFile,
    engineVisible,
    firstPreview,
    offlineOutcomes,
    previewOverProtocol,
} from "./drive";
import { withPackProcess } from "./session";
import { policyConfigFileFor, protocolSources, renderedElsewhere, renderProtocolSource, type ProtocolSource } from "./sources";
import { violationLine, type Outcomes, type WireResource } from "./wire";

// Every shipped stack and example, previewed through the published pack over the analyzer
// protocol, gets exactly the verdicts of the offline plan. Each stack is one preview on a pack
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

async function compare(source: ProtocolSource, resources: WireResource[], configContent: string): Promise<Omit<SourceResults, "plan" | "resources">> {
    const config = JSON.parse(configContent) as object;
    const visible = resources.map(engineVisible);
    // Both at once: every provider ID unknown (a first preview) and every input secret.
    const previewed = allSecret(firstPreview(visible));
    const offline = {
        engineVisible: await offlineOutcomes(visible, config, source.identity.stack),
        firstPreviewOfSecrets: await offlineOutcomes(previewed, config, source.identity.stack),
    };
    return withPackProcess(source.identity, async (pack) => {
        await configureFromFile(pack, configContent);
        return {
            engineVisible: offline.engineVisible,
            asRendered: { overProtocol: await previewOverProtocol(pack, resources, { remediate: true }), offline: offline.engineVisible },
            firstPreviewOfSecrets: { overProtocol: await previewOverProtocol(pack, previewed), offline: offline.firstPreviewOfSecrets },
        };
    });
}

/** Plans and previews one rendered stack; the previews run in the pack processes. */
function comparison(source: ProtocolSource, rendered: Awaited<ReturnType<typeof renderProtocolSource>>): Promise<SourceResults> {
    const configFile = policyConfigFileFor(rendered);
    const comparing = (async () => {
        const plan = (await evaluatePlan(rendered.resources, rendered.stack, configFile)).map(violationLine);
        const compared = await compare(source, rendered.resources, fs.readFileSync(configFile, "utf8"));
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
        renderedElsewhere(source)?.then(
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
            it("gets the plan's verdicts from Remediate, Analyze and AnalyzeStack (policy, level, resource, message, controls)", async () => {
                const { asRendered } = await results.get(source.title)!;
                assertSameOutcomes(asRendered.overProtocol, asRendered.offline, source.title);
            });

            it("differs from the plan only by findings the protocol cannot carry (retainOnDelete)", async () => {
                const { plan, engineVisible, resources } = await results.get(source.title)!;
                assertNoPlanOnlyFindingsBut(plan, engineVisible, resources, source.title);
            });

            it("decides alike at a first preview, where every provider ID is unknown, with every input a secret", async () => {
                const { firstPreviewOfSecrets } = await results.get(source.title)!;
                assertSameOutcomes(firstPreviewOfSecrets.overProtocol, firstPreviewOfSecrets.offline, `${source.title}, first preview, secret inputs`);
            });
        });
    }
});
