/**
 * Tracing is on exactly where the Powertools Tracer would record traces, and elsewhere the X-Ray SDK is
 * not loaded at all: loading it installs an async hook on every promise of the process
 * (memory/fixes/0237-x-ray-sdk-only-where-traced.md).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { describe, expect, it } from 'vitest';
import { tracingEnabled } from '../../../lib/core/index.js';

const ENV_KEYS = ['POWERTOOLS_TRACE_ENABLED', 'AWS_EXECUTION_ENV', 'AWS_SAM_LOCAL'] as const;
type TraceEnv = Partial<Record<(typeof ENV_KEYS)[number], string>>;

/** What the Powertools Tracer itself decides under `env` (it reads process.env when constructed). */
function powertoolsDecides(env: TraceEnv): boolean {
  const saved = ENV_KEYS.map((k) => [k, process.env[k]] as const);
  try {
    for (const k of ENV_KEYS) {
      if (env[k] === undefined) delete process.env[k];
      else process.env[k] = env[k];
    }
    return new Tracer().isTracingEnabled();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** In a fresh process under `env`: the cls namespaces loaded and whether an SDK client came back traced. */
async function inFreshProcess(env: TraceEnv): Promise<{ namespaces: string[]; traced: boolean }> {
  const script = `
    const { traced } = await import('./lib/core/index.ts');
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const client = traced(new DynamoDBClient({ region: 'eu-west-1' }));
    console.log(JSON.stringify({
      namespaces: Object.keys(process.namespaces ?? {}),
      traced: client.middlewareStack.identify().some((m) => m.startsWith('XRaySDKInstrumentation')),
    }));`;
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !ENV_KEYS.includes(k as never)),
  );
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { env: { ...clean, POWERTOOLS_SERVICE_NAME: 'tracing-test', ...env } },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}

describe('tracing', () => {
  it('is on exactly where the Powertools Tracer records traces: in Lambda, unless turned off or mocked', () => {
    // Prepare
    const envs: TraceEnv[] = [
      {},
      { POWERTOOLS_TRACE_ENABLED: 'false' },
      { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x' },
      { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x', POWERTOOLS_TRACE_ENABLED: 'true' },
      { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x', POWERTOOLS_TRACE_ENABLED: 'false' },
      { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x', POWERTOOLS_TRACE_ENABLED: 'FALSE' },
      { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x', AWS_SAM_LOCAL: 'true' },
      { AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' },
    ];

    // Act
    const ours = envs.map((env) => tracingEnabled(env));
    const theirs = envs.map(powertoolsDecides);

    // Assert
    expect(ours).toEqual(theirs);
    expect(ours).toEqual([false, false, true, true, false, false, false, false]);
  });

  it('loads no X-Ray SDK and leaves clients as they are where tracing is off; traces them where it is on', async () => {
    // Act
    const [off, local, on] = await Promise.all([
      inFreshProcess({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x', POWERTOOLS_TRACE_ENABLED: 'false' }),
      inFreshProcess({}),
      inFreshProcess({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x' }),
    ]);

    // Assert
    expect(off).toEqual({ namespaces: [], traced: false });
    expect(local).toEqual({ namespaces: [], traced: false });
    expect(on).toEqual({ namespaces: ['AWSXRay'], traced: true });
  });
});
