import { PolicyPackProcess, stopAllPackProcesses, type StackIdentity } from "./analyzer";
import { preparePublishedPack, type PublishedPack } from "./published";
import { protocolSources } from "./sources";

// One published pack and one pack process per `pulumi preview` the suite stands in for: each
// stack and example (its own ConfigureStack and environment), and one for the fixtures and the
// config checks, which Configure it again for each configuration.
// Preparation starts when mocha loads the suite, so that packing, installing and the processes'
// start-up (ts-node type-checks the pack on first start) run beside the rest of the test run
// instead of adding to it. The first process starts alone: it fills ts-node's compile cache,
// which the others then reuse.

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
const processes = new Map<string, Promise<PolicyPackProcess>>();
let first: Promise<unknown> | undefined;

/** Mocha fails a run on an unhandled rejection; a failure is reported by the test that awaits it. */
function quiet<T>(promise: Promise<T>): Promise<T> {
    promise.catch(() => undefined);
    return promise;
}

export function publishedPack(): Promise<PublishedPack> {
    published ??= quiet(preparePublishedPack());
    return published;
}

/** The pack process for one preview, started (or being started) once and shared by the tests that need it. */
export function packProcess(key: string, identity: StackIdentity): Promise<PolicyPackProcess> {
    let started = processes.get(key);
    if (!started) {
        const after = first ?? publishedPack();
        started = quiet(after.then(async () => PolicyPackProcess.start((await publishedPack()).dir, identity)));
        first ??= started.catch(() => undefined);
        processes.set(key, started);
    }
    return started;
}

export function closePackProcesses(): void {
    for (const started of processes.values()) {
        started.then(
            (pack) => pack.close(),
            () => undefined,
        );
    }
    processes.clear();
    stopAllPackProcesses();
}

/** Starts everything the suite will need. */
export function startProtocolSession(): void {
    for (const { title, identity } of protocolSources()) {
        void packProcess(title, identity);
    }
    void packProcess("fixtures", FIXTURES_IDENTITY);
}

process.once("exit", stopAllPackProcesses);
// Under mocha: stop the pack processes once every test has run (open gRPC channels would keep mocha alive).
if (typeof after === "function") {
    after(closePackProcesses);
}
startProtocolSession();
