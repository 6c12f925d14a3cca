/**
 * The `cli` build target: lib/cli/main.ts bundled by esbuild into dist/cli/milmed.mjs (plain ESM for
 * Node, dependencies included), each command in its own bundle so that a run loads only what it uses.
 * Running the TypeScript through tsx cost about 0.9 s and 110 MB before any work
 * (memory/decisions/0511-cli-build.md).
 *
 * bin/milmed.js runs the bundles and calls `ensureCliBuilt()` first: dist/cli/inputs.json lists the
 * repository sources the bundle was built from, and a source changed since then rebuilds it, so an
 * edit under lib/ is never run stale. esbuild is imported only to build.
 */
import { rmSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStale, writeAtomically, writeInputs } from './bundle-freshness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_DIST = resolve(ROOT, 'dist', 'cli');
export const CLI_ENTRY = resolve(CLI_DIST, 'milmed.mjs');

/**
 * One bundle per command, loaded by main only when that command runs, and the ZIP writer on its own
 * (loaded by generate for --zip only): with esbuild's code splitting, the lib/output barrel pulled the
 * ZIP library into every chunk that used a writer, while separate bundles are tree-shaken one by one.
 * Code shared by two commands is in both bundles; a run loads one of them.
 */
const ENTRIES = {
  milmed: 'lib/cli/main.ts',
  'generate-command': 'lib/cli/generate-command.ts',
  'presets-command': 'lib/cli/presets-command.ts',
  'validate-command': 'lib/cli/validate-command.ts',
  'decrypt-command': 'lib/cli/decrypt-command.ts',
  'keys-command': 'lib/cli/keys-command.ts',
  'keys-bootstrap': 'lib/cli/keys-bootstrap.ts',
  'help-text': 'lib/cli/help-text.ts',
  version: 'virtual:version',
  'zip-writer': 'virtual:zip-writer',
};
const VIRTUAL = {
  // The one file of the engine that imports nothing: the barrel would load the whole engine.
  version: "export { GENERATOR_VERSION } from './lib/generation/product-identity.ts';",
  'zip-writer': "export { writeOutputArchive, ZIP_FILE_NAME } from './lib/output/index.ts';",
};
/** importer → dynamic import → the bundle it loads at run time instead of inlining it. */
const LAZY = {
  'lib/cli/main.ts': {
    './generate-command.js': 'generate-command',
    './presets-command.js': 'presets-command',
    './validate-command.js': 'validate-command',
    './decrypt-command.js': 'decrypt-command',
    './keys-command.js': 'keys-command',
    './help-text.js': 'help-text',
    '../generation/index.js': 'version',
  },
  'lib/cli/generate-command.ts': { '../output/index.js': 'zip-writer' },
  // Only bootstrap loads the AWS SDK; the admin API subcommands need fetch and zod.
  'lib/cli/keys-command.ts': { './keys-bootstrap.js': 'keys-bootstrap' },
};

const lazyBundles = {
  name: 'milmed-lazy-bundles',
  setup(build) {
    build.onResolve({ filter: /^virtual:/ }, (args) => ({ path: args.path.slice(8), namespace: 'virtual' }));
    build.onLoad({ filter: /.*/, namespace: 'virtual' }, (args) => ({
      contents: VIRTUAL[args.path],
      resolveDir: ROOT,
      loader: 'ts',
    }));
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const bundle = LAZY[relative(ROOT, args.importer)]?.[args.path];
      return bundle ? { path: `./${bundle}.mjs`, external: true } : undefined;
    });
  },
};

/**
 * Builds dist/cli. `clean` empties it first (the explicit build); a rebuild on demand replaces each
 * file by rename, so a CLI starting meanwhile loads either the old files or the new ones.
 */
export async function buildCli({ clean = true, quiet = false } = {}) {
  const esbuild = await import('esbuild');
  const started = Date.now();
  if (clean) rmSync(CLI_DIST, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: CLI_DIST,
    // .mjs: Node knows the module type without looking for a package.json at every import.
    outExtension: { '.js': '.mjs' },
    plugins: [lazyBundles],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    minify: true,
    keepNames: true,
    sourcemap: 'linked',
    legalComments: 'none',
    // Bundled CommonJS dependencies (archiver, cli-progress) call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __milmedRequire } from 'node:module'; const require = __milmedRequire(import.meta.url);",
    },
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  writeInputs(CLI_DIST, started, result.metafile);
  if (!quiet) {
    const bytes = result.outputFiles
      .filter((f) => f.path.endsWith('.mjs'))
      .reduce((n, f) => n + f.contents.length, 0);
    console.log(
      `CLI built into ${relative(ROOT, CLI_DIST)} (${(bytes / 1024).toFixed(0)} KB of JavaScript) in ${Date.now() - started} ms`,
    );
  }
}

/** True when dist/cli is missing or older than one of the sources it was built from. */
export function cliIsStale() {
  return isStale(CLI_DIST, ROOT, [CLI_ENTRY]);
}

/** Rebuilds dist/cli when it is stale; a no-op costing a few stat calls otherwise. */
export async function ensureCliBuilt() {
  if (cliIsStale()) await buildCli({ clean: false, quiet: true });
}
