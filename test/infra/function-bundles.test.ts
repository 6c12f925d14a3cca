/**
 * Every function a stage deploys bundles as `cdk deploy` bundles it (infra/constructs/app-function.ts
 * FUNCTION_BUNDLING), here in one esbuild build of all the entries instead of one esbuild process per
 * function: CI lints the templates from a synthesis without bundling (`npm run synth -- --no-bundling`),
 * so this is where a handler that cannot be bundled fails. The local stack's workers run bundles made
 * with the same options (scripts/build-local-workers.mjs LAMBDA_ESBUILD_OPTIONS), held equal here.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { DEPLOY_STAGES } from '../../infra/config/index.js';
import { AppFunction, FUNCTION_BUNDLING, PROJECT_ROOT } from '../../infra/constructs/app-function.js';
import { createStageApp } from '../../infra/stage-app.js';
import { LAMBDA_ESBUILD_OPTIONS } from '../../scripts/build-local-workers.mjs';
import { webDistFixture } from '../support/web-dist-fixture.js';

process.env.CDK_VALIDATION = 'false';

// Inside the project, so the bundles find the AWS SDK they leave to the Lambda runtime when a test runs one.
const cache = join(PROJECT_ROOT, 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const outdir = mkdtempSync(join(cache, 'milmed-function-bundles-'));
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

  it('a bundled function loads the X-Ray SDK in Lambda where tracing is on, and not where a stage turns it off', async () => {
    // Prepare: the authorizer's bundle from the test above, imported as Lambda imports it
    const bundle = pathToFileURL(join(outdir, 'functions', 'authorizer', 'api-key-authorizer.mjs')).href;
    const script = `await import(${JSON.stringify(bundle)}); console.log(JSON.stringify(Object.keys(process.namespaces ?? {})));`;
    const run = async (tracing: string) => {
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        env: {
          PATH: process.env.PATH,
          AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
          AWS_REGION: 'eu-west-1',
          POWERTOOLS_TRACE_ENABLED: tracing,
          STAGE: 'staging',
          API_KEYS_TABLE: 'keys',
          USAGE_TABLE: 'usage',
        },
      });
      return JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null');
    };

    // Act
    const [on, off] = await Promise.all([run('true'), run('false')]);

    // Assert
    expect(on).toEqual(['AWSXRay']);
    expect(off).toEqual([]);
  }, 60_000);
});
