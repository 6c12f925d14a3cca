/**
 * #/jobs/{id}: a completed job's results (charts from the job's summary, the paged patient table);
 * #/jobs/{id}/patients/{n}: one patient. Encrypted jobs cannot be read by the API (409): the page
 * says so and keeps the charts, which come from the summary made at generation time.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, call } from '../../api';
import { href } from '../../lib/router';
import type { PageProps } from '..';
import { JobPoller, pollWhileVisible } from '../jobs/job-poller';
import { isActive } from '../jobs/job-view';
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
  if (patient !== null) {
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
  return (
    <div class="results-page">
      <Crumbs job={job} />
      <div class="results-head">
        <h1>Results: {job.config.name}</h1>
        <a class="button secondary" href={`${href('viewer')}?job=${encodeURIComponent(job.job_id)}`}>
          Open in flow viewer
        </a>
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
            <code>milmed decrypt</code>; the flow viewer opens a decrypted <code>patients.json</code>.
          </p>
        </section>
      )}
      {completed && !encrypted && <PatientTable job={job} query={query} />}
    </div>
  );
}
