/**
 * The console in a phone-wide window (390 px) and at 320 px (WCAG's reflow width: 1280 px at 400 %
 * zoom): every page fits the window's width, so nothing (the navigation, Sign out, a table's last
 * column, a form field) is left beyond the right edge, reachable only by scrolling the whole page
 * sideways. Wide tables scroll inside their own box (fixes 0086, 0142).
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { completedDefaultScenarioJob, screenshot, signIn, stackApi, useConsoleHarness } from './harness.js';

const WINDOWS = [
  { width: 390, height: 844 },
  { width: 320, height: 640 },
] as const;
const harness = useConsoleHarness();

const api = stackApi(harness);

let jobId = '';
/** A patient with procedures: the procedures table is the widest of the patient page. */
let patientId = 0;

beforeAll(async () => {
  jobId = await completedDefaultScenarioJob(api, { total_patients: 40, seed: 11 });
  const results = await api('GET', `/api/v1/jobs/${jobId}/results?page=1&per_page=40`);
  patientId = results.patients.find((p: { treatments: unknown[] }) => p.treatments.length > 2).id;
}, 120_000);

/** How far the page reaches beyond the window's right edge, in CSS pixels (0: it fits). */
function overflow(page: Page): Promise<number> {
  return page.evaluate(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  ) as Promise<number>;
}

describe('console in a narrow window', () => {
  it.each(WINDOWS)('every page fits a $width px window and Sign out stays on screen', async (window) => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    await page.setViewportSize(window);
    await signIn(page, harness.stack.apiKey);
    const pages = {
      scenario: '#/scenario',
      jobs: '#/jobs',
      results: `#/jobs/${jobId}`,
      patient: `#/jobs/${jobId}/patients/${patientId}`,
      viewer: '#/viewer',
    };
    const measured: Record<string, number> = {};
    let signOutRight = 0;

    // Act
    for (const [name, hash] of Object.entries(pages)) {
      await page.goto(`${harness.stack.url}/${hash}`);
      await current.settled();
      if (name === 'results') await page.getByRole('heading', { name: 'Evacuation times' }).waitFor();
      if (name === 'patient') await page.getByRole('heading', { name: 'Procedures' }).waitFor();
      measured[name] = await overflow(page);
      if (name === 'jobs') {
        const box = await page.getByRole('button', { name: 'Sign out', exact: true }).boundingBox();
        signOutRight = (box?.x ?? Number.POSITIVE_INFINITY) + (box?.width ?? 0);
      }
      await screenshot(page, `narrow-${window.width}-${name}`);
    }

    // Assert
    expect(measured).toEqual({ scenario: 0, jobs: 0, results: 0, patient: 0, viewer: 0 });
    expect(signOutRight).toBeLessThanOrEqual(window.width);
  });
});
