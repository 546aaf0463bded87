import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { exampleStackFiles, renderAnyStackFile, renderNamedStack, whenRendered } from "../../../test/support";
import {
    listStacks,
    projectDirOf,
    readStack,
    readStackFile,
    ROOT,
    STACKS_DIR,
    type RenderedResources,
    type RenderedStack,
    type StackSource,
} from "../../../tools/harness/render";
import { policyConfigFileFor } from "../../../tools/plan";
import type { StackIdentity } from "./analyzer";

// What the protocol suite runs through the pack: every stack file in stacks/ and examples/, found
// by listing the directories, each with the identity the engine would give it in ConfigureStack.

/** The DIY backend's organization; the plan has no Pulumi Cloud organization to name. */
const ORGANIZATION = "organization";
/** apitype.PulumiTagsConfigKey: stack config whose object of strings becomes stack tags. */
const TAGS_CONFIG_KEY = "pulumi:tags";

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
    return { stack: source.stack, project: project.name, organization: ORGANIZATION, config: engineConfig(source.config), secretKeys: [], tags, dryRun: true };
}

/** Every shipped stack and example, from the directories. */
export function protocolSources(): ProtocolSource[] {
    const stacks = listStacks().map(readStack);
    const examples = exampleStackFiles().map(readStackFile);
    return [...stacks, ...examples].map((source) => ({ title: path.relative(ROOT, source.file!), source, identity: identityOf(source) }));
}

/** The rendering the plan judges, from the test run's shared render caches. */
export function renderProtocolSource({ source }: ProtocolSource): Promise<RenderedStack | RenderedResources> {
    return path.dirname(source.file!) === STACKS_DIR ? renderNamedStack(source.stack) : renderAnyStackFile(source.file!);
}

/** The rendering once another test has made it (stacks share one render cache); undefined for examples. */
export function renderedElsewhere({ source }: ProtocolSource): Promise<RenderedStack | RenderedResources> | undefined {
    return path.dirname(source.file!) === STACKS_DIR ? whenRendered(source.stack) : undefined;
}

export { policyConfigFileFor };
