/**
 * Local children (infra/local/child-process.ts) start with glibc allocator settings that keep freed
 * memory for reuse and back the heap with transparent huge pages, unless their caller's environment
 * sets its own.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALLOCATOR_ENV, startChild } from '../../../infra/local/child-process.js';

const FIXTURE = fileURLToPath(new URL('./child-env.fixture.ts', import.meta.url));

interface Reported {
  readonly mmapThreshold: string | null;
  readonly trimThreshold: string | null;
  readonly tunables: string | null;
  readonly hugePagesGainedKib: number | null;
}

/** The kernel's THP mode (`always`, `madvise`, `never`), or null where it has none to tell. */
function transparentHugePageMode(): string | null {
  try {
    return /\[(\w+)\]/.exec(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1] ?? null;
  } catch {
    return null;
  }
}

function withoutAllocatorSettings(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(ALLOCATOR_ENV)) delete env[name];
  return env;
}

describe('local child processes', () => {
  it('start with the allocator settings, and a caller that sets its own keeps them', async () => {
    // Prepare
    const base = withoutAllocatorSettings();
    // Act
    const plain = await startChild<Reported>(FIXTURE, { env: base });
    const own = await startChild<Reported>(FIXTURE, {
      env: { ...base, MALLOC_TRIM_THRESHOLD_: '0', GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' },
    });
    await Promise.all([plain.stop(), own.stop()]);
    // Assert
    expect(plain.data).toMatchObject({
      mmapThreshold: ALLOCATOR_ENV.MALLOC_MMAP_THRESHOLD_,
      trimThreshold: ALLOCATOR_ENV.MALLOC_TRIM_THRESHOLD_,
      tunables: 'glibc.malloc.hugetlb=1',
    });
    expect(Number(plain.data.mmapThreshold)).toBe(32 * 1024 * 1024);
    expect(own.data).toMatchObject({
      mmapThreshold: ALLOCATOR_ENV.MALLOC_MMAP_THRESHOLD_,
      trimThreshold: '0',
      tunables: 'glibc.malloc.hugetlb=0',
    });
  }, 60_000);

  it('write upload-sized buffers into huge pages where the kernel offers them, and not when the caller opts out', async () => {
    // Prepare
    const base = withoutAllocatorSettings();
    const mode = transparentHugePageMode();
    // Act
    const plain = await startChild<Reported>(FIXTURE, { env: base });
    const optedOut = await startChild<Reported>(FIXTURE, {
      env: { ...base, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' },
    });
    await Promise.all([plain.stop(), optedOut.stop()]);
    // Assert: with THP on (`always`, or `madvise` as on the machines this runs on), most of the 64 MiB
    // written lands in 2 MiB pages; in `madvise` mode none does without the tunable.
    if (mode === 'always' || mode === 'madvise') {
      expect(plain.data.hugePagesGainedKib).toBeGreaterThanOrEqual(32 * 1024);
    } else {
      expect(plain.data.hugePagesGainedKib ?? 0).toBe(0);
    }
    if (mode === 'madvise') expect(optedOut.data.hugePagesGainedKib).toBeLessThan(8 * 1024);
  }, 60_000);
});
