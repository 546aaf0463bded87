// Renders of the bootstrap project's stack files, shared by the bootstrap tests (each file once per run).
import * as fs from "fs";
import * as path from "path";
import { projectDirOf, readStackFile, renderOtherProject, ROOT, type RenderedResources, type StackSource } from "../tools/harness/render";
import { renderStackFile, withOverrides } from "./support";

const BOOTSTRAP_DIR = path.join(ROOT, "bootstrap");
export const BOOTSTRAP_STACK = path.join(BOOTSTRAP_DIR, "stacks", "Pulumi.platform.yaml");

/** Every bootstrap stack file: the shipped stacks and the examples. */
export function bootstrapStackFiles(): string[] {
    return ["stacks", "examples"].flatMap((directory) =>
        fs
            .readdirSync(path.join(BOOTSTRAP_DIR, directory))
            .filter((file) => /^Pulumi\..+\.yaml$/.test(file))
            .map((file) => path.join(BOOTSTRAP_DIR, directory, file)),
    );
}

function renderBootstrap(source: StackSource): Promise<RenderedResources> {
    return renderOtherProject(source, projectDirOf(source.file ?? BOOTSTRAP_STACK));
}

/** A bootstrap stack file rendered once per test run (shared with every test that renders stack files). */
export function renderBootstrapFile(file: string = BOOTSTRAP_STACK): Promise<RenderedResources> {
    return renderStackFile(file);
}

/** The shipped bootstrap stack with config overrides (keys "eks-platform-bootstrap:network" etc.). */
export function renderBootstrapWith(overrides: Record<string, unknown>): Promise<RenderedResources> {
    return renderBootstrap(withOverrides(readStackFile(BOOTSTRAP_STACK), overrides));
}
