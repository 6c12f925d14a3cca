/** What the jobs list shows of a job, DOM-free (test/unit/web/jobs-view.test.ts). */
import type { components } from '../../api/schema.js';

export type Job = components['schemas']['Job'];
export type JobStatus = Job['status'];

const ACTIVE: ReadonlySet<JobStatus> = new Set(['pending', 'queued', 'running']);

/** Still moving: shows a progress bar, can be cancelled, keeps the poller going. */
export function isActive(job: Pick<Job, 'status'>): boolean {
  return ACTIVE.has(job.status);
}

/** Whether these formats include one the console reads patients from: JSON or NDJSON. */
export function hasPatientRecords(formats: readonly string[]): boolean {
  return formats.some((f) => f === 'json' || f === 'ndjson');
}

/**
 * Whether the console can read the job's patients (the patient table, patient pages and the flow
 * viewer): only from a JSON or NDJSON file, and never from an encrypted one (the server does not keep
 * the password). Checked before asking, so such a job offers no page that can only fail.
 */
export function patientsReadable(job: Pick<Job, 'config'>): boolean {
  return !job.config.use_encryption && hasPatientRecords(job.config.output_formats);
}

export const PHASE_LABELS: Record<Job['progress_details']['phase'], string> = {
  queued: 'Queued',
  planning: 'Planning',
  generating: 'Generating patients',
  uploading: 'Uploading files',
  packaging: 'Packaging ZIP',
  done: 'Done',
};

export function progressPercent(job: Pick<Job, 'progress'>): number {
  return Math.max(0, Math.min(100, Math.round(job.progress)));
}

/** "1,234 of 5,000 patients · Generating patients" */
export function progressText(job: Job): string {
  const d = job.progress_details;
  return `${d.patients_generated.toLocaleString('en-GB')} of ${d.total_patients.toLocaleString('en-GB')} patients · ${PHASE_LABELS[d.phase]}`;
}

/**
 * The outcomes and triage of a completed job in one line, counts grouped as everywhere else on the
 * page ("KIA 3,045 · DOW 607 · RTD 18,878 · Role 4 2,470 · triage T1 6,810 / T2 10,217 / T3 7,973");
 * null without a summary. A job summarised before `status` existed counts its DOW under KIA.
 */
export function summaryText(summary: Record<string, unknown> | null | undefined): string | null {
  const final = summary?.final_status as Record<string, number> | undefined;
  if (!final) return null;
  const status = summary?.status as Record<string, number> | undefined;
  const triage = summary?.triage_category as Record<string, number> | undefined;
  const n = (count: number | undefined) => (count ?? 0).toLocaleString('en-GB');
  const outcomes = `KIA ${n(status?.KIA ?? final.KIA)} · DOW ${n(status?.DOW)} · RTD ${n(final.RTD)} · Role 4 ${n(final.Remains_Role4)}`;
  return triage
    ? `${outcomes} · triage T1 ${n(triage.T1)} / T2 ${n(triage.T2)} / T3 ${n(triage.T3)}`
    : outcomes;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/**
 * The list after a refresh: fresh copies replace the jobs they update, jobs new since the first load
 * go on top (newest first), jobs that are gone (deleted elsewhere) are kept only if `known` says so.
 */
export function mergeJobs(
  current: readonly Job[],
  fresh: readonly Job[],
  gone: ReadonlySet<string> = new Set(),
): Job[] {
  const byId = new Map(fresh.map((j) => [j.job_id, j]));
  const known = new Set(current.map((j) => j.job_id));
  const added = fresh.filter((j) => !known.has(j.job_id));
  const updated = current.filter((j) => !gone.has(j.job_id)).map((j) => byId.get(j.job_id) ?? j);
  return [...added, ...updated].sort((a, b) =>
    a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0,
  );
}

/** Appends a further page, skipping jobs already listed (a job created meanwhile shifts the pages). */
export function appendPage(current: readonly Job[], page: readonly Job[]): Job[] {
  const known = new Set(current.map((j) => j.job_id));
  return [...current, ...page.filter((j) => !known.has(j.job_id))];
}

/** Downloadable single files of a completed job: one per format, the ZIP excluded. */
export function formatDownloads(job: Job): { format: string; fileName: string; size: number }[] {
  return job.output_files
    .filter((f) => f.format !== 'zip')
    .map((f) => ({ format: f.format, fileName: f.file_name, size: f.size_bytes }));
}

export interface FileChecksum {
  readonly fileName: string;
  readonly size: number;
  /** "SHA-256", or "sha256-of-parts, 3 parts" (README "Verify a download"). */
  readonly label: string;
  readonly value: string;
  /** sha256-of-parts: the part sizes, in order, as a recipient's check needs them. */
  readonly partSizes?: readonly number[];
}

/**
 * Each file's checksum, the ZIP included: a whole-file SHA-256 (jobs written in one pass) or the
 * sha256-of-parts of a job assembled from chunks; files with neither are left out.
 */
export function fileChecksums(job: Pick<Job, 'output_files'>): FileChecksum[] {
  const out: FileChecksum[] = [];
  for (const f of job.output_files) {
    if (f.checksum) {
      const parts = f.checksum.part_sizes.length;
      out.push({
        fileName: f.file_name,
        size: f.size_bytes,
        label: `${f.checksum.algorithm}, ${parts} ${parts === 1 ? 'part' : 'parts'}`,
        value: f.checksum.value,
        partSizes: f.checksum.part_sizes,
      });
    } else if (f.sha256) {
      out.push({ fileName: f.file_name, size: f.size_bytes, label: 'SHA-256', value: f.sha256 });
    }
  }
  return out;
}

/**
 * The body of "Same seed again": the scenario the job ran (`jobScenario`: its inline configuration, or
 * its own copy from GET /jobs/{id}/scenario) sent inline, so a preset or stored configuration changed or
 * deleted since cannot change the patients; the job's patient count, formats, options and seed; a new
 * password when it was encrypted.
 */
export function sameSeedRequest(
  job: Job,
  scenario: { [key: string]: unknown },
  password: string | null,
): components['schemas']['GenerationRequest'] {
  const c = job.config;
  const request: components['schemas']['GenerationRequest'] = {
    configuration: scenario,
    total_patients: c.total_patients,
    output_formats: [...c.output_formats] as components['schemas']['GenerationRequest']['output_formats'],
    use_compression: c.use_compression,
    use_encryption: c.use_encryption,
    priority: c.priority,
    seed: job.seed,
  };
  if (c.use_encryption && password) request.encryption_password = password;
  return request;
}
