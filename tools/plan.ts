import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { ConfigError } from "../config";
import { configChecker, PolicyConfigError } from "../policy-pack/evaluate";
import { isRecord } from "../policy-pack/lib/values";
import { assumptionsLine, budgetFinding, costOfPlan, costWithBase } from "./cost";
import { DEFAULT_KUBERNETES_VERSION } from "../components/versions";
import { OfflineFactsError } from "./harness/awsFacts";
import { AliasConflictError, baseAsContinued } from "./plan/diff";
import { UnknownResourceTypeError } from "./forcenew/table";
import {
    DuplicateUrnError,
    listStacks,
    projectDirOf,
    readStack,
    readStackFile,
    RegistrationError,
    renderOtherProject,
    RenderedResources,
    RenderedStack,
    renderStack,
    ROOT,
    StackFileError,
    StackSource,
} from "./harness/render";
import { changeLines, isBlocking, PlanDocument, planDocument, planSummary, podCapacityLine, summaryLine, withDiff } from "./plan/document";
import { evaluatePlan, policyConfigFile } from "./plan/guardrails";
import { renderMarkdown } from "./plan/markdown";
import { schemaFindingsFor, validateKubernetesObjects } from "./schemas/validate";

const USAGE = `usage: npm run -s plan -- [--stack <env>]... [--config <Pulumi.x.yaml>]... [--json <file>] [--markdown <file>|-] [--base <plan.json>] [--allow-replace <urn>]... [--policy-config <file>]
  Renders stacks offline (Pulumi mocks, no credentials) and evaluates the policy pack.
  Without --stack or --config, renders every stack in stacks/; both repeat and combine.
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
  whose stack file or configuration is refused; the other stacks are still planned), 3 a defect of
  the repository: a bug in the program or the plan, or a force-new table older than the program.`;

export class UsageError extends Error {}

/** Input the plan refuses with a message (exit 2); anything else is a defect of the repository (exit 3). */
function isBadInput(error: unknown): error is Error {
    return (
        [ConfigError, StackFileError, OfflineFactsError, DuplicateUrnError, AliasConflictError, UsageError, PolicyConfigError].some(
            (kind) => error instanceof kind,
        ) ||
        // A setting refused while a resource registers (e.g. inside an apply) is a refused stack too.
        (error instanceof RegistrationError && error.refused.every((registration) => isBadInput(registration.cause)))
    );
}

/** A stack to plan: its name, and how to read it (reading can fail; the other stacks go on). */
interface PlannedSource {
    stack: string;
    origin: string;
    read: () => StackSource;
}

interface PlanOptions {
    sources: PlannedSource[];
    json?: string;
    markdown?: string;
    base?: string;
    allowReplace: Set<string>;
    policyConfig?: string;
    help: boolean;
}

function stackFileSource(file: string): PlannedSource {
    const stack = /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(file))?.[1] ?? path.basename(file).replace(/\.ya?ml$/, "");
    return { stack, origin: file, read: () => readStackFile(file) };
}

function parseOptions(argv: string[]): PlanOptions {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            options: {
                stack: { type: "string", multiple: true },
                config: { type: "string", multiple: true },
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
    const stacks = values.stack ?? [];
    const configs = values.config ?? [];
    const named = stacks.length + configs.length > 0 ? stacks : listStacks();
    const sources = [
        ...named.map((stack): PlannedSource => ({ stack, origin: `stacks/Pulumi.${stack}.yaml`, read: () => readStack(stack) })),
        ...configs.map(stackFileSource),
    ];
    const repeated = sources.map((s) => s.stack).filter((stack, i, all) => all.indexOf(stack) !== i);
    if (repeated.length > 0) {
        throw new UsageError(`stack ${[...new Set(repeated)].join(", ")} is given more than once: the plan documents and --base pair stacks by name`);
    }
    const allowReplace = new Set(values["allow-replace"] ?? []);
    if (allowReplace.size > 0 && !values.base) {
        throw new UsageError("--allow-replace waives a finding of the diff: give --base <plan.json> too");
    }
    const policyConfig = values["policy-config"];
    if (policyConfig) {
        readPolicyConfig(policyConfig);
    }
    return { sources, json: values.json, markdown: values.markdown, base: values.base, allowReplace, policyConfig, help: values.help ?? false };
}

/** A --policy-config file must be a JSON object, as `pulumi preview --policy-pack-config` requires. */
function readPolicyConfig(file: string): void {
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
        throw new UsageError(`--policy-config ${file}: no such file`);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new UsageError(`--policy-config ${file}: not JSON (${(error as Error).message})`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new UsageError(`--policy-config ${file}: must be a JSON object of policy names to settings`);
    }
    // Refused before any stack renders, with every problem named (PolicyConfigError, exit 2).
    configChecker.check(parsed, `--policy-config ${file}`);
}

export interface PlanRun {
    documents: PlanDocument[];
}

/**
 * Renders a stack file with the project it belongs to: this platform's, or another project's (e.g.
 * examples/insecure) by its own program, which then has no platform config.
 */
async function renderSource(source: StackSource): Promise<RenderedStack | RenderedResources> {
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
        // A resource that continues a base one through an alias is the same resource: its cost changes, it is not removed and added.
        document.cost = costWithBase(document.cost, baseAsContinued(base.resources, document.resources));
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

/** A resource of a plan document as the diff reads it. */
function isPlannedResource(value: unknown): boolean {
    return (
        isRecord(value) &&
        typeof value.urn === "string" &&
        typeof value.type === "string" &&
        typeof value.name === "string" &&
        isRecord(value.props) &&
        isRecord(value.options) &&
        Array.isArray(value.dependsOn)
    );
}

function readBase(file: string): PlanDocument[] {
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
        throw new UsageError(`--base ${file}: no such file`);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new UsageError(`--base ${file}: not JSON (${(error as Error).message})`);
    }
    const documents: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
    const isPlan = (d: unknown) => isRecord(d) && typeof d.stack === "string" && Array.isArray(d.resources) && d.resources.every(isPlannedResource);
    if (!documents.every(isPlan)) {
        throw new UsageError(
            `--base ${file}: not a plan document written by --json (each needs stack and resources with urn, type, name, props, options, dependsOn)`,
        );
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
    podCapacityLine(document).forEach((line) => out(line));
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

/** Where the command writes: the terminal report and errors to `stderr` (stdout with a file or no markdown), the markdown with `-` to stdout. */
export interface PlanIo {
    stdout: Pick<NodeJS.WriteStream, "write">;
    stderr: Pick<NodeJS.WriteStream, "write" | "isTTY">;
}

async function plan(options: PlanOptions, io: PlanIo): Promise<number> {
    const bases = options.base ? readBase(options.base) : [];
    const baseOf = new Map(bases.map((b) => [b.stack, b]));
    const line = (stream: Pick<NodeJS.WriteStream, "write">) => (text: string) => stream.write(`${text}\n`);
    // Progress goes to stderr and only on a terminal, so piped output and CI logs stay clean.
    const progress = io.stderr.isTTY ? (text: string) => io.stderr.write(text) : () => undefined;
    // With --markdown -, stdout carries the markdown alone; the terminal report goes to stderr.
    const report = line(options.markdown === "-" ? io.stderr : io.stdout);
    const documents: PlanDocument[] = [];
    const failures: FailedStack[] = [];
    for (const [index, planned] of options.sources.entries()) {
        progress(`rendering ${planned.stack} (${index + 1}/${options.sources.length})...`);
        try {
            const source = planned.read();
            const { documents: rendered } = await runPlan([source], undefined, undefined, options.policyConfig);
            const document = options.base ? withDiff(rendered[0], baseOf.get(rendered[0].stack), options.allowReplace) : rendered[0];
            addCostDelta(document, baseOf);
            documents.push(document);
            progress("\r\x1b[K");
            printDocument(document, report);
        } catch (error) {
            if (!isBadInput(error)) {
                throw error;
            }
            progress("\r\x1b[K");
            failures.push({ stack: planned.stack, origin: planned.origin, message: error.message });
            line(io.stderr)(`${planned.stack}: not planned\n${error.message}`);
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
            io.stdout.write(markdown);
        } else {
            fs.writeFileSync(options.markdown, markdown);
        }
    }
    if (unused.length > 0) {
        line(io.stderr)(`--allow-replace names no replaced or deleted protected/stateful resource of this plan: ${unused.join(", ")}`);
        return 2;
    }
    return failures.length > 0 ? 2 : documents.some(isBlocking) ? 1 : 0;
}

/**
 * A force-new table older than the program: it has no entry for a type the program registers. A
 * defect of the commit, not of its input (no stack file can fix it; regenerating the table does).
 */
function staleTable(error: unknown): boolean {
    return (
        error instanceof UnknownResourceTypeError ||
        (error instanceof RegistrationError && error.refused.some(({ cause }) => cause instanceof UnknownResourceTypeError))
    );
}

/**
 * What the plan prints and its exit status for an error no stack could handle: 2 for bad input (a
 * message, never a stack trace); 3 for a defect of the repository: a force-new table older than
 * the program (a message saying how to regenerate it), or a bug in the program or the plan (with
 * the stack of its first cause).
 */
export function failureReport(error: unknown): { status: 2 | 3; message: string } {
    if (isBadInput(error)) {
        return { status: 2, message: error instanceof UsageError ? `${error.message}\n${USAGE}` : error.message };
    }
    if (staleTable(error)) {
        return {
            status: 3,
            message: `internal error: the force-new table is older than the program (a defect of this commit, not of your input):\n${(error as Error).message}`,
        };
    }
    const cause = error instanceof RegistrationError ? error.refused[0].cause : error;
    // Renders run without stack traces (tools/harness/render.ts, and see the end of this file); say how to get one.
    const untraced = process.env.PLAN_STACK_TRACES ? "" : "\n(run again with PLAN_STACK_TRACES=1 for its stack trace)";
    const trace = cause instanceof Error ? `${cause.stack ?? cause.message}${untraced}` : String(cause);
    return {
        status: 3,
        message: `internal error (a bug in the program or the plan, not in your input; please report it):\n${error instanceof RegistrationError ? `${error.message}\n` : ""}${trace}`,
    };
}

/** The plan command: parses the arguments, plans, and returns the exit status (see failureReport). */
export async function planCommand(argv: string[], io: PlanIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
    try {
        const options = parseOptions(argv);
        if (options.help) {
            io.stdout.write(`${USAGE}\n`);
            return 0;
        }
        return await plan(options, io);
    } catch (error) {
        const { status, message } = failureReport(error);
        io.stderr.write(`${message}\n`);
        return status;
    }
}

if (require.main === module) {
    // Pulumi's runtime formats a stack trace into every promise it makes (debuggablePromise, for
    // its leak report) and every resource's callsites into its registration: together most of a
    // stack's render time, and the plan reads none of them. V8's limit is the switch: at 0 those
    // captures are empty (Resource.callsites raises the limit for its own capture, which the plan
    // does not record either). Source maps stay off for the same reason. PLAN_STACK_TRACES=1 keeps
    // both for debugging a crash (exit 3); `node --import tsx tools/plan.ts` gives TypeScript positions.
    if (!process.env.PLAN_STACK_TRACES) {
        Error.stackTraceLimit = 0;
        process.setSourceMapsEnabled(false);
    }
    void planCommand(process.argv.slice(2)).then((code) => process.exit(code));
}
