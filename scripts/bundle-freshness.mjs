/**
 * What the esbuild bundles run from this repository share (dist/cli: scripts/build-cli.mjs; dist/local:
 * scripts/build-local-workers.mjs): files written by rename, so a process starting during a rebuild
 * loads the old file or the new one, whole; and a manifest (inputs.json) of the sources a build read,
 * so a source changed since then rebuilds the bundle before it runs, and an edit is never run stale.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Writes a file by rename. */
export function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, contents);
  renameSync(partial, path);
}

/**
 * Records the repository sources of an esbuild metafile in `<dir>/inputs.json`. `builtAt` is the
 * build's start, not its end: a source saved during the build is newer and rebuilds next time.
 */
export function writeInputs(dir, builtAt, metafile) {
  const inputs = [
    ...new Set(Object.keys(metafile.inputs).filter((p) => !p.includes('node_modules/') && !p.includes(':'))),
  ].sort();
  writeAtomically(resolve(dir, 'inputs.json'), `${JSON.stringify({ builtAt, inputs }, null, 1)}\n`);
}

/** True when one of `outputs` is missing, or a source listed in `<dir>/inputs.json` is newer or gone. */
export function isStale(dir, root, outputs) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(resolve(dir, 'inputs.json'), 'utf8'));
    for (const output of outputs) statSync(output);
  } catch {
    return true;
  }
  for (const input of manifest.inputs) {
    try {
      if (statSync(resolve(root, input)).mtimeMs > manifest.builtAt) return true;
    } catch {
      return true; // a source was removed or renamed
    }
  }
  return false;
}
