/**
 * `npm run bench`: runs each benchmark section in order and prints its tables. Not a test.
 * A section is a file `test/bench/<name>.bench.ts` exporting `async function run()`; sections are
 * found in this folder, the ones in ORDER first, then the others by name. Run some sections only
 * with `npm run bench -- engine api`.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// web drives Chromium (test/e2e/console/browser.ts) and needs the built console; it runs last.
const ORDER = ['engine', 'formats', 'api', 'web'];
const SUFFIX = '.bench.ts';

function sections(): string[] {
  const names = readdirSync(fileURLToPath(new URL('.', import.meta.url)))
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length));
  const rank = (n: string) => (ORDER.includes(n) ? ORDER.indexOf(n) : ORDER.length);
  return names.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

async function main(): Promise<number> {
  const available = sections();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !available.includes(w));
  if (unknown.length > 0) {
    console.error(`unknown bench section ${unknown.join(', ')}; sections: ${available.join(', ')}`);
    return 2;
  }
  const selected = wanted.length ? available.filter((s) => wanted.includes(s)) : available;
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  for (const name of selected) {
    console.log(`\n== ${name} ==`);
    const started = performance.now();
    const section = (await import(`./${name}.bench.js`)) as { run(): Promise<unknown> };
    await section.run();
    console.log(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  return 0;
}

process.exitCode = await main();
