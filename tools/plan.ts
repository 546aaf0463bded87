import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { ConfigError } from "../config";
import { PolicyConfigError } from "../policy-pack/evaluate";
import { DEFAULT_KUBERNETES_VERSION } from "../components/cluster/versions";
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
import { isBlocking, PlanDocument, planDocument, planSummary, summaryLine } from "./plan/document";
import { evaluatePlan, policyConfigFile } from "./plan/guardrails";
import { renderMarkdown } from "./plan/markdown";
import { schemaFindingsFor, validateKubernetesObjects } from "./schemas/validate";

const USAGE = `usage: npm run -s plan -- [--stack <env> | --config <Pulumi.x.yaml>] [--json <file>] [--markdown <file>] [--base <plan.json>] [--policy-config <file>]
  Renders stacks offline (Pulumi mocks, no credentials) and evaluates the policy pack.
  Without --stack or --config, renders every stack in stacks/.
  --json writes the plan document (an array when several stacks are rendered).
  --markdown writes the PR comment; with --base, it diffs against an earlier --json output.
  --config renders a stack file with the project it belongs to (the nearest Pulumi.yaml above it).
  --policy-config overrides the policy-pack config (default: policy-pack/config/<environment>.json,
  and prod.json, the strictest, for another project's stack).
  Exit status: 0 clean, 1 mandatory guardrail violations or schema findings, 2 bad input, 3 internal error.`;

export class UsageError extends Error {}

interface PlanOptions {
    sources: () => StackSource[];
    json?: string;
    markdown?: string;
    base?: string;
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
    if (values.base && !values.markdown) {
        throw new UsageError("--base only changes the markdown: give --markdown <file> too");
    }
    const policyConfig = values["policy-config"];
    if (policyConfig && !fs.existsSync(policyConfig)) {
        throw new UsageError(`--policy-config ${policyConfig}: no such file`);
    }
    return { sources, json: values.json, markdown: values.markdown, base: values.base, policyConfig };
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
        return planDocument(rendered, violations, await validateKubernetesObjects(rendered.resources, DEFAULT_KUBERNETES_VERSION));
    }
    return planDocument(rendered, violations, await schemaFindingsFor(rendered), planSummary(rendered.program.config));
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
    const documents: unknown[] = Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
    const isPlanDocument = (d: unknown) =>
        typeof d === "object" && d !== null && typeof (d as PlanDocument).stack === "string" && Array.isArray((d as PlanDocument).resources);
    if (!documents.every(isPlanDocument)) {
        throw new UsageError(`--base ${file}: not a plan document written by --json`);
    }
    return documents as PlanDocument[];
}

async function main(argv: string[]): Promise<number> {
    const options = parseOptions(argv);
    const bases = options.base ? readBase(options.base) : [];
    const sources = options.sources();
    // Progress goes to stderr and only on a terminal, so piped output and CI logs stay clean.
    const progress = process.stderr.isTTY ? (text: string) => process.stderr.write(text) : () => undefined;
    const { documents } = await runPlan(
        sources,
        (document) => {
            progress("\r\x1b[K");
            console.log(summaryLine(document));
            for (const violation of document.violations) {
                console.log(`  [${violation.enforcementLevel}] ${violation.policy} (${violation.controls.join(", ")}): ${violation.message}`);
            }
            for (const finding of document.schemaFindings) {
                console.log(`  [schema] ${finding.apiVersion} ${finding.kind} ${finding.urn} ${finding.path}: ${finding.message}`);
            }
        },
        (source, index) => progress(`rendering ${source.stack} (${index + 1}/${sources.length})...`),
        options.policyConfig,
    );
    if (options.json) {
        fs.writeFileSync(options.json, JSON.stringify(documents.length === 1 ? documents[0] : documents, null, 2) + "\n");
    }
    if (options.markdown) {
        fs.writeFileSync(options.markdown, renderMarkdown(documents, bases));
    }
    return documents.some(isBlocking) ? 1 : 0;
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
            if (error instanceof ConfigError || error instanceof StackFileError || error instanceof UsageError || error instanceof PolicyConfigError) {
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
