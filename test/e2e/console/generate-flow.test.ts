/**
 * A planner's whole path through the console in Chromium, over the real local stack: sign in, pick a
 * preset, set 300 patients, generate, watch the job's progress bar until the job completes, download
 * the ZIP, open the timeline, play it, read the flow viewer's counts, and open the job's results and a
 * patient. Also: a scenario with errors shows each message at its field, and a running job can be
 * cancelled.
 */
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { unzip } from '../../support/zip.js';
import { expectAccessible, screenshot, signIn, useConsoleHarness } from './harness.js';
import { expectViewerTotals, playToEnd, waitForColumns } from './viewer-steps.js';

const harness = useConsoleHarness();

/** The API's answer, read with the stack's key (to know what the console should show). */
// biome-ignore lint/suspicious/noExplicitAny: API bodies checked field by field
async function apiGet(path: string): Promise<any> {
  const res = await fetch(`${harness.stack.url}${path}`, { headers: { 'X-API-Key': harness.stack.apiKey } });
  expect(res.status, path).toBe(200);
  return res.json();
}

/** Picks a preset by its visible name and waits until its scenario is in the form. */
async function pickPreset(page: Page, presetId: string): Promise<{ name: string; total_patients: number }> {
  const { presets } = await apiGet('/api/v1/presets');
  const preset = presets.find((p: { id: string }) => p.id === presetId);
  expect(preset, `preset ${presetId}`).toBeTruthy();
  const combobox = page.getByRole('combobox', { name: 'Preset', exact: true });
  await combobox.selectOption({ label: preset.name });
  const patients = page.getByRole('spinbutton', { name: 'Patients', exact: true });
  await expect.poll(() => patients.inputValue()).toBe(String(preset.total_patients));
  return preset;
}

/** The job id the console navigated to after Generate (#/jobs?job=ID). */
async function submittedJobId(page: Page): Promise<string> {
  await page.waitForURL(/#\/jobs\?job=/);
  const id = new URL(page.url()).hash.match(/[?&]job=([^&]+)/)?.[1];
  expect(id).toBeTruthy();
  return decodeURIComponent(id!);
}

/** A job's entry in the jobs list: the list item showing the start of its id. */
function jobCard(page: Page, jobId: string): Locator {
  return page.getByRole('listitem').filter({ hasText: jobId.slice(0, 8) });
}

/**
 * Records, in the page, every value any progress bar takes from now on (insertions and changes), so
 * a bar shown for a moment between two polls is still seen.
 */
async function recordProgressBars(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const seen = (window.__progressSeen = []);
    const read = () => {
      for (const bar of document.querySelectorAll('[role="progressbar"], progress')) {
        const value = bar.getAttribute('aria-valuenow') ?? String(bar.value);
        const name = bar.getAttribute('aria-label') ?? '';
        const last = seen.filter((s) => s.name === name).at(-1);
        if (!last || last.value !== value) seen.push({ name, value });
      }
    };
    read();
    new MutationObserver(read).observe(document.body, {
      subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow', 'value'],
    });
  })()`);
}

async function progressSeen(page: Page): Promise<{ name: string; value: string }[]> {
  return (await page.evaluate('window.__progressSeen')) as { name: string; value: string }[];
}

/** The parts of the DOM the in-page functions use (the root tsconfig has no DOM library). */
interface DescribedElement {
  getAttribute(name: string): string | null;
  readonly ownerDocument: { getElementById(id: string): { readonly textContent: string | null } | null };
}

/** The text of the elements a control names in aria-describedby: where its messages are announced. */
function describedBy(control: Locator): Promise<string> {
  return control.evaluate((el: DescribedElement) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

describe('console: scenario → job → download → timeline', () => {
  it('a preset with 300 patients generates, completes with a progress bar, downloads as a ZIP of the chosen formats, plays in the viewer and shows its results', async () => {
    // Prepare: signed in, on the scenario page
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    await expectAccessible(page, 'the scenario page');
    await screenshot(page, 'scenario');

    // Act: preset, 300 patients, an extra format, generate
    await pickPreset(page, 'nato_article_5');
    await page.getByRole('spinbutton', { name: 'Patients', exact: true }).fill('300');
    await page.getByRole('checkbox', { name: /^FHIR/ }).check();
    await page.getByRole('button', { name: 'Validate', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Valid scenario' }).waitFor();
    await recordProgressBars(page);
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    const jobId = await submittedJobId(page);
    const card = jobCard(page, jobId);

    // Assert: the job ran with a progress bar, then completed with its downloads and timeline
    const download = card.getByRole('link', { name: 'Download ZIP', exact: true });
    await download.waitFor({ timeout: 60_000 });
    const bars = (await progressSeen(page)).map((s) => Number(s.value));
    expect(bars.length, 'a progress bar was shown while the job ran').toBeGreaterThan(0);
    expect(bars).toEqual([...bars].sort((a, b) => a - b));
    expect(bars.every((v) => v >= 0 && v <= 100)).toBe(true);
    expect(await card.getByRole('progressbar').count()).toBe(0);
    const job = await apiGet(`/api/v1/jobs/${jobId}`);
    expect(job).toMatchObject({ status: 'completed', config: { total_patients: 300 } });
    expect(job.config.output_formats).toEqual(expect.arrayContaining(['json', 'csv', 'fhir']));
    await expectAccessible(page, 'the jobs page');
    await screenshot(page, 'jobs');

    // Act: download the ZIP
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    const bytes = await readFile((await file.path())!);

    // Assert: a ZIP holding every format asked for, 300 patients
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const entries = await unzip(bytes);
    const expected = job.config.output_formats.map((f: string) =>
      f === 'fhir' ? 'patients.fhir.ndjson' : `patients.${f}`,
    );
    expect([...entries.keys()].sort()).toEqual([...expected, 'manifest.json'].sort());
    expect(JSON.parse(entries.get('patients.json')!.toString('utf8'))).toHaveLength(300);

    // Act: open the job's timeline and play it
    await card
      .getByRole('link', { name: 'Timeline', exact: true })
      .or(card.getByRole('button', { name: 'Timeline', exact: true }))
      .click();
    await waitForColumns(page);
    await expectAccessible(page, 'the flow viewer');
    await playToEnd(page);

    // Assert: every patient of the job is in a column or a terminal tally, as the job's summary counts them
    const figures = await expectViewerTotals(page, 300);
    const outcomes = job.summary.final_status;
    expect(figures.kia + figures.dow).toBe(outcomes.KIA);
    expect(figures.rtd).toBe(outcomes.RTD);
    expect(figures.live).toBe(outcomes.Remains_Role4);
    await screenshot(page, 'viewer-job');

    // Act: the job's results, then one patient
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await jobCard(page, jobId).getByRole('link', { name: 'Results', exact: true }).click();
    await page.getByRole('heading', { name: /^Results: /, level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');

    // Assert: charts and the patient table render without an accessibility finding
    await expectAccessible(page, 'the results page');
    await screenshot(page, 'results');
    await page.getByRole('table').getByRole('link').first().click();
    await page.getByRole('navigation', { name: 'Other patients', exact: true }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/\S+ \S+/);
    await page.waitForLoadState('networkidle');
    await expectAccessible(page, 'a patient page');
    await screenshot(page, 'patient');
  });
});

describe('console: errors and cancellation', () => {
  it('a scenario with errors shows each API message at its field and marks the field invalid', async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    await pickPreset(page, 'nato_article_5');
    const patients = page.getByRole('spinbutton', { name: 'Patients', exact: true });

    // Act
    await patients.fill('0');
    await page.getByRole('button', { name: 'Validate', exact: true }).click();

    // Assert: the API's message for total_patients, announced with the field
    const validation = (await (
      await fetch(`${harness.stack.url}/api/v1/configurations/validate`, {
        method: 'POST',
        headers: { 'X-API-Key': harness.stack.apiKey, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'x', total_patients: 0 }),
      })
    ).json()) as { errors: { path: string; message: string }[] };
    const apiMessage = validation.errors.find((e) => e.path === 'total_patients')?.message;
    expect(apiMessage).toBeTruthy();
    await expect.poll(() => describedBy(patients), { timeout: 10_000 }).toContain(apiMessage);
    expect(await patients.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'scenario-errors');
    await expectAccessible(page, 'the scenario page with errors');

    // Act: correct it
    await patients.fill('250');

    // Assert: the message goes as the planner types (debounced validation)
    await expect.poll(() => patients.getAttribute('aria-invalid'), { timeout: 10_000 }).toBeNull();
    expect(await describedBy(patients)).not.toContain(apiMessage);
  });

  it('a running job is cancelled from the jobs list and ends cancelled, without downloads', async () => {
    // Prepare: a job big enough to be still running when Cancel is pressed
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    await pickPreset(page, 'nato_article_5');
    await page.getByRole('spinbutton', { name: 'Patients', exact: true }).fill('100000');
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    const jobId = await submittedJobId(page);
    const card = jobCard(page, jobId);

    // Act
    await card.getByRole('button', { name: /^Cancel/ }).click();

    // Assert
    await card.getByText('Cancelled', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await card.getByRole('progressbar').count()).toBe(0);
    expect(await card.getByRole('link', { name: 'Download ZIP', exact: true }).count()).toBe(0);
    const job = await apiGet(`/api/v1/jobs/${jobId}`);
    expect(job.status).toBe('cancelled');
    expect(job.progress_details.patients_generated).toBeLessThan(100_000);
    await screenshot(page, 'jobs-cancelled');
  });
});
