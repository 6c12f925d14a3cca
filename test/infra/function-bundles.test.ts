/**
 * Every function a stage deploys bundles as `cdk deploy` bundles it (infra/constructs/app-function.ts
 * FUNCTION_BUNDLING), here in one esbuild build of all the entries instead of one esbuild process per
 * function: CI lints the templates from a synthesis without bundling (`npm run synth -- --no-bundling`),
 * so this is where a handler that cannot be bundled fails. The local stack's workers run bundles made
 * with the same options (scripts/build-local-workers.mjs LAMBDA_ESBUILD_OPTIONS), held equal here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { DEPLOY_STAGES } from '../../infra/config/index.js';
import { AppFunction, FUNCTION_BUNDLING, PROJECT_ROOT } from '../../infra/constructs/app-function.js';
import { createStageApp } from '../../infra/stage-app.js';
import { LAMBDA_ESBUILD_OPTIONS } from '../../scripts/build-local-workers.mjs';
import { webDistFixture } from '../support/web-dist-fixture.js';

process.env.CDK_VALIDATION = 'false';

const outdir = mkdtempSync(join(tmpdir(), 'milmed-function-bundles-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** The entry module of every function of every deployed stage. */
function deployedEntries(): string[] {
  const entries = new Set<string>();
  for (const stage of DEPLOY_STAGES) {
    const { app } = createStageApp({
      context: { stage, 'aws:cdk:bundling-stacks': [] },
      webDistDir: webDistFixture(),
    });
    for (const node of app.node.findAll()) if (node instanceof AppFunction) entries.add(resolve(node.entry));
  }
  return [...entries].sort();
}

describe('function bundles', () => {
  it('builds the local workers with the esbuild options NodejsFunction derives from FUNCTION_BUNDLING', () => {
    // Act
    const fromDeploy = {
      bundle: true,
      platform: 'node',
      format: FUNCTION_BUNDLING.format,
      target: FUNCTION_BUNDLING.target,
      mainFields: [...FUNCTION_BUNDLING.mainFields],
      banner: { js: FUNCTION_BUNDLING.banner },
      minify: FUNCTION_BUNDLING.minify,
      keepNames: FUNCTION_BUNDLING.keepNames,
      sourcemap: FUNCTION_BUNDLING.sourceMap,
      sourcesContent: FUNCTION_BUNDLING.sourcesContent,
      external: [...FUNCTION_BUNDLING.externalModules],
    };
    // Assert
    expect(LAMBDA_ESBUILD_OPTIONS).toEqual(fromDeploy);
  });

  it('bundles every deployed function`s entry with the deploy`s options, each exporting its handler', async () => {
    // Prepare
    const entries = deployedEntries();

    // Act: the esbuild options NodejsFunction derives from FUNCTION_BUNDLING (the test above).
    const result = await esbuild.build({
      ...LAMBDA_ESBUILD_OPTIONS,
      absWorkingDir: PROJECT_ROOT,
      entryPoints: entries,
      outdir,
      outbase: PROJECT_ROOT,
      outExtension: { '.js': '.mjs' },
      metafile: true,
      logLevel: 'silent',
    });

    // Assert: no error or warning, one bundle per entry, each with `handler` among its exports.
    expect(entries.length).toBeGreaterThan(30);
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => w.text)).toEqual([]);
    const bundles = Object.values(result.metafile.outputs).filter((output) => output.entryPoint);
    expect(bundles.map((output) => join(PROJECT_ROOT, output.entryPoint!)).sort()).toEqual(entries);
    const withoutHandler = bundles
      .filter((output) => !output.exports.includes('handler'))
      .map((output) => relative(PROJECT_ROOT, output.entryPoint!));
    expect(withoutHandler).toEqual([]);
  }, 120_000);
});
