/**
 * The local stack's generator workers as JavaScript: infra/local/worker-process.ts and the queue
 * handler it runs, bundled by esbuild into dist/local with the options `cdk deploy` bundles the
 * functions with (infra/constructs/app-function.ts FUNCTION_BUNDLING, restated here because the local
 * stack loads no CDK; test/infra/function-bundles.test.ts holds the two equal). A worker then runs the
 * same JavaScript as the deployed generator, and starts on about 0.2 s of CPU instead of 1.5 s of
 * TypeScript compiled by tsx (memory/decisions/0930-local-workers-run-the-lambda-bundle.md).
 *
 * The stack calls `ensureLocalWorkerBundles()` before it starts its workers: dist/local/inputs.json
 * lists the sources of the last build, and a source changed since rebuilds it first
 * (scripts/bundle-freshness.mjs). esbuild is imported only to build.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStale, writeAtomically, writeInputs } from './bundle-freshness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const LOCAL_DIST = resolve(ROOT, 'dist', 'local');

/** The esbuild options NodejsFunction derives from FUNCTION_BUNDLING (infra/constructs/app-function.ts). */
export const LAMBDA_ESBUILD_OPTIONS = Object.freeze({
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  mainFields: ['module', 'main'],
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  minify: true,
  keepNames: true,
  sourcemap: true,
  sourcesContent: false,
  // The Lambda runtime ships the AWS SDK v3; here it comes from node_modules.
  external: ['@aws-sdk/*'],
});

/** The bundle of an entry module (a path relative to the repository root, `.ts`). */
function localBundlePath(entry) {
  return resolve(LOCAL_DIST, entry.replace(/\.ts$/, '.mjs'));
}

/** Bundles the entries into dist/local, each file replaced by rename. */
async function buildLocalWorkerBundles(entries) {
  const esbuild = await import('esbuild');
  const started = Date.now();
  const result = await esbuild.build({
    ...LAMBDA_ESBUILD_OPTIONS,
    absWorkingDir: ROOT,
    entryPoints: [...entries],
    outdir: LOCAL_DIST,
    outbase: ROOT,
    outExtension: { '.js': '.mjs' },
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  writeInputs(LOCAL_DIST, started, result.metafile);
}

/**
 * The bundle of each entry, rebuilt first when it is missing or older than a source it was built
 * from; a few stat calls otherwise.
 */
export async function ensureLocalWorkerBundles(entries) {
  const bundles = entries.map(localBundlePath);
  if (isStale(LOCAL_DIST, ROOT, bundles)) await buildLocalWorkerBundles(entries);
  return bundles;
}
