#!/usr/bin/env node
/**
 * Builds what the product ships as JavaScript, with esbuild (memory/decisions/0701-web-console-build.md):
 *   web  the web console into web/dist (index.html + hashed assets; no inline script or style, so the
 *        Content-Security-Policy needs no 'unsafe-inline').
 *   cli  the milmed CLI into dist/cli (scripts/build-cli.mjs).
 * Run by npm's `prepare` (so `npm ci` builds everything) and by `npm start`.
 *   node scripts/build.mjs [web ...]   (no target: all)
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { buildCli } from './build-cli.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WEB = resolve(ROOT, 'web');
export const WEB_DIST = resolve(WEB, 'dist');

const common = {
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome120', 'firefox120', 'safari17'],
  platform: 'browser',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  write: false,
  absWorkingDir: ROOT,
};

function hashed(name, bytes, ext) {
  const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 10);
  return `assets/${name}-${digest}${ext}`;
}

/** Writes esbuild's in-memory outputs under web/dist/assets with content hashes; returns name → path. */
function emit(result, name) {
  const out = {};
  for (const file of result.outputFiles) {
    const ext = file.path.endsWith('.css') ? '.css' : '.js';
    const path = hashed(name, file.contents, ext);
    mkdirSync(resolve(WEB_DIST, 'assets'), { recursive: true });
    writeFileSync(resolve(WEB_DIST, path), file.contents);
    out[ext] = path;
  }
  return out;
}

async function buildWeb() {
  const started = performance.now();
  rmSync(WEB_DIST, { recursive: true, force: true });
  mkdirSync(WEB_DIST, { recursive: true });
  // Workers first: the app refers to them by their hashed file names.
  const workers = { 'parse-worker': 'web/src/workers/parse-worker.ts' };
  const define = {};
  for (const [name, entry] of Object.entries(workers)) {
    const result = await esbuild.build({ ...common, entryPoints: [entry], outfile: `web/dist/${name}.js` });
    define[`__WORKER_${name.toUpperCase().replace(/-/g, '_')}__`] = JSON.stringify(
      `./${emit(result, name)['.js']}`,
    );
  }
  const app = await esbuild.build({
    ...common,
    entryPoints: ['web/src/main.tsx'],
    outfile: 'web/dist/app.js',
    define,
    loader: { '.svg': 'text' },
  });
  const assets = emit(app, 'app');
  const html = readFileSync(resolve(WEB, 'index.html'), 'utf8')
    .replace('<!--app-css-->', `<link rel="stylesheet" href="./${assets['.css']}">`)
    .replace('<!--app-js-->', `<script type="module" src="./${assets['.js']}"></script>`);
  writeFileSync(resolve(WEB_DIST, 'index.html'), html);
  const ms = performance.now() - started;
  console.log(`web console built into ${relative(ROOT, WEB_DIST)} in ${ms.toFixed(0)} ms`);
}

const TARGETS = { web: buildWeb, cli: buildCli };

const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : Object.keys(TARGETS)) {
  const target = TARGETS[name];
  if (!target) {
    console.error(`build: unknown target "${name}"; targets: ${Object.keys(TARGETS).join(', ')}`);
    process.exit(2);
  }
  await target();
}
