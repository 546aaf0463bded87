import { PolicyPackProcess, stopAllPackProcesses, type StackIdentity } from "./analyzer";
import { preparePublishedPack, type PublishedPack } from "./published";

// The published pack and the pack processes the suite previews through. A preview takes a process
// to itself and begins as the engine begins one, with ConfigureStack for its stack and Configure
// for its policy config; those two calls replace everything the pack keeps between calls, so a
// process can serve one preview after another as a fresh one would. Two processes let the stacks'
// previews run side by side on a two-core machine; each further process would cost its start-up
// (node, ts-node and the pack's modules, about a second of CPU) and nothing else.
//
// Preparation starts when mocha loads the suite, so that packing, installing and start-up run
// beside the rest of the test run instead of adding to it. The first process starts alone: on a
// fresh machine it type-checks the pack with ts-node and fills ts-node's compile cache, which the
// second then reuses.

const POOL_SIZE = 2;

/**
 * The identity a pool process starts with, before any preview's ConfigureStack: no stack. The
 * language host would pass the first preview's stack in PULUMI_NODEJS_*; the pack reads no
 * environment (policy-pack/test/protocol/packaging.test.ts checks), so nothing depends on it.
 */
const STARTING_IDENTITY: StackIdentity = { stack: "", project: "", organization: "", config: {}, secretKeys: [], tags: {}, dryRun: true };

/** The stack the fixtures and the config checks are previewed as. */
export const FIXTURES_IDENTITY: StackIdentity = {
    stack: "fixtures",
    project: "policy-fixtures",
    organization: "organization",
    config: {},
    secretKeys: [],
    tags: { "pulumi:project": "policy-fixtures", "pulumi:runtime": "nodejs" },
    dryRun: true,
};

let published: Promise<PublishedPack> | undefined;
let pool: Array<Promise<PolicyPackProcess>> | undefined;
const idle: PolicyPackProcess[] = [];
const waiting: Array<(pack: PolicyPackProcess) => void> = [];

/** Mocha fails a run on an unhandled rejection; a failure is reported by the test that awaits it. */
function quiet<T>(promise: Promise<T>): Promise<T> {
    promise.catch(() => undefined);
    return promise;
}

export function publishedPack(): Promise<PublishedPack> {
    published ??= quiet(preparePublishedPack());
    return published;
}

function startPool(): Array<Promise<PolicyPackProcess>> {
    if (!pool) {
        const started: Array<Promise<PolicyPackProcess>> = [];
        for (let index = 0; index < POOL_SIZE; index++) {
            const after = index === 0 ? publishedPack() : started[0].catch(() => undefined);
            const pack = quiet(after.then(async () => PolicyPackProcess.start((await publishedPack()).dir, STARTING_IDENTITY)));
            pack.then(release, () => undefined);
            started.push(pack);
        }
        pool = started;
    }
    return pool;
}

function release(pack: PolicyPackProcess): void {
    const next = waiting.shift();
    if (next) {
        next(pack);
    } else {
        idle.push(pack);
    }
}

/** A process to itself, told which stack it now analyzes; give it back with `release`. */
export async function acquirePackProcess(identity: StackIdentity): Promise<{ pack: PolicyPackProcess; release: () => void }> {
    const started = startPool();
    const pack =
        idle.shift() ??
        (await Promise.race([
            new Promise<PolicyPackProcess>((resolve) => waiting.push(resolve)),
            // A pool that failed to start fails every preview with the reason.
            Promise.all(started).then(() => new Promise<never>(() => undefined)),
        ]));
    try {
        await pack.configureStack(identity);
    } catch (error) {
        release(pack);
        throw error;
    }
    let released = false;
    return {
        pack,
        release: () => {
            if (!released) {
                released = true;
                release(pack);
            }
        },
    };
}

/** Runs `work` as one preview of the stack `identity` names, on a process of its own. */
export async function withPackProcess<T>(identity: StackIdentity, work: (pack: PolicyPackProcess) => Promise<T>): Promise<T> {
    const { pack, release } = await acquirePackProcess(identity);
    try {
        return await work(pack);
    } finally {
        release();
    }
}

function closePackProcesses(): void {
    for (const started of pool ?? []) {
        started.then(
            (pack) => pack.close(),
            () => undefined,
        );
    }
    stopAllPackProcesses();
}

process.once("exit", stopAllPackProcesses);
// Under mocha: stop the pack processes once every test has run (open gRPC channels would keep mocha alive).
if (typeof after === "function") {
    after(closePackProcesses);
}
void startPool();
