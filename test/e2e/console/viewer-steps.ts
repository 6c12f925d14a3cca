/**
 * Steps on the patient-flow viewer, by the accessible names of the console's contract: headings
 * "POI" … "Role 4", buttons "Play"/"Pause", sliders "Speed" and "Time" (README "Web console").
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

export const COLUMNS = ['POI', 'Role 1', 'Role 2', 'Role 3', 'Role 4'] as const;

/** Waits until the five columns are shown (a file or a job was loaded). */
export async function waitForColumns(page: Page, timeout = 30_000): Promise<void> {
  for (const column of COLUMNS) {
    await page.getByRole('heading', { name: column, exact: true }).waitFor({ timeout });
  }
}

/**
 * Chooses the whole course in the Span list, where the file offers more than one span (an evacuation
 * policy holds casualties for weeks after the casualty days the viewer opens on).
 */
export async function chooseWholeCourse(page: Page): Promise<void> {
  const span = page.getByRole('combobox', { name: 'Span', exact: true });
  if ((await span.count()) === 0) return;
  const labels = await span.locator('option').allTextContents();
  const whole = labels.find((l) => l.endsWith('(whole course)'));
  expect(whole, `a whole-course span among ${labels.join(', ')}`).toBeDefined();
  await span.selectOption({ label: whole! });
}

/**
 * Plays the last two simulated hours of the whole course at 3,600×, by keyboard: the Speed slider to its maximum (a day per
 * second) and back five stops to an hour per second, the Time slider to its end and back two hours (one step is a minute), Play, and waits for playback
 * to stop at the end of the timeline (the button reads "Play" again). Checks the clock moved and the
 * button read "Pause" while it played.
 */
export async function playToEnd(page: Page): Promise<void> {
  await chooseWholeCourse(page);
  const speed = page.getByRole('slider', { name: 'Speed', exact: true });
  await speed.focus();
  await page.keyboard.press('End');
  expect(await speed.getAttribute('aria-valuetext')).toMatch(/^86,400×/);
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
  expect(await speed.getAttribute('aria-valuetext')).toMatch(/^3,600×/);

  const time = page.getByRole('slider', { name: 'Time', exact: true });
  await time.focus();
  await page.keyboard.press('End');
  for (let i = 0; i < 120; i++) await page.keyboard.press('ArrowLeft');
  const before = await time.getAttribute('aria-valuetext');

  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor({ timeout: 30_000 });
  expect(await time.getAttribute('aria-valuetext')).not.toBe(before);
  // At the end: the slider's last step (its value snaps to whole steps below an odd maximum).
  const [value, max, step] = await Promise.all([
    time.inputValue(),
    time.getAttribute('max'),
    time.getAttribute('step'),
  ]);
  expect(Number(max) - Number(value)).toBeLessThan(Number(step ?? 1));
}

function toNumber(text: string | undefined): number {
  expect(text, 'a count').toMatch(/^\d[\d,]*$/);
  return Number(text!.replace(/,/g, ''));
}

/** "KIA 3" in a description list: the definition that follows the term. */
function tally(snapshot: string, term: string): number {
  const match = snapshot.match(new RegExp(`- term: ${term}\\s*\\n\\s*- definition: "?([\\d,]+)"?`));
  return toNumber(match?.[1]);
}

export interface ColumnFigures {
  readonly live: number;
  readonly kia: number;
  readonly dow: number;
  readonly rtd: number;
}

/** A column's live count (the text right after its heading) and its KIA, DOW and RTD tallies. */
export async function columnFigures(page: Page, column: string): Promise<ColumnFigures> {
  const region: Locator = page.getByRole('region', { name: column, exact: true });
  const snapshot = await region.ariaSnapshot();
  const live = snapshot.match(/- heading "[^"]+" \[level=\d\]\s*\n\s*- text: ([\d,]+) patients/)?.[1];
  return {
    live: toNumber(live),
    kia: tally(snapshot, 'KIA'),
    dow: tally(snapshot, 'DOW'),
    rtd: tally(snapshot, 'RTD'),
  };
}

/** The totals shown for the whole flow at the current time. */
export async function viewerTotals(
  page: Page,
): Promise<{ pending: number; live: number; kia: number; dow: number; rtd: number }> {
  const snapshot = await page.getByLabel('Totals at the time shown').ariaSnapshot();
  return {
    pending: tally(snapshot, 'Not yet injured'),
    live: tally(snapshot, 'In the flow'),
    kia: tally(snapshot, 'KIA'),
    dow: tally(snapshot, 'DOW'),
    rtd: tally(snapshot, 'RTD'),
  };
}

/**
 * At the end of the timeline every patient is in a column (still in care) or in a terminal tally
 * (KIA, DOW, RTD where it happened), none is still to come, and the columns agree with the totals.
 * Returns the summed figures for comparison with the job's own summary.
 */
export async function expectViewerTotals(page: Page, patients: number): Promise<ColumnFigures> {
  const columns = await Promise.all(COLUMNS.map((c) => columnFigures(page, c)));
  const sum = columns.reduce(
    (a, c) => ({ live: a.live + c.live, kia: a.kia + c.kia, dow: a.dow + c.dow, rtd: a.rtd + c.rtd }),
    { live: 0, kia: 0, dow: 0, rtd: 0 },
  );
  const totals = await viewerTotals(page);
  expect(totals).toEqual({ pending: 0, ...sum });
  expect(sum.live + sum.kia + sum.dow + sum.rtd).toBe(patients);
  return sum;
}
