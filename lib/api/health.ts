/** Readiness (GET /api/v1/health): each probe must answer within a timeout; any failure → unhealthy (503). */
import type { z } from 'zod';
import type { ApiHealthSchema } from './schemas.js';

export type ApiHealth = z.infer<typeof ApiHealthSchema>;
export type HealthProbe = () => Promise<unknown>;

export interface HealthOptions {
  readonly version: string;
  readonly stage: string;
  readonly timeoutMs?: number;
  readonly clock?: () => Date;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs every probe in parallel; the error text names the failure class only, never internals. */
export async function checkHealth(
  probes: Readonly<Record<string, HealthProbe>>,
  options: HealthOptions,
): Promise<ApiHealth> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => {
      const started = performance.now();
      try {
        await withTimeout(probe(), timeoutMs);
        return [
          name,
          { status: 'healthy' as const, latency_ms: Math.round(performance.now() - started) },
        ] as const;
      } catch (error) {
        const reason =
          error instanceof Error ? (error.name === 'Error' ? error.message : error.name) : 'unreachable';
        return [
          name,
          {
            status: 'unhealthy' as const,
            latency_ms: Math.round(performance.now() - started),
            error: reason,
          },
        ] as const;
      }
    }),
  );
  const checks = Object.fromEntries(entries);
  const healthy = entries.every(([, c]) => c.status === 'healthy');
  return {
    status: healthy ? 'healthy' : 'unhealthy',
    timestamp: (options.clock?.() ?? new Date()).toISOString(),
    version: options.version,
    stage: options.stage,
    checks,
  };
}
