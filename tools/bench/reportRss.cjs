// Preloaded into each benchmarked process: records its peak resident memory (KiB) and the CPU time
// it used (microseconds, user and system) on exit.
const fs = require("fs");
process.on("exit", () => {
    if (process.env.BENCH_RSS_FILE) {
        const usage = process.resourceUsage();
        fs.writeFileSync(process.env.BENCH_RSS_FILE, JSON.stringify({ maxRSS: usage.maxRSS, cpu: usage.userCPUTime + usage.systemCPUTime }));
    }
});
