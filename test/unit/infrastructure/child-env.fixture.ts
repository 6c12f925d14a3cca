/**
 * A child for test/unit/infrastructure/local-child-process.test.ts: reports the allocator settings
 * of its environment once ready.
 */
import { serveChild } from '../../../infra/local/child-process.js';

serveChild(async () => ({
  data: {
    mmapThreshold: process.env.MALLOC_MMAP_THRESHOLD_ ?? null,
    trimThreshold: process.env.MALLOC_TRIM_THRESHOLD_ ?? null,
  },
  stop: async () => undefined,
}));
