import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { ConfigError } from "../config";
import { configChecker, PolicyConfigError } from "../policy-pack/evaluate";
import { assumptionsLine, budgetFinding, costOfPlan, costWithBase } from "./cost";
import { DEFAULT_KUBERNETES_VERSION } from "../components/versions";
import { OfflineFactsError } from "./harness/awsFacts";
import {
    listStacks,
    projectDirOf,
    readStack,
    readStackFile,
    renderOtherProject,
    RenderedResources,
    RenderedStack,
    renderStack,
    ROOT,
    StackFileError,
    StackSource,
} from "./harness/render";
import { changeLines, isBlocking, PlanDocument, planDocument, planSummary, summaryLine, withDiff } from "./plan/document";
import { evaluatePlan, policyConfigFile } from "./plan/guardrails";
import { renderMarkdown } from "./plan/markdown";
import { schemaFindingsFor, validateKubernetesObjects } from "./schemas/validate";

const USAGE = `usage: npm run -s plan -- [--stack <env> | --config <Pulumi.x.yaml>] [--json <file>] [--markdown <file>|-] [--base <plan.json>] [--allow-replace <urn>]... [--policy-config <file>]
  Renders stacks offline (Pulumi mocks, no credentials) and evaluates the policy pack.
  Without --stack or --config, renders every stack in stacks/.
  --json writes the plan document (an array when several stacks are rendered).
  --markdown writes the PR comment; "-" writes it to stdout.
  --base diffs against an earlier --json output: every create, update, replace and delete, in the
  terminal, the JSON (changes) and the markdown.
  --allow-replace records a reviewed replacement or deletion of a protected or stateful resource
  (repeatable; needs --base).
  --config renders a stack file with the project it belongs to (the nearest Pulumi.yaml above it).
  --policy-config overrides the policy-pack config (default: policy-pack/config/<environment>.json,
  and prod.json, the strictest, for another project's stack).
  Exit status: 0 clean, 1 mandatory guardrail violations or schema findings, 2 bad input (a stack
  whose configuration is refused; the other stacks are still planned), 3 internal error.`;

export class UsageError extends Error {}

interface PlanOptions {
    sources: () => StackSource[];
    json?: string;
    markdown?: string;
    base?: string;
    allowReplace: Set<string>;
    policyConfig?: string;
}

function parseOptions(argv: string[]): PlanOptions {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            options: {
                stack: { type: "string" },
                config: { type: "string" },
                json: { type: "string" },
                markdown: { type: "string" },
                base: { type: "string" },
                "allow-replace": { type: "string", multiple: true },
                "policy-config": { type: "string" },
                help: { type: "boolean", short: "h" },
            },
            strict: true,
            allowPositionals: false,
        });
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
    const { values } = parsed;
    if (values.help) {
        console.log(USAGE);
        process.exit(0);
    }
    if (values.stack && values.config) {
        throw new UsageError("--stack and --config are alternatives: give one");
    }
    const sources = () => (values.config ? [readStackFile(values.config)] : values.stack ? [readStack(values.stack)] : listStacks().map(readStack));
    const allowReplace = new Set(values["allow-replace"] ?? []);
    if (allowReplace.size > 0 && !values.base) {
        throw new UsageError("--allow-replace waives a finding of the diff: give --base <plan.json> too");
    }
    const policyConfig = values["policy-config"];
    if (policyConfig && !fs.existsSync(policyConfig)) {
        throw new UsageError(`--policy-config ${policyConfig}: no such file`);
    }
    if (policyConfig) {
        // Refused before any stack renders, with every problem named (PolicyConfigError, exit 2).
        let parsed: unknown;
        try {
            parsed = JSON.parse(fs.readFileSync(policyConfig, "utf8"));
        } catch (error) {
            throw new UsageError(`--policy-config ${policyConfig}: not JSON (${(error as Error).message})`);
        }
        configChecker.check(parsed, `--policy-config ${policyConfig}`);
    }
    return { sources, json: values.json, markdown: values.markdown, base: values.base, allowReplace, policyConfig };
}

export interface PlanRun {
    documents: PlanDocument[];
}

/**
 * Renders a stack file with the project it belongs to: this platform's, or another project's (e.g.
 * examples/insecure) by its own program, which then has no platform config.
 */
export async function renderSource(source: StackSource): Promise<RenderedStack | RenderedResources> {
    const projectDir = source.file ? projectDirOf(source.file) : ROOT;
    return projectDir !== path.resolve(ROOT) ? renderOtherProject(source, projectDir) : renderStack(source);
}

/** The policy-pack config a rendering is judged by: its environment's, or the strictest (prod) for another project. */
export function policyConfigFileFor(rendered: RenderedStack | RenderedResources): string {
    return policyConfigFile("program" in rendered ? rendered.program.config.environment : "prod");
}

/** Renders one stack and evaluates it: guardrails with the environment's policy config, and schemas. */
async function planStack(source: StackSource, policyConfig?: string): Promise<PlanDocument> {
    const rendered = await renderSource(source);
    const violations = await evaluatePlan(rendered.resources, rendered.stack, policyConfig ?? policyConfigFileFor(rendered));
    if (!("program" in rendered)) {
        // Another project's Kubernetes objects are checked against the newest API this platform supports.
        const cost = costOfPlan(rendered.resources, regionOf(source));
        return planDocument(rendered, violations, await validateKubernetesObjects(rendered.resources, DEFAULT_KUBERNETES_VERSION), undefined, cost);
    }
    const { config } = rendered.program;
    const cost = costOfPlan(rendered.resources, config.region, config.cost);
    const overBudget = budgetFinding(cost, config.cost.budget);
    return planDocument(rendered, [...violations, ...(overBudget ? [overBudget] : [])], await schemaFindingsFor(rendered), planSummary(config), cost);
}

/** The stack's region as its file sets it (rendering has already refused a stack without one). */
function regionOf(source: StackSource): string {
    return String(source.config["aws:region"]);
}

/** Adds the cost change against the base plan of the same stack, when there is one. */
function addCostDelta(document: PlanDocument, bases: Map<string, PlanDocument>): void {
    const base = bases.get(document.stack);
    if (base && document.cost) {
        document.cost = costWithBase(document.cost, base.resources);
    }
}

/** Renders and evaluates the given stacks one after another in this process. */
export async function runPlan(
    sources: StackSource[],
    onStack?: (document: PlanDocument) => void,
    onStart?: (source: StackSource, index: number) => void,
    policyConfig?: string,
): Promise<PlanRun> {
    const documents: PlanDocument[] = [];
    for (const [index, source] of sources.entries()) {
        onStart?.(source, index);
        const document = await planStack(source, policyConfig);
        documents.push(document);
        onStack?.(document);
    }
    return { documents };
}

function readBase(file: string): PlanDocument[] {
    if (!fs.existsSync(file)) {
        throw new UsageError(`--base ${file}: no such file`);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new UsageError(`--base ${file}: not JSON (${(error as Error).message})`);
    }
    const documents: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
    const isPlan = (d: unknown) =>
        typeof d === "object" && d !== null && typeof (d as PlanDocument).stack === "string" && Array.isArray((d as PlanDocument).resources);
    if (!documents.every(isPlan)) {
        throw new UsageError(`--base ${file}: not a plan document written by --json`);
    }
    return documents as PlanDocument[];
}

/** A stack the plan could not render because its input is refused (exit 2); the other stacks go on. */
export interface FailedStack {
    stack: string;
    origin: string;
    message: string;
}

function printDocument(document: PlanDocument, out: (line: string) => void): void {
    out(summaryLine(document));
    changeLines(document).forEach((line) => out(line));
    for (const violation of document.violations) {
        const controls = violation.controls.length ? ` (${violation.controls.join(", ")})` : "";
        out(`  [${violation.enforcementLevel}] ${violation.policy}${controls}: ${violation.message}`);
    }
    for (const exception of document.exceptions ?? []) {
        out(`  [allowed by --allow-replace] ${exception.policy}: ${exception.message}`);
    }
    for (const finding of document.schemaFindings) {
        out(`  [schema] ${finding.apiVersion} ${finding.kind} ${finding.urn} ${finding.path}: ${finding.message}`);
    }
    if (document.cost?.prices) {
        out(`  [cost] assumed: ${assumptionsLine(document.cost)}`);
    }
}

async function main(argv: string[]): Promise<number> {
    const options = parseOptions(argv);
    const bases = options.base ? readBase(options.base) : [];
    const baseOf = new Map(bases.map((b) => [b.stack, b]));
    const sources = options.sources();
    // Progress goes to stderr and only on a terminal, so piped output and CI logs stay clean.
    const progress = process.stderr.isTTY ? (text: string) => process.stderr.write(text) : () => undefined;
    // With --markdown -, stdout carries the markdown alone; the terminal report goes to stderr.
    const report = (line: string) => (options.markdown === "-" ? console.error(line) : console.log(line));
    const documents: PlanDocument[] = [];
    const failures: FailedStack[] = [];
    for (const [index, source] of sources.entries()) {
        progress(`rendering ${source.stack} (${index + 1}/${sources.length})...`);
        try {
            const { documents: rendered } = await runPlan([source], undefined, undefined, options.policyConfig);
            const document = options.base ? withDiff(rendered[0], baseOf.get(rendered[0].stack), options.allowReplace) : rendered[0];
            addCostDelta(document, baseOf);
            documents.push(document);
            progress("\r\x1b[K");
            printDocument(document, report);
        } catch (error) {
            if (!(error instanceof ConfigError || error instanceof StackFileError)) {
                throw error;
            }
            progress("\r\x1b[K");
            failures.push({ stack: source.stack, origin: source.origin, message: error.message });
            console.error(`${source.stack}: not planned\n${error.message}`);
        }
    }
    const allowed = new Set(documents.flatMap((d) => (d.exceptions ?? []).map((e) => e.urn)));
    const unused = [...options.allowReplace].filter((urn) => !allowed.has(urn));
    if (options.json) {
        fs.writeFileSync(options.json, JSON.stringify(documents.length === 1 ? documents[0] : documents, null, 2) + "\n");
    }
    if (options.markdown) {
        const markdown = renderMarkdown(documents, bases, failures);
        if (options.markdown === "-") {
            process.stdout.write(markdown);
        } else {
            fs.writeFileSync(options.markdown, markdown);
        }
    }
    if (unused.length > 0) {
        console.error(`--allow-replace names no replaced or deleted protected/stateful resource of this plan: ${unused.join(", ")}`);
        return 2;
    }
    return failures.length > 0 ? 2 : documents.some(isBlocking) ? 1 : 0;
}

if (require.main === module) {
    // Pulumi captures a stack trace for every resource and output promise; with source maps on
    // (tsx turns them on), formatting those traces is about half of a stack's render time. The plan
    // reports configuration errors without stacks; PLAN_SOURCE_MAPS=1 restores TypeScript positions
    // for debugging a crash (exit 3).
    if (!process.env.PLAN_SOURCE_MAPS) {
        process.setSourceMapsEnabled(false);
    }
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error) => {
            if (
                error instanceof ConfigError ||
                error instanceof StackFileError ||
                error instanceof OfflineFactsError ||
                error instanceof UsageError ||
                error instanceof PolicyConfigError
            ) {
                console.error(error.message);
                if (error instanceof UsageError) {
                    console.error(USAGE);
                }
                process.exit(2);
            }
            // Anything else is a defect in the program or the harness, not in the input.
            console.error(error);
            process.exit(3);
        },
    );
}
