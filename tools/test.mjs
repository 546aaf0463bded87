// `npm test`: the static checks and the mocha suites, side by side. Mocha renders stacks in one
// process (its render cache is per process), so it keeps one core busy, and the policy-pack
// processes of the analyzer-protocol suite run beside it; the static checks (type check and lint
// from one program, formatting, dead code) run one after another at a lower priority. Their
// output is held and printed after mocha's, so the two lanes never interleave.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as os from "node:os";

const STATIC_CHECKS = [
    // `npm run typecheck` and `npm run lint` from one TypeScript program (tools/typecheck-lint.mjs).
    ["type check and lint", "typecheck-lint"],
    ["formatting", "format:check"],
    ["dead code", "deadcode"],
];

// The mocha lane is the longer one and waits at times (on the policy-pack processes, on spawned
// commands); the static checks at a lower priority take the CPU whenever it waits instead of
// sharing it with it, so both cores stay busy and the mocha lane ends sooner.
const STATIC_NICENESS = 10;

/** Mocha's own command, run by this node (npx would add an npm process to start it). */
const MOCHA = createRequire(import.meta.url).resolve("mocha/bin/mocha.js");

const held = [];

function run(label, command, args, { capture, niceness = 0 }) {
    const started = Date.now();
    return new Promise((resolve) => {
        const child = spawn(command, args, { stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit" });
        if (niceness) {
            // Before npm has started the check's own processes, which inherit it.
            os.setPriority(child.pid, niceness);
        }
        let output = "";
        if (capture) {
            child.stdout.on("data", (chunk) => (output += chunk));
            child.stderr.on("data", (chunk) => (output += chunk));
        }
        child.on("close", (code, signal) => {
            const seconds = ((Date.now() - started) / 1000).toFixed(1);
            const status = code === 0 ? "passed" : `FAILED (${signal ?? `exit ${code}`})`;
            if (capture) {
                held.push(`${output.trimEnd() ? `${output.trimEnd()}\n` : ""}[${label}] ${status} in ${seconds} s\n`);
            } else {
                process.stdout.write(`[${label}] ${status} in ${seconds} s\n`);
            }
            resolve(code === 0);
        });
    });
}

async function staticChecks() {
    let passed = true;
    // Later checks still run after a failure, so one run reports every kind of problem.
    for (const [label, script] of STATIC_CHECKS) {
        passed = (await run(label, "npm", ["run", "-s", script], { capture: true, niceness: STATIC_NICENESS })) && passed;
    }
    return passed;
}

const results = await Promise.all([staticChecks(), run("mocha", process.execPath, [MOCHA, ...process.argv.slice(2)], { capture: false })]);
process.stdout.write(held.join(""));
process.exitCode = results.every(Boolean) ? 0 : 1;
