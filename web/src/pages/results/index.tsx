/**
 * #/jobs/{id}: a completed job's results (charts from the job's summary, the paged patient table);
 * #/jobs/{id}/patients/{n}: one patient. The patients of an encrypted job, or of one that wrote
 * neither JSON nor NDJSON, cannot be read (the API answers 409): the page says so without asking, and
 * keeps the charts, which come from the summary made at generation time.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, call } from '../../api';
import { href, navigate } from '../../lib/router';
import type { PageProps } from '..';
import { JobPoller, pollWhileVisible } from '../jobs/job-poller';
import { isActive, patientsReadable } from '../jobs/job-view';
import { submitSameSeed } from '../jobs/same-seed';
import { JobCharts } from './job-charts';
import { PatientPage } from './patient-page';
import { PatientTable } from './patient-table';
import type { Job } from './results-model';
import './results.css';

/** The job, asked again while it is active (the jobs list's backoff), so its results appear when it ends. */
function useJob(jobId: string) {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let live = true;
    setJob(null);
    setError(null);
    const poller = new JobPoller({
      refresh: async () => {
        try {
          const j = await call(api.GET('/api/v1/jobs/{job_id}', { params: { path: { job_id: jobId } } }));
          if (live) setJob(j);
          return isActive(j);
        } catch (e) {
          if (live) setError(e instanceof ApiError ? e : new ApiError(String(e), 0, 'ERROR'));
          return false;
        }
      },
      isHidden: () => document.hidden,
    });
    poller.pollNow();
    const unfollow = pollWhileVisible(poller, document);
    return () => {
      live = false;
      unfollow();
      poller.stop();
    };
  }, [jobId]);
  return { job, error };
}

export function JobResultsPage({ route }: PageProps) {
  const jobId = route.segments[1] ?? '';
  const patient = route.segments[2] === 'patients' ? (route.segments[3] ?? '') : null;
  const { job, error } = useJob(jobId);

  useEffect(() => {
    if (job)
      document.title = `${patient === null ? 'Results' : `Patient ${patient}`} · ${job.config.name} · Patient Generator`;
  }, [job, patient]);

  if (error) {
    return (
      <div class="results-page">
        <Crumbs />
        <h1>Results</h1>
        <p class="error" role="alert">
          {error.message}
        </p>
      </div>
    );
  }
  if (!job) {
    return (
      <div class="results-page">
        <Crumbs />
        <p class="muted" role="status">
          Loading the job…
        </p>
      </div>
    );
  }
  if (patient !== null && patientsReadable(job)) {
    return <PatientPage job={job} id={patient} />;
  }
  return <JobOverview job={job} query={route.query} />;
}

function Crumbs({ job }: { job?: Job }) {
  return (
    <nav class="crumbs" aria-label="Breadcrumb">
      <a href={href('jobs')}>Jobs</a>
      {job && (
        <>
          <span aria-hidden="true"> › </span>
          <span aria-current="page">{job.config.name}</span>
        </>
      )}
    </nav>
  );
}

function JobOverview({ job, query }: { job: Job; query: URLSearchParams }) {
  const completed = job.status === 'completed';
  const encrypted = job.config.use_encryption;
  const readable = patientsReadable(job);
  return (
    <div class="results-page">
      <Crumbs job={job} />
      <div class="results-head">
        <h1>Results: {job.config.name}</h1>
        {readable && (
          <a class="button secondary" href={`${href('viewer')}?job=${encodeURIComponent(job.job_id)}`}>
            Open in flow viewer
          </a>
        )}
      </div>
      <p class="results-meta muted">
        {job.config.total_patients.toLocaleString('en-GB')} patients · seed <code>{String(job.seed)}</code> ·
        job <code>{job.job_id}</code>
        {job.completed_at ? ` · ${job.status} ${job.completed_at.slice(0, 16).replace('T', ' ')} UTC` : ''}
      </p>
      {isActive(job) && (
        <p class="notice" role="status">
          This job is <strong>{job.status}</strong>. Its results appear here when it has completed;{' '}
          <a href={href('jobs')}>follow it on the jobs list</a>.
        </p>
      )}
      {!completed && !isActive(job) && (
        <p class="notice" role="status">
          {job.status === 'failed' ? 'This job ' : 'This job was '}
          <strong>{job.status}</strong>
          {job.status === 'failed' && job.error ? ` (${job.error.message})` : ''}, so it has no results. To
          run it again, use “Same seed again” on the <a href={href('jobs')}>jobs list</a>.
        </p>
      )}
      {completed && job.summary && <JobCharts summary={job.summary} />}
      {completed && !job.summary && <p class="muted">This job has no summary.</p>}
      {completed && encrypted && (
        <section class="notice encrypted" aria-labelledby="encrypted-title">
          <h2 id="encrypted-title">Patients are encrypted</h2>
          <p>
            This job's files are encrypted with your password, which the server does not keep, so it cannot
            read them to list patients here. Download the ZIP from the jobs list and decrypt the files with{' '}
            <code>milmed decrypt</code>; the <a href={href('viewer')}>flow viewer</a> opens a decrypted{' '}
            <code>patients.json</code>.
          </p>
        </section>
      )}
      {completed && !encrypted && !readable && <NoPatientsFile job={job} />}
      {completed && readable && <PatientTable job={job} query={query} />}
    </div>
  );
}

/**
 * A job that wrote neither JSON nor NDJSON: what it wrote, and its patients one click away, since the
 * same scenario and seed give the same patients in every format.
 */
function NoPatientsFile({ job }: { job: Job }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const files = job.output_files.filter((f) => f.format !== 'zip').map((f) => f.file_name);
  const generate = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const created = await submitSameSeed(job, null, ['json']);
      navigate(`${href('jobs')}?job=${encodeURIComponent(created)}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };
  return (
    <section class="notice" aria-labelledby="no-patients-file-title">
      <h2 id="no-patients-file-title">Patients are read from JSON or NDJSON</h2>
      <p>
        The patient table, the patient pages and the flow viewer read a job's <code>patients.json</code> or{' '}
        <code>patients.ndjson</code>; this job wrote{' '}
        {files.map((name, i) => (
          <span key={name}>
            {i > 0 && (i === files.length - 1 ? ' and ' : ', ')}
            <code>{name}</code>
          </span>
        ))}
        . The charts above come from the summary made while it ran. The same scenario and seed give the same
        patients in every format:
      </p>
      {/* Busy: aria-disabled, not disabled, which would drop the keyboard focus (fix 0120). */}
      <button type="button" onClick={() => void generate()} aria-disabled={busy ? 'true' : undefined}>
        Generate the same patients as JSON
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
