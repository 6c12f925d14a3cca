/**
 * The results page's patient table keeps its view (filters, page, page size) in the address: Back
 * from a patient page and a reload show the same rows (fix 0108). A patient address that is not a
 * patient id says so with the id as typed (fix 0113). The results page of a job still running shows
 * its results once it completes, and a cancelled job's says it has none (fix 0111). A job that
 * wrote neither JSON nor NDJSON says so and offers its patients as JSON (fix 0222).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { draftFromConfiguration } from '../../../web/src/pages/scenario/scenario-model.js';
import {
  completedDefaultScenarioJob,
  expectAccessible,
  screenshot,
  signIn,
  stackApi,
  submitDefaultScenarioJob,
  untilCompleted,
  useConsoleHarness,
} from './harness.js';

const harness = useConsoleHarness();

const api = stackApi(harness);

let jobId = '';
let t1Count = 0;

/** A job of the default scenario with `patients` patients, as submitted (not waited for). */
const submit = (patients: number, seed: number) =>
  submitDefaultScenarioJob(api, { total_patients: patients, seed });

beforeAll(async () => {
  jobId = await completedDefaultScenarioJob(api, { total_patients: 60, seed: 5 });
  t1Count = (await api('GET', `/api/v1/jobs/${jobId}/results?triage=T1&per_page=1`)).total;
}, 120_000);

describe('console results: the patient table view', () => {
  it('a triage filter survives opening a patient and coming Back, and a reload', async () => {
    // Prepare: the results page filtered to T1
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    await page.goto(`${harness.stack.url}/#/jobs/${jobId}`);
    const triage = page.getByRole('combobox', { name: 'Triage', exact: true });
    const status = page.getByText(/matching patients?$/);
    await triage.selectOption('T1');
    await status.waitFor();

    // Act: a patient, then Back
    await page
      .getByRole('table', { name: /^Patients of / })
      .getByRole('link')
      .first()
      .click();
    await page.getByRole('heading', { name: 'Conditions', exact: true }).waitFor();
    await page.goBack();
    await status.waitFor();
    const afterBack = { triage: await triage.inputValue(), status: await status.textContent() };
    await current.settled();
    await page.reload();
    await status.waitFor();
    const afterReload = { triage: await triage.inputValue(), status: await status.textContent() };

    // Assert
    const expected = { triage: 'T1', status: `${t1Count} matching patient${t1Count === 1 ? '' : 's'}` };
    expect(afterBack).toEqual(expected);
    expect(afterReload).toEqual(expected);
  });

  it('a patient address that is not a whole patient id names it as typed and shows no patient', async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    const seen: { heading: string | null; alert: string | null }[] = [];

    // Act
    for (const id of ['abc', '-1', '3x']) {
      await page.goto(`${harness.stack.url}/#/jobs/${jobId}/patients/${id}`);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      seen.push({
        heading: await page.getByRole('heading', { level: 1 }).textContent(),
        alert: await alert.textContent(),
      });
    }

    // Assert
    expect(seen).toEqual(
      ['abc', '-1', '3x'].map((id) => ({
        heading: `Patient ${id}`,
        alert: `This job has no patient “${id}”: ids run from 0 to 59.`,
      })),
    );
  });
});

describe('console results: a job that is not completed', () => {
  it('the results page of a running job shows its results once it completes, without a reload', async () => {
    // Prepare: a job large enough to be still running when its page opens
    const id = await submit(40_000, 21);
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    await page.goto(`${harness.stack.url}/#/jobs/${id}`);
    await page.getByText(/^This job is (pending|queued|running)\./).waitFor();

    // Act: wait for the job to end
    const outcomes = page.getByRole('region', { name: 'Outcomes at a glance', exact: true });
    await outcomes.waitFor({ timeout: 150_000 });

    // Assert
    expect((await api('GET', `/api/v1/jobs/${id}`)).status).toBe('completed');
    expect(await page.getByText(/^This job is /).count()).toBe(0);
  }, 180_000);

  it('a cancelled job says it was cancelled and has no results, not that they will appear', async () => {
    // Prepare
    const id = await submit(150_000, 22);
    await api('POST', `/api/v1/jobs/${id}/cancel`);
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);

    // Act
    await page.goto(`${harness.stack.url}/#/jobs/${id}`);
    const notice = page.getByRole('status').filter({ hasText: 'This job' });
    await notice.waitFor();

    // Assert
    expect(await notice.textContent()).toContain('This job was cancelled, so it has no results.');
    expect(await page.getByText(/· completed \d/).count()).toBe(0);
  });
});

describe('console results: a job that wrote neither JSON nor NDJSON', () => {
  it('says where its patients can be read, offers no page that would fail, and generates the same patients as JSON', async () => {
    // Prepare: a completed CSV-only job
    const id = await completedDefaultScenarioJob(api, {
      total_patients: 40,
      seed: 77,
      name: 'CSV only job',
      output_formats: ['csv'],
    });
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    const notice = page.getByRole('region', { name: 'Patients are read from JSON or NDJSON', exact: true });

    // Act: its results page, a patient address, its card on the jobs list, then the notice's button
    await page.goto(`${harness.stack.url}/#/jobs/${id}`);
    await notice.waitFor();
    await page.getByRole('region', { name: 'Outcomes at a glance', exact: true }).waitFor();
    const onResults = {
      notice: await notice.textContent(),
      viewerLinks: await page.getByRole('link', { name: 'Open in flow viewer' }).count(),
      tables: await page.getByRole('table', { name: /^Patients of / }).count(),
    };
    await screenshot(page, 'results-csv-only-job');
    await page.goto(`${harness.stack.url}/#/jobs/${id}/patients/3`);
    await notice.waitFor();
    const alertsOnPatient = await page.getByRole('alert').count();
    await page.goto(`${harness.stack.url}/#/jobs?job=${id}`);
    const card = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('button', { name: 'Delete job CSV only job', exact: true }) });
    await card.getByRole('link', { name: 'Results', exact: true }).waitFor();
    const timelineLinks = await card.getByRole('link', { name: 'Timeline' }).count();
    await page.goto(`${harness.stack.url}/#/jobs/${id}`);
    await notice.getByRole('button', { name: 'Generate the same patients as JSON', exact: true }).click();
    await page.waitForURL(/#\/jobs\?job=/);
    const again = new URL(page.url()).hash.split('job=')[1] ?? '';
    await untilCompleted(api, again);

    // Assert: nothing asked that could only fail (the harness fails on any failed request); the new
    // job has the seed and both formats, and its CSV is the first job's, byte for byte
    expect(onResults).toEqual({
      notice: expect.stringContaining('this job wrote patients.csv.'),
      viewerLinks: 0,
      tables: 0,
    });
    expect(alertsOnPatient).toBe(0);
    expect(timelineLinks).toBe(0);
    const job = await api('GET', `/api/v1/jobs/${again}`);
    expect(job).toMatchObject({
      seed: 77,
      config: { name: 'CSV only job', output_formats: ['csv', 'json'] },
    });
    const download = async (jobId: string, format: string) => {
      const link = await api('GET', `/api/v1/downloads/${jobId}?format=${format}&redirect=false`);
      return Buffer.from(await (await fetch(link.url)).arrayBuffer());
    };
    const [first, second] = await Promise.all([download(id, 'csv'), download(again, 'csv')]);
    expect(first.length).toBeGreaterThan(0);
    expect(second.equals(first)).toBe(true);
    expect(JSON.parse((await download(again, 'json')).toString('utf8'))).toHaveLength(40);
    expect((await api('GET', `/api/v1/jobs/${again}/results?per_page=1`)).total).toBe(40);
  });
});

describe('console results: an encrypted job', () => {
  it('says its patients are encrypted, links the flow viewer for the decrypted file, and offers no page that would fail', async () => {
    // Prepare: a completed encrypted JSON job
    const scenario = await api('GET', '/api/v1/configurations/default');
    const { job_id: id } = await api('POST', '/api/v1/generation', {
      configuration: { ...draftFromConfiguration(scenario), name: 'Encrypted job', total_patients: 20 },
      output_formats: ['json'],
      use_encryption: true,
      encryption_password: 'correct horse battery',
    });
    await untilCompleted(api, id);
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    const notice = page.getByRole('region', { name: 'Patients are encrypted', exact: true });

    // Act: its results page, a patient address, its card on the jobs list
    await page.goto(`${harness.stack.url}/#/jobs/${id}`);
    await notice.waitFor();
    const onResults = {
      viewerLinks: await page.getByRole('link', { name: 'Open in flow viewer' }).count(),
      tables: await page.getByRole('table', { name: /^Patients of / }).count(),
      viewer: await notice.getByRole('link', { name: 'flow viewer', exact: true }).getAttribute('href'),
    };
    await expectAccessible(page, 'the results page of an encrypted job');
    await page.goto(`${harness.stack.url}/#/jobs/${id}/patients/0`);
    await notice.waitFor();
    await page.goto(`${harness.stack.url}/#/jobs?job=${id}`);
    const card = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('button', { name: 'Delete job Encrypted job', exact: true }) });
    await card.getByRole('link', { name: 'Results', exact: true }).waitFor();

    // Assert: no request failed (the harness checks), no link or table that could only fail
    expect(onResults).toEqual({ viewerLinks: 0, tables: 0, viewer: '#/viewer' });
    expect(await card.getByRole('link', { name: 'Timeline' }).count()).toBe(0);
  });
});
