import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { projectStackFiles, renderStackFile, whenRendered } from "../../../test/support";
import { projectDirOf, readStackFile, ROOT, type RenderedResources, type StackSource } from "../../../tools/harness/render";
import { policyConfigFileFor } from "../../../tools/plan";
import { ENVIRONMENT_TAG, isEnvironment } from "../../lib/environments";
import type { StackIdentity } from "./analyzer";

// What the protocol suite runs through the pack: every stack file of every project in the
// repository (the platform's stacks and examples, the bootstrap project's, examples/insecure),
// found by walking the directories, each with the identity the engine would give it in
// ConfigureStack under the org-wide setup the docs publish.

/** The DIY backend's organization; the plan has no Pulumi Cloud organization to name. */
const ORGANIZATION = "organization";
/** apitype.PulumiTagsConfigKey: stack config whose object of strings becomes stack tags. */
const TAGS_CONFIG_KEY = "pulumi:tags";
/** The platform's project, whose stack config names the stack's environment. */
const PLATFORM_PROJECT = "eks-platform";
const ENVIRONMENT_CONFIG_KEY = "eks-platform:environment";

export interface ProtocolSource {
    /** The stack file, relative to the repository. */
    title: string;
    source: StackSource;
    identity: StackIdentity;
}

interface ProjectFile {
    name: string;
    description?: string;
    runtime: string | { name: string };
}

/** Stack config as the engine decrypts it for ConfigureStack and PULUMI_CONFIG: strings, structured values as JSON. */
function engineConfig(config: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
}

/**
 * ConfigureStack as the engine fills it for a preview: the stack's config (decrypted, structured
 * values JSON-encoded) and its tags, which for a stack the CLI derives from Pulumi.yaml (project,
 * runtime, description) and the `pulumi:tags` config. Git metadata tags (vcs:*) depend on the clone and are left out.
 * A stack of the platform not named after its environment (an example) carries the stack tag
 * eks-platform:environment with the environment its config names, as docs/guardrails.md has the
 * deployer set it (`pulumi stack tag set`); every other stack carries none.
 */
function identityOf(source: StackSource): StackIdentity {
    const project = parseYaml(fs.readFileSync(path.join(source.file ? projectDirOf(source.file) : ROOT, "Pulumi.yaml"), "utf8")) as ProjectFile;
    const secure = Object.entries(source.config).filter(([, value]) => typeof value === "object" && value !== null && "secure" in value);
    if (secure.length > 0) {
        throw new Error(`${source.origin}: ${secure.map(([key]) => key).join(", ")} are encrypted; the protocol suite cannot decrypt them as the engine would`);
    }
    const tags: Record<string, string> = {
        "pulumi:project": project.name,
        "pulumi:runtime": typeof project.runtime === "string" ? project.runtime : project.runtime.name,
    };
    if (project.description) {
        tags["pulumi:description"] = project.description;
    }
    const configured = source.config[TAGS_CONFIG_KEY];
    if (configured !== undefined) {
        if (typeof configured !== "object" || configured === null || Object.values(configured).some((value) => typeof value !== "string")) {
            throw new Error(`${source.origin}: ${TAGS_CONFIG_KEY} must be an object of strings`);
        }
        Object.assign(tags, configured);
    }
    const environment = source.config[ENVIRONMENT_CONFIG_KEY];
    if (project.name === PLATFORM_PROJECT && !isEnvironment(source.stack) && typeof environment === "string" && tags[ENVIRONMENT_TAG] === undefined) {
        tags[ENVIRONMENT_TAG] = environment;
    }
    return { stack: source.stack, project: project.name, organization: ORGANIZATION, config: engineConfig(source.config), secretKeys: [], tags, dryRun: true };
}

/** Every stack file of every project, from the directories. */
export function protocolSources(): ProtocolSource[] {
    return projectStackFiles()
        .map(readStackFile)
        .map((source) => ({ title: path.relative(ROOT, source.file!), source, identity: identityOf(source) }));
}

/** The rendering the plan judges, from the test run's shared render cache. */
export function renderProtocolSource({ source }: ProtocolSource): Promise<RenderedResources> {
    return renderStackFile(source.file!);
}

/** The rendering once another test has made it (every test renders stack files through one cache). */
export function renderedElsewhere({ source }: ProtocolSource): Promise<RenderedResources> {
    return whenRendered(source.file!);
}

export { policyConfigFileFor };
