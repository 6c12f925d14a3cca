#!/usr/bin/env node
// Runs the CLI as JavaScript built from lib/cli (dist/cli, made by `npm run build`, which npm's
// `prepare` runs on `npm ci`); a source newer than the build rebuilds it first (scripts/build-cli.mjs).
import { CLI_ENTRY, ensureCliBuilt } from '../scripts/build-cli.mjs';

if (process.env.MILMED_DEBUG) process.setSourceMapsEnabled(true);
await ensureCliBuilt();
const { main } = await import(CLI_ENTRY);
process.exitCode = await main(process.argv.slice(2));
