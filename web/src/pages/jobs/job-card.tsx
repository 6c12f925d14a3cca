/** One job in the list: status, phase, progress, actions, and its seed and scenario one click away. */
import { useState } from 'preact/hooks';
import { ProgressBar, ScrollBox } from '../../components';
import { href } from '../../lib/router';
import { downloadHref, downloadJob } from './download';
import {
  type FileChecksum,
  fileChecksums,
  formatBytes,
  formatDownloads,
  isActive,
  type Job,
  PHASE_LABELS,
  patientsReadable,
  progressPercent,
  progressText,
  summaryText,
} from './job-view';
import { jobScenario } from './same-seed';

export interface JobCardProps {
  readonly job: Job;
  readonly highlight: boolean;
  readonly onCancel: (job: Job) => void;
  readonly onDelete: (job: Job) => void;
  readonly onSameSeed: (job: Job) => void;
  readonly onOpenInEditor: (job: Job, scenario: Record<string, unknown>) => void;
  readonly onError: (message: string) => void;
}

const STATUS_LABEL: Record<Job['status'], string> = {
  pending: 'Pending',
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

function when(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ');
}

function Details({ job, onOpen }: { job: Job; onOpen: (scenario: Record<string, unknown>) => void }) {
  const [scenario, setScenario] = useState<Record<string, unknown> | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const c = job.config;
  const onToggle = (e: Event) => {
    if (!(e.currentTarget as HTMLDetailsElement).open || scenario !== undefined) return;
    jobScenario(job).then(setScenario, (err: Error) => setError(err.message));
  };
  return (
    <details class="job-details" onToggle={onToggle}>
      <summary>
        Seed <code>{String(job.seed)}</code> and scenario
      </summary>
      <dl class="job-facts">
        <dt>Seed</dt>
        <dd>
          <code>{String(job.seed)}</code>
        </dd>
        <dt>Formats</dt>
        <dd>
          {c.output_formats.join(', ')}
          {c.use_compression ? ' · gzip' : ''}
          {c.use_encryption ? ' · encrypted' : ''}
        </dd>
        <dt>Configuration</dt>
        <dd>
          {c.configuration_id ? (
            <>
              <code>{c.configuration_id}</code>
              {c.configuration_version !== null ? ` version ${c.configuration_version}` : ''}
            </>
          ) : (
            'inline scenario'
          )}
        </dd>
        <dt>Patients</dt>
        <dd>{c.total_patients.toLocaleString('en-GB')}</dd>
        <dt>Job id</dt>
        <dd>
          <code>{job.job_id}</code>
        </dd>
        {fileChecksums(job).map((f) => (
          <Checksum key={f.fileName} file={f} />
        ))}
      </dl>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {scenario === undefined && !error && <p class="muted">Loading the scenario…</p>}
      {scenario !== undefined && (
        <>
          <ScrollBox class="scenario-json" label="Scenario of the job">
            <pre>{JSON.stringify(scenario, null, 2)}</pre>
          </ScrollBox>
          <button type="button" class="secondary small" onClick={() => onOpen(scenario)}>
            Open in the scenario editor
          </button>
        </>
      )}
    </details>
  );
}

export function JobCard({
  job,
  highlight,
  onCancel,
  onDelete,
  onSameSeed,
  onOpenInEditor,
  onError,
}: JobCardProps) {
  const active = isActive(job);
  const name = job.config.name;
  const download = (format: string) => (e: Event) => {
    e.preventDefault();
    downloadJob(job.job_id, format).catch((err: Error) => onError(`Download of ${name}: ${err.message}`));
  };
  const labelId = `job-${job.job_id}-name`;
  return (
    <li
      class={`job-card status-${job.status}${highlight ? ' highlight' : ''}`}
      aria-labelledby={labelId}
      data-job-id={job.job_id}
    >
      <div class="job-head">
        {/* tabIndex -1: the list puts the focus here after Generate, Cancel or Delete (fix 0121). */}
        <h2 id={labelId} class="job-name" tabIndex={-1}>
          {name}
        </h2>
        <span class={`status-badge status-${job.status}`}>{STATUS_LABEL[job.status]}</span>
        <span class="muted job-meta">
          {job.config.total_patients.toLocaleString('en-GB')} patients · created {when(job.created_at)} UTC ·{' '}
          <code title={job.job_id}>{job.job_id.slice(0, 8)}</code>
        </span>
      </div>
      {active && (
        <div class="job-progress">
          <ProgressBar
            value={progressPercent(job)}
            label={`Progress of job ${name}`}
            valueText={`${progressPercent(job)}%, ${PHASE_LABELS[job.progress_details.phase]}`}
          />
          <span class="progress-text">
            {progressPercent(job)}% · {progressText(job)}
          </span>
        </div>
      )}
      {job.status === 'failed' && job.error && (
        <p class="job-error">
          <strong>Failed:</strong> {job.error.message} <span class="muted">({job.error.code})</span>
        </p>
      )}
      {job.status === 'completed' && job.summary && <SummaryLine summary={job.summary} />}
      <div class="job-actions">
        {job.status === 'completed' && (
          <>
            <a class="button" href={downloadHref(job.job_id, 'zip')} onClick={download('zip')}>
              Download ZIP
            </a>
            {formatDownloads(job).map((f) => (
              <a
                key={f.format}
                class="button secondary"
                href={downloadHref(job.job_id, f.format)}
                onClick={download(f.format)}
              >
                <span class="visually-hidden">Download </span>
                {f.fileName} <span class="size">{formatBytes(f.size)}</span>
              </a>
            ))}
            {patientsReadable(job) && (
              <a class="button secondary" href={`${href('viewer')}?job=${encodeURIComponent(job.job_id)}`}>
                Timeline
              </a>
            )}
            <a class="button secondary" href={href('jobs', job.job_id)}>
              Results
            </a>
          </>
        )}
        <span class="spacer" />
        {active && (
          <button
            type="button"
            class="danger"
            onClick={() => onCancel(job)}
            aria-label={`Cancel job ${name}`}
          >
            Cancel
          </button>
        )}
        {!active && (
          <button
            type="button"
            class="secondary"
            onClick={() => onSameSeed(job)}
            aria-label={`Same seed again: ${name}`}
          >
            Same seed again
          </button>
        )}
        {!active && (
          <button
            type="button"
            class="danger"
            onClick={() => onDelete(job)}
            aria-label={`Delete job ${name}`}
          >
            Delete
          </button>
        )}
      </div>
      <Details job={job} onOpen={(scenario) => onOpenInEditor(job, scenario)} />
    </li>
  );
}

/** A file's size and checksum; the part sizes (what a check of sha256-of-parts needs) on request. */
function Checksum({ file }: { file: FileChecksum }) {
  return (
    <>
      <dt>{file.fileName}</dt>
      <dd class="file-checksum">
        {formatBytes(file.size)} ({file.size.toLocaleString('en-GB')} bytes) · {file.label}{' '}
        <code title={file.value}>{file.value}</code>
        {file.partSizes && (
          <details>
            <summary>Part sizes</summary>
            <code>{file.partSizes.join(' ')}</code>
          </details>
        )}
      </dd>
    </>
  );
}

function SummaryLine({ summary }: { summary: Record<string, unknown> }) {
  const text = summaryText(summary);
  return text ? <p class="job-summary">{text}</p> : null;
}
