import { describe, expect, it } from 'vitest';
import {
  appendPage,
  fileChecksums,
  formatBytes,
  formatDownloads,
  isActive,
  type Job,
  mergeJobs,
  patientsReadable,
  progressText,
  sameSeedRequest,
  summaryText,
} from '../../../web/src/pages/jobs/job-view.js';
import { handOverSubmittedJob, takeSubmittedJob } from '../../../web/src/pages/jobs/just-submitted.js';

function job(id: string, over: Partial<Job> = {}): Job {
  return {
    job_id: id,
    status: 'completed',
    progress: 100,
    progress_details: { phase: 'done', patients_generated: 20, total_patients: 20 },
    config: {
      configuration_id: 'training_exercise',
      configuration_version: null,
      configuration: null,
      name: 'Training Exercise',
      total_patients: 20,
      output_formats: ['json', 'csv'],
      use_compression: false,
      use_encryption: false,
      priority: 'normal',
      seed: 7,
    },
    error: null,
    output_files: [
      {
        format: 'json',
        file_name: 'patients.json',
        content_type: 'application/json',
        size_bytes: 2048,
        sha256: '',
      },
      {
        format: 'zip',
        file_name: 'patients.zip',
        content_type: 'application/zip',
        size_bytes: 900,
        sha256: '',
      },
    ],
    summary: null,
    seed: 7,
    created_at: `2026-01-01T00:00:0${id}.000Z`,
    updated_at: '2026-01-01T00:00:00.000Z',
    completed_at: null,
    ...over,
  };
}

describe('jobs list', () => {
  it('pending, queued and running jobs are active; finished ones are not', () => {
    // Prepare
    const statuses = ['pending', 'queued', 'running', 'completed', 'failed', 'cancelled'] as const;

    // Act
    const active = statuses.filter((status) => isActive({ status }));

    // Assert
    expect(active).toEqual(['pending', 'queued', 'running']);
  });

  it('a refresh updates listed jobs, puts new ones on top and drops jobs that are gone', () => {
    // Prepare
    const current = [job('2', { status: 'running', progress: 10 }), job('1')];
    const fresh = [job('3', { status: 'queued' }), job('2', { status: 'running', progress: 60 })];

    // Act
    const merged = mergeJobs(current, fresh, new Set(['1']));

    // Assert
    expect(merged.map((j) => [j.job_id, j.progress])).toEqual([
      ['3', 100],
      ['2', 60],
    ]);
  });

  it('a further page skips jobs already shown', () => {
    // Prepare
    const current = [job('3'), job('2')];

    // Act
    const all = appendPage(current, [job('2'), job('1')]);

    // Assert
    expect(all.map((j) => j.job_id)).toEqual(['3', '2', '1']);
  });

  it('single-file downloads list each format but not the ZIP', () => {
    // Prepare / Act
    const files = formatDownloads(job('1'));

    // Assert
    expect(files).toEqual([{ format: 'json', fileName: 'patients.json', size: 2048 }]);
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
  });

  it("lists each file's checksum: sha256-of-parts with its part sizes, or a one-pass job's SHA-256", () => {
    // Prepare
    const value = 'ab'.repeat(32);
    const chunked = job('1', {
      output_files: [
        {
          format: 'json',
          file_name: 'patients.json.gz',
          content_type: 'application/gzip',
          size_bytes: 30,
          checksum: { algorithm: 'sha256-of-parts', part_sizes: [10, 12, 8], value },
        },
        {
          format: 'zip',
          file_name: 'patients.zip',
          content_type: 'application/zip',
          size_bytes: 7,
          checksum: { algorithm: 'sha256-of-parts', part_sizes: [7], value },
        },
        {
          format: 'csv',
          file_name: 'patients.csv',
          content_type: 'text/csv',
          size_bytes: 5,
          sha256: 'cd'.repeat(32),
        },
        { format: 'xml', file_name: 'patients.xml', content_type: 'application/xml', size_bytes: 5 },
      ],
    });

    // Act
    const sums = fileChecksums(chunked);

    // Assert
    expect(sums).toEqual([
      {
        fileName: 'patients.json.gz',
        size: 30,
        label: 'sha256-of-parts, 3 parts',
        value,
        partSizes: [10, 12, 8],
      },
      { fileName: 'patients.zip', size: 7, label: 'sha256-of-parts, 1 part', value, partSizes: [7] },
      { fileName: 'patients.csv', size: 5, label: 'SHA-256', value: 'cd'.repeat(32) },
    ]);
  });

  it('patients are readable from a JSON or NDJSON file of an unencrypted job only', () => {
    // Prepare
    const withFormats = (output_formats: string[], use_encryption = false) =>
      job('a', { config: { ...job('a').config, output_formats, use_encryption } });

    // Act
    const readable = {
      json: patientsReadable(withFormats(['json', 'csv'])),
      ndjson: patientsReadable(withFormats(['ndjson'])),
      csvAndXml: patientsReadable(withFormats(['csv', 'xml'])),
      fhir: patientsReadable(withFormats(['fhir'])),
      encryptedJson: patientsReadable(withFormats(['json'], true)),
    };

    // Assert
    expect(readable).toEqual({
      json: true,
      ndjson: true,
      csvAndXml: false,
      fhir: false,
      encryptedJson: false,
    });
  });

  it('progress reads as patients done of total and the phase', () => {
    // Prepare
    const running = job('1', {
      status: 'running',
      progress_details: { phase: 'generating', patients_generated: 1500, total_patients: 5000 },
    });

    // Act / Assert
    expect(progressText(running)).toBe('1,500 of 5,000 patients · Generating patients');
  });

  it("a completed job's outcome and triage counts read with thousands grouped, DOW apart from KIA", () => {
    // Prepare
    const summary = {
      final_status: { KIA: 3652, RTD: 18878, Remains_Role4: 2470 },
      status: { KIA: 3045, DOW: 607, RTD: 18878, Remains_Role4: 2470 },
      triage_category: { T1: 6810, T2: 10217, T3: 7973 },
    };
    const older = { final_status: { KIA: 12, RTD: 80 } };

    // Act
    const line = summaryText(summary);
    const olderLine = summaryText(older);

    // Assert
    expect(line).toBe(
      'KIA 3,045 · DOW 607 · RTD 18,878 · Role 4 2,470 · triage T1 6,810 / T2 10,217 / T3 7,973',
    );
    expect(olderLine).toBe('KIA 12 · DOW 0 · RTD 80 · Role 4 0');
    expect(summaryText(null)).toBeNull();
  });
});

describe('same seed again', () => {
  it('re-submits the scenario the job ran, inline, with its seed, patient count, formats and options', () => {
    // Prepare: a preset job and the scenario it ran (its own copy)
    const done = job('1');
    const ran = { name: 'Training Exercise', total_patients: 20 };

    // Act
    const request = sameSeedRequest(done, ran, null);

    // Assert: never the preset's id, which a later release may tune
    expect(request).toEqual({
      configuration: ran,
      total_patients: 20,
      output_formats: ['json', 'csv'],
      use_compression: false,
      use_encryption: false,
      priority: 'normal',
      seed: 7,
    });
  });

  it('sends a new password for an encrypted job, and none for a job that was not encrypted', () => {
    // Prepare
    const encrypted = job('1', { config: { ...job('1').config, use_encryption: true }, seed: 'exercise-7' });

    // Act
    const a = sameSeedRequest(encrypted, { name: 'Mine' }, 'new password');
    const b = sameSeedRequest(job('2'), { name: 'Mine' }, 'ignored password');

    // Assert
    expect(a).toMatchObject({
      configuration: { name: 'Mine' },
      seed: 'exercise-7',
      encryption_password: 'new password',
    });
    expect(b).not.toHaveProperty('encryption_password');
  });
});

describe('a job handed over by the page that submitted it', () => {
  it('is shown by the jobs list opened for it, once, and never by a list opened for another job', () => {
    // Prepare
    const submitted = job('new-job', { status: 'pending', progress: 0 });

    // Act
    handOverSubmittedJob(submitted);
    const forOther = takeSubmittedJob('other-job');
    handOverSubmittedJob(submitted);
    const forIt = takeSubmittedJob('new-job');
    const again = takeSubmittedJob('new-job');

    // Assert
    expect(forOther).toBeNull();
    expect(forIt).toBe(submitted);
    expect(again).toBeNull();
  });
});
