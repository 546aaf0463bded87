// The hardening rules of .github/workflows, as functions over a workflow's text and parsed form,
// so the tests apply each rule to the real workflows and to a broken sample that it must catch.
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { ROOT } from "../tools/harness/render";

const WORKFLOWS_DIR = path.join(ROOT, ".github", "workflows");

type Permissions = Record<string, string> | string;

export interface Step {
    name?: string;
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
}

export interface Job {
    name?: string;
    "runs-on"?: string;
    permissions?: Permissions;
    needs?: string | string[];
    if?: string;
    environment?: string;
    concurrency?: { group: string; "cancel-in-progress"?: boolean };
    strategy?: { matrix?: Record<string, unknown> };
    steps?: Step[];
    uses?: string;
    with?: Record<string, unknown>;
    secrets?: Record<string, string> | string;
}

export interface Workflow {
    name: string;
    on: Record<string, unknown>;
    permissions?: Permissions;
    concurrency?: { group: string; "cancel-in-progress"?: boolean };
    jobs: Record<string, Job>;
}

export interface WorkflowFile {
    file: string;
    source: string;
    workflow: Workflow;
}

export function parseWorkflow(file: string, source: string): WorkflowFile {
    return { file, source, workflow: parseYaml(source) as Workflow };
}

export function readWorkflows(): WorkflowFile[] {
    return fs
        .readdirSync(WORKFLOWS_DIR)
        .filter((file) => file.endsWith(".yml"))
        .sort()
        .map((file) => parseWorkflow(file, fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8")));
}

export function jobEntries(workflow: Workflow): [string, Job][] {
    return Object.entries(workflow.jobs ?? {});
}

export function steps(workflow: Workflow): Step[] {
    return jobEntries(workflow).flatMap(([, job]) => job.steps ?? []);
}

/** A reference to another repository's action: not `./local` and not `docker://`. */
function isRemoteAction(reference: string): boolean {
    return !reference.startsWith("./") && !reference.startsWith("docker://");
}

/**
 * Every `uses:` of an action from another repository pinned to a full commit SHA, with the tag it
 * stands for in a comment (`uses: owner/repo@<40 hex> # v1.2.3`), so the pin can be reviewed and bumped.
 */
export function unpinnedActions(source: string): string[] {
    return source.split("\n").flatMap((line, index) => {
        const match = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
        if (!match || !isRemoteAction(match[1])) {
            return [];
        }
        const [, reference, rest] = match;
        const pinned = /^[^@\s]+@[0-9a-f]{40}$/.test(reference) && /^\s+#\s*v\d+(\.\d+){0,2}\s*$/.test(rest);
        return pinned ? [] : [`line ${index + 1}: ${reference}${rest}`];
    });
}

/** The remote actions a workflow uses, without their ref (`owner/repo`). */
export function actionsUsed(workflow: Workflow): string[] {
    return steps(workflow)
        .flatMap((step) => (step.uses && isRemoteAction(step.uses) ? [step.uses.slice(0, step.uses.indexOf("@"))] : []))
        .filter((action, index, all) => all.indexOf(action) === index);
}

/** The workflow grants nothing by default, and every job says what its token may do. */
export function permissionProblems(workflow: Workflow): string[] {
    const problems: string[] = [];
    if (typeof workflow.permissions !== "object" || workflow.permissions === null || Object.keys(workflow.permissions).length > 0) {
        problems.push(`workflow-level permissions must be {} (found ${JSON.stringify(workflow.permissions)})`);
    }
    for (const [name, job] of jobEntries(workflow)) {
        if (job.permissions === undefined) {
            problems.push(`job ${name} declares no permissions`);
        } else if (typeof job.permissions === "string") {
            problems.push(`job ${name} grants "${job.permissions}" instead of listing its scopes`);
        }
    }
    return problems;
}

function grants(job: Job, scope: string, level: string): boolean {
    return typeof job.permissions === "object" && job.permissions[scope] === level;
}

/** Whether a job obtains AWS credentials through GitHub's OIDC token. */
function assumesRoleDirectly(job: Job): boolean {
    return (job.steps ?? []).some((step) => step.uses?.startsWith("aws-actions/configure-aws-credentials@") && step.with?.["role-to-assume"] !== undefined);
}

/**
 * `id-token: write` exactly where a role is assumed: in a job with a configure-aws-credentials step,
 * or in a job calling a reusable workflow that has one. `workflows` resolves local reusable workflows.
 */
export function idTokenProblems(workflow: Workflow, workflows: Record<string, Workflow>): string[] {
    const assumes = (job: Job): boolean => {
        if (job.uses?.startsWith("./.github/workflows/")) {
            const called = workflows[path.basename(job.uses)];
            return called !== undefined && jobEntries(called).some(([, calledJob]) => assumes(calledJob));
        }
        return assumesRoleDirectly(job);
    };
    return jobEntries(workflow).flatMap(([name, job]) => {
        const writesToken = grants(job, "id-token", "write");
        if (writesToken && !assumes(job)) {
            return [`job ${name} may request an OIDC token but assumes no role`];
        }
        if (!writesToken && assumes(job)) {
            return [`job ${name} assumes a role without id-token: write`];
        }
        return [];
    });
}

/** Triggers that run with the base repository's secrets on a fork's code. */
export function untrustedTriggers(workflow: Workflow): string[] {
    return Object.keys(workflow.on ?? {}).filter((trigger) => trigger === "pull_request_target" || trigger === "workflow_run");
}

/**
 * No `${{ }}` inside a `run:` script: an expression there is pasted into the shell before it runs,
 * so a stack file or branch name could inject commands. Scripts read values from `env:` instead.
 */
export function expressionsInScripts(workflow: Workflow): string[] {
    return jobEntries(workflow).flatMap(([name, job]) =>
        (job.steps ?? []).flatMap((step, index) =>
            step.run?.includes("${{") ? [`job ${name} step ${step.name ?? index + 1}: ${step.run.split("\n")[0]}`] : [],
        ),
    );
}

/** Checkouts that leave the job's token in .git/config for every later step. */
export function persistedCredentials(workflow: Workflow): string[] {
    return jobEntries(workflow).flatMap(([name, job]) =>
        (job.steps ?? []).flatMap((step) =>
            step.uses?.startsWith("actions/checkout@") && step.with?.["persist-credentials"] !== false ? [`job ${name}`] : [],
        ),
    );
}

/** A job holding a role restores no dependency cache another run could have written. */
export function cachesInPrivilegedJobs(workflow: Workflow): string[] {
    return jobEntries(workflow)
        .filter(([, job]) => grants(job, "id-token", "write"))
        .flatMap(([name, job]) =>
            (job.steps ?? [])
                .filter(
                    (step) =>
                        step.uses?.startsWith("actions/setup-node@") && (step.with?.cache !== undefined || step.with?.["package-manager-cache"] !== false),
                )
                .map(() => `job ${name}`),
        );
}

/** Node.js comes from the repository's .node-version file, never a version written into a workflow. */
export function nodeVersionProblems(workflow: Workflow): string[] {
    return steps(workflow)
        .filter((step) => step.uses?.startsWith("actions/setup-node@"))
        .flatMap((step) => {
            const file = step.with?.["node-version-file"];
            const fromFile = typeof file === "string" && /(^|\/)\.node-version$/.test(file);
            return step.with?.["node-version"] !== undefined || !fromFile ? [`setup-node with ${JSON.stringify(step.with)}`] : [];
        });
}
