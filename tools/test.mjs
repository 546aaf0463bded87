// `npm test`: the static checks and the mocha suites, side by side. Mocha renders stacks in one
// process (its render cache is per process), so it keeps one core busy; the static checks
// (type check, lint, formatting, dead code) run one after another on the other core. Their
// output is held and printed after mocha's, so the two lanes never interleave.
import { spawn } from "node:child_process";

const STATIC_CHECKS = [
    // `npm run typecheck` and `npm run lint` from one TypeScript program (tools/typecheck-lint.mjs).
    ["type check and lint", "typecheck-lint"],
    ["formatting", "format:check"],
    ["dead code", "deadcode"],
];

const held = [];

function run(label, command, args, { capture }) {
    const started = Date.now();
    return new Promise((resolve) => {
        const child = spawn(command, args, { stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit" });
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
        passed = (await run(label, "npm", ["run", "-s", script], { capture: true })) && passed;
    }
    return passed;
}

const results = await Promise.all([staticChecks(), run("mocha", "npx", ["--no-install", "mocha", ...process.argv.slice(2)], { capture: false })]);
process.stdout.write(held.join(""));
process.exitCode = results.every(Boolean) ? 0 : 1;
