/**
 * The jobs page while its list cannot be loaded: the status says so and that it is trying again, not
 * "Loading…" beside the error (fix 0115); the list appears once an answer comes. A job whose saved
 * configuration was deleted still shows the scenario it ran and runs again with it (fix 0221).
 */
import { describe, expect, it } from 'vitest';
import { draftFromConfiguration } from '../../../web/src/pages/scenario/scenario-model.js';
import { screenshot, signIn, stackApi, untilCompleted, useConsoleHarness } from './harness.js';

const harness = useConsoleHarness();
const api = stackApi(harness);

describe('console jobs page', () => {
  it('says the jobs could not be loaded while it retries, then shows the list', async () => {
    // Prepare: signed in, then the jobs list refused until released
    const current = await harness.open();
    const { page } = current;
    current.expectProblems(/\/api\/v1\/jobs\?.* → 503/, /status of 503/);
    let refusing = false;
    await page.route(
      (url) => url.pathname === '/api/v1/jobs',
      async (route) => {
        if (!refusing) return route.continue();
        await route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'Try again shortly' } }),
        });
      },
    );
    await signIn(page, harness.stack.apiKey);
    refusing = true;
    const status = page
      .getByRole('heading', { name: 'Jobs', exact: true })
      .locator('xpath=..')
      .getByRole('status');

    // Act
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Try again shortly' }).waitFor();
    const whileRefused = await status.textContent();
    refusing = false;

    // Assert
    expect(whileRefused).toBe('The jobs could not be loaded; trying again…');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/^\d+ jobs?/);
  });
});

describe('console jobs of a deleted configuration', () => {
  it('shows the scenario the job ran, opens it in the editor, and runs it again with the same bytes', async () => {
    // Prepare: a job of a saved configuration with its own patient count, then the configuration deleted
    const name = 'Deleted configuration job';
    const saved = await api('POST', '/api/v1/configurations', {
      ...draftFromConfiguration(await api('GET', '/api/v1/configurations/default')),
      name,
      total_patients: 50,
    });
    const jobId = (
      await api('POST', '/api/v1/generation', {
        configuration_id: saved.id,
        total_patients: 12,
        seed: 31,
        output_formats: ['json'],
      })
    ).job_id as string;
    await untilCompleted(api, jobId);
    await api('DELETE', `/api/v1/configurations/${saved.id}`);
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    await page.goto(`${harness.stack.url}/#/jobs?job=${jobId}`);
    const card = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('button', { name: `Delete job ${name}` }) });

    // Act: the job's scenario, then the same seed again
    await card.getByText('Seed 31 and scenario', { exact: true }).click();
    const shown = card.getByRole('region', { name: 'Scenario of the job', exact: true });
    await shown.waitFor();
    const scenarioText = await shown.textContent();
    await screenshot(page, 'jobs-deleted-configuration-scenario');
    await card.getByRole('button', { name: `Same seed again: ${name}`, exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Submitted ${name} again with seed 31.` })
      .waitFor();
    const again = (await api('GET', '/api/v1/jobs?limit=1')).jobs[0];
    await untilCompleted(api, again.job_id);
    await card.getByRole('button', { name: 'Open in the scenario editor', exact: true }).click();
    const patients = page.getByRole('spinbutton', { name: 'Patients', exact: true });

    // Assert: the scenario as it ran (its patient count, not the configuration's), no error; the same bytes
    expect(JSON.parse(scenarioText ?? '')).toMatchObject({ name, total_patients: 12, seed: 31 });
    expect(again).toMatchObject({ seed: 31, config: { name, total_patients: 12 } });
    await expect.poll(() => patients.inputValue()).toBe('12');
    expect(await page.getByRole('textbox', { name: 'Scenario name', exact: true }).inputValue()).toBe(name);
    const download = async (id: string) => {
      const link = await api('GET', `/api/v1/downloads/${id}?format=json&redirect=false`);
      return Buffer.from(await (await fetch(link.url)).arrayBuffer());
    };
    const [first, second] = await Promise.all([download(jobId), download(again.job_id)]);
    expect(first.length).toBeGreaterThan(0);
    expect(second.equals(first)).toBe(true);
  });
});
