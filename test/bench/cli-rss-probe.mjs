// Preloaded into a benchmarked CLI process (`node --import`): at exit, writes the process's peak RSS
// (getrusage maxrss, KiB) and CPU time (user + system, µs) as JSON to the file named by
// MILMED_BENCH_RSS_FILE. Costs one tiny module load.
import { writeFileSync } from 'node:fs';

const file = process.env.MILMED_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRSS, cpu: userCPUTime + systemCPUTime }));
  });
}
