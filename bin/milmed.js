#!/usr/bin/env node
// Runs the CLI as JavaScript built from lib/cli (dist/cli, made by `npm run build`, which npm's
// `prepare` runs on `npm ci`); a source newer than the build rebuilds it first (scripts/build-cli.mjs).
import module from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_ENTRY, ensureCliBuilt } from '../scripts/build-cli.mjs';

// Node 22.1+ keeps V8's compiled code of the bundles between runs; older versions lack the call.
module.enableCompileCache?.();
if (process.env.MILMED_DEBUG) process.setSourceMapsEnabled(true);

/** The rebuild, or one line saying what to run when it fails (no esbuild, dist/cli not writable). */
async function built() {
  try {
    await ensureCliBuilt();
    return true;
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
    process.stderr.write(
      `milmed: cannot build the CLI into dist/cli (${reason}); run "npm ci", then "npm run build", in ${root}\n`,
    );
    if (process.env.MILMED_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return false;
  }
}

if (await built()) {
  const { main } = await import(CLI_ENTRY);
  process.exitCode = await main(process.argv.slice(2));
} else {
  process.exitCode = 1;
}
