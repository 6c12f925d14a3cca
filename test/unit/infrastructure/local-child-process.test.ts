/**
 * Local children (infra/local/child-process.ts) start with glibc allocator settings that keep freed
 * memory for reuse, unless their caller's environment sets its own.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALLOCATOR_ENV, startChild } from '../../../infra/local/child-process.js';

const FIXTURE = fileURLToPath(new URL('./child-env.fixture.ts', import.meta.url));

interface Reported {
  readonly mmapThreshold: string | null;
  readonly trimThreshold: string | null;
}

describe('local child processes', () => {
  it('start with the allocator settings, and a caller that sets its own keeps them', async () => {
    // Prepare
    const base = { ...process.env };
    delete base.MALLOC_MMAP_THRESHOLD_;
    delete base.MALLOC_TRIM_THRESHOLD_;
    // Act
    const plain = await startChild<Reported>(FIXTURE, { env: base });
    const own = await startChild<Reported>(FIXTURE, { env: { ...base, MALLOC_TRIM_THRESHOLD_: '0' } });
    await Promise.all([plain.stop(), own.stop()]);
    // Assert
    expect(plain.data).toEqual({
      mmapThreshold: ALLOCATOR_ENV.MALLOC_MMAP_THRESHOLD_,
      trimThreshold: ALLOCATOR_ENV.MALLOC_TRIM_THRESHOLD_,
    });
    expect(Number(plain.data.mmapThreshold)).toBe(32 * 1024 * 1024);
    expect(own.data).toEqual({ mmapThreshold: ALLOCATOR_ENV.MALLOC_MMAP_THRESHOLD_, trimThreshold: '0' });
  }, 60_000);
});
