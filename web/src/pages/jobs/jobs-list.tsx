/**
 * #/jobs: the caller's jobs, newest first, cursor-paged ("Load more"), refreshed by JobPoller while a
 * job is active (backoff 1 s → 10 s, paused while the tab is hidden, one request at a time).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, call } from '../../api';
import { ConfirmDialog, Dialog } from '../../components';
import { focusAtPageStart } from '../../lib/focus';
import { href, navigate } from '../../lib/router';
import { editorStore } from '../scenario/editor-store';
import { draftFromConfiguration } from '../scenario/scenario-model';
import { JobCard } from './job-card';
import { JobPoller, pollWhileVisible } from './job-poller';
import { appendPage, isActive, type Job, mergeJobs } from './job-view';
import { takeSubmittedJob } from './just-submitted';
import { submitSameSeed } from './same-seed';
import './jobs.css';

const PAGE_SIZE = 20;

export function JobsList({ highlight }: { highlight: string | null }) {
  const [initial] = useState<readonly Job[]>(() => {
    const submitted = takeSubmittedJob(highlight);
    return submitted ? [submitted] : [];
  });
  const [jobs, setJobs] = useState<readonly Job[]>(initial);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [toDelete, setToDelete] = useState<Job | null>(null);
  const [reseed, setReseed] = useState<Job | null>(null);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const jobsRef = useRef<readonly Job[]>(initial);
  const pollerRef = useRef<JobPoller | null>(null);
  const loadedRef = useRef(false);

  const update = (next: readonly Job[]) => {
    jobsRef.current = next;
    setJobs(next);
  };

  /** One poll: the first page (new jobs, updates), plus active jobs further down, one by one. */
  const refresh = async (): Promise<boolean> => {
    const page = await call(api.GET('/api/v1/jobs', { params: { query: { limit: PAGE_SIZE } } }));
    const onPage = new Set(page.jobs.map((j) => j.job_id));
    const further: Job[] = [];
    const gone = new Set<string>();
    for (const job of jobsRef.current) {
      if (onPage.has(job.job_id) || !isActive(job)) continue;
      try {
        further.push(
          await call(api.GET('/api/v1/jobs/{job_id}', { params: { path: { job_id: job.job_id } } })),
        );
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) gone.add(job.job_id);
        else throw e;
      }
    }
    const next = mergeJobs(jobsRef.current, [...page.jobs, ...further], gone);
    update(next);
    if (!loadedRef.current) setCursor(page.next_cursor);
    loadedRef.current = true;
    setLoaded(true);
    setError(null);
    return next.some(isActive);
  };

  useEffect(() => {
    const poller = new JobPoller({
      refresh: () =>
        refresh().catch((e: unknown) => {
          setError(e instanceof Error ? e.message : String(e));
          throw e;
        }),
      isHidden: () => document.hidden,
    });
    pollerRef.current = poller;
    poller.pollNow();
    const unfollow = pollWhileVisible(poller, document);
    return () => {
      unfollow();
      poller.stop();
    };
  }, []);

  // A job just submitted (Generate, Same seed again): the focus goes to it, unless the planner has
  // already moved it elsewhere; then it is only scrolled into view.
  useEffect(() => {
    if (!highlight || !loaded) return;
    const heading = document.getElementById(`job-${highlight}-name`);
    if (focusAtPageStart()) heading?.focus();
    else heading?.scrollIntoView({ block: 'nearest' });
  }, [highlight, loaded]);

  // The control that had the focus in a job's card went away (Cancel once the job stopped, the whole
  // card after Delete): the focus goes to that job's heading, else to the job now in its place, else to
  // the page's heading, instead of the document's start (fix 0121).
  const focused = useRef<{ element: Element; jobId: string | null; index: number } | null>(null);
  const onFocusIn = (event: FocusEvent) => {
    const element = event.target as Element;
    const jobId = element.closest('[data-job-id]')?.getAttribute('data-job-id') ?? null;
    focused.current = { element, jobId, index: jobsRef.current.findIndex((j) => j.job_id === jobId) };
  };
  useEffect(() => {
    const last = focused.current;
    if (!last?.jobId || last.element.isConnected || !focusAtPageStart()) return;
    focused.current = null;
    const list = jobsRef.current;
    const stays = list.some((j) => j.job_id === last.jobId);
    const next = stays ? last.jobId : list[Math.min(last.index, list.length - 1)]?.job_id;
    (next ? document.getElementById(`job-${next}-name`) : document.getElementById('jobs-title'))?.focus();
  });

  // "Load more" moves the focus to the first job it added (and was removed with the last page, which
  // dropped the focus to the page's start): the planner reads on from there (fix 0127). Only a render
  // that shows that job takes it: an earlier render's effect may run first (fix 0352).
  const firstLoaded = useRef<string | null>(null);
  useEffect(() => {
    const jobId = firstLoaded.current;
    const heading = jobId ? document.getElementById(`job-${jobId}-name`) : null;
    if (!heading) return;
    firstLoaded.current = null;
    heading.focus();
  });

  const loadMore = async () => {
    if (!cursor) return;
    try {
      const page = await call(api.GET('/api/v1/jobs', { params: { query: { limit: PAGE_SIZE, cursor } } }));
      const shown = new Set(jobsRef.current.map((j) => j.job_id));
      firstLoaded.current = page.jobs.find((j) => !shown.has(j.job_id))?.job_id ?? null;
      update(appendPage(jobsRef.current, page.jobs));
      setCursor(page.next_cursor);
      if (page.jobs.some(isActive)) pollerRef.current?.wake();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const cancel = async (job: Job) => {
    try {
      const updated = await call(
        api.POST('/api/v1/jobs/{job_id}/cancel', { params: { path: { job_id: job.job_id } } }),
      );
      update(
        jobsRef.current.map((j) => (j.job_id === job.job_id ? { ...j, ...(updated as Partial<Job>) } : j)),
      );
      setNotice(`Cancelling ${job.config.name}.`);
      pollerRef.current?.wake();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const remove = async (job: Job) => {
    setToDelete(null);
    try {
      await call(api.DELETE('/api/v1/jobs/{job_id}', { params: { path: { job_id: job.job_id } } }));
      update(jobsRef.current.filter((j) => j.job_id !== job.job_id));
      setNotice(`Deleted ${job.config.name} and its files.`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const sameSeed = async (job: Job, pw: string | null) => {
    setBusy(true);
    try {
      // The scenario as the job ran it, so the bytes are the same even if its preset or stored
      // configuration changed or went away since.
      const created = await submitSameSeed(job, pw);
      setReseed(null);
      setNotice(`Submitted ${job.config.name} again with seed ${String(job.seed)}.`);
      navigate(`${href('jobs')}?job=${encodeURIComponent(created)}`);
      pollerRef.current?.wake();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setPassword('');
      setBusy(false);
    }
  };

  const openInEditor = (job: Job, scenario: Record<string, unknown>) => {
    const draft = draftFromConfiguration(scenario);
    editorStore.set({
      draft,
      origin: { kind: 'job', id: job.job_id },
      baseline: draft,
      seed: String(job.seed),
    });
    navigate(href('scenario'));
  };

  const activeCount = jobs.filter(isActive).length;

  return (
    <div class="jobs-page" onFocusIn={onFocusIn}>
      <div class="page-head">
        <h1 id="jobs-title" tabIndex={-1}>
          Jobs
        </h1>
        <p class="muted" role="status">
          {loaded
            ? `${jobs.length} job${jobs.length === 1 ? '' : 's'}${cursor ? ' shown' : ''}${activeCount ? ` · ${activeCount} in progress, refreshing` : ''}`
            : error
              ? 'The jobs could not be loaded; trying again…'
              : 'Loading…'}
        </p>
        <a class="button secondary" href={href('scenario')}>
          New scenario
        </a>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {loaded && jobs.length === 0 && (
        <div class="card empty">
          <p>No jobs yet. Build a scenario and press Generate.</p>
          <a class="button" href={href('scenario')}>
            Go to the scenario editor
          </a>
        </div>
      )}
      <ul class="job-list">
        {jobs.map((job) => (
          <JobCard
            key={job.job_id}
            job={job}
            highlight={job.job_id === highlight}
            onCancel={cancel}
            onDelete={setToDelete}
            onSameSeed={(j) => (j.config.use_encryption ? setReseed(j) : void sameSeed(j, null))}
            onOpenInEditor={openInEditor}
            onError={setError}
          />
        ))}
      </ul>
      {cursor && (
        <button type="button" class="secondary" onClick={loadMore}>
          Load more
        </button>
      )}
      <ConfirmDialog
        open={toDelete !== null}
        title="Delete this job?"
        message={
          toDelete
            ? `“${toDelete.config.name}” (${toDelete.job_id.slice(0, 8)}) and its files will be deleted. This cannot be undone.`
            : ''
        }
        confirmLabel="Delete job"
        danger
        onCancel={() => setToDelete(null)}
        onConfirm={() => toDelete && void remove(toDelete)}
      />
      <Dialog
        open={reseed !== null}
        title="Same seed again (encrypted)"
        onClose={() => {
          setReseed(null);
          setPassword('');
        }}
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (reseed && password.length >= 8 && !busy) void sameSeed(reseed, password);
          }}
        >
          <p>This job's files were encrypted. Enter a password for the new files (at least 8 characters).</p>
          <label for="reseed-password">Encryption password</label>
          <input
            id="reseed-password"
            type="password"
            autocomplete="new-password"
            minLength={8}
            value={password}
            onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
          />
          <div class="dialog-actions">
            <button
              type="button"
              class="secondary"
              onClick={() => {
                setReseed(null);
                setPassword('');
              }}
            >
              Cancel
            </button>
            <button type="submit" disabled={password.length < 8} aria-disabled={busy ? 'true' : undefined}>
              Generate again
            </button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
