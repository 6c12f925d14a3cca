/**
 * Polling of the jobs list, DOM-free (test/unit/web/jobs-poller.test.ts): while a job is active it
 * refreshes after 1 s, then 1.5 s, 2.25 s ... up to 10 s; it stops when no job is active, waits while
 * the page is hidden, and never starts a request before the previous one has answered.
 * memory/decisions/0710-console-scenario-and-jobs.md.
 */

export const POLL_FIRST_MS = 1000;
export const POLL_FACTOR = 1.5;
export const POLL_MAX_MS = 10_000;

export function nextDelay(previous: number | null): number {
  if (previous === null) return POLL_FIRST_MS;
  return Math.min(POLL_MAX_MS, Math.round(previous * POLL_FACTOR));
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PollerDeps {
  /** One refresh; resolves true while something is still active (keep polling). */
  readonly refresh: () => Promise<boolean>;
  readonly isHidden: () => boolean;
  readonly timers?: Timers;
}

export class JobPoller {
  private timer: unknown = null;
  private delay: number | null = null;
  private inFlight = false;
  /** A wake() arrived during a request: poll again right after it. */
  private again = false;
  private stopped = false;
  private readonly timers: Timers;

  constructor(private readonly deps: PollerDeps) {
    this.timers = deps.timers ?? {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
  }

  /** Something changed (a job was submitted or cancelled, the page became visible): poll soon, from 1 s again. */
  wake(): void {
    if (this.stopped) return;
    this.delay = null;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.schedule();
  }

  /** Polls now (the page became visible): the state may be minutes old. */
  pollNow(): void {
    if (this.stopped || this.deps.isHidden()) return;
    this.delay = null;
    this.clear();
    void this.tick();
  }

  /** The page went hidden: no timer runs until pollNow() or wake(). */
  pause(): void {
    this.clear();
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  get scheduled(): boolean {
    return this.timer !== null;
  }

  private clear(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.clear();
    if (this.stopped || this.deps.isHidden()) return;
    this.delay = nextDelay(this.delay);
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.tick();
    }, this.delay);
  }

  private async tick(): Promise<void> {
    if (this.inFlight || this.stopped) return;
    if (this.deps.isHidden()) return;
    this.inFlight = true;
    let active = true;
    try {
      active = await this.deps.refresh();
    } catch {
      // A failed refresh (network, 5xx) is retried with the same backoff; the page shows the error.
      active = true;
    } finally {
      this.inFlight = false;
    }
    if (this.stopped) return;
    if (this.again) {
      this.again = false;
      this.delay = null;
      this.schedule();
    } else if (active) this.schedule();
  }
}

/** What `pollWhileVisible` needs of the page: `document` in the browser. */
export interface VisibilitySource {
  readonly hidden: boolean;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

/** Pauses `poller` while the page is hidden and polls at once when it shows again; returns the removal. */
export function pollWhileVisible(poller: JobPoller, page: VisibilitySource): () => void {
  const onVisibility = () => (page.hidden ? poller.pause() : poller.pollNow());
  page.addEventListener('visibilitychange', onVisibility);
  return () => page.removeEventListener('visibilitychange', onVisibility);
}
