import { execFile } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";

// The pack in the shape `pulumi policy publish` uploads and Pulumi Cloud installs. For a Node.js
// pack the CLI runs `npm pack --loglevel=error` in the pack's directory and uploads the tarball;
// whoever runs the published pack extracts it and runs `npm install` in the extracted `package/`
// directory, so only the files `npm pack` includes and only the dependencies the pack's own
// package.json declares exist there. This module builds exactly that directory, outside the
// repository (Node resolves modules up the directory tree, so inside it the root node_modules
// would still be found).
//
// Installing from the registry in every test run would be slow and need the network. Instead the
// dependencies are installed with `npm ci --offline` from a lockfile derived from the repository's
// own package-lock.json: the pack's declared dependencies and everything they need, at the versions
// the repository pins and `npm ci` has already put in npm's cache. The result is kept in the temp
// directory under a hash of the packed files and that lockfile, so it is rebuilt only when one of
// them changes.

export const PACK_DIR = path.resolve(__dirname, "..", "..");
const REPOSITORY = path.resolve(PACK_DIR, "..");
const CACHE_ROOT = path.join(os.tmpdir(), "eks-platform-policy-pack-published");
/** Prepared directories (about 100 MB each) kept for reuse: the most recent few, and none unused for a day. */
const CACHE_KEEP = 3;
const CACHE_TTL_MS = 24 * 3600 * 1000;
/** Younger directories may be in use by a run in another worktree. */
const CACHE_GRACE_MS = 15 * 60 * 1000;

const run = promisify(execFile);

export interface PublishedPack {
    /** The installed package directory: what the engine runs the pack from. */
    dir: string;
    /** Files `npm pack` put in the tarball, relative to the package root. */
    files: string[];
    /** Whether an earlier run had already prepared this exact package. */
    reused: boolean;
}

interface LockEntry {
    version?: string;
    resolved?: string;
    integrity?: string;
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    link?: boolean;
    [field: string]: unknown;
}

interface Lockfile {
    lockfileVersion: number;
    packages: Record<string, LockEntry>;
}

interface Manifest {
    name: string;
    version: string;
    license?: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
}

/** Runs `npm pack` as `pulumi policy publish` does, into `destination`; returns the tarball and its file list. */
async function packPolicyPack(destination: string): Promise<{ tarball: string; files: string[] }> {
    const { stdout } = await run("npm", ["pack", "--json", "--loglevel=error", "--pack-destination", destination], { cwd: PACK_DIR, encoding: "utf8" });
    const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    return { tarball: path.join(destination, packed.filename), files: packed.files.map((file) => file.path).sort() };
}

/**
 * Where Node finds `name` when `from` (a lockfile path such as "policy-pack" or
 * "node_modules/a/node_modules/b") requires it: the nearest node_modules up the tree.
 */
function resolveInLock(packages: Lockfile["packages"], from: string, name: string): string | undefined {
    let dir = from;
    for (;;) {
        const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
        if (packages[candidate] && !packages[candidate].link) {
            return candidate;
        }
        if (!dir) {
            return undefined;
        }
        const nested = dir.lastIndexOf("/node_modules/");
        dir = nested >= 0 ? dir.slice(0, nested) : "";
    }
}

/**
 * The lockfile `npm install` of the published package would produce if the registry served the
 * versions the repository pins: the pack's dependencies (and devDependencies, which Pulumi's
 * `npm install` installs too), everything they need (required peers included), laid out as the
 * repository's lock lays them out under the pack's workspace directory.
 */
export function publishedLockfile(manifest: Manifest, rootLock: Lockfile, workspace = path.relative(REPOSITORY, PACK_DIR)): Lockfile {
    const { packages } = rootLock;
    const included = new Map<string, LockEntry>();
    const missing: string[] = [];
    const queue: Array<[string, string]> = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).map((name) => [workspace, name]);
    while (queue.length > 0) {
        const [from, name] = queue.shift()!;
        const at = resolveInLock(packages, from, name);
        if (!at) {
            const optional = packages[from]?.optionalDependencies?.[name] !== undefined || packages[from]?.peerDependenciesMeta?.[name]?.optional;
            if (!optional) {
                missing.push(`${name} (required by ${from})`);
            }
            continue;
        }
        if (included.has(at)) {
            continue;
        }
        const entry = packages[at];
        included.set(at, entry);
        const peers = Object.keys(entry.peerDependencies ?? {}).filter((peer) => !entry.peerDependenciesMeta?.[peer]?.optional);
        for (const dependency of [...Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }), ...peers]) {
            queue.push([at, dependency]);
        }
    }
    if (missing.length > 0) {
        throw new Error(`package-lock.json does not install the pack's dependencies: ${missing.join(", ")}; run npm install`);
    }
    const lock: Lockfile = {
        lockfileVersion: rootLock.lockfileVersion,
        packages: {
            "": {
                name: manifest.name,
                version: manifest.version,
                license: manifest.license,
                dependencies: manifest.dependencies,
                devDependencies: manifest.devDependencies,
            },
        },
    };
    for (const [at, entry] of [...included].sort(([a], [b]) => a.localeCompare(b))) {
        // The root's dev/peer flags describe the repository's tree, not this one.
        const copy = { ...entry };
        ["dev", "devOptional", "peer"].forEach((flag) => delete copy[flag]);
        lock.packages[at.startsWith(`${workspace}/`) ? at.slice(workspace.length + 1) : at] = copy;
    }
    return { name: manifest.name, version: manifest.version, requires: true, ...lock } as Lockfile;
}

function hashDirectory(dir: string, files: string[], extra: string[]): string {
    const hash = createHash("sha256");
    for (const file of files) {
        hash.update(file)
            .update("\0")
            .update(fs.readFileSync(path.join(dir, file)))
            .update("\0");
    }
    extra.forEach((value) => hash.update(value).update("\0"));
    return hash.digest("hex").slice(0, 24);
}

async function npm(args: string[], cwd: string): Promise<void> {
    await run("npm", args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

function pruneOldPreparations(keep: string): void {
    const entries = (fs.existsSync(CACHE_ROOT) ? fs.readdirSync(CACHE_ROOT) : [])
        .map((entry) => path.join(CACHE_ROOT, entry))
        .filter((dir) => dir !== keep)
        .map((dir) => ({ dir, age: Date.now() - fs.statSync(dir).mtimeMs }))
        .sort((a, b) => a.age - b.age);
    entries.forEach(({ dir, age }, index) => {
        if (age > CACHE_TTL_MS || (index >= CACHE_KEEP - 1 && age > CACHE_GRACE_MS)) {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
}

/** The directories above `dir` that hold a node_modules, where Node would also look for modules. */
export function ancestorNodeModules(dir: string): string[] {
    const found: string[] = [];
    for (let current = path.dirname(dir); ; current = path.dirname(current)) {
        if (fs.existsSync(path.join(current, "node_modules"))) {
            found.push(path.join(current, "node_modules"));
        }
        if (path.dirname(current) === current) {
            return found;
        }
    }
}

/** Packs the pack, extracts it and installs its dependencies, reusing an identical earlier preparation. */
export async function preparePublishedPack(): Promise<PublishedPack> {
    fs.mkdirSync(CACHE_ROOT, { recursive: true });
    const work = fs.mkdtempSync(path.join(CACHE_ROOT, "prepare-"));
    try {
        const { tarball, files } = await packPolicyPack(work);
        await run("tar", ["-xzf", tarball, "-C", work]);
        const extracted = path.join(work, "package");
        const manifest = JSON.parse(fs.readFileSync(path.join(extracted, "package.json"), "utf8")) as Manifest;
        const rootLock = JSON.parse(fs.readFileSync(path.join(REPOSITORY, "package-lock.json"), "utf8")) as Lockfile;
        const lock = JSON.stringify(publishedLockfile(manifest, rootLock), null, 2);
        const key = hashDirectory(extracted, files, [lock, process.version]);
        const target = path.join(CACHE_ROOT, key);
        pruneOldPreparations(target);
        if (fs.existsSync(path.join(target, "complete"))) {
            fs.utimesSync(target, new Date(), new Date());
            return { dir: path.join(target, "package"), files, reused: true };
        }
        fs.writeFileSync(path.join(extracted, "package-lock.json"), lock);
        try {
            await npm(["ci", "--offline", "--no-audit", "--no-fund", "--loglevel=error"], extracted);
        } catch (offline) {
            // The cache lacks a tarball (e.g. `npm cache clean` since `npm ci`): fetch only what is missing.
            try {
                await npm(["ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], extracted);
            } catch (online) {
                throw new Error(
                    `cannot install the published policy pack's dependencies in ${extracted}:\n` +
                        `offline: ${(offline as { stderr?: string }).stderr ?? String(offline)}\nwith the registry: ${(online as { stderr?: string }).stderr ?? String(online)}`,
                    { cause: online },
                );
            }
        }
        fs.rmSync(tarball);
        fs.writeFileSync(path.join(work, "complete"), `${new Date().toISOString()}\n`);
        try {
            fs.renameSync(work, target);
        } catch (error) {
            // Another run prepared the same package meanwhile; use theirs.
            if (!fs.existsSync(path.join(target, "complete"))) {
                throw error;
            }
        }
        return { dir: path.join(target, "package"), files, reused: false };
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}
