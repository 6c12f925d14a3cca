/**
 * S3ResultStore with one AbortSignal shared by many requests (memory/fixes/0074): a chunk's ten or more
 * part uploads share its writer's signal, the finaliser's parts and ranged reads the assembly's. The
 * store adds one listener per signal, not one per request, so Node never warns of a leak
 * (MaxListenersExceededWarning at more than 10), and an abort still stops every request. Against fauxqs.
 */
import { getEventListeners } from 'node:events';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients, S3ResultStore } from '../../lib/infrastructure/index.js';
import { useAwsEnv } from '../support/aws-env.js';

const env = useAwsEnv();
const store = new S3ResultStore(createAwsClients().s3, env.RESULTS_BUCKET);
const prefix = `shared-signal-test/${Date.now()}/`;

let warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
beforeEach(() => {
  warnings = [];
  process.on('warning', onWarning);
});
afterEach(() => {
  process.off('warning', onWarning);
});

/** Lets a warning emitted on the next tick arrive. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A stream of `size` bytes that ends only once `release` is called (an upload held in flight). */
function heldStream(size: number): { stream: Readable; release: () => void } {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let sent = false;
  const stream = new Readable({
    read() {
      if (sent) return;
      sent = true;
      void held.then(() => {
        this.push(Buffer.alloc(size, 7));
        this.push(null);
      });
    },
  });
  return { stream, release };
}

describe('S3ResultStore with a shared abort signal', () => {
  it('runs 24 uploads, 12 PUTs and 12 ranged reads on one signal with one abort listener and no leak warning', async () => {
    // Prepare
    const controller = new AbortController();
    const { signal } = controller;
    await store.put(`${prefix}source`, Buffer.alloc(4_096, 3), { contentType: 'application/octet-stream' });
    const held = Array.from({ length: 24 }, () => heldStream(1_024));

    // Act: every upload in flight at once, then PUTs and reads on the same signal.
    const uploads = held.map(({ stream }, i) =>
      store.upload(`${prefix}upload-${i}`, stream, { contentType: 'text/plain', signal }),
    );
    await nextTurn();
    const listenersInFlight = getEventListeners(signal, 'abort').length;
    for (const { release } of held) release();
    await Promise.all(uploads);
    await Promise.all([
      ...Array.from({ length: 12 }, (_, i) =>
        store.put(`${prefix}put-${i}`, Buffer.from(`put ${i}`), { contentType: 'text/plain', signal }),
      ),
      ...Array.from({ length: 12 }, (_, i) => store.readRange(`${prefix}source`, i, i + 100, signal)),
    ]);
    await nextTurn();

    // Assert
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    expect(listenersInFlight).toBe(1);
    expect(await store.list(`${prefix}upload-`)).toHaveLength(24);
    expect((await store.readRange(`${prefix}upload-23`, 0, 1_024)).equals(Buffer.alloc(1_024, 7))).toBe(true);
  });

  it('still aborts every request in flight when the shared signal aborts', async () => {
    // Prepare
    const controller = new AbortController();
    const held = Array.from({ length: 12 }, () => heldStream(1_024));
    const uploads = held.map(({ stream }, i) =>
      store
        .upload(`${prefix}aborted-${i}`, stream, { contentType: 'text/plain', signal: controller.signal })
        .then(
          () => 'stored',
          () => 'aborted',
        ),
    );
    await nextTurn();

    // Act
    controller.abort(new Error('chunk stopped'));
    for (const { release } of held) release();
    const outcomes = await Promise.all(uploads);
    const late = await store
      .put(`${prefix}late`, Buffer.from('late'), { contentType: 'text/plain', signal: controller.signal })
      .then(
        () => 'stored',
        () => 'aborted',
      );
    await nextTurn();

    // Assert
    expect(outcomes).toEqual(Array(12).fill('aborted'));
    expect(late).toBe('aborted');
    expect(await store.list(`${prefix}aborted-`)).toEqual([]);
    expect(await store.list(`${prefix}late`)).toEqual([]);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});
