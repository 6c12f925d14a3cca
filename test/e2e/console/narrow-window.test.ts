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

/**
 * Every box of the page whose content overflows it and that scrolls (a text field scrolls but is a
 * Tab stop of its own): its tag and class, and what makes it reachable.
 */
function scrollers(
  page: Page,
): Promise<{ box: string; tabIndex: string | null; role: string | null; name: string | null }[]> {
  // A string, run in the page: the root tsconfig has no DOM library.
  return page.evaluate(`[...document.querySelectorAll('main *')]
    .filter((el) => !['TEXTAREA', 'INPUT', 'SELECT'].includes(el.tagName))
    .filter((el) => {
      const style = getComputedStyle(el);
      const scrolls = (o) => o === 'auto' || o === 'scroll';
      return (
        (scrolls(style.overflowX) && el.scrollWidth > el.clientWidth + 1) ||
        (scrolls(style.overflowY) && el.scrollHeight > el.clientHeight + 1)
      );
    })
    .map((el) => ({
      box: el.tagName.toLowerCase() + '.' + el.className,
      tabIndex: el.getAttribute('tabindex'),
      role: el.getAttribute('role'),
      name: el.getAttribute('aria-label'),
    }))`);
}

describe('boxes that scroll', () => {
  it('makes every box that scrolls at 320 px a named region in the Tab order, which the arrow keys scroll', async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    await page.setViewportSize({ width: 320, height: 640 });
    await signIn(page, harness.stack.apiKey);
    const found: Record<string, Awaited<ReturnType<typeof scrollers>>> = {};

    // Act
    for (const [name, hash, shown] of [
      ['scenario', '#/scenario', '.facility-table'],
      ['results', `#/jobs/${jobId}`, '#evac-title'],
      ['patient', `#/jobs/${jobId}/patients/${patientId}`, '#procedures-title'],
    ] as const) {
      await page.goto(`${harness.stack.url}/${hash}`);
      await current.settled();
      await page.locator(shown).waitFor();
      found[name] = await scrollers(page);
    }
    const vitals = page.getByRole('region', { name: 'Vital signs table' });
    await vitals.focus();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowRight');

    // Assert
    for (const [name, boxes] of Object.entries(found)) {
      expect(boxes.length, name).toBeGreaterThan(0);
      for (const box of boxes) {
        expect(box, `${name}: ${box.box}`).toMatchObject({ tabIndex: '0', role: 'region' });
        expect(box.name, `${name}: ${box.box}`).toMatch(/\w/);
      }
    }
    // The keys scroll smoothly: the box moves over a few frames.
    await expect.poll(() => vitals.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  });

  it('adds no Tab stop for a box whose content fits a 1280 px window', async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, harness.stack.apiKey);

    // Act
    await page.goto(`${harness.stack.url}/#/jobs/${jobId}/patients/${patientId}`);
    await current.settled();
    await page.getByRole('heading', { name: 'Procedures' }).waitFor();
    const boxes = (await page.evaluate(
      `[...document.querySelectorAll('.scroll-box')].map((el) => el.getAttribute('tabindex'))`,
    )) as (string | null)[];

    // Assert
    expect(boxes.length).toBeGreaterThan(3);
    expect(boxes.every((t) => t === null)).toBe(true);
  });

  it('fits the facility table in a 640 px window (200 % zoom), with the focus ring of Remove inside its box', async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    await page.setViewportSize({ width: 640, height: 450 });
    await signIn(page, harness.stack.apiKey);
    await page.goto(`${harness.stack.url}/#/scenario`);
    await current.settled();
    await page.locator('.facility-table').waitFor();

    // Act
    await page.locator('.facility-table tbody tr').first().locator('input').last().focus();
    await page.keyboard.press('Tab');
    const measured = await page.evaluate(`(() => {
      const box = document.querySelector('.facility-scroll');
      const button = document.activeElement;
      const style = getComputedStyle(button);
      const ring = Number.parseFloat(style.outlineWidth) + Number.parseFloat(style.outlineOffset);
      return {
        focused: button.id,
        overflow: box.scrollWidth - box.clientWidth,
        ringInside: button.getBoundingClientRect().right + ring <= box.getBoundingClientRect().right,
      };
    })()`);

    // Assert
    expect(measured).toEqual({ focused: 'remove-facility-0', overflow: 0, ringInside: true });
  });
});
