import { describe, expect, it } from 'vitest';
import { JobPoller, nextDelay, type Timers } from '../../../web/src/pages/jobs/job-poller.js';

/** Manual timers: the test decides when time passes. */
function fakeTimers() {
  const pending: { fn: () => void; ms: number; id: number }[] = [];
  let id = 0;
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      pending.push({ fn, ms, id: ++id });
      return id;
    },
    clearTimeout: (handle) => {
      const i = pending.findIndex((p) => p.id === handle);
      if (i >= 0) pending.splice(i, 1);
    },
  };
  return {
    timers,
    pending,
    /** Fires the next timer and lets the refresh promise settle. */
    async fire() {
      const next = pending.shift();
      if (!next) throw new Error('no timer pending');
      next.fn();
      await new Promise((r) => setTimeout(r, 0));
      return next.ms;
    },
  };
}

describe('job polling', () => {
  it('backs off 1 s ×1.5 up to 10 s', () => {
    // Prepare
    const delays: number[] = [];
    let d: number | null = null;

    // Act
    for (let i = 0; i < 9; i++) {
      d = nextDelay(d);
      delays.push(d);
    }

    // Assert
    expect(delays).toEqual([1000, 1500, 2250, 3375, 5063, 7595, 10000, 10000, 10000]);
  });

  it('keeps polling with growing delays while a job is active and stops when none is', async () => {
    // Prepare
    const clock = fakeTimers();
    const answers = [true, true, false];
    let calls = 0;
    const poller = new JobPoller({
      refresh: async () => answers[calls++],
      isHidden: () => false,
      timers: clock.timers,
    });

    // Act
    poller.wake();
    const waits = [await clock.fire(), await clock.fire(), await clock.fire()];

    // Assert
    expect(waits).toEqual([1000, 1500, 2250]);
    expect(calls).toBe(3);
    expect(clock.pending).toHaveLength(0);
  });

  it('never starts a refresh while one is in flight; a wake during it polls again right after', async () => {
    // Prepare
    const clock = fakeTimers();
    let release: (active: boolean) => void = () => undefined;
    let inFlight = 0;
    let maxInFlight = 0;
    let calls = 0;
    const poller = new JobPoller({
      refresh: () => {
        calls++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        return new Promise<boolean>((resolve) => {
          release = (a) => {
            inFlight--;
            resolve(a);
          };
        });
      },
      isHidden: () => false,
      timers: clock.timers,
    });

    // Act
    poller.pollNow();
    poller.pollNow();
    poller.wake();
    release(false);
    await new Promise((r) => setTimeout(r, 0));

    // Assert
    expect(calls).toBe(1);
    expect(maxInFlight).toBe(1);
    expect(clock.pending.map((p) => p.ms)).toEqual([1000]);
  });

  it('does not poll while the page is hidden and polls at once when it is shown again', async () => {
    // Prepare
    const clock = fakeTimers();
    let hidden = true;
    let calls = 0;
    const poller = new JobPoller({
      refresh: async () => {
        calls++;
        return true;
      },
      isHidden: () => hidden,
      timers: clock.timers,
    });

    // Act
    poller.wake();
    poller.pollNow();
    const whileHidden = { calls, timers: clock.pending.length };
    hidden = false;
    poller.pollNow();
    await new Promise((r) => setTimeout(r, 0));

    // Assert
    expect(whileHidden).toEqual({ calls: 0, timers: 0 });
    expect(calls).toBe(1);
    expect(clock.pending.map((p) => p.ms)).toEqual([1000]);
  });

  it('a failed refresh is retried with the backoff; stop() ends everything', async () => {
    // Prepare
    const clock = fakeTimers();
    let calls = 0;
    const poller = new JobPoller({
      refresh: async () => {
        calls++;
        throw new Error('network');
      },
      isHidden: () => false,
      timers: clock.timers,
    });

    // Act
    poller.wake();
    await clock.fire();
    const retry = clock.pending.map((p) => p.ms);
    poller.stop();

    // Assert
    expect(calls).toBe(1);
    expect(retry).toEqual([1500]);
    expect(clock.pending).toHaveLength(0);
  });
});
