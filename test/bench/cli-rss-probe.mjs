// Preloaded into a benchmarked CLI process (`node --import`): at exit, writes the process's peak RSS
// (getrusage maxrss, in KiB) to the file named by MILMED_BENCH_RSS_FILE. Costs one tiny module load.
import { writeFileSync } from 'node:fs';

const file = process.env.MILMED_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
