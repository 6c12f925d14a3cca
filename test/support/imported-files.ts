import { build } from 'esbuild';

/**
 * Every repository file an entry module imports, directly or not, and every package it imports by
 * name (packages are not followed: only whether one is imported at all), from esbuild's metafile.
 */
export async function importedFiles(...entries: readonly string[]): Promise<string[]> {
  const result = await build({
    entryPoints: [...entries],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    outdir: 'unused',
    splitting: true,
    packages: 'external',
  });
  const files = Object.keys(result.metafile.inputs);
  const packages = Object.values(result.metafile.inputs).flatMap((input) =>
    input.imports.filter((i) => i.external).map((i) => i.path),
  );
  return [...new Set([...files, ...packages])];
}
