/**
 * A stand-in worker process for test/unit/functions/queue-worker-pool.test.ts: the child-process
 * protocol of infra/local/worker-process.ts without a queue. FAKE_WORKER_FAIL_FLAG names a file whose
 * presence makes start-up fail; FAKE_WORKER_ONLY_ONE names a file that only the first process to
 * create it may start with (it writes its pid there); FAKE_WORKER_HOLD=1 makes it report one held
 * message once ready.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { serveChild } from '../../../infra/local/child-process.js';

serveChild(async () => {
  const failFlag = process.env.FAKE_WORKER_FAIL_FLAG;
  if (failFlag && existsSync(failFlag)) throw new Error('told to fail at start-up');
  const onlyOne = process.env.FAKE_WORKER_ONLY_ONE;
  if (onlyOne) {
    try {
      writeFileSync(onlyOne, String(process.pid), { flag: 'wx' });
    } catch {
      throw new Error('told to fail at start-up');
    }
  }
  if (process.env.FAKE_WORKER_HOLD === '1') {
    // After the ready message, as the real worker reports an invocation it received.
    setTimeout(() => {
      process.send?.({
        type: 'invocation',
        phase: 'start',
        messages: [{ messageId: `m-${process.pid}`, receiptHandle: `rh-${process.pid}` }],
      });
    }, 100);
  }
  return { data: { pid: process.pid }, stop: async () => undefined };
});
