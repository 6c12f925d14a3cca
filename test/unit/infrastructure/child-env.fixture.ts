/**
 * A child for test/unit/infrastructure/local-child-process.test.ts: reports the allocator settings
 * of its environment once ready, and how much of 64 MiB of upload-sized buffers it has just written
 * the kernel gave it as transparent huge pages (null where /proc does not tell).
 */
import { readFileSync } from 'node:fs';
import { serveChild } from '../../../infra/local/child-process.js';

function anonHugeKib(): number | null {
  try {
    const match = /^AnonHugePages:\s+(\d+) kB/m.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

const before = anonHugeKib();
// Written, as the local S3 writes a request's body: 64 KiB at a time, kept.
const kept: Buffer[] = [];
for (let i = 0; i < 1024; i++) kept.push(Buffer.allocUnsafeSlow(64 * 1024).fill(i & 0xff));
const after = anonHugeKib();

serveChild(async () => ({
  data: {
    mmapThreshold: process.env.MALLOC_MMAP_THRESHOLD_ ?? null,
    trimThreshold: process.env.MALLOC_TRIM_THRESHOLD_ ?? null,
    tunables: process.env.GLIBC_TUNABLES ?? null,
    hugePagesGainedKib: before === null || after === null ? null : after - before,
    kept: kept.length,
  },
  stop: async () => undefined,
}));
