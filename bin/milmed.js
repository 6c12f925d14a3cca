#!/usr/bin/env node
// Runs the CLI as JavaScript built from lib/cli (dist/cli, made by `npm run build`, which npm's
// `prepare` runs on `npm ci`); a source newer than the build rebuilds it first (scripts/build-cli.mjs).
import module from 'node:module';
import { CLI_ENTRY, ensureCliBuilt } from '../scripts/build-cli.mjs';

// Node 22.1+ keeps V8's compiled code of the bundles between runs; older versions lack the call.
module.enableCompileCache?.();
if (process.env.MILMED_DEBUG) process.setSourceMapsEnabled(true);
await ensureCliBuilt();
const { main } = await import(CLI_ENTRY);
process.exitCode = await main(process.argv.slice(2));
