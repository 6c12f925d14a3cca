/**
 * The results page's breakdown cards hold their bar lists whole at desktop widths once a job's
 * counts have five digits: every row's label, count and share stay inside the card (fix 0216).
 * Before, a 300 px card kept a 60 px bar beside a one-line label, so the share column ("75 %") was
 * cut at the card's edge. The arrivals chart's legend is drawn without the page's table rules (fix 0223).
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { completedDefaultScenarioJob, screenshot, signIn, stackApi, useConsoleHarness } from './harness.js';

const harness = useConsoleHarness();
const api = stackApi(harness);

let jobId = '';

beforeAll(async () => {
  // 30,000 patients: the largest outcome count has five digits.
  jobId = await completedDefaultScenarioJob(api, { total_patients: 30_000, seed: 42 });
}, 180_000);

interface CardFit {
  readonly title: string;
  /** How far the furthest cell reaches beyond the card's content box, in CSS px (≤ 0: inside). */
  readonly beyond: number;
  /** Cells whose text is wider than the cell (cut or hidden). */
  readonly cutCells: number;
}

/** Each bar list on the page: its title and how well its rows fit its card. */
function barListFits(page: Page): Promise<CardFit[]> {
  // A string, run in the page: the root tsconfig has no DOM library.
  return page.evaluate(`[...document.querySelectorAll('figure.bar-list')].map((figure) => {
    const card = figure.closest('.card');
    const style = getComputedStyle(card);
    const contentRight = card.getBoundingClientRect().right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
    const cells = [...figure.querySelectorAll('tbody th, tbody td')];
    const furthest = Math.max(...cells.map((cell) => cell.getBoundingClientRect().right));
    return {
      title: figure.querySelector('figcaption').textContent,
      beyond: Math.round(furthest - contentRight),
      cutCells: cells.filter((cell) => cell.scrollWidth > cell.clientWidth + 1).length,
    };
  })`);
}

describe('console results: breakdown cards', () => {
  it.each([1366, 1300, 1024, 800])(
    'keeps every row of every bar list inside its card at %i px with five-digit counts',
    async (width) => {
      // Prepare
      const current = await harness.open();
      const { page } = current;
      await page.setViewportSize({ width, height: 900 });
      await signIn(page, harness.stack.apiKey);

      // Act
      await page.goto(`${harness.stack.url}/#/jobs/${jobId}`);
      await current.settled();
      await page.getByRole('heading', { name: 'Breakdown', exact: true }).waitFor();
      const fits = await barListFits(page);
      await page.getByRole('heading', { name: 'Breakdown', exact: true }).scrollIntoViewIfNeeded();
      await screenshot(page, `breakdown-${width}`);

      // Assert
      expect(fits.map((f) => f.title)).toEqual(['Outcome', 'Triage', 'Injury type', 'Front', 'Nation']);
      for (const fit of fits) {
        expect(fit, fit.title).toMatchObject({ cutCells: 0 });
        expect(fit.beyond, fit.title).toBeLessThanOrEqual(0);
      }
    },
  );

  it('says under the outcomes that KIA and DOW count every death by where it happened, illness included (fix 0320), and what remains at Role 4 means', async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);

    // Act
    await page.goto(`${harness.stack.url}/#/jobs/${jobId}`);
    const outcomes = page.getByRole('region', { name: 'Outcomes at a glance', exact: true });
    await outcomes.waitFor();

    // Assert
    const text = await outcomes.textContent();
    expect(text).toContain(
      'count every death by where it happened, before or after reaching care, deaths from illness and non-battle injury included',
    );
    expect(text).toContain(
      'Remains at Role 4 counts the casualties still in hospital there when their record ends',
    );
  });

  it('reads each bar list as a table of rows with a header, count and share', async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    await page.goto(`${harness.stack.url}/#/jobs/${jobId}`);
    const outcome = page.getByRole('figure', { name: 'Outcome' }).getByRole('table');

    // Act
    await outcome.waitFor();
    const rows = await outcome.getByRole('row').allTextContents();
    const headers = await outcome.getByRole('rowheader').allTextContents();
    const summary = await api('GET', `/api/v1/jobs/${jobId}`);

    // Assert: the table's semantics survive its grid layout
    expect(headers).toEqual(['Killed in action', 'Died of wounds', 'Returned to duty', 'Remains at Role 4']);
    expect(rows).toHaveLength(5); // the visually hidden header row and four outcomes
    expect(summary.summary.status.RTD).toBeGreaterThanOrEqual(10_000);
    expect(rows[3]).toContain(summary.summary.status.RTD.toLocaleString('en-GB'));
  });

  it("draws the arrivals chart's legend without the page's table rules", async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    await page.goto(`${harness.stack.url}/#/jobs/${jobId}`);
    await page.locator('.line-chart .u-legend').waitFor();

    // Act: the rule under each cell of uPlot's legend table (the page's tables draw one)
    const rules: number[] = await page.evaluate(
      `[...document.querySelectorAll('.u-legend th, .u-legend td')].map((cell) => parseFloat(getComputedStyle(cell).borderBottomWidth))`,
    );

    // Assert: the time and the four roles, no rule under any
    expect(rules.length).toBeGreaterThanOrEqual(5);
    expect(rules.filter((width) => width > 0)).toEqual([]);
  });
});
