/**
 * The matrices of the CI workflows, derived from committed files so no workflow keeps a list of
 * stacks: every platform stack in stacks/, its environment tier and its runner (the CodeBuild
 * project of its GitHub environment in bootstrap/stacks/), and every bootstrap stack for the
 * offline plan. The setup job of each workflow runs
 *
 *   npm run -s delivery:matrix -- --github-output "$GITHUB_OUTPUT"
 *
 * with REPOSITORY_VARIABLES set to `toJSON(vars)`, so pull requests preview exactly the stacks
 * whose preview variable the bootstrap project has set. Without --github-output it prints the
 * outputs as JSON. Exit status: 0, or 2 with a message naming the file and the setting.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { parse as parseYaml } from "yaml";
import { clusterSettingsSchema } from "../../components/cluster/settings";
import { ENVIRONMENTS } from "../../components/capability";
import { runnerProjects } from "../../bootstrap/config";
import { ENVIRONMENT_NAME, previewVariableName, type PreviewTarget } from "../../bootstrap/delivery";
import { bootstrapSettingsSchema, BOOTSTRAP_NAMESPACE } from "../../bootstrap/settings";
import { ROOT, STACKS_DIR } from "../harness/render";

/**
 * Environment tiers (eks-platform:environment) in the order the platform's schema lists them, which
 * is the deployment order: every stack of a tier deploys before the next tier starts.
 */
export const TIERS = ENVIRONMENTS;
export type Tier = (typeof TIERS)[number];

export const BOOTSTRAP_STACKS_DIR = path.join(ROOT, "bootstrap", "stacks");

/** One platform stack as the deploy and preview jobs see it. */
export interface StackTarget {
    stack: string;
    tier: Tier;
    /** CodeBuild project of its runners, or "" for a GitHub-hosted runner. */
    runner: string;
}

export interface PreviewStackTarget extends StackTarget {
    preview: PreviewTarget;
}

export interface PlanTarget {
    /** Shown in job names and the PR comment. */
    name: string;
    /** Stack file, relative to the repository root. */
    config: string;
}

export interface Matrices {
    plans: PlanTarget[];
    /** Deploy targets per tier. */
    waves: Record<Tier, StackTarget[]>;
    previews: PreviewStackTarget[];
    /** The Pulumi CLI version, equal to the installed @pulumi/pulumi SDK's. */
    pulumiVersion: string;
}

export class MatrixError extends Error {}

/** Where the stack files are; the defaults are this repository's. */
export interface MatrixSources {
    stacksDir: string;
    bootstrapStacksDir: string;
}

const REPOSITORY_SOURCES: MatrixSources = { stacksDir: STACKS_DIR, bootstrapStacksDir: BOOTSTRAP_STACKS_DIR };

function readConfig(file: string): Record<string, unknown> {
    const document = parseYaml(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    if (!document || typeof document.config !== "object" || document.config === null) {
        throw new MatrixError(`${path.relative(ROOT, file)} has no "config:" map`);
    }
    return document.config;
}

function stackFilesIn(directory: string): string[] {
    return fs.existsSync(directory)
        ? fs
              .readdirSync(directory)
              .filter((file) => /^Pulumi\.(.+)\.yaml$/.test(file))
              .sort()
              .map((file) => path.join(directory, file))
        : [];
}

/** Which bootstrap stack holds each environment, and the CodeBuild project of its runner. */
function bootstrapEnvironments(directory: string): Map<string, { file: string; runner: string }> {
    const environments = new Map<string, { file: string; runner: string }>();
    for (const file of stackFilesIn(directory)) {
        const config = readConfig(file);
        const raw = Object.fromEntries(
            Object.entries(config)
                .filter(([key]) => key.startsWith(`${BOOTSTRAP_NAMESPACE}:`))
                .map(([key, value]) => [key.slice(BOOTSTRAP_NAMESPACE.length + 1), value]),
        );
        const parsed = bootstrapSettingsSchema.safeParse(raw);
        if (!parsed.success) {
            throw new MatrixError(
                `${path.relative(ROOT, file)} is not a valid bootstrap stack: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
            );
        }
        const runners = runnerProjects(parsed.data);
        for (const environment of parsed.data.environments) {
            const owner = environments.get(environment.name);
            if (owner) {
                throw new MatrixError(
                    `environment ${environment.name} is in both ${path.relative(ROOT, owner.file)} and ${path.relative(ROOT, file)}; one bootstrap stack owns it`,
                );
            }
            environments.set(environment.name, { file, runner: runners[environment.name] ?? "" });
        }
    }
    return environments;
}

function stackNameOf(file: string): string {
    return /^Pulumi\.(.+)\.yaml$/.exec(path.basename(file))![1];
}

function stackTarget(file: string, environments: Map<string, { file: string; runner: string }>): StackTarget {
    const stack = stackNameOf(file);
    const where = path.relative(ROOT, file);
    if (!ENVIRONMENT_NAME.test(stack)) {
        throw new MatrixError(
            `${where}: stack name "${stack}" must be lower-case letters and digits in hyphen-separated words (it names a GitHub environment and IAM roles)`,
        );
    }
    const config = readConfig(file);
    const tier = config["eks-platform:environment"];
    if (!(TIERS as readonly unknown[]).includes(tier)) {
        throw new MatrixError(`${where}: eks-platform:environment is ${JSON.stringify(tier)}; it must be one of ${TIERS.join(", ")}`);
    }
    const environment = environments.get(stack);
    if (!environment) {
        throw new MatrixError(
            `${where}: no bootstrap stack in bootstrap/stacks/ lists environment ${stack}, so it has no deploy role or GitHub environment; add it there`,
        );
    }
    // A cluster section the schema refuses is judged private: the safe side is the runner that can reach it.
    const cluster = clusterSettingsSchema.safeParse(config["eks-platform:cluster"] ?? {});
    const isPrivate = !cluster.success || cluster.data.endpointAccess === "private";
    if (isPrivate && !environment.runner) {
        throw new MatrixError(
            `${where}: the API endpoint is private, but environment ${stack} in ${path.relative(ROOT, environment.file)} has no runner; GitHub-hosted runners cannot reach it`,
        );
    }
    return { stack, tier: tier as Tier, runner: environment.runner };
}

function previewTargetOf(variables: Record<string, unknown>, stack: string): PreviewTarget | undefined {
    const value = variables[previewVariableName(stack)];
    if (typeof value !== "string" || value === "") {
        return undefined;
    }
    let target: Record<string, unknown> | undefined;
    try {
        target = JSON.parse(value) as Record<string, unknown>;
    } catch {
        target = undefined;
    }
    const fields: (keyof PreviewTarget)[] = ["roleArn", "region", "accountId", "backendUrl", "stack"];
    const missing = fields.filter((field) => typeof target?.[field] !== "string" || target[field] === "");
    if (!target || missing.length > 0) {
        throw new MatrixError(
            `repository variable ${previewVariableName(stack)} is not the JSON the bootstrap project sets (${target ? `missing ${missing.join(", ")}` : "not JSON"}); re-apply the bootstrap stack`,
        );
    }
    return target as unknown as PreviewTarget;
}

export function deriveMatrices(repositoryVariables: Record<string, unknown> = {}, sources: MatrixSources = REPOSITORY_SOURCES): Matrices {
    const environments = bootstrapEnvironments(sources.bootstrapStacksDir);
    const stackFiles = stackFilesIn(sources.stacksDir);
    const targets = stackFiles.map((file) => stackTarget(file, environments));
    const waves = Object.fromEntries(TIERS.map((tier) => [tier, targets.filter((target) => target.tier === tier)])) as Record<Tier, StackTarget[]>;
    const previews = targets.flatMap((target) => {
        const preview = previewTargetOf(repositoryVariables, target.stack);
        return preview ? [{ ...target, preview }] : [];
    });
    const plans: PlanTarget[] = [
        ...stackFiles.map((file) => ({ name: stackNameOf(file), config: path.relative(ROOT, file) })),
        ...stackFilesIn(sources.bootstrapStacksDir).map((file) => ({ name: `bootstrap-${stackNameOf(file)}`, config: path.relative(ROOT, file) })),
    ];
    const sdk = JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as { version: string };
    return { plans, waves, previews, pulumiVersion: sdk.version };
}

/** The step outputs, one `key=value` line each (values are single-line JSON). */
export function githubOutputLines(matrices: Matrices): string[] {
    return [
        `plans=${JSON.stringify(matrices.plans)}`,
        ...TIERS.map((tier) => `${tier}=${JSON.stringify(matrices.waves[tier])}`),
        `previews=${JSON.stringify(matrices.previews)}`,
        `pulumi-version=${matrices.pulumiVersion}`,
    ];
}

if (require.main === module) {
    try {
        const { values } = parseArgs({ options: { "github-output": { type: "string" } }, strict: true });
        const variables = process.env.REPOSITORY_VARIABLES ? (JSON.parse(process.env.REPOSITORY_VARIABLES) as Record<string, unknown>) : {};
        const matrices = deriveMatrices(variables);
        if (values["github-output"]) {
            fs.appendFileSync(values["github-output"], githubOutputLines(matrices).join("\n") + "\n");
        }
        console.log(JSON.stringify(matrices, null, 2));
    } catch (error) {
        // Bad input (a stack file, a variable, an argument) exits 2 with its message; anything else is a bug.
        if (error instanceof MatrixError || String((error as { code?: unknown }).code).startsWith("ERR_PARSE_ARGS")) {
            console.error((error as Error).message);
            process.exit(2);
        }
        throw error;
    }
}
